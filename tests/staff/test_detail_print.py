"""Intake detail, status buttons, review notes, and cached handout printing."""

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, template_rendered
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event, func, select

from clinic.extensions import db
from clinic.handout import cache as printing
from clinic.models import AuditEvent, HandoutRender, Intake
from clinic.staff.intake_page import IntakePage
from clinic.triage import staff_words
from tests.factories import store_intake
from tests.pages import csrf_from, page, staff

ROOT = Path(__file__).resolve().parents[2]


def status_of(app: Flask, intake_id: int) -> str:
    with app.app_context():
        return db.session.get(Intake, intake_id).status  # type: ignore[union-attr]


def audits(app: Flask, action: str) -> list[str | None]:
    with app.app_context():
        return list(db.session.scalars(
            select(AuditEvent.record).where(AuditEvent.action == action)
        ))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_detail_shows_answers_and_assessment_in_plain_language(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, red_flags=["weight_loss"], pain_kinds=["spasm", "ache"],
                            conditions=["blood_thinners"], tried=["heat"],
                            leaning_or_compensating=True)
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None
        assessment = intake.assessment
    assert "Ana Núñez" in html
    assert "Have you lost weight without trying?" in html  # the red-flag question, in words
    assert 'class="flag-yes"' in html and html.count('class="flag-yes"') == 1
    assert "Muscles tighten, cramp or knot" in html and "A dull, steady ache" in html
    assert "I take blood thinners" in html and "Heat" in html and "Heat packs" not in html
    assert "Less than 1 week" in html and "6 out of 10" in html and "Lifting something" in html
    assert "routine" in html
    # Urgency reasons in staff words, never the patient's own text (brief v3 §4.2).
    for reason in assessment["urgency_reasons"]:
        assert f"Patient reports {staff_words(reason['code'])}" in html
        assert reason["text"].replace("'", "&#39;") not in html
    assert assessment["recommended"], "the sample should produce a plan"
    for item in assessment["recommended"]:
        assert item["source"].replace('"', "&#34;") in html
        assert item["evidence"].replace("'", "&#39;") in html
    for item in assessment["not_recommended"]:
        assert item["reasons"][0]["text"].replace("'", "&#39;") in html
    assert intake.rules_version in html
    assert audits(app, "intake.view") == [f"intake:{intake_id}"]


