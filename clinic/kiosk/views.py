"""Kiosk pages: welcome, one question group per step, review, result, and the reset."""

from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, gettext
from werkzeug.wrappers import Response

from clinic import database, triage
from clinic.clock import local_today
from clinic.extensions import csrf, limiter
from clinic.i18n import LANGUAGE_NAMES, languages
from clinic.intake import drafts, labels
from clinic.intake.submit import (
    find_submitted,
    report_yes_mistake,
    store_if_alarming,
    submit_intake,
)
from clinic.kiosk import steps, wording
from clinic.kiosk.csrf import DRAFT_KEY, current_draft_id, new_token, token_is_valid
from clinic.kiosk.forms import AboutForm, KioskForm, age_on
from clinic.models import Intake, utcnow

bp = Blueprint("kiosk", __name__)
# The kiosk signs its CSRF tokens over the draft id (clinic.kiosk.csrf), so the session
# cookie never needs Flask-WTF's own token.
csrf.exempt(bp)

REVIEW_FLAG = "_review"
# The session key holding the language the patient chose (no patient data: "en" or "es").
LANGUAGE_KEY = "language"
DANGER = "danger"
# The danger page posts this when a Yes is ticked, without waiting for Next.
SCREEN = "screen"
# The draft key set when an emergency stopped the kiosk: the step it stopped at and the fields
# that had just been answered Yes there. While it is set every step leads to the emergency
# screen; "I pressed Yes by mistake" clears those answers and it, and the patient goes on.
STOPPED = "_stopped"
YES = "yes"
# The patient's text size (the A / A+ buttons at the top of every kiosk screen): a plain UI
# choice, no patient data, kept in the session until the patient leaves.
TEXT_SIZE_KEY = "text_size"
TEXT_SIZES = ("standard", "large")
# Every step's "Start again" button: what was entered is kept until the patient confirms.
START_AGAIN = "start_again"
# The result screen may be shown again (a reload) only this long after the screen's own reset
# would have happened: a kiosk whose page timer did not run never shows it to the next patient.
RESULT_GRACE = timedelta(seconds=30)


def _is_kiosk_request() -> bool:
    # Kiosk pages, and pages no blueprint claims (404s) that a patient may land on.
    return request.blueprint in (None, "kiosk") and request.endpoint not in ("static", "healthz")


def _submitted() -> Intake | None:
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
    elif (stored := _submitted()) is not None:
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


def _welcome() -> Response:
    return redirect(url_for("kiosk.welcome"))


def _start_limit() -> str:
    return str(current_app.config["KIOSK_START_LIMIT"])


def _forget_patient() -> None:
    """End this kiosk session's draft: discard it and drop the kiosk's session keys (language,
    text size), so nothing of this patient is shown to the next. A staff login in the same
    browser stays."""
    if g.get("draft") is not None:
        drafts.discard_draft(g.draft.id)
        g.draft = None
    for key in (DRAFT_KEY, LANGUAGE_KEY, TEXT_SIZE_KEY):
        session.pop(key, None)


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_start_limit, methods=["POST"])
def welcome() -> str | Response:
    if request.method == "GET" and DRAFT_KEY in session:
        # Reaching the welcome screen ends the patient's visit, whichever way they came (Back
        # from the first step, a link, the front desk): the next person starts empty. (Without
        # a visit there is nothing to end: a text size chosen here is kept for the steps.)
        _forget_patient()
    form = KioskForm()
    language = request.form.get("language")
    offered = {code: LANGUAGE_NAMES[code] for code in languages()}
    if form.validate_on_submit() and language in offered:
        # A draft an emergency stopped is over for a new patient (its screen's timer, or not).
        if g.draft is None or _stopped() is not None:
            size = session.get(TEXT_SIZE_KEY)
            session.clear()
            if size in TEXT_SIZES:
                session[TEXT_SIZE_KEY] = size
            session[DRAFT_KEY] = drafts.start_draft(language).id
        else:
            drafts.set_language(g.draft, language)
        session[LANGUAGE_KEY] = language
        return redirect(url_for("kiosk.step", name=steps.NAMES[0]))
    # No idle prompt here: there is nothing to clear (the visit ended on arriving).
    return render_template("kiosk/welcome.html", form=form, languages=offered, number=1,
                           idle=False)


