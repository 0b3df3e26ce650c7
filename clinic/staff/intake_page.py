"""The intake page's model: an IntakePage holds what one intake's page shows and which actions
it may offer a staff member's role (workflow.available_actions), so the template only places
values and decides nothing. The page itself is clinic/staff/detail.py."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from flask import current_app

from clinic import clock, triage
from clinic.handout import desk
from clinic.intake import labels
from clinic.intake import workflow as ops
from clinic.intake.submit import MISTAKE, NOT_ANSWERED, NOT_ASKED
from clinic.models import Intake, StaffUser
from clinic.outcomes.history import Trend, trend

KIOSK_LANGUAGES = {"en": "English", "es": "Spanish"}


@dataclass(frozen=True)
class Wording:
    """The questions and the plain words for answer codes that the page shows (from
    clinic.intake.labels, as the kiosk asked and answered them)."""

    questions: Mapping[str, Any]
    red_flags: Mapping[str, Any]
    pain_areas: Mapping[str, Any]
    pain_kinds: Mapping[str, Any]
    durations: Mapping[str, Any]
    onsets: Mapping[str, Any]
    conditions: Mapping[str, Any]
    options: Mapping[str, Any]
    tried: Mapping[str, Any]
    peg: Mapping[str, Any]


WORDING = Wording(
    questions=labels.QUESTIONS,
    red_flags=labels.RED_FLAGS, pain_areas=labels.PAIN_AREAS, pain_kinds=labels.PAIN_KINDS,
    durations=labels.DURATIONS, onsets=labels.ONSETS, conditions=labels.CONDITIONS,
    options=labels.OPTIONS, tried=labels.TRIED, peg=labels.PEG_QUESTIONS,
)

@dataclass(frozen=True)
class StaffReason:
    """One urgency reason as staff read it: its level and the staff words, never the
    patient's "You said" text (clinical brief v3 §4.2)."""

    code: str
    level: str  # emergency, urgent or routine; "unknown" for a code no rules version gave
    words: str


def staff_reasons(reasons: list[dict[str, Any]]) -> tuple[StaffReason, ...]:
    """Every urgency reason of an assessment, at every level, in staff words."""
    said = []
    for reason in reasons:
        code = reason["code"]
        words = triage.staff_words(code)
        if code in triage.STAFF_WORDS:
            words = f"Patient reports {words}"
        said.append(StaffReason(code, triage.REASON_LEVELS.get(code, "unknown"), words))
    return tuple(said)


@dataclass(frozen=True)
class AnswerChange:
    """A danger-sign Yes the patient withdrew after the intake was stored, for the clinician:
    the urgency it raised stayed."""

    code: str
    question: str
    mistake: bool  # the patient said the Yes was a mistake (else: later answered No)
    at: str


def answer_changes(intake: Intake) -> tuple[AnswerChange, ...]:
    changes = []
    for change in intake.answer_changes or []:
        code = change["code"]
        changes.append(AnswerChange(code, str(labels.RED_FLAGS.get(code, code)),
                                    change["how"] == MISTAKE,
                                    _when(datetime.fromisoformat(change["at"]))))
    return tuple(changes)


# Why "Mark seen" or "Close…" is missing, when the page says so.
Hint = Literal["front_desk_cannot_close", "acknowledge_first"]


@dataclass(frozen=True)
class IntakePage:
    """What the intake page shows and may offer, for one staff member's role."""

    intake: Intake  # shown as stored: reference, patient, answers, note, rules version
    answers: Mapping[str, Any]
    assessment: Mapping[str, Any]
    wording: Wording
    not_asked: frozenset[str]
    not_answered: frozenset[str]  # danger questions asked but answered neither Yes nor No
    yes_mistake: str | None  # when the patient said "I pressed Yes by mistake", if ever
    answer_changes: tuple[AnswerChange, ...]
    actions: frozenset[ops.Action]
    status_label: str
    language: str
    large_print: bool  # the patient asked for large print on the kiosk
    arrived: str  # also when the alert was raised, if it is one
    closed: bool
    alert: bool  # emergency or urgent: the alert and acknowledgement lines show
    acknowledged: str | None  # "someone at 15:30 on May 1, 2024", or None if not yet
    printed: str | None
    print_job: desk.JobView | None  # the latest "Send to the desk printer", if any
    needs_clinician: bool
    fetch_clinician: bool  # it needs a clinician, and this role cannot acknowledge it
    stopped_for_emergency: bool  # incomplete because the kiosk stopped at an emergency
    options_wait_for_clinician: bool  # no self-care options until a clinician has seen them
    # Self-care or routine with an empty plan: the result screen promised the patient that
    # someone from the care team will talk with them about their options.
    needs_conversation: bool
    reasons: tuple[StaffReason, ...]  # every urgency reason, in staff words
    # What to do now, as the kiosk's screen and the handout told the patient (in English):
    # staff act on the same instruction the patient read.
    told: str | None
    told_in: str | None  # the language the patient read it in, when not English
    hint: Hint | None
    peg: Trend  # the PEG today, at earlier visits, and its change (issue 26)


