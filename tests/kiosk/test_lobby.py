"""The lobby screen through the Flask client: the clinic's name and logo on every screen, a
welcome in every language, the date of birth asked and written the clinic's way
(CLINIC_LOCALE), one clear wording per error, the body picture's areas as labels, and the
kiosk PC's launcher and systemd unit (deploy/kiosk/)."""

import configparser
import os
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from clinic import clock, triage
from clinic.intake import labels
from tests.pages import STEP_FIELDS, every_page, kiosk_answers, post_step, start

ROOT = Path(__file__).resolve().parents[2]
KIOSK_DEPLOY = ROOT / "deploy" / "kiosk"
DATE_INPUTS = re.compile(r'<(?:input|select)[^>]*\bid="(dob_day|dob_month|dob_year)"')


def date_fields_order(html: str) -> list[str]:
    return [name.removeprefix("dob_") for name in DATE_INPUTS.findall(html)]


def about_page(client: FlaskClient, language: str = "en") -> str:
    start(client, language)
    return client.get("/step/about").get_data(as_text=True)


def review_page(client: FlaskClient, language: str = "en", **changes: Any) -> str:
    start(client, language)
    data = kiosk_answers(**changes)
    for step in STEP_FIELDS:
        assert post_step(client, step, data).status_code == 302, step
    return client.get("/review").get_data(as_text=True)


# --- the clinic on every screen ------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "es"])
def test_every_kiosk_screen_shows_the_clinics_name(make_app: Any, language: str) -> None:
    app = make_app(CLINIC_NAME="Riverside Spine Clinic")
    for name, html in every_page(app.test_client(), language).items():
        assert '<p class="clinic-name">Riverside Spine Clinic</p>' in html, name
        assert 'class="clinic-logo"' not in html, name  # no CLINIC_LOGO: no broken image


