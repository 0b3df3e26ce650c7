"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
# Passwords every guesser tries first (with digits and symbols stripped: "Password1234!" is
# "password"). A short list, kept offline; length does the rest.
COMMON_WORDS = frozenset({
    "password", "passw0rd", "qwerty", "qwertyuiop", "asdfgh", "letmein", "welcome", "admin",
    "administrator", "iloveyou", "monkey", "dragon", "football", "baseball", "sunshine",
    "princess", "master", "shadow", "trustno", "clinic", "doctor", "nurse", "hospital",
    "frontdesk", "backpain", "changeme", "secret", "login", "default", "summer", "winter",
})
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


def password_weakness(password: str) -> str | None:
    """Why a password is too easy to guess (a common word, one character repeated, a run such
    as "abcdefgh" or "12345678", a short pattern repeated), or None. Length is checked apart."""
    folded = password.casefold()
    letters = "".join(ch for ch in folded if ch.isalpha())
    if letters in COMMON_WORDS or folded in COMMON_WORDS:
        return "it is a common password"
    if len(set(folded)) <= 3:
        return "it repeats the same few characters"
    steps = [ord(b) - ord(a) for a, b in zip(folded, folded[1:], strict=False)]
    if steps and sum(abs(step) <= 1 for step in steps) >= 0.75 * len(steps):
        return "it is a run of consecutive characters"
    for size in range(2, len(folded) // 2 + 1):
        if len(folded) % size == 0 and folded[:size] * (len(folded) // size) == folded:
            return "it repeats a short pattern"
    return None

