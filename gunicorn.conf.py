"""gunicorn settings for clinic-intake (`make run`, production)."""

import logging
import multiprocessing
import os
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger

from clinic.logs import DATE_FORMAT, LOG_FORMAT

# WeasyPrint rendering is CPU-bound: sync workers, one per core, beat threads.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Replace each worker (and its render process) after a few thousand requests: WeasyPrint's
# native libraries keep about 15 KB per handout drawn (docs/performance.md). The new worker
# warms up in post_worker_init before it takes requests; jitter keeps workers from restarting
# at once.
max_requests = 5000
max_requests_jitter = 500
keepalive = 5
# Load the app once in the master so every worker starts warm and a broken config fails fast.
preload_app = True
accesslog = "-"
# Log method, path and status only: never query strings, which could carry form data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class ClinicLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, its error and access lines in the app's one format (LOG_FORMAT: time,
    process, level, logger name). Its handlers stay gunicorn's, so `--error-logfile` and
    `--access-logfile` still choose where the lines go, and USR1 still reopens the files."""

    error_fmt = LOG_FORMAT
    datefmt = DATE_FORMAT

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = logging.Formatter(LOG_FORMAT, DATE_FORMAT)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):
                    handler.setFormatter(formatter)


logger_class = ClinicLogger
# Everything else that logs (the app's "clinic.*" loggers, the extensions': Flask-Limiter's
# "falling back to in-memory storage" on "flask-limiter", WeasyPrint's) reaches the root logger,
# whose one handler writes to gunicorn's error log in the same format (clinic.logs). Flask-Limiter
# gives its logger a NullHandler only, which dropped its warnings before this. The app's own
# loggers log from INFO, everything else from WARNING (fontTools' INFO lines stay out).
# Control characters stay escaped: clinic.logs.install_log_escaping (on_starting below, and
# create_app) escapes every record whichever handler writes it.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"clinic": {"format": LOG_FORMAT, "datefmt": DATE_FORMAT}},
    "handlers": {
        "error_log": {"class": "clinic.logs.GunicornErrorLog", "formatter": "clinic"},
    },
    "root": {"level": "WARNING", "handlers": ["error_log"]},
    "loggers": {
        "clinic": {"level": "INFO", "propagate": True},
        "flask-limiter": {"level": "WARNING", "propagate": True},
    },
}


def on_starting(server):  # type: ignore[no-untyped-def]
    """Escape control characters (as \\xNN) in every access and error log line, before any is
    written: a path with %0d%0a cannot forge a second line, ESC and NUL never reach the log.
    (gunicorn puts the decoded path in %(U)s; the app runs the same on import.)"""
    from clinic.logs import install_log_escaping

    install_log_escaping()


# The instance folder, found as the app finds it: per-instance sockets live there.
INSTANCE = Path(
    os.environ.get("CLINIC_INSTANCE_PATH") or Path(__file__).resolve().parent / "instance"
)
# gunicorn 25+ opens a control socket at one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl), so every new gunicorn of that user takes over the previous one's.
# One per instance instead, owner-only: `.venv/bin/gunicornc -s instance/gunicorn.ctl`.
control_socket = str(INSTANCE / "gunicorn.ctl")
control_socket_mode = 0o600
# A Unix socket bind (`make run-production`: instance/gunicorn.sock) is created 0600, so only
# nginx, running as the same user, can connect. gunicorn applies this umask to its sockets only.
umask = 0o177


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Start each worker's handout renderer now, not on the first patient's request.

    Here rather than in post_fork: post_fork runs before the worker installs its own signal
    handlers, so a SIGTERM arriving during the warm-up was swallowed and every stop waited
    graceful_timeout (30 s) for that worker. Now the stop is honoured once the warm-up ends."""
    from clinic.handout import warm_up
    from wsgi import app

    with app.app_context():
        warm_up()


def worker_exit(server, worker):  # type: ignore[no-untyped-def]
    from clinic.handout import shutdown
    from wsgi import app

    shutdown(app)
