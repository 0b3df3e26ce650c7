"""Hostile and random input to every form, GET filter and CLI command.

Whatever arrives, the app answers calmly: never a 500 or a traceback, a clear message when it
refuses, and nothing stored half-way (no intake without a full journey, no staff change on a
refused post). Hypothesis drives the values; each test builds its app once, outside @given.
"""

import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.test import TestResponse
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

import clinic
from clinic.extensions import db
from clinic.intake.workflow import NOTE_MAX
from clinic.models import NAME_MAX, Draft, Intake, Patient, StaffUser
from clinic.web import MESSAGES
from tests.factories import PASSWORD, create_staff
from tests.pages import STEP_FIELDS, csrf_from, kiosk_answers, login, post_step, start, token

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
FEW = settings(SETTINGS, max_examples=20)

FORM = "application/x-www-form-urlencoded"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
CSRF_MESSAGE = "This page was open too long"
# Values no honest browser sends.
SPECIALS = [
    "", " ", "A" * 10_001, "\x00", "a\x00b", "\x01\x02\x1b[31m\x7f", "\r\n\r\nX-Evil: 1",
    "\u202eevil\u202c", "e" + "\u0301" * 200, "😀" * 50, "\ufeff\u200b\u2028", "%ud800",
    "\\ud800", "<script>alert(1)</script>", "' OR 1=1 --", "1e309", "-1", "NaN", "0",
    "9" * 5000, "[]", "{}", "../../etc/passwd", "none", "yes", "no", "lower_back", "en",
    "es", "back", "next", "2000-01-01", "9999-12-31", "0001-01-01",
]
RAW_BYTES = [b"\xff\xfe", b"\xc0\x80", "\ud800".encode("utf-8", "surrogatepass"), b"\x00" * 8]
text_values = st.one_of(st.sampled_from(SPECIALS), st.text(max_size=40))
hostile_values: st.SearchStrategy[bytes] = st.one_of(
    text_values.map(lambda text: text.encode("utf-8")),
    st.sampled_from(RAW_BYTES),
    st.binary(max_size=24),
)
CSRF_MODES = st.sampled_from(["valid", "missing", "garbage", "twice", "empty"])


def field_pairs(names: Iterable[str]) -> st.SearchStrategy[list[tuple[str, bytes]]]:
    """(name, value) pairs: known, unknown and odd names, duplicates allowed, any order."""
    keys = st.sampled_from([*names, "nav", "language", "unknown_field", "first_name[]", "",
                            "csrf_token[]", "__proto__", "x" * 300])
    return st.lists(st.tuples(keys, hostile_values), max_size=10)


def body(pairs: list[tuple[str, bytes]], csrf: str, valid_token: str) -> bytes:
    """A urlencoded body: the hostile pairs and a CSRF token in the given mode."""
    tokens = {
        "valid": [valid_token], "missing": [], "garbage": ["not-a-token." * 3], "empty": [""],
        "twice": ["forged", valid_token],
    }[csrf]
    encoded = [(k.encode(), v) for k, v in pairs] + [(b"csrf_token", t.encode()) for t in tokens]
    return urlencode(encoded).encode("ascii")


def post_raw(client: FlaskClient, path: str, data: bytes, **kwargs: Any) -> TestResponse:
    return client.post(path, data=data, content_type=FORM, **kwargs)


def assert_calm(response: TestResponse) -> str:
    """No 500, no traceback; a refusal (4xx page) says in plain words what happened."""
    binary = response.mimetype not in ("text/html", "text/plain", "text/csv", "application/json")
    text = "" if binary else response.get_data(as_text=True)
    assert response.status_code < 500, (response.status_code, text[:500])
    assert not TRACEBACK.search(text), text[:2000]
    if 400 <= response.status_code < 500 and response.mimetype == "text/html":
        assert CSRF_MESSAGE in text or str(MESSAGES[response.status_code]) in text, text[:1000]
    return text


def count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def assert_nothing_submitted(app: Flask) -> None:
    assert count(app, Intake) == 0
    assert count(app, Patient) == 0


def assert_drafts_bounded(app: Flask) -> None:
    """Whatever a draft kept, names in it respect the form's length limit."""
    with app.app_context():
        for draft in db.session.scalars(select(Draft)):
            about = draft.data.get("about", {})
            for key in ("first_name", "last_name"):
                value = about.get(key)
                assert value is None or len(value) <= NAME_MAX, (key, len(value))


