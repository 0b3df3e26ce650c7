"""Cached handout PDFs, so printing rarely waits on WeasyPrint.

A HandoutRender row per (intake, variant) holds the PDF and a content key: the sha256 of the
canonical JSON of everything the PDF is made from. A missing row or a different key means the
PDF is rendered again and the row replaced. Works in a request or in a bare app context (the
pre-render thread draws the default variant at submit time with `ensure_handout`).
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from clinic import database
from clinic.clock import local_date
from clinic.extensions import db
from clinic.handout import HandoutRequest, render_handout
from clinic.handout.request import Progress
from clinic.models import HandoutRender, Intake
from clinic.outcomes.history import progress

#: Settings printed on the handout: a change draws it again.
CLINIC_KEYS = ("CLINIC_NAME", "CLINIC_ADDRESS", "CLINIC_PHONE", "CLINIC_LOGO",
               "EMERGENCY_NUMBER", "FOLLOW_UP_WEEKS")


def variant_name(lang: str, large_print: bool, paper: str) -> str:
    """e.g. "en-standard-letter", "es-large-a4"."""
    return f"{lang}-{'large' if large_print else 'standard'}-{paper}"


def _progress(intake: Intake) -> Progress | None:
    found = progress(intake)
    if found is None:
        return None
    today, before, at = found
    return Progress(today=today, before=before, before_date=local_date(at))


def handout_request(intake: Intake, lang: str, large_print: bool, paper: str) -> HandoutRequest:
    return HandoutRequest(
        patient_name=intake.patient.full_name,
        reference=intake.reference,
        date=local_date(intake.created_at),
        assessment=intake.assessment,
        answers=intake.answers,
        lang=lang,
        large_print=large_print,
        paper=paper,
        date_of_birth=intake.patient.date_of_birth,
        reported_at=intake.created_at,
        progress=_progress(intake),
    )


@lru_cache(maxsize=4)
def _renderer_fingerprint(template_folder: str, static_folder: str, root: str) -> str:
    """Digest of the handout's code and wording, template, stylesheet, pictures and every
    translation catalog (the triage catalog translates the reasons it prints).

    Why: a deploy that changes the handout's wording or layout must not keep serving PDFs
    made by the old one. Computed once per process (files only change with a deploy).
    """
    files = sorted(Path(template_folder, "handout").glob("**/*.html"))
    files += sorted(Path(__file__).parent.glob("*.py"))
    # The logo rule, shared with the pages, decides whether the handout shows the logo.
    files += [Path(__file__).parents[1] / "branding.py"]
    files += [Path(static_folder, "css", "handout.css")]
    files += sorted(Path(static_folder, "img", "handout").glob("*.svg"))
    files += sorted(Path(root, "translations").glob("*/*/LC_MESSAGES/*.po"))
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def content_key(req: HandoutRequest) -> str:
    """sha256 of the canonical JSON of every input of this handout."""
    app = current_app
    root = str(Path(app.root_path).parent)
    template_folder = str(Path(app.root_path, app.template_folder or "templates"))
    material: dict[str, Any] = {
        "patient_name": req.patient_name,
        "reference": req.reference,
        "date": req.date.isoformat(),
        "date_of_birth": req.date_of_birth.isoformat() if req.date_of_birth else None,
        "reported_at": req.reported_at.isoformat() if req.reported_at else None,
        "assessment": req.assessment,
        "answers": req.answers,
        "progress": ([req.progress.today, req.progress.before,
                      req.progress.before_date.isoformat()] if req.progress else None),
        "lang": req.lang,
        "large_print": req.large_print,
        "paper": req.paper,
        "clinic": {key: app.config[key] for key in CLINIC_KEYS},
        "renderer": _renderer_fingerprint(template_folder, app.static_folder or "", root),
    }
    canonical = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _find(intake_id: int, variant: str) -> HandoutRender | None:
    return db.session.scalar(
        select(HandoutRender).where(
            HandoutRender.intake_id == intake_id, HandoutRender.variant == variant
        )
    )


def is_cached(intake: Intake, lang: str, large_print: bool, paper: str) -> bool:
    """This variant's PDF is cached and current: one EXISTS query, never the PDF's bytes."""
    key = content_key(handout_request(intake, lang, large_print, paper))
    return bool(db.session.scalar(select(select(HandoutRender.id).where(
        HandoutRender.intake_id == intake.id,
        HandoutRender.variant == variant_name(lang, large_print, paper),
        HandoutRender.content_key == key,
    ).exists())))


def get_or_render(intake: Intake, lang: str, large_print: bool, paper: str) -> bytes:
    """The handout PDF for this variant: from the cache, or rendered now and cached."""
    req = handout_request(intake, lang, large_print, paper)
    key = content_key(req)
    intake_id = intake.id
    variant = variant_name(lang, large_print, paper)
    cached = _find(intake_id, variant)
    if cached is not None and cached.content_key == key:
        return cached.pdf
    # Render outside any transaction: it can take a while and must not hold a snapshot.
    database.end_read()
    pdf = render_handout(req)
    _store(intake_id, variant, key, pdf)
    return pdf


def _store(intake_id: int, variant: str, key: str, pdf: bytes) -> None:
    for _attempt in range(2):
        try:
            # The write lock comes before the read of the row: a plain BEGIN would make this
            # a reader that SQLite (WAL) refuses to upgrade once another worker has committed
            # meanwhile, failing at once with "database is locked" whatever the busy timeout.
            with database.write():
                row = _find(intake_id, variant)
                if row is None:
                    db.session.add(HandoutRender(intake_id=intake_id, variant=variant,
                                                 content_key=key, pdf=pdf))
                else:
                    row.content_key, row.pdf = key, pdf
            return
        except IntegrityError:
            # Another worker stored the same variant first: update its row instead.
            continue
    current_app.logger.warning("could not store handout render for intake %s", intake_id)


def ensure_handout(intake_id: int, lang: str, large_print: bool, paper: str) -> bytes:
    """Make sure this variant is cached (needs an app context, not a request)."""
    intake = db.session.get(Intake, intake_id)
    if intake is None:
        raise LookupError(f"no intake {intake_id}")
    return get_or_render(intake, lang, large_print, paper)
