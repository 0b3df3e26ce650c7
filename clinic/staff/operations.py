"""Staff write operations: the only staff code that commits."""

from sqlalchemy import select

from clinic.extensions import db
from clinic.models import STAFF_ROLES, StaffUser
from clinic.staff.passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password


class StaffError(ValueError):
    """A staff account request that cannot be carried out; the message says why."""


def create_staff(username: str, password: str, role: str) -> StaffUser:
    username = username.strip()
    if not username:
        raise StaffError("username must not be empty")
    if role not in STAFF_ROLES:
        raise StaffError(f"role must be one of: {', '.join(STAFF_ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise StaffError(f"a staff account named {username!r} already exists")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> StaffUser | None:
    """The active account these credentials belong to, or None."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user
