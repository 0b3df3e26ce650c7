"""gunicorn settings for clinic-intake (`make run`, production)."""

import multiprocessing
import os
from pathlib import Path

# WeasyPrint rendering is CPU-bound: sync workers, one per core, beat threads.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Replace each worker (and its render process) after a few thousand requests: WeasyPrint's
# native libraries keep about 15 KB per handout drawn (docs/performance.md). The new worker
# warms up in post_fork before it takes requests; jitter keeps workers from restarting at once.
max_requests = 5000
max_requests_jitter = 500
keepalive = 5
# Load the app once in the master so every worker starts warm and a broken config fails fast.
preload_app = True
accesslog = "-"
# Log method, path and status only: never query strings, which could carry form data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


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


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """Start each worker's handout renderer now, not on the first patient's request."""
    from clinic.handout import warm_up
    from wsgi import app

    with app.app_context():
        warm_up()


def worker_exit(server, worker):  # type: ignore[no-untyped-def]
    from clinic.handout import shutdown
    from wsgi import app

    shutdown(app)