# --- the forms themselves -------------------------------------------------------------------


def _form_modules() -> list[Any]:
    modules = []
    for info in pkgutil.walk_packages(clinic.__path__, "clinic."):
        if re.search(r"\.(\w+_)?forms(_\w+)?$", info.name):
            modules.append(importlib.import_module(info.name))
    return modules


def test_every_text_field_has_a_length_limit() -> None:
    modules = _form_modules()
    assert {m.__name__ for m in modules} >= {
        "clinic.kiosk.forms", "clinic.staff.forms"}
    checked = []
    for module in modules:
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not (issubclass(form, FlaskForm) and form.__module__ == module.__name__):
                continue
            for field_name, unbound in inspect.getmembers(form):
                field_class = getattr(unbound, "field_class", None)
                if not (field_class and issubclass(field_class, StringField | TextAreaField)):
                    continue
                validators = unbound.kwargs.get("validators") or []
                limits = [v.max for v in validators if isinstance(v, Length) and v.max >= 0]
                assert limits, f"{module.__name__}.{name}.{field_name} has no Length(max=...)"
                checked.append(field_name)
    assert {"first_name", "dob_year", "username", "password", "q", "note"} <= set(checked)


# --- kiosk ----------------------------------------------------------------------------------


def test_welcome_survives_hostile_posts(app: Flask) -> None:
    @SETTINGS
    @given(pairs=field_pairs(["language"]), csrf=CSRF_MODES)
    def check(pairs: list[tuple[str, bytes]], csrf: str) -> None:
        client = app.test_client()
        response = post_raw(client, "/", body(pairs, csrf, token(client, "/")))
        assert_calm(response)
        if response.status_code == 302:
            assert response.location.endswith("/step/about")
        assert_nothing_submitted(app)

    check()


@pytest.mark.parametrize("step", list(STEP_FIELDS))
def test_each_step_survives_hostile_posts(app: Flask, step: str) -> None:
    path = f"/step/{step}"

    @SETTINGS
    @given(pairs=field_pairs(STEP_FIELDS[step]), csrf=CSRF_MODES)
    def check(pairs: list[tuple[str, bytes]], csrf: str) -> None:
        client = app.test_client()
        start(client)
        valid_token = token(client, path)
        response = post_raw(client, path, body(pairs, csrf, valid_token))
        text = assert_calm(response)
        if response.status_code == 200 and csrf != "valid":
            assert CSRF_MESSAGE in text or "field-error" in text
        elif response.status_code == 200 and "front desk" not in text:
            assert "field-error" in text, "a refused step must say what is wrong"
        assert_nothing_submitted(app)
        assert_drafts_bounded(app)
        # The review must still be reachable without error, whatever the draft now holds.
        assert_calm(client.get("/review"))
        assert_calm(client.get(path))

    check()


def test_step_and_review_urls_with_junk(client: FlaskClient) -> None:
    start(client)
    for path in ["/step/", "/step/%00", "/step/" + "a" * 5000, "/step/about/../review",
                 "/step/%E2%80%AE", "/review?x=%00", "/done?x=" + "y" * 3000]:
        assert_calm(client.get(path))
        assert_calm(client.post(path, data={"csrf_token": "x"}))


@pytest.mark.parametrize("nav", ["next", "back"])
def test_control_characters_in_names_are_refused_with_a_message(app: Flask, nav: str) -> None:
    """A NUL would be refused by PostgreSQL at submit, stranding the patient at review."""
    client = app.test_client()
    start(client)
    for name in ["Ana\x00", "\x1b[2JAna", "An\na"]:
        response = post_step(client, "about", kiosk_answers(first_name=name), nav=nav)
        text = assert_calm(response)
        if nav == "next":
            assert response.status_code == 200 and "field-error" in text
        with app.app_context():
            stored = db.session.scalars(select(Draft)).one().data.get("about", {})
        assert stored.get("first_name") in (None, "Ana"), stored
    # Other steps keep hostile junk out of the database too, even when going back unvalidated.
    for step, field in [("where", "pain_areas"), ("pain", "duration"), ("tried", "tried")]:
        assert_calm(post_step(client, step, {field: "x\x00y"}, nav=nav))
    assert_drafts_bounded(app)
    # And the patient can still finish with a proper name.
    from tests.pages import complete_intake

    complete_intake(app.test_client(), first_name="Ana")
    assert count(app, Intake) == 1


