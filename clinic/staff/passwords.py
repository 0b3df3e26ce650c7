"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile), and how easy a
new password is to guess (zxcvbn)."""

from collections.abc import Sequence
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
# zxcvbn's score 3, "safely unguessable: moderate protection from an offline slow-hash
# attack" (10^8 guesses and more): the hashes are argon2id, and logins are rate-limited.
MIN_SCORE = 3
# zxcvbn's matching grows with the square of the length; a password this long is judged by
# its first part (length beyond it is never what makes a password weak).
SCORED_LENGTH = 64
# Words a guesser tries first on this product's accounts, besides the account's own name and
# the clinic's.
PRODUCT_WORDS = ("clinic", "kiosk", "frontdesk", "front desk", "backpain", "back pain",
                 "doctor", "nurse", "hospital", "intake", "staff", "admin", "changeme")
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


def password_weakness(password: str, *, known_words: Sequence[str] = ()) -> str | None:
    """Why a password is too easy to guess, or None: zxcvbn's estimate against its offline
    lists (common passwords, names, words, keyboard rows, l33t), repeats, sequences and dates,
    and known_words (the username, the clinic's name). Length is checked apart."""
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=[*PRODUCT_WORDS, *known_words])
    if result["score"] >= MIN_SCORE:
        return None
    warning = str(result["feedback"]["warning"]).rstrip(".")
    return warning[:1].lower() + warning[1:] if warning else "it follows a pattern guessers try"