@bp.route("/step/<name>", methods=["GET", "POST"])
def step(name: str) -> str | Response:
    if name not in steps.BY_NAME:
        abort(404)
    if g.draft is None:
        return _welcome()
    if _stopped() is not None:
        return redirect(url_for("kiosk.done"))
    current = steps.BY_NAME[name]
    stored = g.draft.data.get(name, {})
    form = current.form(data=stored)
    nav = request.form.get("nav") if request.method == "POST" else None
    if nav == SCREEN and name == DANGER and _csrf_ok(form):
        return _screen_danger_answers(form)
    if nav in ("back", START_AGAIN) and _csrf_ok(form):
        return _go_back(name, form, start_again=nav == START_AGAIN)
    if form.validate_on_submit():
        if isinstance(form, AboutForm) and _under_age(form):
            return render_template("kiosk/front_desk.html")
        drafts.save_step(g.draft, name, form.answers(), steps.step_answers(name, form))
        alarm = _raise_alarm(steps.known_answers(g.draft.data, local_today()), name, stored)
        return alarm or redirect(_next_url(name))
    return render_template(
        current.template, form=form, name=name, number=steps.number(name),
        returning=bool(g.draft.data.get(REVIEW_FLAG)),
    )


def _csrf_ok(form: KioskForm) -> bool:
    token = getattr(form, "csrf_token", None)
    return token is None or bool(token.validate(form))


def _go_back(name: str, form: KioskForm, start_again: bool = False) -> Response:
    # Keep what was entered so far; identity only once it is known to be an adult's.
    valid = form.validate()
    if not isinstance(form, AboutForm) or (valid and not _under_age(form)):
        before = g.draft.data.get(name, {})
        drafts.save_step(g.draft, name, form.answers(),
                         steps.step_answers(name, form) if valid else None)
        alarm = _raise_alarm(_known_with(name, form), name, before)
        if alarm is not None:
            return alarm
    if start_again:
        return redirect(url_for("kiosk.start_again", step=name))
    before = steps.previous(name)
    return redirect(url_for("kiosk.step", name=before) if before else url_for("kiosk.welcome"))


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
    return redirect(url_for("kiosk.done"))


def _stopped() -> dict[str, Any] | None:
    """Where an emergency stopped this draft's kiosk, while it stands (see STOPPED)."""
    if g.draft is None:
        return None
    stopped = g.draft.data.get(STOPPED)
    return stopped if isinstance(stopped, dict) and stopped.get("step") in steps.BY_NAME \
        else None


@bp.route("/mistake", methods=["POST"])
def yes_by_mistake() -> Response:
    """"I pressed Yes by mistake", from the emergency screen (clinical brief v3 §4.1).

    The patient goes back to the question with the Yes cleared and carries on with the same
    intake. The stored intake keeps its urgency and its alert, with the note for the clinician;
    nothing the patient does here lowers or silences it (the final submit never lowers it).
    """
    if not token_is_valid(request.form.get("csrf_token")):
        abort(400)
    stopped = _stopped()
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


def _under_age(form: AboutForm) -> bool:
    born = form.birth_date()
    if born is None or age_on(born, local_today()) >= triage.AGE_MIN:
        return False
    # Nothing about a child is kept: the draft goes, the session forgets it.
    drafts.discard_draft(g.draft.id)
    session.clear()
    return True


def _next_url(name: str) -> str:
    after = steps.following(name)
    data = g.draft.data
    if after is None or (data.get(REVIEW_FLAG) and steps.first_unfinished(data) is None):
        return url_for("kiosk.review")
    return url_for("kiosk.step", name=after)