def test_nul_in_staff_inputs_is_refused_calmly(staff_app: Flask) -> None:
    app = staff_app
    intake_id = _intake_id(app)
    client = app.test_client()
    assert_calm(login(client, "clin\x00", PASSWORD))
    assert_calm(login(client, "\x00", "\x00" * 20))
    assert login(client, "clin").status_code == 302
    detail = f"/staff/intakes/{intake_id}"
    csrf = csrf_from(client.get(detail).get_data(as_text=True))
    response = client.post(f"{detail}/note", data={"note": "a\x00b", "csrf_token": csrf})
    assert_calm(response)
    assert "not saved" in assert_calm(client.get(detail))
    assert _intake_state(app, intake_id)[1] is None
    runner = app.test_cli_runner()
    for args in (["disable-staff", "clin\x00"], ["set-password", "\x00", "--password-stdin"],
                 ["create-staff", "new\x00", "--role", "admin", "--password-stdin"]):
        result = runner.invoke(args=args, input=f"{PASSWORD}\n{PASSWORD}\n")
        assert_cli_calm(result)
        assert result.exit_code == 2


def _finished_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    data = kiosk_answers()
    start(client)
    for step in STEP_FIELDS:
        assert post_step(client, step, data).status_code == 302
    assert client.get("/review").status_code == 200
    return client


def test_review_refuses_hostile_posts_and_then_stores_exactly_once(app: Flask) -> None:
    client = _finished_client(app)
    valid_token = token(client, "/review")

    @SETTINGS
    @given(pairs=field_pairs(["first_name", "severity", "pain_areas"]),
           csrf=st.sampled_from(["missing", "garbage", "empty"]))
    def check(pairs: list[tuple[str, bytes]], csrf: str) -> None:
        response = post_raw(client, "/review", body(pairs, csrf, valid_token))
        text = assert_calm(response)
        assert response.status_code == 200 and CSRF_MESSAGE in text
        assert_nothing_submitted(app)

    check()
    # Junk next to a valid token changes nothing: the answers come from the draft.
    junk = body([("first_name", b"Mallory"), ("severity", b"99")], "valid", valid_token)
    assert post_raw(client, "/review", junk).status_code == 302
    assert post_raw(client, "/review", junk).status_code == 302
    assert count(app, Intake) == 1 and count(app, Patient) == 1
    with app.app_context():
        patient = db.session.scalars(select(Patient)).one()
        intake = db.session.scalars(select(Intake)).one()
        assert patient.first_name == "Ana" and intake.answers["severity"] == 6


def test_reset_survives_hostile_posts(app: Flask) -> None:
    @FEW
    @given(pairs=field_pairs(["csrf_token"]), csrf=CSRF_MODES)
    def check(pairs: list[tuple[str, bytes]], csrf: str) -> None:
        client = app.test_client()
        start(client)
        response = post_raw(client, "/reset", body(pairs, csrf, token(client, "/step/about")))
        assert_calm(response)
        # A reset needs the kiosk's own token: anything else is refused and changes nothing.
        assert response.status_code in (302, 400)
        assert (response.status_code == 302) == (client.get("/step/about").status_code == 302)

    check()


def test_oversized_bodies_get_the_calm_413(app: Flask) -> None:
    # A finished draft, so /review reads the body instead of sending the patient back a step.
    client = _finished_client(app)
    limit = app.config["MAX_CONTENT_LENGTH"]
    huge = urlencode({"first_name": "A" * (limit + 10), "csrf_token": "x"}).encode()
    for path in ["/", "/step/about", "/review", "/reset", "/staff/login"]:
        response = post_raw(client, path, huge)
        text = assert_calm(response)
        assert response.status_code == 413, (path, response.status_code)
        assert str(MESSAGES[413]) in text
    assert_nothing_submitted(app)
    assert client.get("/review").status_code == 200, "the draft survives a refused body"


# --- staff ----------------------------------------------------------------------------------


