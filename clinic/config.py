"""Configuration defaults.

Secrets never live here: SECRET_KEY comes from instance/config.py, the instance/secret_key file
written by `make run`, or the FLASK_SECRET_KEY environment variable; AUDIT_KEY likewise from
instance/config.py, instance/audit_key or FLASK_AUDIT_KEY (docs/security.md).
"""

import os

# Session cookies: no patient data is ever stored in them (kiosk drafts live in the database).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "clinic_session"

# CSRF tokens expire with the staff session; kiosk drafts are short-lived anyway.
WTF_CSRF_TIME_LIMIT = 3600

# SQLAlchemy: the default database is instance/clinic.sqlite (set in create_app, because it
# depends on the instance path); DATABASE_URL overrides it.
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
SQLITE_BUSY_TIMEOUT_S = 5.0

# Languages offered at the kiosk and on handouts. Each area keeps its own catalog; Flask-Babel
# merges them (paths are relative to the clinic/ package).
LANGUAGES = ("en", "es")
BABEL_DEFAULT_LOCALE = "en"
BABEL_TRANSLATION_DIRECTORIES = ";".join(
    f"../translations/{area}" for area in ("kiosk", "triage", "handout")
)

# Handout paper: "letter" or "a4". A render using more CPU seconds than the budget is stopped
# (and any render still unfinished after handout.worker.WAIT_LIMIT_S).
HANDOUT_PAPER = "letter"
HANDOUT_TIMEOUT_S = 20.0
# Render each new intake's handout in the background at submit, so Print never waits.
HANDOUT_PRERENDER = True
# The CUPS queue of the front-desk printer ("Send to the desk printer", `flask print`), e.g.
# "desk-1" (`lpstat -p` lists the queues). None: CUPS's default printer (`lpadmin -d NAME`).
PRINTER_NAME = None

# Clinic identity printed on handouts; set real values in instance/config.py.
CLINIC_NAME = "Back Pain Clinic"
CLINIC_ADDRESS = ""
CLINIC_PHONE = ""
# The clinic's time zone: what "today" means in the staff queue, and the times shown.
CLINIC_TIMEZONE = "UTC"
# The clinic's locale (a Babel/CLDR name such as "en_US", "en_GB", "es_MX"): the order the
# kiosk asks for the date of birth in (month, day, year for en_US; day, month, year for most
# others), in every language, and how dates are written to patients and staff ("May 6, 1990"
# in en_US, "6 May 1990" in en_GB; Spanish in an en_US clinic writes "6 de mayo de 1990").
CLINIC_LOCALE = "en_US"
# Optional logo: a file name under static/img/ (.png, .jpg or .svg).
CLINIC_LOGO = None

# Kiosk privacy: ask "are you still there?" after this many idle seconds, reset after this many
# more; the done screen returns to welcome on its own; unfinished drafts are purged after this.
KIOSK_IDLE_WARNING_S = 90
KIOSK_IDLE_RESET_S = 30
KIOSK_DONE_RESET_S = 60
DRAFT_TTL_MINUTES = 15
# New patients started per kiosk (client address): far above what a lobby sees, low enough
# that a script cannot fill the queue with thousands of intakes.
KIOSK_START_LIMIT = "12 per minute;200 per hour"
# The emergency screen stays this long before the kiosk resets (a patient who answered Yes to a
# danger sign must be able to read it and show it to the front desk).
EMERGENCY_SCREEN_S = 180
# The number patients and staff call in an emergency, printed on screens and handouts.
EMERGENCY_NUMBER = "911"
# Plan handouts say: book a visit if the pain is not better after this many weeks.
FOLLOW_UP_WEEKS = 4

# Staff pages ask the server for new emergency and urgent intakes this often (seconds).
ALERT_POLL_S = 2

# Staff sessions and login throttling (HIPAA automatic logoff, brute-force protection).
STAFF_IDLE_MINUTES = 15
# A staff session ends this long after its login, however busy (a copied cookie dies with it).
STAFF_SESSION_MAX_HOURS = 12
# After LOGIN_MAX_FAILURES failed logins within the window, an account's logins wait 2 s, then
# twice as long after each further failure, at most LOGIN_DELAY_MAX_S (staff/accounts.py).
LOGIN_MAX_FAILURES = 5
LOGIN_FAILURE_WINDOW_MINUTES = 15
LOGIN_DELAY_MAX_S = 60
# Per client address, on the login POST only.
LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
# "memory://" counts per worker process; use a redis:// URI to share limits across servers.
# scripts/run-production.sh starts a Redis of its own on a Unix socket in instance/ and names
# it in CLINIC_LIMIT_STORE, so the limits hold for all gunicorn workers of one server (issue
# 25, F5/F14); instance/config.py or FLASK_RATELIMIT_STORAGE_URI still decide over it.
RATELIMIT_STORAGE_URI = os.environ.get("CLINIC_LIMIT_STORE") or "memory://"
# When that shared store (Redis) cannot be reached, count per worker process instead, with a
# logged warning, and go back to it once it answers: staff must be able to log in to see an
# emergency, and the per-account login delay lives in the database, so it still holds across
# servers (docs/scaling.md, "When a part is down").
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
# Short Redis timeouts (seconds): a Redis that accepts connections but never answers held each
# limited POST 5-11 s (issue 25, G6); with these the first one after it hangs takes about 1.5 s
# (the client retries) and the limiter falls back to counting per process. Passed to
# redis.from_url by Flask-Limiter; the memory:// store ignores them.
RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

# Records: intakes older than this are purged by `flask purge` (with expired drafts).
RETENTION_DAYS = 365
# `flask backup DIR` keeps this many of its dated backups in DIR (the newest), deleting older ones.
BACKUP_KEEP = 14
AUDIT_PAGE_SIZE = 50

# The audit chain (docs/security.md): each row's hash is an HMAC keyed with AUDIT_KEY, which is
# never set here and never stored in the database. After a rotation, list the old keys here,
# most recent first, for as long as the rows they signed are kept (audit rows are never
# deleted, so: always); new rows use AUDIT_KEY only.
AUDIT_KEY_FALLBACKS: list[str] = []
# Where the chain's head (last row id and hash) is recorded after each audited commit, outside
# the database, so `flask audit verify` notices rows cut from the tail. None: instance/audit_head.
AUDIT_HEAD_FILE = None
# The mode the app gives instance/ at start (it holds the keys, the SQLite database and the
# audit head, each made 0600). None leaves the folder's mode alone.
INSTANCE_MODE = 0o700

# Number of trusted reverse proxies in front of the app (0: none; see README "Scaling out").
PROXY_COUNT = 0

# Largest request body accepted (the kiosk posts small forms only).
MAX_CONTENT_LENGTH = 64 * 1024
