"""The rate limiter (Flask-Limiter), created unbound; bound to the app by the staff blueprint.

Storage comes from RATELIMIT_STORAGE_URI (default "memory://": counts are per worker process;
use a shared store such as redis:// to count across gunicorn workers).
"""

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)


def init_limiter(app: Flask) -> None:
    """Bind the limiter; RATELIMIT_STORAGE_URI always comes from clinic.config, so it does not
    warn about a missing storage setting."""
    limiter.init_app(app)