def staff_snapshot(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context():
        return [(u.id, u.username, u.password_hash, u.role, u.active)
                for u in db.session.scalars(select(StaffUser).order_by(StaffUser.id))]


@pytest.fixture
def staff_app(make_app: Callable[..., Flask]) -> Flask:
    # The login rate limit would answer 429 after ten tries; the limit is tested elsewhere.
    app = make_app(LOGIN_RATE_LIMIT="100000 per minute", LOGIN_MAX_FAILURES=100000)
    runner = app.test_cli_runner()
    assert create_staff(runner, "admin", role="admin").exit_code == 0
    assert create_staff(runner, "clin", role="clinician").exit_code == 0
    return app


def test_login_survives_hostile_posts(staff_app: Flask) -> None:
    app = staff_app
    before = staff_snapshot(app)

    @SETTINGS
    @given(pairs=field_pairs(["username", "password", "next"]), csrf=CSRF_MODES,
           next_url=st.sampled_from(["", "?next=//evil", "?next=%00", "?next=" + "a" * 3000]))
    def check(pairs: list[tuple[str, bytes]], csrf: str, next_url: str) -> None:
        client = app.test_client()
        valid_token = csrf_from(client.get("/staff/login").get_data(as_text=True))
        response = post_raw(client, "/staff/login" + next_url, body(pairs, csrf, valid_token))
        text = assert_calm(response)
        if response.status_code == 200:
            assert ("do not match" in text or "field-error" in text or "error" in text
                    or CSRF_MESSAGE in text), text[:1000]
        # No hostile pair is the real password, so nobody gets in.
        assert client.get("/staff/").status_code == 302
        assert staff_snapshot(app) == before

    check()


def _intake_id(app: Flask) -> int:
    from tests.pages import complete_intake

    complete_intake(app.test_client())
    with app.app_context():
        return int(db.session.scalars(select(Intake.id)).one())


def _intake_state(app: Flask, intake_id: int) -> tuple[str, str | None]:
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None
        return intake.status, intake.review_note


def test_review_note_and_status_buttons_survive_hostile_posts(staff_app: Flask) -> None:
    app = staff_app
    intake_id = _intake_id(app)
    client = app.test_client()
    assert login(client, "clin").status_code == 302
    detail = f"/staff/intakes/{intake_id}"
    valid_token = csrf_from(client.get(detail).get_data(as_text=True))

    @SETTINGS
    @given(pairs=field_pairs(["note"]), csrf=CSRF_MODES,
           action=st.sampled_from(["note", "seen", "close"]))
    def check(pairs: list[tuple[str, bytes]], csrf: str, action: str) -> None:
        before = _intake_state(app, intake_id)
        response = post_raw(client, f"{detail}/{action}", body(pairs, csrf, valid_token))
        assert_calm(response)
        after = _intake_state(app, intake_id)
        page = assert_calm(client.get(detail))
        if csrf != "valid" and response.status_code != 302:
            assert after == before
        if action == "note":
            if after != before:
                assert csrf == "valid" and after[1] is not None or after[1] is None
                assert after[1] is None or len(after[1]) <= NOTE_MAX
            elif response.status_code == 302:
                assert "not saved" in page or "saved" in page
        elif action in ("seen", "close") and csrf != "valid":
            assert after[0] == before[0]

    check()


def test_hostile_intake_ids_in_urls(staff_app: Flask) -> None:
    client = staff_app.test_client()
    assert login(client, "admin").status_code == 302
    token_ = csrf_from(client.get("/staff/").get_data(as_text=True))
    for intake_id in ["0", "-1", "99999999999999999999999999", "9" * 400, "1.5", "%00", "١"]:
        base = f"/staff/intakes/{intake_id}"
        assert_calm(client.get(base))
        assert_calm(client.get(f"{base}/handout.pdf"))
        for action in ("seen", "close", "note"):
            assert_calm(client.post(f"{base}/{action}", data={"csrf_token": token_}))


def _query(pairs: list[tuple[str, bytes]]) -> str:
    return urlencode([(k.encode(), v) for k, v in pairs])


def test_queue_filter_audit_and_export_survive_hostile_queries(staff_app: Flask) -> None:
    app = staff_app
    _intake_id(app)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    dates = st.one_of(st.dates().map(lambda d: d.isoformat().encode()), hostile_values)

    @SETTINGS
    @given(pairs=st.lists(st.tuples(
        st.sampled_from(["status", "day", "q", "start", "end", "page", "x"]),
        st.one_of(dates, hostile_values)), max_size=8),
        path=st.sampled_from(["/staff/", "/staff/export", "/staff/audit"]))
    def check(pairs: list[tuple[str, bytes]], path: str) -> None:
        response = client.get(f"{path}?{_query(pairs)}")
        assert_calm(response)
        assert response.status_code in (200, 302, 400), response.status_code
        if path == "/staff/export" and response.mimetype == "text/html" and pairs:
            text = response.get_data(as_text=True)
            assert "field-error" in text or "error" in text

    check()


def test_print_options_survive_hostile_queries(staff_app: Flask) -> None:
    app = staff_app
    intake_id = _intake_id(app)
    client = app.test_client()
    assert login(client, "admin").status_code == 302

    @FEW
    @given(pairs=st.lists(st.tuples(
        st.sampled_from(["lang", "paper", "large_print", "x"]),
        st.one_of(st.sampled_from([b"en", b"es", b"a4", b"letter", b"y", b"fr"]),
                  hostile_values)), max_size=6))
    def check(pairs: list[tuple[str, bytes]]) -> None:
        response = client.get(f"/staff/intakes/{intake_id}/handout.pdf?{_query(pairs)}")
        assert_calm(response)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert response.mimetype == "application/pdf"

    check()


# --- CLI ------------------------------------------------------------------------------------

VALID_CONTRACT = {
    "contract": "clinic-intake/1", "age": 40, "pain_areas": ["lower_back"],
    "pain_kinds": ["spasm"], "duration": "under_1_week", "severity": 6, "onset": "lifting",
    "both_legs": False, "leaning_or_compensating": False, "red_flags": [], "conditions": [],
    "tried": [],
}


def assert_cli_calm(result: Result) -> None:
    """A command ends with 0/1/2 and, when it fails, a short message rather than a traceback."""
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), (
        f"{type(exception).__name__}: {exception}\n{result.output}")
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 2 and "--help" in result.output:
        return  # a group called without a command shows its help
    if result.exit_code:
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert lines, "a failing command must say why"
        message = [line for line in lines if not line.startswith(("Usage:", "Try "))]
        assert 1 <= len(message) <= 2, result.output