def test_the_logo_is_shown_when_one_is_configured(make_app: Any) -> None:
    client = make_app(CLINIC_LOGO="body.svg").test_client()
    for path in ("/", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        assert '<img class="clinic-logo" src="/static/img/body.svg" alt="">' in html, path
    # A logo that is not a plain image file in static/img/ is never linked.
    for unusable in ("../css/app.css", "missing.png", "body.txt"):
        html = make_app(CLINIC_LOGO=unusable).test_client().get("/").get_data(as_text=True)
        assert "clinic-logo" not in html, unusable


def test_the_staff_pages_and_login_do_not_carry_the_kiosk_header(client: FlaskClient) -> None:
    assert "clinic-header" not in client.get("/staff/login").get_data(as_text=True)


# --- welcome -------------------------------------------------------------------------------

def test_welcome_greets_in_every_offered_language_until_one_is_chosen(
    client: FlaskClient,
) -> None:
    html = client.get("/").get_data(as_text=True)
    for english in ("Back pain check-in", "Hello, and welcome.", "about 8 minutes",
                    "Choose your language"):
        assert english in html, english
    # The Spanish marked as Spanish (screen readers switch voice).
    assert '<span class="welcome-line" lang="es">Registro por dolor de espalda</span>' in html
    assert re.search(r'<div class="greeting" lang="es">\s*<p class="greeting-hello">'
                     r'Hola, le damos la bienvenida\.</p>\s*<p class="lead">Toma unos 8 minutos',
                     html)
    assert '<span lang="es">Elija su idioma</span>' in html
    # Back at the start, the visit has ended: every language again, for the next patient.
    start(client, "es")
    again = client.get("/").get_data(as_text=True)
    assert "Hola, le damos la bienvenida." in again and "Hello, and welcome." in again


def test_welcome_greets_only_in_the_clinics_languages(make_app: Any) -> None:
    html = make_app(LANGUAGES=("es",)).test_client().get("/").get_data(as_text=True)
    assert "Hola, le damos la bienvenida." in html and "Hello, and welcome." not in html


# --- dates in the clinic's locale ----------------------------------------------------------

@pytest.mark.parametrize(
    ("locale", "order"),
    [("en_US", ("month", "day", "year")), ("en_GB", ("day", "month", "year")),
     ("es_MX", ("day", "month", "year")), ("de_DE", ("day", "month", "year")),
     ("sv_SE", ("year", "month", "day")), ("ja_JP", ("year", "month", "day"))],
)
def test_the_date_order_follows_the_clinics_locale(
    make_app: Any, locale: str, order: tuple[str, ...]
) -> None:
    with make_app(CLINIC_LOCALE=locale).test_request_context():
        assert clock.date_order() == order


def test_the_default_clinic_is_en_us_and_asks_month_day_year(client: FlaskClient) -> None:
    assert client.application.config["CLINIC_LOCALE"] == "en_US"
    html = about_page(client)
    assert date_fields_order(html) == ["month", "day", "year"]
    assert "For example: March 27 1980" in html
    labels_in_order = re.findall(r'<label class="label" for="dob_(\w+)">(\w+)</label>', html)
    assert labels_in_order == [("month", "Month"), ("day", "Day"), ("year", "Year")]


def test_spanish_follows_the_clinics_order_too(make_app: Any) -> None:
    us = about_page(make_app().test_client(), "es")
    assert date_fields_order(us) == ["month", "day", "year"] and "Por ejemplo: Marzo 27 1980" in us
    uk = about_page(make_app(CLINIC_LOCALE="en_GB").test_client(), "es")
    assert date_fields_order(uk) == ["day", "month", "year"] and "Por ejemplo: 27 Marzo 1980" in uk


@pytest.mark.parametrize(
    ("locale", "language", "message"),
    [("en_US", "en", "Please enter your date of birth: month, day and year."),
     ("en_GB", "en", "Please enter your date of birth: day, month and year."),
     ("en_US", "es", "Escriba su fecha de nacimiento: mes, día y año."),
     ("sv_SE", "en", "Please enter your date of birth: year, month and day.")],
)
def test_a_missing_date_of_birth_is_asked_for_in_the_clinics_order(
    make_app: Any, locale: str, language: str, message: str
) -> None:
    client = make_app(CLINIC_LOCALE=locale).test_client()
    start(client, language)
    html = post_step(client, "about", kiosk_answers(dob_day="", dob_month="", dob_year="")
                     ).get_data(as_text=True)
    assert message in html
    # The summary's link goes to the first box the page shows.
    first = {"en_US": "month", "en_GB": "day", "sv_SE": "year"}[locale]
    assert f'<li><a href="#dob_{first}">{message}</a></li>' in html


def test_the_parts_are_read_by_name_whatever_the_order(make_app: Any) -> None:
    for locale in ("en_US", "en_GB"):
        client = make_app(CLINIC_LOCALE=locale).test_client()
        html = review_page(client, date_of_birth="1990-05-06")
        assert ("May 6, 1990" if locale == "en_US" else "6 May 1990") in html


@pytest.mark.parametrize(
    ("locale", "language", "written"),
    [("en_US", "en", "May 6, 1990"), ("en_GB", "en", "6 May 1990"),
     ("en_US", "es", "6 de mayo de 1990"), ("es_MX", "es", "6 de mayo de 1990")],
)
def test_the_review_writes_the_date_of_birth_in_words(
    make_app: Any, locale: str, language: str, written: str
) -> None:
    html = review_page(make_app(CLINIC_LOCALE=locale).test_client(), language,
                       date_of_birth="1990-05-06")
    assert f"<li>{written}</li>" in html
    for ambiguous in ("05/06/1990", "06/05/1990", "1990-05-06", "5/6/90", "6/5/90"):
        assert ambiguous not in html


def test_show_date_is_never_all_digits(app: Flask) -> None:
    with app.test_request_context():
        assert clock.show_date(date(2026, 12, 2)) == "December 2, 2026"
        assert clock.show_date(date(2026, 12, 2), "medium") == "Dec 2, 2026"
        assert clock.show_date(date(2026, 12, 2), language="es") == "2 de diciembre de 2026"
    with app.app_context():  # outside a request (the CLI): the clinic's own locale
        assert clock.show_date(date(1990, 5, 6)) == "May 6, 1990"


# --- wording -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("language", "first", "last"),
    [("en", "Please enter your first name.", "Please enter your last name."),
     ("es", "Escriba su nombre.", "Escriba sus apellidos.")],
)
def test_the_two_name_fields_say_which_is_missing(
    client: FlaskClient, language: str, first: str, last: str
) -> None:
    start(client, language)
    html = post_step(client, "about", kiosk_answers(first_name="", last_name="")
                     ).get_data(as_text=True)
    assert f'<li><a href="#first_name">{first}</a></li>' in html
    assert f'<li><a href="#last_name">{last}</a></li>' in html
    assert first != last


