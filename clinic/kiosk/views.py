"""Kiosk pages: welcome, one question group per step, review, start again and text size."""

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from clinic import triage
from clinic.clock import local_today
from clinic.extensions import limiter
from clinic.i18n import LANGUAGE_NAMES, languages
from clinic.intake import drafts
from clinic.intake.submit import submit_intake
from clinic.kiosk import steps
from clinic.kiosk.base_form import KioskForm
from clinic.kiosk.blueprint import (
    LANGUAGE_KEY,
    RESULT_ONCE_KEY,
    TEXT_SIZE_KEY,
    TEXT_SIZES,
    bp,
    forget_patient,
    stopped_draft,
    submitted_intake,
    to_welcome,
)
from clinic.kiosk.csrf import DRAFT_KEY, token_is_valid
from clinic.kiosk.danger import DANGER, _known_with, _raise_alarm, _screen_danger_answers
from clinic.kiosk.forms import AboutForm, age_on
from clinic.outcomes.measures import PEG

REVIEW_FLAG = "_review"
# The danger page posts this when a Yes is ticked, without waiting for Next.
SCREEN = "screen"
# Every step's "Start again" button: what was entered is kept until the patient confirms.
START_AGAIN = "start_again"


def _start_limit() -> str:
    return str(current_app.config["KIOSK_START_LIMIT"])


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_start_limit, methods=["POST"])
def welcome() -> str | Response:
    if request.method == "GET" and DRAFT_KEY in session:
        # Reaching the welcome screen ends the patient's visit, whichever way they came (Back
        # from the first step, a link, the front desk): the next person starts empty. (Without
        # a visit there is nothing to end: a text size chosen here is kept for the steps.)
        forget_patient()
    form = KioskForm()
    language = request.form.get("language")
    offered = {code: LANGUAGE_NAMES[code] for code in languages()}
    if form.validate_on_submit() and language in offered:
        # A draft an emergency stopped is over for a new patient (its screen's timer, or not).
        if g.draft is None or stopped_draft() is not None:
            # Only the kiosk's own keys go (issue 25 G3): a staff login in the same browser
            # is not ended by a kiosk start, nor by a cross-site form posting one.
            size = session.get(TEXT_SIZE_KEY)
            forget_patient()
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
        return to_welcome()
    if stopped_draft() is not None:
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


def _under_age(form: AboutForm) -> bool:
    born = form.birth_date()
    if born is None or age_on(born, local_today()) >= triage.AGE_MIN:
        return False
    # Nothing about a child is kept: the draft goes, the session forgets it.
    forget_patient()
    return True


def _next_url(name: str) -> str:
    after = steps.following(name)
    data = g.draft.data
    if after is None or (data.get(REVIEW_FLAG) and steps.first_unfinished(data) is None):
        return url_for("kiosk.review")
    return url_for("kiosk.step", name=after)


@bp.route("/review", methods=["GET", "POST"])
def review() -> str | Response:
    if g.draft is None or stopped_draft() is not None:
        if submitted_intake() is not None:
            # Send pressed again (the first answer lost on its way): this browser's own token,
            # so its redirect may show the result once too.
            if request.method == "POST" and KioskForm().validate_on_submit():
                session[RESULT_ONCE_KEY] = True
            return redirect(url_for("kiosk.done"))
        return to_welcome()
    unfinished = steps.first_unfinished(g.draft.data)
    if unfinished is not None:
        return redirect(url_for("kiosk.step", name=unfinished))
    form = KioskForm()
    if form.validate_on_submit():
        draft = g.draft
        contract = steps.to_contract(draft.data, local_today())
        submit_intake(steps.identity(draft.data), contract, draft.language,
                      submission_key=draft.id, large_print=steps.wants_large_print(draft.data),
                      measures={PEG.id: steps.peg_items(draft.data)})
        session[RESULT_ONCE_KEY] = True
        return redirect(url_for("kiosk.done"))
    if not g.draft.data.get(REVIEW_FLAG):
        drafts.save_step(g.draft, REVIEW_FLAG, {"seen": True})
    return render_template("kiosk/review.html", form=form,
                           summary=steps.summary(g.draft.data))


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
        return to_welcome()
    came_from = request.args.get("step", "")
    if came_from in steps.BY_NAME:
        back = url_for("kiosk.step", name=came_from)
    elif came_from == "review":
        back = url_for("kiosk.review")
    else:
        back = url_for("kiosk.step", name=steps.NAMES[0])
    return render_template("kiosk/start_again.html", back=back)
