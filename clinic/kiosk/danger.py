"""The danger step's screening: an alarming answer stores the intake at once and may stop
the kiosk at the emergency screen; "I pressed Yes by mistake" lets the patient go on."""

from typing import Any

from flask import abort, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from clinic import database, triage
from clinic.clock import local_today
from clinic.intake import drafts
from clinic.intake.submit import report_yes_mistake, store_if_alarming
from clinic.kiosk import steps
from clinic.kiosk.base_form import KioskForm
from clinic.kiosk.blueprint import RESULT_ONCE_KEY, STOPPED, bp, stopped_draft
from clinic.kiosk.csrf import token_is_valid
from clinic.models import utcnow

DANGER = "danger"
YES = "yes"


def _known_with(name: str, form: KioskForm) -> dict[str, Any]:
    """What the draft's finished steps say, plus any Yes already ticked on the danger step."""
    known = steps.known_answers(g.draft.data, local_today())
    if name == DANGER and "red_flags" not in known:
        known.update(steps.danger_answers(form.answers()))
    return known


def _screen_danger_answers(form: KioskForm) -> Response:
    """A Yes on the danger step, sent by the page the moment it is ticked (kiosk.js).

    The answers so far are kept; if they make an emergency, the answer is the emergency
    screen at once, before any other question is answered or any button pressed.
    """
    before = g.draft.data.get(DANGER, {})
    drafts.save_step(g.draft, DANGER, form.answers(),
                     steps.step_answers(DANGER, form) if form.validate() else None)
    alarm = _raise_alarm(_known_with(DANGER, form), DANGER, before)
    return alarm or Response(status=204)


def _not_answered(data: dict[str, Any]) -> list[str]:
    """The danger questions the draft has neither Yes nor No for: never stored as a No."""
    raw = data.get(DANGER) or {}
    return [code for code in triage.RED_FLAGS if raw.get(f"flag_{code}") not in (YES, "no")]


def _raise_alarm(known: dict[str, Any], name: str,
                 before: dict[str, Any]) -> Response | None:
    """Store the intake the moment the answers known so far make it emergency or urgent, so
    staff are alerted at once; an emergency stops the kiosk at the emergency screen.

    `before`: step `name`'s values before this post, so the Yes answers just given are known
    (the ones "I pressed Yes by mistake" clears)."""
    if "age" not in known or "red_flags" not in known:
        return None
    stored = store_if_alarming(steps.identity(g.draft.data), known, g.draft.language,
                               g.draft.id, not_answered=_not_answered(g.draft.data))
    # The emergency screen for answers that make one now: after "I pressed Yes by mistake" the
    # stored intake stays an emergency while the patient goes on with the questions.
    if stored is None or stored.urgency != "emergency" or not triage.screen(known).is_emergency:
        return None
    now = g.draft.data.get(name) or {}
    just_yes = [field for field, value in now.items()
                if value == YES and before.get(field) != YES]
    with database.write():
        g.draft.data = {**g.draft.data, STOPPED: {"step": name, "fields": just_yes}}
    session[RESULT_ONCE_KEY] = True
    return redirect(url_for("kiosk.done"))



@bp.route("/mistake", methods=["POST"])
def yes_by_mistake() -> Response:
    """"I pressed Yes by mistake", from the emergency screen (clinical brief v3 §4.1).

    The patient goes back to the question with the Yes cleared and carries on with the same
    intake. The stored intake keeps its urgency and its alert, with the note for the clinician;
    nothing the patient does here lowers or silences it (the final submit never lowers it).
    """
    if not token_is_valid(request.form.get("csrf_token")):
        abort(400)
    stopped = stopped_draft()
    if stopped is None:
        return redirect(url_for("kiosk.done"))
    name, fields = stopped["step"], [str(f) for f in stopped.get("fields") or []]
    codes = [field.removeprefix("flag_") for field in fields if field.startswith("flag_")]
    report_yes_mistake(g.draft.id, codes)
    data = {key: value for key, value in g.draft.data.items() if key != STOPPED}
    raw = {**(data.get(name) or {}), **dict.fromkeys(fields)}
    finished = {key: value for key, value in (data.get(drafts.ANSWERS) or {}).items()
                if key != name}
    with database.write():
        g.draft.data = {**data, name: raw, drafts.ANSWERS: finished}
        g.draft.updated_at = utcnow()
    return redirect(url_for("kiosk.step", name=name) + (f"#{fields[0]}" if fields else ""))