def test_the_detail_template_gets_a_page_model_and_no_module(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """The view hands the template an IntakePage that says what it may offer; the template
    receives no module to decide with."""
    rendered: list[tuple[str | None, dict[str, Any]]] = []

    def record(_app: Flask, template: Any, context: dict[str, Any], **_extra: Any) -> None:
        rendered.append((template.name, context))

    intake_id = store_intake(app, red_flags=["saddle_numbness"])
    staff(client, runner, "front_desk")
    with template_rendered.connected_to(record, app):
        page(client, f"/staff/intakes/{intake_id}")
    [context] = [context for name, context in rendered if name == "staff/detail.html"]
    assert isinstance(context["page"], IntakePage)
    assert context["page"].actions == {"print"}
    assert context["page"].fetch_clinician and context["page"].hint == "front_desk_cannot_close"
    assert [name for name, value in context.items() if isinstance(value, ModuleType)] == []


def test_missing_intake_is_404(client: FlaskClient, runner: FlaskCliRunner) -> None:
    staff(client, runner)
    assert client.get("/staff/intakes/999").status_code == 404
    assert client.get("/staff/intakes/999/handout.pdf").status_code == 404


def test_mark_seen_then_close_with_csrf(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app)
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    token = csrf_from(html)
    assert client.post(f"/staff/intakes/{intake_id}/seen").status_code == 400  # no token
    assert status_of(app, intake_id) == "new"
    response = client.post(f"/staff/intakes/{intake_id}/seen", data={"csrf_token": token})
    assert response.status_code == 302
    assert status_of(app, intake_id) == "seen"
    # Seen twice is refused, with a message, and changes nothing.
    client.post(f"/staff/intakes/{intake_id}/seen", data={"csrf_token": token})
    assert "Not changed" in page(client, f"/staff/intakes/{intake_id}")
    # Closing without its token, or without a reason, changes nothing.
    assert client.post(f"/staff/intakes/{intake_id}/close",
                       data={"reason": "Left before being seen"}).status_code == 400
    client.post(f"/staff/intakes/{intake_id}/close", data={"csrf_token": token})
    assert status_of(app, intake_id) == "seen"
    client.post(f"/staff/intakes/{intake_id}/close",
                data={"csrf_token": token, "reason": "Left before being seen"})
    assert status_of(app, intake_id) == "closed"
    assert audits(app, "intake.seen") == [f"intake:{intake_id}"]
    assert audits(app, "intake.close") == [f"intake:{intake_id}"]


def test_clinician_saves_a_note_front_desk_reads_it(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app)
    html = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    assert "<textarea" in html
    note = "Check reflexes <b>today</b>"
    client.post(f"/staff/intakes/{intake_id}/note",
                data={"csrf_token": csrf_from(html), "note": note})
    assert "Check reflexes &lt;b&gt;today&lt;/b&gt;" in page(client, f"/staff/intakes/{intake_id}")
    assert audits(app, "intake.note") == [f"intake:{intake_id}"]

    desk = staff(app.test_client(), runner, "front_desk")
    html = page(desk, f"/staff/intakes/{intake_id}")
    assert "<textarea" not in html and "Check reflexes" in html
    response = desk.post(f"/staff/intakes/{intake_id}/note",
                         data={"csrf_token": csrf_from(html), "note": "x"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Intake, intake_id).review_note == note  # type: ignore[union-attr]


def test_too_long_note_is_refused(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app)
    html = page(staff(client, runner, "clinician"), f"/staff/intakes/{intake_id}")
    client.post(f"/staff/intakes/{intake_id}/note",
                data={"csrf_token": csrf_from(html), "note": "x" * 5000})
    assert "not saved" in page(client, f"/staff/intakes/{intake_id}")
    with app.app_context():
        assert db.session.get(Intake, intake_id).review_note is None  # type: ignore[union-attr]


def test_open_pdf_is_a_view_and_i_printed_it_records_the_print(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Issue 24 item 6: "Open handout PDF" opens the PDF in a new tab and is recorded as a
    view (handout.view), never as printed; "I printed it" records who printed it and when."""
    intake_id = store_intake(app, first="Zoë", reference="KAT-482")
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    for name in ('name="lang"', 'name="paper"', 'name="large_print"'):
        assert name in html
    assert re.search(r'<button[^>]*id="open-pdf"[^>]*formtarget="_blank"', html)
    assert 'rel="noopener"' in html
    response = client.post(f"/staff/intakes/{intake_id}/print",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "a4"})
    assert response.status_code == 303
    response = client.get(response.location)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="handout-KAT-482.pdf"'
    assert "Zo" not in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
    assert "Zoë Núñez" in text and "KAT-482" in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "out.pdf")], check=True,
                          capture_output=True, text=True).stdout
    assert "(A4)" in info
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None and intake.printed_at is None
    assert audits(app, "intake.print") == []
    assert audits(app, "handout.view") == [f"intake:{intake_id}"]
    assert "Not printed yet." in page(client, f"/staff/intakes/{intake_id}")

    assert client.post(f"/staff/intakes/{intake_id}/printed").status_code == 400  # no token
    response = client.post(f"/staff/intakes/{intake_id}/printed",
                           data={"csrf_token": csrf_from(html)})
    assert response.status_code == 303
    assert status_of(app, intake_id) == "new"
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None and intake.printed_at is not None
        assert intake.printed_by is not None and intake.printed_by.username == "front_desk"
    assert audits(app, "intake.print") == [f"intake:{intake_id}"]
    assert "Printed by front_desk at" in page(client, f"/staff/intakes/{intake_id}")


def test_a_get_of_the_pdf_changes_nothing(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """A cross-site link to the PDF can read (if logged in) but never mark a print."""
    intake_id = store_intake(app)
    staff(client, runner)
    assert client.get(f"/staff/intakes/{intake_id}/handout.pdf").status_code == 200
    assert status_of(app, intake_id) == "new"
    assert audits(app, "intake.print") == []
    assert audits(app, "handout.view") == [f"intake:{intake_id}"]


def test_print_needs_a_csrf_token(app: Flask, client: FlaskClient, runner: FlaskCliRunner) -> None:
    intake_id = store_intake(app)
    staff(client, runner)
    response = client.post(f"/staff/intakes/{intake_id}/print", data={"lang": "en"})
    assert response.status_code == 400
    assert status_of(app, intake_id) == "new"


def test_print_does_not_reopen_a_closed_intake(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, status="closed")
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    response = client.post(f"/staff/intakes/{intake_id}/print",
                           data={"csrf_token": csrf_from(html), "lang": "en", "paper": "letter"})
    assert response.status_code == 303
    assert status_of(app, intake_id) == "closed"


def test_bad_print_options_are_refused(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app)
    staff(client, runner)
    for query in ("lang=fr", "paper=legal"):
        assert client.get(f"/staff/intakes/{intake_id}/handout.pdf?{query}").status_code == 400
    assert status_of(app, intake_id) == "new"


@pytest.fixture
def spanish_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    out = tmp_path / "translations" / "es" / "LC_MESSAGES"
    out.mkdir(parents=True)
    po = ROOT / "translations" / "handout" / "es" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source, (out / "messages.mo").open("wb") as target:
        write_mo(target, read_po(source))
    return make_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))


def test_spanish_large_print_letter(
    spanish_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    intake_id = store_intake(spanish_app)
    client = staff(spanish_app.test_client(), spanish_app.test_cli_runner())
    response = client.get(
        f"/staff/intakes/{intake_id}/handout.pdf?lang=es&large_print=y&paper=letter")
    assert response.status_code == 200
    assert "Cuándo buscar ayuda" in pdf_text(response.data, tmp_path)
    with spanish_app.app_context():
        variants = list(db.session.scalars(select(HandoutRender.variant)))
    assert variants == ["es-large-letter"]


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = printing.render_handout

    def counting(req: Any) -> bytes:
        calls.append(1)
        return real(req)

    monkeypatch.setattr(printing, "render_handout", counting)
    return calls


def test_second_print_comes_from_the_cache(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_renders(monkeypatch)
    intake_id = store_intake(app)
    staff(client, runner)
    first = client.get(f"/staff/intakes/{intake_id}/handout.pdf").data
    second = client.get(f"/staff/intakes/{intake_id}/handout.pdf").data
    assert first == second and len(calls) == 1
    client.get(f"/staff/intakes/{intake_id}/handout.pdf?large_print=y")
    assert len(calls) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HandoutRender)) == 2


def test_printing_a_cached_handout_never_reads_its_pdf(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The print POST asks whether the variant is cached (EXISTS on its id); only the PDF's
    own URL reads the bytes."""
    calls = count_renders(monkeypatch)
    intake_id = store_intake(app)
    html = page(staff(client, runner), f"/staff/intakes/{intake_id}")
    form = {"csrf_token": csrf_from(html), "lang": "en", "paper": "letter"}
    assert client.post(f"/staff/intakes/{intake_id}/print", data=form).status_code == 303
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.post(f"/staff/intakes/{intake_id}/print", data=form).status_code == 303
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(calls) == 1
    reads = [statement for statement in statements if "FROM handout_render" in statement]
    assert reads and not any("handout_render.pdf" in statement for statement in reads)
    assert audits(app, "intake.print") == []  # opening the PDF is not printing it


def test_stale_cache_is_rendered_again(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = count_renders(monkeypatch)
    app = make_app()
    intake_id = store_intake(app)
    with app.app_context():
        printing.ensure_handout(intake_id, "en", False, "letter")  # no request needed
        printing.ensure_handout(intake_id, "en", False, "letter")
    assert len(calls) == 1
    moved = make_app(CLINIC_PHONE="555-0199")
    with moved.app_context():
        pdf = printing.ensure_handout(intake_id, "en", False, "letter")
        rows = db.session.scalars(select(HandoutRender)).all()
        assert len(rows) == 1 and rows[0].pdf == pdf
    assert len(calls) == 2
    assert "555-0199" in pdf_text(pdf, tmp_path)
    with app.app_context(), pytest.raises(LookupError):
        printing.ensure_handout(9999, "en", False, "letter")


def test_content_key_covers_every_input(app: Flask) -> None:
    intake_id = store_intake(app)
    with app.app_context():
        intake = db.session.get(Intake, intake_id)
        assert intake is not None
        base = printing.handout_request(intake, "en", False, "letter")
        keys = {printing.content_key(base)}
        for lang, large, paper in (("es", False, "letter"), ("en", True, "letter"),
                                   ("en", False, "a4")):
            keys.add(printing.content_key(printing.handout_request(intake, lang, large, paper)))
        intake.patient.first_name = "Other"
        keys.add(printing.content_key(printing.handout_request(intake, "en", False, "letter")))
        db.session.rollback()
    assert len(keys) == 5


def test_the_patients_large_print_choice_is_shown_and_preselected(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """Issue 24 item 5: the kiosk's large-print choice reaches the staff page and the print
    form, as the language does."""
    large = store_intake(app, language="es")
    standard = store_intake(app)
    with app.app_context():
        intake = db.session.get(Intake, large)
        assert intake is not None
        intake.large_print = True
        db.session.commit()
    staff(client, runner)
    html = page(client, f"/staff/intakes/{large}")
    assert '<dd id="print-size"><strong>Large print</strong>' in html
    assert re.search(r'<input checked id="large_print" name="large_print" type="checkbox"', html)
    assert re.search(r'<option selected value="es">', html)
    html = page(client, f"/staff/intakes/{standard}")
    assert '<dd id="print-size">Standard' in html
    assert 'checked id="large_print"' not in html