@pytest.fixture
def cli(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def test_triage_cli_with_hostile_stdin(cli: FlaskCliRunner) -> None:
    documents = st.one_of(
        text_values,
        st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | text_values,
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from([*VALID_CONTRACT, "x"]), inner,
                                       max_size=6), max_leaves=12).map(json.dumps),
        st.fixed_dictionaries({k: st.just(v) for k, v in VALID_CONTRACT.items()}).flatmap(
            lambda base: st.dictionaries(st.sampled_from(list(base)), text_values
                                         | st.integers(), max_size=3).map(
                lambda bad: json.dumps({**base, **bad}))),
    )

    @SETTINGS
    @given(document=documents, explain=st.booleans())
    def check(document: str, explain: bool) -> None:
        args = ["triage", "-", *(["--explain"] if explain else [])]
        assert_cli_calm(cli.invoke(args=args, input=document))

    check()


@pytest.mark.parametrize("args", [
    ["triage", "/nonexistent/file.json"], ["triage", "\x00"], ["triage", "A" * 5000],
    ["triage", "/"], ["triage", "rules", "extra"], ["triage", "--explain"], ["triage"],
])
def test_triage_cli_with_hostile_arguments(cli: FlaskCliRunner, args: list[str]) -> None:
    assert_cli_calm(cli.invoke(args=args))


