"""Who may open what: every /staff/ URL in the app's url_map, for every kind of visitor."""

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.factories import store_intake
from tests.pages import csrf_from, staff

ROLES = ("front_desk", "clinician", "admin")
EVERYONE = frozenset(ROLES)
CLINICAL = frozenset({"clinician", "admin"})
# The one table of expectations: endpoint -> roles allowed. A new staff route must be added
# here, or test_every_staff_route_is_in_the_table fails.
ACCESS: dict[str, frozenset[str]] = {
    "staff.queue": EVERYONE,
    "staff.detail": EVERYONE,
    "staff.handout": EVERYONE,
    "staff.print_handout": EVERYONE,
    "staff.send_to_printer": EVERYONE,
    "staff.mark_printed": EVERYONE,
    "staff.print_job": EVERYONE,
    "staff.mark_seen": EVERYONE,
    "staff.close": EVERYONE,  # front desk: routine and self-care only (test_workflow.py)
    "staff.acknowledge": CLINICAL,
    "staff.reopen": CLINICAL,
    "staff.alerts": EVERYONE,
    "staff.alerts_waiting": EVERYONE,
    "staff.help_page": EVERYONE,
    "staff.logout": EVERYONE,
    "staff.save_note": CLINICAL,
    "staff.export": frozenset({"admin"}),
    "staff.fhir_questionnaire": frozenset({"admin"}),
    "staff.fhir_intake": frozenset({"admin"}),
    "staff.audit_log": frozenset({"admin"}),
    # Issue 26: split or join a returning patient from the intake page.
    "staff.split_patient": EVERYONE,
    "staff.join_patient": EVERYONE,
    "staff.dashboard_view": CLINICAL,
}
PUBLIC = {"staff.login"}
# Counts only, for a staff screen that was logged out: refused (403) to any other browser.
SCREEN_ENDPOINTS = {"staff.alerts_waiting"}
# Polled by a page's script: a logged-out visitor gets a JSON 401, not the login page.
JSON_ENDPOINTS = {"staff.alerts"}


def staff_routes(app: Flask, intake_id: int) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every staff rule, URL parameters filled generically."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff/") or rule.endpoint == "static":
            continue
        values: dict[str, Any] = {}
        for name in rule.arguments:
            converter = type(rule._converters[name]).__name__
            values[name] = intake_id if converter == "IntegerConverter" else "x"
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        routes.append((rule.endpoint, method, url))
    return routes


def call(client: FlaskClient, method: str, url: str, token: str) -> Any:
    if method == "GET":
        return client.get(url)
    fields = {"csrf_token": token, "note": "n", "lang": "en", "paper": "letter"}
    return client.post(url, data=fields)


def token_for(client: FlaskClient) -> str:
    # The login page is public and carries a session-bound CSRF token.
    return csrf_from(client.get("/staff/login").get_data(as_text=True))


def test_every_staff_route_is_in_the_table(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _m, _u in staff_routes(app, 1)}
    assert endpoints - PUBLIC == set(ACCESS), "update ACCESS for new or removed staff routes"


def test_anonymous_visitors_are_sent_to_login(app: Flask, client: FlaskClient) -> None:
    intake_id = store_intake(app)
    token = token_for(client)
    for endpoint, method, url in staff_routes(app, intake_id):
        if endpoint in PUBLIC:
            continue
        response = call(client, method, url, token)
        if endpoint in SCREEN_ENDPOINTS:
            assert response.status_code == 403 and response.is_json, endpoint
            continue
        if endpoint in JSON_ENDPOINTS:
            assert response.status_code == 401 and response.is_json, endpoint
            assert response.get_json()["error"] == "logged_out", endpoint
            assert response.headers["Cache-Control"] == "no-store", endpoint
            continue
        assert response.status_code == 302, (endpoint, response.status_code)
        assert response.headers["Location"].startswith("/staff/login"), endpoint
        assert response.headers["Cache-Control"] == "no-store", endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_where_it_does_not_belong(
    app: Flask, runner: FlaskCliRunner, role: str
) -> None:
    routes = staff_routes(app, store_intake(app))
    client = staff(app.test_client(), runner, role)
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    # Logout last: it ends the session the other checks need.
    for endpoint, method, url in sorted(routes, key=lambda r: r[0] == "staff.logout"):
        if endpoint in PUBLIC:
            continue
        response = call(client, method, url, token)
        assert response.headers["Cache-Control"] == "no-store", endpoint
        if role in ACCESS[endpoint]:
            assert response.status_code in (200, 302, 303), (role, endpoint, response.status_code)
            if response.status_code == 302:
                assert "/staff/login" not in response.headers["Location"] or \
                    endpoint == "staff.logout", (role, endpoint)
        else:
            assert response.status_code == 403, (role, endpoint, response.status_code)


def test_errors_and_redirects_under_staff_are_not_cached(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    staff(client, runner)
    for url, code in (("/staff/intakes/999", 404), ("/staff/export", 403),
                      ("/staff/no-such-page", 404), ("/staff/login", 200)):
        response = client.get(url)
        assert response.status_code == code, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_a_kiosk_session_can_never_read_a_stored_intake(app: Flask) -> None:
    kiosk = app.test_client()
    # The kiosk session exists (its pages were used), but it is never a staff login.
    assert kiosk.get("/").status_code == 200
    intake_id = store_intake(app)
    for url in (f"/staff/intakes/{intake_id}", f"/staff/intakes/{intake_id}/handout.pdf",
                f"/staff/intakes/{intake_id}/fhir", "/staff/", "/staff/export"):
        response = kiosk.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert re.match(r"^/staff/login", response.headers["Location"]), url
        assert b"%PDF" not in response.data and "Núñez" not in response.get_data(as_text=True)
