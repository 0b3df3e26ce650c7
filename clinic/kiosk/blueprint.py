"""The kiosk blueprint object, its request hooks and context, and the helpers every kiosk
view shares. The view modules (views, danger, result) attach their routes to `bp` on import;
clinic/kiosk/__init__.py imports them."""

from contextlib import nullcontext
from typing import Any

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import force_locale
from werkzeug.wrappers import Response

from clinic.extensions import csrf
from clinic.i18n import LANGUAGE_NAMES, languages
from clinic.intake import drafts
from clinic.intake.submit import find_submitted
from clinic.kiosk import steps, wording
from clinic.kiosk.csrf import DRAFT_KEY, current_draft_id, new_token
from clinic.models import Intake

bp = Blueprint("kiosk", __name__)
# The kiosk signs its CSRF tokens over the draft id (clinic.kiosk.csrf), so the session
# cookie never needs Flask-WTF's own token.
csrf.exempt(bp)

# The session key holding the language the patient chose (no patient data: "en" or "es").
LANGUAGE_KEY = "language"
# The draft key set when an emergency stopped the kiosk: the step it stopped at and the fields
# that had just been answered Yes there. While it is set every step leads to the emergency
# screen; "I pressed Yes by mistake" clears those answers and it, and the patient goes on.
STOPPED = "_stopped"
# The patient's text size (the A / A+ buttons at the top of every kiosk screen): a plain UI
# choice, no patient data, kept in the session until the patient leaves.
TEXT_SIZE_KEY = "text_size"
TEXT_SIZES = ("standard", "large")
# Set when a sent (or emergency-stopped) intake redirects to the result screen: the one GET
# of /done that may show its reference code (issue 25, F15; kiosk/result.py).
RESULT_ONCE_KEY = "result_once"


def _is_kiosk_request() -> bool:
    # Kiosk pages, and pages no blueprint claims (404s) that a patient may land on.
    return request.blueprint in (None, "kiosk") and request.endpoint not in ("static", "healthz")


def submitted_intake() -> Intake | None:
    """The intake this session's draft id became, if any; looked up once per request."""
    if "submitted" not in g:
        g.submitted = find_submitted(current_draft_id())
    submitted: Intake | None = g.submitted
    return submitted


@bp.before_app_request
def load_draft() -> None:
    if not _is_kiosk_request():
        return
    # The patient's language, kept in the session beside the draft id: set before the draft is
    # read, so even a database that cannot be reached answers in the patient's language.
    if session.get(LANGUAGE_KEY) in LANGUAGE_NAMES:
        g.locale = session[LANGUAGE_KEY]
    g.draft = drafts.load_draft(current_draft_id())
    if g.draft is not None:
        g.locale = g.draft.language
    elif (stored := submitted_intake()) is not None:
        g.locale = stored.language


@bp.after_app_request
def no_store(response: Response) -> Response:
    # A kiosk is shared: nothing a patient saw may come back from the browser cache.
    if _is_kiosk_request():
        response.headers["Cache-Control"] = "no-store"
        # Flask-Login marks every non-empty session "not fresh" when templates load the user;
        # a kiosk session holds nothing but the draft id, so drop that marker.
        if "_user_id" not in session:
            session.pop("_fresh", None)
    return response


@bp.context_processor
def kiosk_context() -> dict[str, Any]:
    config = current_app.config
    return {
        "kiosk": {
            "idle_warning": config["KIOSK_IDLE_WARNING_S"],
            "idle_reset": config["KIOSK_IDLE_RESET_S"],
            "done_reset": config["KIOSK_DONE_RESET_S"],
            "reset_token": new_token(),
            "text_size": session.get(TEXT_SIZE_KEY, TEXT_SIZES[0]),
            "text_size_words": _text_size_words(),
            # The kiosk's own "One moment, please" screen, shown by kiosk.js while the server
            # cannot be reached: said in every offered language (the patient's may be unknown).
            "offline_words": _in_every_language(wording.ONE_MOMENT),
        },
        "step_total": steps.TOTAL,
        "step_titles": wording.STEP_TITLES,
        # The welcome screen greets in every offered language until one is chosen.
        "greetings": lambda codes: wording.greetings(codes, steps.TOTAL),
    }


def _text_size_words() -> dict[str, str]:
    """The text-size buttons' words: on the welcome screen in every offered language (nobody
    has chosen yet), elsewhere in the patient's."""
    codes = languages() if request.endpoint == "kiosk.welcome" else [None]
    said: dict[str, list[str]] = {"standard": [], "large": [], "legend": []}
    for code in codes:
        with force_locale(code) if code else nullcontext():
            said["standard"].append(str(wording.TEXT_STANDARD))
            said["large"].append(str(wording.TEXT_LARGE))
            said["legend"].append(str(wording.TEXT_SIZE))
    return {key: " / ".join(words) for key, words in said.items()}


def _in_every_language(words: Any) -> list[dict[str, str]]:
    said = []
    for code in languages():
        with force_locale(code):
            said.append({"lang": code, "text": str(words)})
    return said


def to_welcome() -> Response:
    return redirect(url_for("kiosk.welcome"))


def forget_patient() -> None:
    """End this kiosk session's draft: discard it and drop the kiosk's session keys (language,
    text size), so nothing of this patient is shown to the next. A staff login in the same
    browser stays."""
    if g.get("draft") is not None:
        drafts.discard_draft(g.draft.id)
        g.draft = None
    for key in (DRAFT_KEY, LANGUAGE_KEY, TEXT_SIZE_KEY, RESULT_ONCE_KEY):
        session.pop(key, None)


def stopped_draft() -> dict[str, Any] | None:
    """Where an emergency stopped this draft's kiosk, while it stands (see STOPPED)."""
    if g.draft is None:
        return None
    stopped = g.draft.data.get(STOPPED)
    return stopped if isinstance(stopped, dict) and stopped.get("step") in steps.BY_NAME \
        else None