def _when(moment: datetime) -> str:
    local = clock.local_time(moment)
    return f"{local:%H:%M} on {clock.show_date(local.date(), 'medium')}"


def _by(user: StaffUser | None, moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return f"{user.username if user else 'a former account'} at {_when(moment)}"


# Who reads the CUPS details of a desk-printer job (front desk reads what to do).
PRINT_DETAIL_ROLES = frozenset({"admin"})


def printed_line(intake: Intake) -> str | None:
    """ "front_desk at 15:30 on May 1, 2024" once the handout is recorded as printed."""
    return _by(intake.printed_by, intake.printed_at)


def print_job_view(intake_id: int, role: str) -> desk.JobView | None:
    """The intake's latest desk-printer job, as a staff member with this role may read it."""
    return desk.latest_job(intake_id, with_detail=role in PRINT_DETAIL_ROLES)


def told(intake: Intake) -> str | None:
    """The instruction the patient was given, in English with the clinic's number, or None
    for an intake that needs none of its own (routine, self-care)."""
    action = triage.instruction(intake.assessment["urgency"],
                                intake.assessment["urgency_reasons"])
    if action is None:
        return None
    return action.said(_english, number=current_app.config["EMERGENCY_NUMBER"])


def _english(text: str, **variables: str) -> str:
    return text % variables


def intake_page(intake: Intake, role: str) -> IntakePage:
    """The intake page for a staff member with this role."""
    actions = ops.available_actions(intake, role)
    closed = intake.status == ops.CLOSED
    alert = ops.is_alert(intake)
    needs_clinician = ops.needs_clinician(intake)
    hint: Hint | None = None
    if not closed and alert and not ops.may_close(intake, role):
        hint = "front_desk_cannot_close"
    elif needs_clinician:
        hint = "acknowledge_first"
    return IntakePage(
        intake=intake,
        answers=intake.answers,
        assessment=intake.assessment,
        wording=WORDING,
        not_asked=frozenset(intake.answers.get(NOT_ASKED) or ()),
        not_answered=frozenset(intake.answers.get(NOT_ANSWERED) or ()),
        yes_mistake=_when(intake.yes_mistake_at) if intake.yes_mistake_at else None,
        answer_changes=answer_changes(intake),
        actions=actions,
        status_label=ops.STATUS_LABELS.get(intake.status, intake.status),
        language=KIOSK_LANGUAGES.get(intake.language, intake.language),
        large_print=bool(intake.large_print),
        arrived=_when(intake.created_at),
        closed=closed,
        alert=alert,
        acknowledged=_by(intake.acknowledged_by, intake.acknowledged_at),
        printed=printed_line(intake),
        print_job=print_job_view(intake.id, role),
        needs_clinician=needs_clinician,
        fetch_clinician=needs_clinician and "acknowledge" not in actions,
        stopped_for_emergency=intake.urgency == "emergency",
        options_wait_for_clinician=intake.assessment["urgency"] in ops.ALERT_URGENCIES,
        needs_conversation=(intake.assessment["urgency"] not in triage.NO_PLAN_URGENCIES
                            and not intake.assessment["recommended"]),
        reasons=staff_reasons(intake.assessment["urgency_reasons"]),
        told=told(intake),
        told_in=None if intake.language == "en" else KIOSK_LANGUAGES.get(intake.language),
        hint=hint,
        peg=trend(intake),
    )
