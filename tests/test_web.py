"""Every response, errors included, carries the security headers; error pages speak the
patient's language."""

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from werkzeug.routing import Rule

from clinic.handout import HANDOUT_MESSAGE
from clinic.web import MESSAGES
from tests.pages import start

EXPECTED_CSP = [
    "default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
    "form-action 'self'",
]
SAMPLE_VALUES: dict[str, Any] = {"int": 1, "string": "x", "path": "css/app.css", "default": "x"}


ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _sample_url(rule: Rule) -> str:
    """The rule's path with a plausible value for each argument."""
    return ARGUMENT.sub(
        lambda match: str(SAMPLE_VALUES.get(match.group(1) or "default", "x")), rule.rule
    )


def _assert_secure(response: Any) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in EXPECTED_CSP:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"  # issue 25 G1: not no-referrer
    assert response.headers["Permissions-Policy"]
    assert not any(ch.isdigit() for ch in response.headers.get("Server", ""))


def test_every_route_and_method_sends_security_headers(app: Flask, client: FlaskClient) -> None:
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 3
    for rule in rules:
        url = _sample_url(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            with client.open(url, method=method) as response:
                assert response.status_code < 500, (method, url)
                _assert_secure(response)


@pytest.mark.parametrize("url", ["/no-such-page", "/staff/intakes/999999/handout.pdf"])
def test_error_responses_send_security_headers(client: FlaskClient, url: str) -> None:
    _assert_secure(client.get(url))


def test_hsts_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://kiosk.local")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_internal_errors_show_a_calm_page_with_headers(make_app: Any) -> None:
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Please tell the front desk" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    _assert_secure(response)


def test_every_error_message_has_spanish(app: Flask) -> None:
    """The error pages' words come from the catalogs (the template holds no copy of them)."""
    with app.test_request_context():
        for message in [*MESSAGES.values(), HANDOUT_MESSAGE]:
            with force_locale("en"):
                english = str(message)
            with force_locale("es"):
                assert str(message) != english, english


def test_a_spanish_kiosk_patient_reads_a_missing_page_in_spanish(client: FlaskClient) -> None:
    start(client, "es")
    response = client.get("/no-such-page")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No encontramos esa página." in body and str(MESSAGES[404]) not in body
