"""gunicorn settings for clinic-intake (`make run`, production)."""

import multiprocessing
import os

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


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """Start each worker's handout renderer now, not on the first patient's request."""
    from clinic.handout import warm_up
    from wsgi import app

    with app.app_context():
        warm_up()


def worker_exit(server, worker):  # type: ignore[no-untyped-def]
    from clinic import prerender
    from clinic.handout import shutdown

    prerender.shutdown()
    shutdown()
