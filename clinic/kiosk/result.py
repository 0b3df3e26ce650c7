"""The kiosk's result screen (what to do now) and its reset."""

from datetime import timedelta

from flask import abort, current_app, render_template, request, session
from flask_babel import gettext
from werkzeug.wrappers import Response

from clinic import triage
from clinic.intake import labels
from clinic.kiosk import wording
from clinic.kiosk.blueprint import (
    RESULT_ONCE_KEY,
    bp,
    forget_patient,
    stopped_draft,
    submitted_intake,
    to_welcome,
)
from clinic.kiosk.csrf import token_is_valid
from clinic.models import Intake, utcnow

# The result screen may be shown again (a reload) only this long after the screen's own reset
# would have happened: a kiosk whose page timer did not run never shows it to the next patient.
RESULT_GRACE = timedelta(seconds=30)


@bp.route("/done")
def done() -> str | Response:
    """The result screen. Its reference code is shown once: to the GET the sending browser is
    redirected to. A later GET (Back, a reload, someone typing /done after the patient walked
    away) showed the last patient's result for 90 s (issue 25, F15); now it goes to the
    welcome screen, except the emergency screen, which must stay until staff or
    its timer clear it: that comes back without the code."""
    fresh = session.get(RESULT_ONCE_KEY) is True
    # Only a page load uses it up: kiosk.js's fetch of a Yes on the danger step follows the
    # redirect here in the background before the browser loads the emergency screen.
    if request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate":
        session.pop(RESULT_ONCE_KEY, None)
    stored = submitted_intake()
    if stored is None:
        return to_welcome()
    config = current_app.config
    emergency = stored.urgency == "emergency"
    shown_for = timedelta(seconds=config["EMERGENCY_SCREEN_S" if emergency
                                         else "KIOSK_DONE_RESET_S"])
    # updated_at: when the patient finished (an urgent intake is stored earlier, then completed).
    if stored.updated_at < utcnow() - shown_for - RESULT_GRACE:
        return to_welcome()
    if not fresh and not emergency:
        # Only a redirect: a GET changes nothing stored. The next patient's start (a POST)
        # ends this session's draft.
        return to_welcome()
    action = triage.instruction(stored.urgency, stored.assessment["urgency_reasons"])
    return render_template(
        "kiosk/result.html",
        urgency=stored.urgency,
        reference=stored.reference if fresh else None,
        headline=wording.headline(stored.urgency, action),
        detail=wording.detail(stored.urgency, bool(stored.assessment["recommended"])),
        # The instruction's lead is the headline; the rest is said below it, once.
        instructions=[gettext(action.rest, number=config["EMERGENCY_NUMBER"])] if action else [],
        first_yes=_first_yes(stored),
        # "I pressed Yes by mistake": only on the emergency screen a Yes just raised.
        mistake=emergency and bool((stopped_draft() or {}).get("fields")),
        # Staff, or the screen's timer, clear the emergency screen: it has no Finish button.
        finish=not emergency,
        # The emergency screen stays long enough to read and show to the front desk.
        reset_after=int(shown_for.total_seconds()),
    )


def _first_yes(stored: Intake) -> list[str]:
    """The danger questions the patient answered Yes to, then withdrew (a mistake, or a later
    No), in plain words: why the urgency stayed (issue 24, item 16)."""
    now_yes = set(stored.answers.get("red_flags") or [])
    withdrawn = {change["code"] for change in stored.answer_changes or []}
    return [str(question) for code, question in labels.RED_FLAGS.items()
            if code in withdrawn and code not in now_yes]


@bp.route("/reset", methods=["POST"])
def reset() -> Response:
    """Forget this patient: idle timeout, the Finish button, or the done screen's timer.

    Needs the kiosk's own token, and clears the kiosk's draft only: a staff login in the same
    browser stays (a cross-site post could otherwise log staff out).
    """
    if not token_is_valid(request.form.get("csrf_token")):
        abort(400)
    forget_patient()
    return to_welcome()