def test_triage_cli_with_binary_file(cli: FlaskCliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    assert_cli_calm(cli.invoke(args=["triage", str(bad)]))


@pytest.mark.parametrize("content", [
    b"\xff\xfe", b"{", b"[]", b"[1, 2]", b"null", json.dumps({**VALID_CONTRACT, "age": "x"})
    .encode(), json.dumps([VALID_CONTRACT, {"age": 5}]).encode(),
])
def test_handout_cli_with_hostile_files(cli: FlaskCliRunner, tmp_path: Path,
                                        content: bytes) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(content)
    assert_cli_calm(cli.invoke(args=["handout", str(source), "-o", str(tmp_path / "o.pdf")]))


@pytest.mark.parametrize("extra", [
    ["--lang", "fr"], ["--paper", "legal"], ["--name", "\x00\u202eZoë 😀" + "e\u0301" * 30],
    ["--reference", "<b>" * 50], ["-o", "/nonexistent/dir/x.pdf"], ["-o", "/"],
])
def test_handout_cli_with_hostile_options(cli: FlaskCliRunner, tmp_path: Path,
                                          extra: list[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(VALID_CONTRACT))
    args = ["handout", str(source), "-o", str(tmp_path / "o.pdf"), *extra]
    assert_cli_calm(cli.invoke(args=args))


def test_staff_cli_with_hostile_names_and_passwords(app: Flask, cli: FlaskCliRunner) -> None:
    assert create_staff(cli, "desk").exit_code == 0
    before = staff_snapshot(app)

    @FEW
    @given(username=text_values.filter(lambda name: name.strip() != "desk"),
           password=text_values, repeat=st.booleans(),
           command=st.sampled_from(["create-staff", "set-password", "disable-staff"]))
    def check(username: str, password: str, repeat: bool, command: str) -> None:
        second = password if repeat else password + "x"
        args = [command, username]
        if command == "create-staff":
            args += ["--role", "front_desk"]
        if command != "disable-staff":
            args.append("--password-stdin")
        result = cli.invoke(args=args, input=f"{password}\n{second}\n")
        assert_cli_calm(result)
        if result.exit_code:
            assert staff_snapshot(app)[: len(before)] == before

    check()
    assert_cli_calm(cli.invoke(args=["create-staff", "x", "--role", "root", "--password-stdin"],
                               input=f"{PASSWORD}\n{PASSWORD}\n"))
    assert_cli_calm(cli.invoke(args=["set-password", "desk", "--password-stdin"], input=""))
    assert_cli_calm(cli.invoke(args=["list-staff", "extra"]))


@pytest.mark.parametrize("args", [
    ["purge", "--older-than", "0"], ["purge", "--older-than", "-5"],
    ["purge", "--older-than", "abc"], ["purge", "--older-than", "99999999999999"],
    ["purge", "--older-than", "1e3"], ["purge", "--older-than", str(10**40)],
    ["purge", "--older-than", "1"], ["purge-drafts"], ["purge-drafts", "x"],
    ["audit", "verify"], ["audit", "verify", "--now"], ["audit", "nonsense"],
    ["backup"], ["backup", "a", "b"],
])
def test_records_cli_with_hostile_arguments(cli: FlaskCliRunner, args: list[str]) -> None:
    assert_cli_calm(cli.invoke(args=args))


@pytest.mark.parametrize("dest", [
    # No NUL byte here: a real argv cannot carry one, and click's Path type itself stats it.
    "/proc/version/inside", "/dev/null", "{tmp}/file/inside",
    "{tmp}/" + "n" * 300, "{tmp}/new/deeper/copy.sqlite", "{tmp}",
])
def test_backup_cli_with_hostile_destinations(
    cli: FlaskCliRunner, tmp_path: Path, dest: str
) -> None:
    (tmp_path / "file").write_text("x")
    result = cli.invoke(args=["backup", dest.format(tmp=tmp_path)])
    assert_cli_calm(result)


# --- what the kiosk's forms accept, the engine accepts (issue 15, item 4) --------------------


def _plausible_answers() -> dict[str, dict[str, st.SearchStrategy[Any]]]:
    """Per step and field, answers a patient's browser could send, reaching the edges: names
    in any script, impossible dates, ages over the engine's limit (1890-1910 are typos of
    1990s years), unknown choice codes next to real ones."""
    from clinic import triage

    yes_no = st.sampled_from(["yes", "no"])

    def ticks(codes: Iterable[str]) -> st.SearchStrategy[list[str]]:
        return st.lists(st.sampled_from(sorted(codes)), max_size=4, unique=True)

    return {
        "about": {
            "first_name": st.one_of(st.sampled_from(["Ana", "Zoë", "李", "O'Neil"]),
                                    st.text(min_size=1, max_size=20)),
            "last_name": st.one_of(st.sampled_from(["Núñez", "Smith-Jones"]),
                                   st.text(min_size=1, max_size=20)),
            "dob_day": st.integers(1, 31).map(str),
            "dob_month": st.integers(1, 12).map(str),
            "dob_year": st.integers(1890, 2030).map(str),
        },
        "danger": {f"flag_{code}": st.sampled_from(["no", "no", "no", "yes"])
                   for code in triage.RED_FLAGS},
        "where": {"pain_areas": ticks(triage.PAIN_AREAS)},
        "feel": {"pain_kinds": ticks(triage.PAIN_KINDS), "both_legs": yes_no},
        "pain": {"duration": st.sampled_from(triage.DURATIONS),
                 "severity": st.integers(0, triage.SEVERITY_MAX).map(str),
                 "onset": st.sampled_from(triage.ONSETS), "leaning_or_compensating": yes_no},
        "health": {"conditions": st.one_of(st.just(["none"]), ticks(triage.CONDITIONS))},
        "tried": {"tried": st.one_of(st.just(["none"]), ticks(triage.OPTIONS))},
        "handout": {"large_print": yes_no},
    }


@st.composite
def _drafts(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """A draft's stored answers: plausible ones with up to two fields replaced by anything
    (hostile text, a list where one value belongs, one value where a list belongs)."""
    fields = _plausible_answers()
    data = {step: {name: draw(values) for name, values in answers.items()}
            for step, answers in fields.items()}
    keys = [(step, name) for step, answers in fields.items() for name in answers]
    for step, name in draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)):
        data[step][name] = draw(st.one_of(text_values, st.lists(text_values, max_size=3)))
    return data


def test_whatever_the_kiosk_forms_accept_the_engine_accepts(app: Flask) -> None:
    """Send can never meet an engine refusal (the 500 of F2): for any answers, if every step's
    form accepts them, the intake they make is one the engine assesses. Hypothesis is steered
    to produce accepted drafts too, and the test checks it met some."""
    from hypothesis import target

    from clinic import clock, triage
    from clinic.intake.drafts import ANSWERS
    from clinic.kiosk import steps

    accepted = []

    @given(data=_drafts())
    @settings(SETTINGS, max_examples=300)
    def check(data: dict[str, dict[str, Any]]) -> None:
        with app.test_request_context("/"):
            finished = {name: steps.checked_answers(name, data.get(name, {}))
                        for name in steps.NAMES}
            data = {**data, ANSWERS: {k: v for k, v in finished.items() if v is not None}}
            unfinished = steps.first_unfinished(data)
            target(float(steps.NAMES.index(unfinished) if unfinished else len(steps.NAMES)))
            if unfinished is not None:
                return
            intake = steps.to_contract(data, clock.local_today())
            if intake["age"] < triage.AGE_MIN:
                return  # the About step refuses a child before anything is stored
            accepted.append(data)
            triage.assess(intake)  # raises IntakeError if the forms let through what it refuses

    check()
    assert len(accepted) >= 10, f"only {len(accepted)} accepted drafts were tried"


def _post_routes(app: Flask) -> list[str]:
    """Every URL that takes a POST, with 1 for each id in it."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()):
            urls.append(rule.rule.replace("<int:intake_id>", "1"))
    return sorted(urls)


@pytest.mark.parametrize("content_type, data", [
    ("multipart/form-data", {"first_name": (b"x" * 10, "name.txt"), "csrf_token": "x"}),
    ("application/json", '{"first_name": "Ana"}'),
    ("text/plain", "first_name=Ana"),
    ("application/xml", "<a/>"),
    ("application/octet-stream", b"\x00\xff" * 8),
])
def test_every_form_refuses_odd_bodies_with_a_4xx(
    staff_app: Flask, content_type: str, data: Any
) -> None:
    """Multipart (a file where a name belongs) and other body types on every POST route, by a
    stranger and by logged-in staff: a 4xx, never a 5xx, and nothing changes."""
    routes = _post_routes(staff_app)
    assert "/step/<name>" in routes and "/staff/login" in routes and len(routes) >= 10
    anonymous = staff_app.test_client()
    clinician = staff_app.test_client()
    assert login(clinician, "clin").status_code == 302
    for client in (anonymous, clinician):
        for route in routes:
            url = route.replace("<name>", "about")
            response = client.post(url, data=data, content_type=content_type)
            assert 400 <= response.status_code < 500, (url, response.status_code)
            assert_calm(response)
    assert_nothing_submitted(staff_app)