@bp.route("/review", methods=["GET", "POST"])
def review() -> str | Response:
    if g.draft is None or _stopped() is not None:
        if _submitted() is not None:
            return redirect(url_for("kiosk.done"))
        return _welcome()
    unfinished = steps.first_unfinished(g.draft.data)
    if unfinished is not None:
        return redirect(url_for("kiosk.step", name=unfinished))
    form = KioskForm()
    if form.validate_on_submit():
        draft = g.draft
        contract = steps.to_contract(draft.data, local_today())
        submit_intake(steps.identity(draft.data), contract, draft.language,
                      submission_key=draft.id, large_print=steps.wants_large_print(draft.data))
        return redirect(url_for("kiosk.done"))
    if not g.draft.data.get(REVIEW_FLAG):
        drafts.save_step(g.draft, REVIEW_FLAG, {"seen": True})
    return render_template("kiosk/review.html", form=form,
                           summary=steps.summary(g.draft.data))


@bp.route("/done")
def done() -> str | Response:
    stored = _submitted()
    if stored is None:
        return _welcome()
    config = current_app.config
    emergency = stored.urgency == "emergency"
    shown_for = timedelta(seconds=config["EMERGENCY_SCREEN_S" if emergency
                                         else "KIOSK_DONE_RESET_S"])
    # updated_at: when the patient finished (an urgent intake is stored earlier, then completed).
    if stored.updated_at < utcnow() - shown_for - RESULT_GRACE:
        return _welcome()
    return render_template(
        "kiosk/result.html",
        urgency=stored.urgency,
        reference=stored.reference,
        headline=wording.headline(stored.urgency),
        detail=wording.detail(stored.urgency, bool(stored.assessment["recommended"])),
        instructions=_what_to_do_now(stored),
        first_yes=_first_yes(stored),
        # "I pressed Yes by mistake": only on the emergency screen a Yes just raised.
        mistake=emergency and bool((_stopped() or {}).get("fields")),
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


def _what_to_do_now(stored: Intake) -> list[str]:
    """The one instruction the triage decided for this urgency and its causes (brief §4.2)."""
    codes = [reason["code"] for reason in stored.assessment["urgency_reasons"]]
    action = triage.what_to_do_now(stored.urgency, codes)
    if action is None:
        return []
    line = gettext(triage.ACTIONS[action], number=current_app.config["EMERGENCY_NUMBER"])
    return [_without_lead(line, stored.urgency)]


def _without_lead(line: str, urgency: str) -> str:
    """The action line without its first sentence when the screen's headline already says it
    (brief §4.1: the headline once). The handout keeps the whole line."""
    lead = wording.ACTION_LEADS.get(urgency)
    if lead is None:
        return line
    said = str(lead)
    rest = line[len(said):].strip() if line.startswith(said) else ""
    return rest or line


@bp.route("/reset", methods=["POST"])
def reset() -> Response:
    """Forget this patient: idle timeout, the Finish button, or the done screen's timer.

    Needs the kiosk's own token, and clears the kiosk's draft only: a staff login in the same
    browser stays (a cross-site post could otherwise log staff out).
    """
    if not token_is_valid(request.form.get("csrf_token")):
        abort(400)
    _forget_patient()
    return _welcome()


@bp.route("/text-size", methods=["POST"])
def text_size() -> Response:
    """The A / A+ buttons. kiosk.js sends them in the background (fetch=1: no reload, nothing
    typed is lost); without JavaScript the page comes back at the new size."""
    if not token_is_valid(request.form.get("csrf_token")):
        abort(400)
    size = request.form.get("size")
    if size not in TEXT_SIZES:
        abort(400)
    if size == TEXT_SIZES[0]:
        session.pop(TEXT_SIZE_KEY, None)
    else:
        session[TEXT_SIZE_KEY] = size
    if request.form.get("fetch"):
        return Response(status=204)
    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = url_for("kiosk.welcome")
    return redirect(back)


@bp.route("/start-again")
def start_again() -> str | Response:
    """Asks once before clearing: "Yes, clear my answers" posts to kiosk.reset; "No, go back"
    returns to the step the patient came from (?step=, a step name or "review")."""
    if g.draft is None:
        return _welcome()
    came_from = request.args.get("step", "")
    if came_from in steps.BY_NAME:
        back = url_for("kiosk.step", name=came_from)
    elif came_from == "review":
        back = url_for("kiosk.review")
    else:
        back = url_for("kiosk.step", name=steps.NAMES[0])
    return render_template("kiosk/start_again.html", back=back)
