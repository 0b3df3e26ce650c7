"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash with the current parameters and a fresh salt."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (rehash at login)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a real password, only for timing")


def burn_verify(password: str) -> None:
    """Spend the time of a real verification, so unknown usernames cannot be told apart."""
    verify_password(_dummy_hash(), password)