def summary_of(html: str) -> str:
    return html[html.index('id="error-summary"'):html.index("</ul>", html.index("error-summary"))]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_error_summary_gives_the_message_not_the_question_again(
    client: FlaskClient, language: str
) -> None:
    start(client, language)
    post_step(client, "about", kiosk_answers())
    danger = summary_of(post_step(client, "danger", {}).get_data(as_text=True))
    # Ten unanswered Yes/No questions: one line, to the first asked (chest pain, brief v3
    # §4.1), and no question text.
    assert danger.count("<li>") == 1 and 'href="#flag_chest_pain_or_breathless-0"' in danger
    assert "?" not in danger and ".:" not in danger
    post_step(client, "danger", kiosk_answers())
    for step in ("where", "feel", "pain", "health", "tried", "handout"):
        summary = summary_of(post_step(client, step, {}).get_data(as_text=True))
        assert "?" not in summary and ".:" not in summary, step
        lines = re.findall(r"<li>(.*?)</li>", summary, re.S)
        assert len(lines) == len(set(lines)) == len(STEP_FIELDS[step]), (step, lines)
        post_step(client, step, kiosk_answers())


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_review_heading_is_said_once(client: FlaskClient, language: str) -> None:
    html = review_page(client, language)
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)  # type: ignore[union-attr]
    lead = re.search(r'<p class="lead">(.*?)</p>', html).group(1)  # type: ignore[union-attr]
    assert heading.rstrip(".") not in lead


@pytest.mark.parametrize("language", ["en", "es"])
def test_changing_an_answer_from_the_review_offers_one_way_on(
    client: FlaskClient, language: str
) -> None:
    review_page(client, language)
    for step in STEP_FIELDS:
        html = client.get(f"/step/{step}").get_data(as_text=True)
        buttons = re.findall(r'<button type="submit" name="nav" value="(\w+)"', html)
        # One way on (and "Start again", which asks first: issue 24).
        assert buttons == ["next", "start_again"], (step, buttons)
    expected = {"en": "Save and go back to my answers", "es": "Guardar y volver a mis respuestas"}
    assert expected[language] in html
    # On the way through, before the review, Next and Back as before.
    fresh = client.application.test_client()
    start(fresh, language)
    html = fresh.get("/step/about").get_data(as_text=True)
    assert re.findall(r'name="nav" value="(\w+)"', html) == ["next", "back", "start_again"]


# --- the body picture ----------------------------------------------------------------------

def test_each_area_of_the_picture_is_a_label_of_its_box(client: FlaskClient) -> None:
    start(client)
    post_step(client, "about", kiosk_answers())
    post_step(client, "danger", kiosk_answers())
    html = client.get("/step/where").get_data(as_text=True)
    boxes = dict(re.findall(r'id="(pain_areas-\d+)" name="pain_areas"[^>]*value="(\w+)"', html))
    assert sorted(boxes.values()) == sorted(triage.PAIN_AREAS)
    regions = dict(re.findall(r'<label class="region region-(\w+)" for="(pain_areas-\d+)">', html))
    assert {code: boxes[input_id] for code, input_id in regions.items()} == {
        code: code for code in triage.PAIN_AREAS}
    assert '<div class="body-map" aria-hidden="true">' in html
    assert html.count('src="/static/img/body.svg"') == 2
    assert ">Front</p>" in html and ">Back</p>" in html
    for code in triage.PAIN_AREAS:  # the accessible names stay the plain words
        assert f">{labels.PAIN_AREAS[code]}</label>" in html


def test_the_body_picture_is_a_clean_static_svg() -> None:
    svg = (ROOT / "static/img/body.svg").read_text()
    assert svg.count("<path") == 1 and "<script" not in svg and "style=" not in svg
    assert 'viewBox="0 0 200 440"' in svg


# --- the kiosk PC (deploy/kiosk) -----------------------------------------------------------

def fake_curl(tmp_path: Path, fails: int) -> Path:
    """A curl that fails `fails` times (a server not up yet), then answers; it logs each ask."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    curl = bin_dir / "curl"
    curl.write_text(f"""#!/bin/sh
