"""instance/: the secret and audit keys (read, written, refused when weak) and its file modes."""

import os
import secrets
import string
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url
from zxcvbn import zxcvbn

# Values that must never sign a production session.
WEAK_SECRET_KEYS = {"", "dev", "development", "test", "secret", "change-me", "changeme"}
KEY_RECIPE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
MIN_KEY_LENGTH = 32
MIN_KEY_CHARACTERS = 8
# A production key carries at least 32 random bytes: 64 hex digits or 43 base64 characters.
MIN_KEY_BITS = 256
# A key made of words is a phrase, however long: random base64 of 32 bytes holds words of four
# letters or more in at most a seventh of its characters (3,000 keys measured, with zxcvbn's
# English lists); a phrase written without spaces, in three fifths or more.
MAX_WORD_SHARE = 0.3
_HEX_DIGITS = frozenset(string.hexdigits)
_BASE64_DIGITS = frozenset(string.ascii_letters + string.digits + "+/-_")
# Words that mark a placeholder someone meant to replace.
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "secret", "password", "example",
                     "default", "replace")
PRIVATE_FILES = ("secret_key", "audit_key", "audit_head", "audit_head.lock")
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def load_keys(app: Flask) -> None:
    """SECRET_KEY and AUDIT_KEY: from the config, else from their files in instance/.

    Refuses to go on without them, and in production (config PRODUCTION) with weak ones.
    """
    instance = Path(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if key_file.is_file():
            app.config["SECRET_KEY"] = key_file.read_text().strip()
    secret = str(app.config.get("SECRET_KEY") or "")
    if not secret:
        raise RuntimeError(
            "No SECRET_KEY: run `make run` (it writes instance/secret_key), or set "
            "FLASK_SECRET_KEY, or SECRET_KEY in instance/config.py."
        )
    audit_key = _audit_key(app, instance)
    if not app.config["PRODUCTION"]:
        return
    weakness = key_weakness(secret)
    if weakness:
        raise RuntimeError(
            f"Refusing to start in production with a weak SECRET_KEY ({weakness}). "
            f"Use a random one: {KEY_RECIPE}"
        )
    weakness = key_weakness(audit_key)
    if weakness:
        raise RuntimeError(
            f"Refusing to start in production with a weak AUDIT_KEY ({weakness}). "
            f"Use a random one: {KEY_RECIPE}"
        )
    if audit_key == secret:
        raise RuntimeError(
            "Refusing to start in production with AUDIT_KEY equal to SECRET_KEY: each "
            "needs its own random value."
        )
    # An old key still signs sessions (or verifies audit rows): it must be as strong.
    for name in ("SECRET_KEY_FALLBACKS", "AUDIT_KEY_FALLBACKS"):
        for old in app.config.get(name) or []:
            weakness = key_weakness(str(old))
            if weakness:
                raise RuntimeError(
                    f"Refusing to start in production with a weak key in {name} "
                    f"({weakness}). Remove it, or use a random one: {KEY_RECIPE}"
                )


def _random_bits(key: str) -> int:
    """How many random bits a key written as hex (4 a character) or base64 (6) can hold; 0
    for anything else (spaces, punctuation: a phrase someone typed)."""
    if set(key) <= _HEX_DIGITS:
        return 4 * len(key)
    if set(key.rstrip("=")) <= _BASE64_DIGITS:
        return 6 * len(key.rstrip("="))
    return 0


def _word_share(key: str) -> float:
    """The share of key's characters that zxcvbn reads as dictionary words of 4+ letters."""
    words = [match["token"] for match in zxcvbn(key)["sequence"]
             if match["pattern"] == "dictionary" and len(match["token"]) >= 4]
    return sum(map(len, words)) / len(key)


def key_weakness(key: str) -> str | None:
    """Why key cannot be a production key, or None.

    A random key (secrets.token_hex(32), what `make install` writes, or 32 random bytes as
    base64) passes; short keys, defaults, placeholders, phrases, few distinct characters,
    repeated patterns and runs such as "abcdef…" or "123456…" do not.
    """
    folded = key.strip().lower()
    if folded in WEAK_SECRET_KEYS or any(word in folded for word in PLACEHOLDER_WORDS):
        return "a default or placeholder value"
    if len(key) < MIN_KEY_LENGTH:
        return f"shorter than {MIN_KEY_LENGTH} characters"
    if _random_bits(key) < MIN_KEY_BITS:
        return (f"not {MIN_KEY_BITS // 8} random bytes written as hex or base64 (a sentence "
                "or a made-up word is not random)")
    if len(set(key)) < MIN_KEY_CHARACTERS:
        return f"fewer than {MIN_KEY_CHARACTERS} different characters"
    triples = [key[start:start + 3] for start in range(len(key) - 2)]
    if len(set(triples)) < 0.75 * len(triples):
        return "a repeated pattern"
    steps = [ord(b) - ord(a) for a, b in zip(key, key[1:], strict=False)]
    if sum(abs(step) <= 1 for step in steps) > 0.75 * len(steps):
        return "runs of repeated or consecutive characters"
    # Last: the dearest check (zxcvbn, 10-20 ms), for keys that passed the others.
    if _word_share(key) >= MAX_WORD_SHARE:
        return "made of words: a phrase, however long, is not random"
    return None


def _audit_key(app: Flask, instance: Path) -> str:
    """AUDIT_KEY keys the audit chain's HMACs; it never lives in the database.

    From instance/config.py or FLASK_AUDIT_KEY, else the file instance/audit_key (`make
    install` writes it). Outside production a missing file is written here, as `make` would.
    """
    if not app.config.get("AUDIT_KEY"):
        key_file = instance / "audit_key"
        if key_file.is_file():
            app.config["AUDIT_KEY"] = key_file.read_text().strip()
        elif not app.config["PRODUCTION"]:
            app.config["AUDIT_KEY"] = _new_key_file(key_file)
    key = str(app.config.get("AUDIT_KEY") or "")
    if not key:
        raise RuntimeError(
            "No AUDIT_KEY: run `make install` (it writes instance/audit_key), or set "
            "FLASK_AUDIT_KEY, or AUDIT_KEY in instance/config.py (see docs/security.md)."
        )
    return key


def _new_key_file(path: Path) -> str:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as error:
        raise RuntimeError(
            f"No AUDIT_KEY, and {path} cannot be written ({error.strerror}): run "
            "`make install`, or set FLASK_AUDIT_KEY."
        ) from None
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as out:
        out.write(key + "\n")
    return key


def protect(app: Flask) -> None:
    """instance/ 0700 (INSTANCE_MODE), its keys and the SQLite files 0600.

    The database file is created 0600 before SQLite first opens it: SQLite gives its -wal,
    -shm and -journal files the database file's mode.
    """
    instance = Path(app.instance_path)
    paths = [instance / name for name in PRIVATE_FILES]
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:") and "uri" not in url.query:
        database = Path(url.database)
        try:
            if database.parent.is_dir():
                os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as error:
            app.logger.warning("cannot create %s: %s", database, error.strerror)
        paths += [database.with_name(database.name + suffix) for suffix in SQLITE_COMPANIONS]
    folder_mode = app.config.get("INSTANCE_MODE")
    try:
        if folder_mode is not None and instance.is_dir() \
                and instance.stat().st_mode & 0o777 != folder_mode:
            instance.chmod(folder_mode)
    except OSError as error:
        app.logger.warning("cannot set the mode of %s: %s", instance, error.strerror)
    for path in paths:
        try:
            if path.is_file() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except OSError as error:
            app.logger.warning("cannot set the mode of %s: %s", path, error.strerror)
