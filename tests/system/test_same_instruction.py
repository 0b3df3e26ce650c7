"""The kiosk's result screen, the handout and the staff page give the same instruction, for
every public vignette (kiosk and handout in every language): all show what clinic.triage
decided (brief §4.2), nothing else. The kiosk says the instruction's lead sentence once, as
its headline (brief v3 §4.1), and the rest below it; the handout prints the whole line; the
staff page says what the patient was told, in English."""

import html
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from clinic import triage
from clinic.handout import HandoutRequest
from clinic.handout.document import build_html
from clinic.intake.submit import Identity, submit_intake
from clinic.kiosk.blueprint import RESULT_ONCE_KEY
from clinic.kiosk.csrf import DRAFT_KEY
from tests.pages import page, staff

CASES = json.loads((Path(__file__).resolve().parents[1] / "triage" / "vignettes_public.json")
                   .read_text(encoding="utf-8"))["cases"]
KIOSK_LINE = re.compile(r'<div class="what-now"[^>]*>\s*<p class="lead"><strong>(.*?)</strong></p>',
                        re.S)
KIOSK_HEADLINE = re.compile(r"<h1>(.*?)</h1>", re.S)
HANDOUT_LINE = re.compile(r'<p class="now-action">(.*?)</p>', re.S)
STAFF_LINE = re.compile(r'<p class="told" id="told"><strong>The patient was told:</strong> '
                        r'&ldquo;(.*?)&rdquo;', re.S)


def lines(pattern: re.Pattern[str], page: str) -> list[str]:
    return [" ".join(html.unescape(found).split()) for found in pattern.findall(page)]


def handout_lines(app: Flask, intake: Any, answers: dict[str, Any], lang: str) -> list[str]:
    request = HandoutRequest(
        patient_name="Ana Núñez", reference=intake.reference, date=date(2026, 12, 7),
        assessment=intake.assessment, answers=answers, lang=lang, large_print=False,
        paper="letter")
    with app.test_request_context():
        return lines(HANDOUT_LINE, build_html(request))


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_kiosk_and_handout_say_the_same_thing(app: Flask, client: FlaskClient,
                                              case: dict[str, Any], lang: str) -> None:
    key = f"{case['id']}-{lang}"
    with app.app_context():
        intake = submit_intake(Identity("Ana", "Núñez", date(1970, 1, 1)), case["answers"],
                               lang, submission_key=key)
        handout = handout_lines(app, intake, intake.answers, lang)
        urgency = intake.urgency
    with client.session_transaction() as session:
        # As after Send: this browser's draft, and its one view of the result.
        session[DRAFT_KEY] = key
        session[RESULT_ONCE_KEY] = True
    screen = client.get("/done").get_data(as_text=True)
    kiosk = lines(KIOSK_LINE, screen)
    [headline] = lines(KIOSK_HEADLINE, screen)

    decided = triage.what_to_do_now(urgency, [r["code"] for r in intake.assessment[
        "urgency_reasons"]])
    assert (urgency in triage.NO_PLAN_URGENCIES) == (decided is not None), case["id"]
    if decided is None:
        assert kiosk == []
    else:
        assert len(kiosk) == 1 and len(handout) == 1, case["id"]
        # The handout's line is the headline's sentence, then what the kiosk shows under it.
        assert handout[0].endswith(kiosk[0]) and handout[0] != kiosk[0], case["id"]
        lead = handout[0][: -len(kiosk[0])].strip()
        assert lead and headline.endswith(lead), case["id"]
        assert headline.count(lead) == 1 and lead not in kiosk[0], case["id"]


def test_staff_page_says_what_the_patient_was_told(app: Flask, client: FlaskClient,
                                                   runner: FlaskCliRunner) -> None:
    clinician = staff(client, runner, "clinician")
    told = 0
    for case in CASES:
        with app.app_context():
            intake = submit_intake(Identity("Ana", "Núñez", date(1970, 1, 1)), case["answers"],
                                   "en", submission_key=case["id"])
            handout = handout_lines(app, intake, intake.answers, "en")
            urgency, intake_id = intake.urgency, intake.id
        staff_line = lines(STAFF_LINE, page(clinician, f"/staff/intakes/{intake_id}"))
        if urgency in triage.NO_PLAN_URGENCIES:
            assert staff_line == handout, case["id"]
            told += 1
        else:
            assert staff_line == [], case["id"]
    assert told >= 5


def test_staff_page_names_the_language_the_patient_read(app: Flask, client: FlaskClient,
                                                        runner: FlaskCliRunner) -> None:
    clinician = staff(client, runner, "clinician")
    case = next(case for case in CASES if case["expect"]["urgency"] == "emergency")
    with app.app_context():
        intake = submit_intake(Identity("Ana", "Núñez", date(1970, 1, 1)), case["answers"],
                               "es", submission_key="spanish")
        english = handout_lines(app, intake, intake.answers, "en")
        intake_id = intake.id
    html = page(clinician, f"/staff/intakes/{intake_id}")
    assert lines(STAFF_LINE, html) == english
    assert "(they read it in Spanish)" in html
