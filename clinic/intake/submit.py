"""Storing an intake: patient, contract answers and assessment, in one transaction.

A kiosk draft becomes at most one intake: the draft id is the intake's submission key. An
intake may be stored before the patient finishes: as soon as the answers known so far make it
an emergency or urgent (`store_if_alarming`), so staff are alerted at once and nothing is lost
if the patient walks away. The final submit (`submit_intake`) completes that same intake; its
urgency can rise, never fall. A second submit (a fault, a double tap, a back button) finds the
stored intake.

A danger question the patient has not answered is never a No: the stored answers list the
red flags not answered (NOT_ANSWERED) beside the fields never asked (NOT_ASKED). A Yes the
patient withdraws later ("I pressed Yes by mistake", `report_yes_mistake`, or a Yes changed to
No) is recorded on the intake (answer_changes) for the clinician; the urgency stays.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from clinic import database, triage
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.intake.references import new_reference
from clinic.intake.signals import intake_stored
from clinic.models import Draft, Intake, Measure, utcnow
from clinic.outcomes.measures import INSTRUMENTS
from clinic.outcomes.patients import patient_for

REFERENCE_ATTEMPTS = 8
# Every field of the intake contract, in contract order: what is not known yet is "not asked".
CONTRACT_FIELDS = ("age", "pain_areas", "pain_kinds", "duration", "severity", "onset",
                   "both_legs", "leaning_or_compensating", "red_flags", "conditions", "tried")
NOT_ASKED = "not_asked"
# The danger questions asked but not answered (red-flag codes, contract order): neither Yes nor
# No. Only an intake stored before the patient finished has any.
NOT_ANSWERED = "red_flags_not_answered"
# answer_changes "how": the patient said the Yes was a mistake, or later answered No.
MISTAKE, CHANGED_TO_NO = "mistake", "changed_to_no"
# The audit action for "I pressed Yes by mistake" (the actor is the kiosk).
MISTAKE_ACTION = "intake.yes_mistake"
KIOSK_ACTOR = "kiosk"


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    date_of_birth: date


def find_submitted(submission_key: str | None) -> Intake | None:
    """The intake stored from this draft id, if any."""
    if not submission_key:
        return None
    return db.session.scalars(
        select(Intake).where(Intake.submission_key == submission_key)
    ).one_or_none()


def not_asked(known: dict[str, Any]) -> list[str]:
    """The contract fields the patient was never asked (the kiosk stopped before them)."""
    return [name for name in CONTRACT_FIELDS if name not in known]


def _withdrawn(intake: Intake, answers: dict[str, Any], how: str,
               codes: Iterable[str] | None = None) -> None:
    """Record each danger sign the stored intake has as Yes that `answers` now answer No
    (or, given `codes`, those), once per code and way, with the time."""
    before = set(intake.answers.get("red_flags") or [])
    if codes is None:
        now_yes = set(answers.get("red_flags") or [])
        unanswered = set(answers.get(NOT_ANSWERED) or [])
        codes = [code for code in triage.RED_FLAGS
                 if code in before and code not in now_yes and code not in unanswered]
    changes = list(intake.answer_changes or [])
    seen = {(change["code"], change["how"]) for change in changes}
    at = utcnow().isoformat()
    added = [{"code": code, "how": how, "at": at} for code in codes
             if code in before and (code, how) not in seen]
    if added:
        intake.answer_changes = changes + added  # a new list: JSON columns track assignment


def store_if_alarming(identity: Identity, known: dict[str, Any], language: str,
                      submission_key: str, not_answered: Iterable[str] = ()) -> Intake | None:
    """Screen the answers known so far; an emergency or urgent result is stored at once.

    `not_answered`: the danger questions the patient has not answered yet (stored as such,
    never as No). Returns the stored intake for this draft (new, raised, or as it was), or None
    when nothing is alarming yet. The draft stays: the kiosk shows the emergency screen and asks
    nothing more, but a patient who says the Yes was a mistake goes on with the same intake.
    """
    assessment = triage.screened_assessment(known)
    alarming = assessment["urgency"] in triage.NO_PLAN_URGENCIES
    skipped = set(not_answered)
    answers = {**known, NOT_ASKED: not_asked(known),
               NOT_ANSWERED: [code for code in triage.RED_FLAGS if code in skipped]}
    for _ in range(REFERENCE_ATTEMPTS):
        try:
            with database.write():
                intake = find_submitted(submission_key)
                if intake is None and not alarming:
                    return None
                changed = intake is None
                if intake is None:
                    intake = _new_intake(identity, answers, assessment, language,
                                         submission_key, complete=False)
                elif not intake.complete:
                    _withdrawn(intake, answers, CHANGED_TO_NO)
                    if triage.rank(assessment["urgency"]) < triage.rank(intake.urgency):
                        intake.answers, intake.assessment = answers, assessment
                        _raise_to(intake, assessment["urgency"])
                        changed = True
        except IntegrityError:
            continue  # a reference code collided: try a fresh one
        if changed:
            _announce(intake)
        return intake
    raise RuntimeError("could not allocate a unique reference code")


def _announce(intake: Intake) -> None:
    """Tell the features an intake was stored (after the commit: receivers find the row)."""
    intake_stored.send(current_app._get_current_object(),  # type: ignore[attr-defined]
                       intake_id=intake.id, language=intake.language,
                       large_print=intake.large_print)


def _raise_to(intake: Intake, urgency: str) -> None:
    """Set a stored intake's urgency (never lower). A rise is a new alert: whoever took on the
    urgent case must take on the emergency afresh."""
    if triage.rank(urgency) < triage.rank(intake.urgency):
        intake.acknowledged_at = intake.acknowledged_by_id = None
    intake.urgency = urgency


def _new_intake(identity: Identity, answers: dict[str, Any], assessment: dict[str, Any],
                language: str, submission_key: str | None, *, complete: bool) -> Intake:
    intake = Intake(
        reference=new_reference(),
        # A returning patient (same name and date of birth) is the same patient row.
        patient=patient_for(identity.first_name, identity.last_name, identity.date_of_birth),
        language=language,
        answers=answers,
        assessment=assessment,
        urgency=assessment["urgency"],
        rules_version=assessment["rules_version"],
        submission_key=submission_key,
        complete=complete,
    )
    db.session.add(intake)
    return intake


def _add_measures(intake: Intake, measures: dict[str, dict[str, Any]]) -> None:
    """Store each instrument's answers beside the intake (once: a second submit keeps the
    first). Not part of the contract: the engine never read them."""
    taken = {measure.instrument for measure in intake.measures}
    for instrument_id, items in measures.items():
        instrument = INSTRUMENTS[instrument_id]
        if instrument_id in taken:
            continue
        kept = instrument.cleaned(items)
        intake.measures.append(Measure(instrument=instrument.id, version=instrument.version,
                                       items=kept, score=instrument.score(kept)))


def submit_intake(
    identity: Identity, answers: dict[str, Any], language: str,
    submission_key: str | None = None, *, large_print: bool = False,
    measures: dict[str, dict[str, Any]] | None = None,
) -> Intake:
    """Assess the answers; store patient, answers and assessment and delete the draft, at once.
    `measures`: outcome instruments answered at the kiosk (the PEG), by instrument id.

    An intake already stored from this draft at the danger step is completed, never lowered;
    a second submit with the same submission_key (the draft id) returns the first intake.
    """
    evaluation = triage.evaluate(answers)
    contract = evaluation.intake
    assessment = triage.to_assessment(evaluation)
    for _ in range(REFERENCE_ATTEMPTS):
        try:
            with database.write():
                intake = find_submitted(submission_key)
                if intake is None:
                    intake = _new_intake(identity, contract, assessment, language,
                                         submission_key, complete=True)
                    intake.large_print = large_print
                elif not intake.complete:
                    _withdrawn(intake, contract, CHANGED_TO_NO)
                    final = triage.never_lower(intake.assessment, assessment)
                    intake.answers, intake.assessment = contract, final
                    _raise_to(intake, final["urgency"])
                    intake.complete, intake.large_print = True, large_print
                _add_measures(intake, measures or {})
                if submission_key:
                    db.session.execute(delete(Draft).where(Draft.id == submission_key))
        except IntegrityError:
            # A reference code collided, or the same draft was submitted concurrently:
            # the next round finds the stored intake or tries a fresh code.
            continue
        _announce(intake)
        return intake
    raise RuntimeError("could not allocate a unique reference code")


def report_yes_mistake(submission_key: str, codes: Iterable[str]) -> Intake | None:
    """The patient pressed "I pressed Yes by mistake" about these danger signs.

    The stored intake keeps its urgency, its reasons and its alert (acknowledged or not); the
    clinician is told (yes_mistake_at, answer_changes) and the act is audited. Returns the
    intake, or None if this draft stored none (or it is already complete).
    """
    with database.write():
        intake = find_submitted(submission_key)
        if intake is None or intake.complete:
            return None
        audit(MISTAKE_ACTION, f"intake:{intake.id}", actor=KIOSK_ACTOR)
        intake.yes_mistake_at = utcnow()
        _withdrawn(intake, {}, MISTAKE, codes)
    return intake
