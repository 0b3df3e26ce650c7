"""Log lines that nothing a client sends can forge: control characters escaped in every record."""

import logging
import re
from collections.abc import Callable
from typing import Any

from flask.logging import wsgi_errors_stream

# Control characters in a log line (C0, DEL, C1, and the Unicode line and paragraph separators)
# are written as \xNN or \uNNNN: a path with %0d%0a cannot forge a second line, and ESC or NUL
# never reach a log file or the terminal showing it.
LOG_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    return LOG_CONTROL.sub(_escaped, text)


def _escape_block(text: str) -> str:
    """A traceback or stack: its lines escaped, each indented, so none starts a record."""
    return "\n".join("  " + escape_control(line) for line in text.rstrip("\n").split("\n"))


def _escaping(base: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it itself
            return record
        record.msg, record.args = escape_control(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _escape_block(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = _escape_block(record.stack_info)
        return record

    make_record.clinic_escapes = True  # type: ignore[attr-defined]
    return make_record


def install_log_escaping() -> None:
    """Escape control characters in every log record of this process, whichever logger and
    handler write it: the app's, gunicorn's access and error logs (gunicorn.conf.py runs this
    too), a deployer's own handlers. The message is formatted when the record is made."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "clinic_escapes", False):
        logging.setLogRecordFactory(_escaping(factory))


# One line format for gunicorn's error and access logs and every logger of the app's and its
# extensions' (gunicorn.conf.py: `logger_class` and `logconfig_dict`): time, process, level, the
# logger's name, then the (escaped) message.
LOG_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"


class GunicornErrorLog(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes a record to gunicorn's error log, wherever `--error-logfile` points it.

    The root logger's handler under gunicorn (gunicorn.conf.py `logconfig_dict`): the app's own
    loggers and the extensions' (Flask-Limiter's "flask-limiter", WeasyPrint's) propagate here,
    and each record goes to the handlers gunicorn set up on "gunicorn.error", in their format.
    Outside gunicorn (no such handlers) it writes to stderr itself, in its own formatter's."""

    def emit(self, record: logging.LogRecord) -> None:
        handlers = logging.getLogger("gunicorn.error").handlers
        if not handlers:
            super().emit(record)
        for handler in handlers:
            if record.levelno >= handler.level:
                handler.handle(record)


# Extensions whose warnings the clinic must see; each gives its logger a NullHandler only.
EXTENSION_LOGGERS = ("flask-limiter",)


class _AppErrorStream(logging.StreamHandler):  # type: ignore[type-arg]
    """Where Flask writes the app's own log lines: the request's wsgi.errors, else stderr."""


def route_extension_logs() -> None:
    """Send the extensions' warnings (Flask-Limiter's "falling back to in-memory storage" when
    Redis is down) to the app's log when nothing else would write them.

    Under gunicorn, gunicorn.conf.py's logconfig_dict gives the root logger a handler and they
    propagate there; so does any logging a deployer sets up. With no root handler at all
    (`flask run`, another WSGI server), their NullHandler dropped them: they go where Flask
    writes the app's own lines instead, in LOG_FORMAT. Added once per process."""
    if logging.getLogger().handlers:
        return
    for name in EXTENSION_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(handler, _AppErrorStream) for handler in logger.handlers):
            handler = _AppErrorStream(wsgi_errors_stream)
            handler.setFormatter(logging.Formatter(LOG_FORMAT, DATE_FORMAT))
            logger.addHandler(handler)
