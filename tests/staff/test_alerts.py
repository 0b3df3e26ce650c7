"""Live alerts: GET /staff/alerts (JSON), the live region and script on every staff page, the
idle timeout that polling never refreshes, and the chime file."""

import re
import struct
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

import clinic.staff.auth as staff_auth
from clinic.extensions import db
from clinic.models import AuditEvent, utcnow
from clinic.staff.alerts import ALERT_LIST_MAX, cause_words
from tests.factories import audit_count, store_intake, today_at
from tests.pages import csrf_from, page, staff

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = '<script src="/static/js/staff.js" defer></script>'


def alerts(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/staff/alerts")
    assert response.status_code == 200 and response.is_json, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert set(data) == {"count", "alerts", "latest_id"}
    return dict(data)


def test_an_unacknowledged_emergency_is_listed_until_acknowledged(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    created = datetime.now(UTC) - timedelta(minutes=3)
    intake_id = store_intake(app, "Zoë", "Quist", reference="KAT-482", created_at=created,
                             red_flags=["saddle_numbness"])
    store_intake(app, "Routine", "Person", red_flags=["weight_loss"])
    data = alerts(staff(client, runner, "clinician"))
    assert data["count"] == 1
    assert data["alerts"] == [{
        "id": intake_id, "reference": "KAT-482", "patient": "Zoë Quist",
        "urgency": "emergency", "cause": "saddle numbness (possible cauda equina)",
        "raised_at": created.strftime("%H:%M" if created.date() == datetime.now(UTC).date()
                                      else "%b %-d, %Y %H:%M"),
        "url": f"/staff/intakes/{intake_id}",
    }]
    token = csrf_from(page(client, f"/staff/intakes/{intake_id}"))
    client.post(f"/staff/intakes/{intake_id}/acknowledge", data={"csrf_token": token})
    assert alerts(client)["count"] == 0 and alerts(client)["alerts"] == []


def test_only_open_unacknowledged_emergencies_and_urgent_intakes_emergencies_first(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    now = datetime.now(UTC)
    urgent = store_intake(app, "Early", "Urgent", created_at=today_at(9, 0),
                          red_flags=["leg_weakness"])
    emergency = store_intake(app, "Later", "Emergency", created_at=today_at(9, 8),
                             red_flags=["chest_pain_or_breathless"])
    store_intake(app, "Taken", "Emergency", red_flags=["saddle_numbness"], acknowledged=True)
    store_intake(app, "Closed", "Old", red_flags=["saddle_numbness"], status="closed")
    store_intake(app, "Self", "Care")
    # Yesterday's unacknowledged emergency still alerts: an alert stays until someone acts.
    old = store_intake(app, "Yesterday", "Urgent", created_at=now - timedelta(days=1, hours=1),
                       red_flags=["fever_or_chills"])
    data = alerts(staff(client, runner))
    assert data["count"] == 3
    assert [a["id"] for a in data["alerts"]] == [emergency, old, urgent]
    causes = {a["id"]: a["cause"] for a in data["alerts"]}
    assert causes[emergency] == "chest pain or breathlessness"
    assert causes[urgent] == "leg getting weaker"
    # Not today: the date as staff pages write it in en_US ("Dec 1, 2026 14:05").
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d\d:\d\d", data["alerts"][1]["raised_at"])


def test_raised_at_is_clinic_local_time(make_app: Any) -> None:
    app = make_app(CLINIC_TIMEZONE="Pacific/Kiritimati")  # UTC+14: never the same clock
    created = datetime.now(UTC) - timedelta(minutes=2)
    store_intake(app, created_at=created, red_flags=["bladder_bowel_change"])
    client = staff(app.test_client(), app.test_cli_runner())
    local = created.astimezone(ZoneInfo("Pacific/Kiritimati")).strftime("%H:%M")
    [alert] = alerts(client)["alerts"]
    assert alert["raised_at"].endswith(local)  # "HH:MM", with the date before midnight there
    assert alert["cause"] == "new bladder or bowel trouble (possible cauda equina)"


def test_the_count_is_complete_when_the_list_is_cut(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    for _ in range(ALERT_LIST_MAX + 2):
        store_intake(app, red_flags=["fever_or_chills"])
    data = alerts(staff(client, runner))
    assert data["count"] == ALERT_LIST_MAX + 2 and len(data["alerts"]) == ALERT_LIST_MAX
    assert "And 2 more: see the queue." in page(client, "/staff/help")


def test_polling_writes_no_audit_row(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, red_flags=["saddle_numbness"])
    staff(client, runner)
    before = audit_count(app)
    for _ in range(5):
        alerts(client)
    assert audit_count(app) == before


def test_logged_out_gets_a_json_401_not_the_login_page(client: FlaskClient) -> None:
    response = client.get("/staff/alerts")
    assert response.status_code == 401 and response.is_json
    assert response.get_json()["error"] == "logged_out"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Location" not in response.headers


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(staff_auth, "utcnow", lambda: moment)


def test_polling_never_keeps_an_idle_session_alive(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    start = utcnow()
    staff(client, runner)
    with client.session_transaction() as session:
        logged_in_at = session["last_seen"]
    # Polling every few seconds for most of the idle time: the last-seen time does not move.
    for minutes in (1, 5, 10, idle.seconds // 60 - 1):
        _at(monkeypatch, start + timedelta(minutes=minutes))
        alerts(client)
        with client.session_transaction() as session:
            assert session["last_seen"] == logged_in_at
    # Past the idle time the poll itself ends the session, and says so in JSON.
    _at(monkeypatch, start + idle + timedelta(minutes=1))
    response = client.get("/staff/alerts")
    assert response.status_code == 401 and response.get_json()["error"] == "logged_out"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "logout.idle")) == 1
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert "You were logged out after" in client.get("/staff/login").get_data(as_text=True)


def test_a_page_request_does_keep_the_session_alive(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contrast: real use of a page refreshes the idle timer, the poll does not."""
    idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    start = utcnow()
    staff(client, runner)
    _at(monkeypatch, start + idle - timedelta(minutes=1))
    page(client, "/staff/")
    _at(monkeypatch, start + idle + timedelta(minutes=1))
    alerts(client)


# --- every staff page ---------------------------------------------------------------------------

def test_every_staff_page_has_the_live_region_and_the_script(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    intake_id = store_intake(app, red_flags=["saddle_numbness"])
    staff(client, runner, "admin")
    urls = ["/staff/", f"/staff/intakes/{intake_id}", f"/staff/intakes/{intake_id}/close",
            "/staff/export", "/staff/audit", "/staff/help", "/staff/dashboard"]
    # Every HTML page under /staff/ is in the list (JSON, PDF and CSV answers are not pages).
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff/") or "GET" not in (rule.methods or ()):
            continue
        url = rule.rule.replace("<int:intake_id>", str(intake_id))
        response = client.get(url)
        if response.mimetype == "text/html" and rule.endpoint != "staff.login":
            assert url in urls, f"add {url} to this test"
    for url in urls:
        html = page(client, url)
        assert html.count(SCRIPT) == 1, url
        assert '<div id="alert-live" role="alert" aria-live="assertive"' in html, url
        assert 'data-alerts-url="/staff/alerts"' in html and 'data-poll-seconds="2"' in html, url
        assert 'id="alert-mute" class="button" aria-pressed="false" hidden' in html, url
        assert 'id="alert-sound" class="button" hidden>Click to turn on sound<' in html, url
        assert 'data-waiting-url="/staff/alerts/waiting"' in html, url
        assert '<li class="alert-item alert-emergency" data-alert-id="' in html, url
        assert "Ana Núñez</a>: saddle numbness (possible cauda equina)" in html, url
        assert 'href="/staff/help"' in html, url
        assert "<script>" not in html and " on" + "click=" not in html, url  # CSP: no inline
    client.post("/staff/logout", data={"csrf_token": csrf_from(page(client, "/staff/"))})
    login = client.get("/staff/login").get_data(as_text=True)
    assert "staff.js" not in login and "alert-live" not in login


def test_the_poll_interval_comes_from_config(make_app: Any) -> None:
    app = make_app(ALERT_POLL_S=3)
    client = staff(app.test_client(), app.test_cli_runner())
    assert 'data-poll-seconds="3"' in page(client, "/staff/")


def test_the_queue_tells_the_script_the_newest_intake(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    first = store_intake(app)
    html = page(staff(client, runner), "/staff/")
    assert f'id="queue-new" class="queue-new" data-latest-id="{first}"' in html
    second = store_intake(app)
    assert alerts(client)["latest_id"] == second > first


# --- the parts the script relies on -------------------------------------------------------------

def test_an_alert_names_its_emergency_and_urgent_causes_in_staff_words() -> None:
    both = {"urgency_reasons": [{"code": "saddle_numbness", "text": "x"},
                                {"code": "weight_loss", "text": "y"},
                                {"code": "fever_or_chills", "text": "z"}]}
    assert cause_words(both) == \
        "saddle numbness (possible cauda equina); fever or chills (possible infection)"
    # Never the patient's own wording.
    assert cause_words({"urgency_reasons": [{"code": "leg_weakness", "text": "You said"}]}) \
        == "leg getting weaker"


def test_the_script_uses_the_ids_the_template_renders() -> None:
    script = (ROOT / "static" / "js" / "staff.js").read_text()
    template = "".join((ROOT / "templates" / "staff" / name).read_text()
                       for name in ("_alerts.html", "queue.html", "detail.html"))
    for element_id in re.findall(r'getElementById\("([\w-]+)"\)', script):
        assert f'id="{element_id}"' in template, element_id
    for name in re.findall(r"dataset\.(\w+)", script):
        attribute = "data-" + re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name)
        assert attribute in template, attribute
    assert "innerHTML" not in script  # patient names only ever go in as text
    assert "setInterval" not in script  # one poll at a time: the next after the last answer


def test_the_chime_is_short_quiet_and_made_by_the_script() -> None:
    path = ROOT / "static" / "sounds" / "chime.wav"
    with wave.open(str(path)) as chime:
        frames = chime.readframes(chime.getnframes())
        assert chime.getnchannels() == 1 and chime.getsampwidth() == 2
        assert chime.getnframes() / chime.getframerate() <= 1.0
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    assert 0.1 < max(abs(s) for s in samples) / 32767 <= 0.5  # audible, not loud
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_chime", ROOT / "scripts" / "make_chime.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert list(samples) == module.samples(), "run python scripts/make_chime.py again"


# --- after a logout the screen keeps counting (issue 24 item 4) ---------------------------------

def test_a_logged_out_staff_screen_still_counts_the_alerts_waiting(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    store_intake(app, first="Zoë", last="Secret", reference="EMR-111",
                 red_flags=["saddle_numbness"])
    store_intake(app, reference="URG-222", red_flags=["fever_or_chills"])
    store_intake(app, reference="URG-333", red_flags=["fever_or_chills"], acknowledged=True)
    staff(client, runner)
    client.post("/staff/logout", data={"csrf_token": csrf_from(page(client, "/staff/"))})
    assert client.get("/staff/alerts").status_code == 401
    response = client.get("/staff/alerts/waiting")
    assert response.status_code == 200
    assert response.get_json() == {"emergency": 1, "urgent": 1}
    body = response.get_data(as_text=True)
    assert "Secret" not in body and "EMR-111" not in body and "Zo" not in body


def test_the_waiting_count_is_refused_to_a_browser_that_never_logged_in(
    app: Flask, client: FlaskClient
) -> None:
    store_intake(app, red_flags=["saddle_numbness"])
    response = client.get("/staff/alerts/waiting")
    assert response.status_code == 403 and "emergency" not in response.get_json()
    client.set_cookie("staff_screen", "forged", path="/staff/")
    assert client.get("/staff/alerts/waiting").status_code == 403


def test_the_screen_cookie_holds_no_account_and_no_patient(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    staff(client, runner)
    cookie = client.get_cookie("staff_screen", path="/staff/")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    assert "desk" not in cookie.value

