"""Kiosk drafts: answers in progress, kept server-side and keyed by a random id.

The kiosk reads and writes them; `flask purge-drafts` and the retention purge sweep the
expired ones.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete

from clinic import database
from clinic.extensions import db
from clinic.models import Draft, utcnow


def draft_cutoff(now: datetime | None = None) -> datetime:
    """Drafts last touched before this moment are expired."""
    minutes = current_app.config["DRAFT_TTL_MINUTES"]
    return (now or utcnow()) - timedelta(minutes=minutes)


def load_draft(draft_id: str) -> Draft | None:
    """The live draft with this id, or None if it is missing or expired."""
    if not draft_id:
        return None
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.updated_at < draft_cutoff():
        return None
    return draft


def delete_expired_drafts(now: datetime | None = None) -> int:
    """Delete drafts expired at `now` (default: now) in the caller's transaction, without
    committing; returns how many went."""
    result = db.session.execute(delete(Draft).where(Draft.updated_at < draft_cutoff(now)))
    return int(getattr(result, "rowcount", 0) or 0)


def start_draft(language: str) -> Draft:
    """Create a fresh draft, sweeping expired ones in the same transaction."""
    with database.write():
        delete_expired_drafts()
        draft = Draft(id=secrets.token_urlsafe(32), language=language, data={})
        db.session.add(draft)
    return draft


def set_language(draft: Draft, language: str) -> None:
    with database.write():
        draft.language = language
        draft.updated_at = utcnow()


#: The draft key holding each finished step's answers (what a valid step means, e.g. the
#: intake contract fields): review and submit read these instead of validating every form again.
ANSWERS = "_answers"


def save_step(draft: Draft, step: str, raw: dict[str, Any],
              answers: dict[str, Any] | None = None) -> None:
    """Store one step's raw values, and its answers when the step is valid (None: the step is
    not finished, so any answers it had go). A new dict: JSON columns do not track mutation."""
    finished = dict(draft.data.get(ANSWERS) or {})
    if answers is None:
        finished.pop(step, None)
    else:
        finished[step] = answers
    with database.write():
        draft.data = {**draft.data, step: raw, ANSWERS: finished}
        # Touch even when nothing changed: the patient is still here.
        draft.updated_at = utcnow()


def discard_draft(draft_id: str) -> None:
    """Delete a draft (idle reset, under-age, or finished)."""
    if not draft_id:
        return
    with database.write():
        db.session.execute(delete(Draft).where(Draft.id == draft_id))


def purge_drafts() -> int:
    """Delete every expired draft; returns how many went."""
    with database.write():
        return delete_expired_drafts()