echo "$@" >> "{tmp_path}/asked"
n=$(wc -l < "{tmp_path}/asked")
[ "$n" -gt {fails} ]
""")
    curl.chmod(0o755)
    return bin_dir


def test_the_launcher_waits_for_the_server_however_long_it_takes(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text('#!/bin/sh\necho started >> "$ARGS_OUT"\n')
    fake.chmod(0o755)
    runtime = tmp_path / "run"
    runtime.mkdir()
    # 40 failed asks: well past the old 120 s limit at 2 s apart, had the asks been 2 s apart.
    env = {"PATH": f"{fake_curl(tmp_path, fails=40)}:{os.environ['PATH']}",
           "CHROMIUM": str(fake), "KIOSK_URL": "https://kiosk.test/", "KIOSK_RETRY_S": "0",
           "KIOSK_WAIT_S": "0", "XDG_RUNTIME_DIR": str(runtime), "ARGS_OUT": str(tmp_path / "a")}
    subprocess.run([str(KIOSK_DEPLOY / "clinic-kiosk")], check=True, env=env, timeout=60,
                   capture_output=True)
    asked = (tmp_path / "asked").read_text().splitlines()
    assert len(asked) == 41  # never gave up, started once the server answered
    assert all("--fail" in line and line.endswith("https://kiosk.test/healthz") for line in asked)
    assert (tmp_path / "a").read_text() == "started\n"


def test_the_launcher_starts_chromium_locked_down(tmp_path: Path) -> None:
    launcher = KIOSK_DEPLOY / "clinic-kiosk"
    assert os.access(launcher, os.X_OK)
    subprocess.run(["bash", "-n", str(launcher)], check=True)
    fake = tmp_path / "chromium"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_OUT"\n')
    fake.chmod(0o755)
    runtime = tmp_path / "run"
    runtime.mkdir()
    (runtime / "clinic-kiosk-profile").mkdir()
    (runtime / "clinic-kiosk-profile" / "History").write_text("yesterday's patient")
    env = {"PATH": f"{fake_curl(tmp_path, fails=0)}:{os.environ['PATH']}", "CHROMIUM": str(fake),
           "KIOSK_URL": "https://kiosk.test/", "XDG_RUNTIME_DIR": str(runtime),
           "ARGS_OUT": str(tmp_path / "a"), "KIOSK_POLICY": str(tmp_path / "no-policy.json")}
    started = subprocess.run([str(launcher)], check=True, env=env, timeout=30,
                             capture_output=True, text=True)
    # Without the managed policy (deploy/kiosk/install-policy) it says so in the journal.
    assert "no Chromium policy" in started.stderr
    args = (tmp_path / "a").read_text().split("\n")
    for flag in ("--kiosk", "--disable-pinch", "--overscroll-history-navigation=0",
                 "--no-first-run", "--force-device-scale-factor=1"):
        assert flag in args, flag
    # The policy turns incognito windows off; the fresh profile keeps nothing between starts.
    assert "--incognito" not in args
    assert any(a.startswith("--disable-features=") and "TouchpadOverscrollHistoryNavigation" in a
               for a in args)
    assert args[-2] == "https://kiosk.test/"
    assert f"--user-data-dir={runtime / 'clinic-kiosk-profile'}" in args
    assert list((runtime / "clinic-kiosk-profile").iterdir()) == []  # a fresh profile
    # Without the page's address it refuses to start, saying why.
    del env["KIOSK_URL"]
    refused = subprocess.run([str(launcher)], env=env, capture_output=True, text=True)
    assert refused.returncode == 2 and "KIOSK_URL" in refused.stderr


def test_the_user_unit_restarts_the_kiosk_and_explains_its_install() -> None:
    text = (KIOSK_DEPLOY / "clinic-kiosk.service").read_text()
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(text)
    assert unit["Service"]["ExecStart"] == "%h/.local/bin/clinic-kiosk"
    assert unit["Service"]["Restart"] == "always"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    for step in ("install -D -m 755 clinic-kiosk ~/.local/bin/clinic-kiosk",
                 "systemctl --user enable --now clinic-kiosk.service", "KIOSK_URL="):
        assert step in text, step
    assert (KIOSK_DEPLOY / "README.md").is_file()
