"""Another website cannot open audited staff pages in a clinician's name (issue 25, G10).

A link on another site opened an intake (or its PDF) as the logged-in staff member, since the
session cookie (SameSite=Lax) goes with top-level links, and the audit trail recorded that
staff member viewing it. GETs that write an audit row now refuse a request whose
Sec-Fetch-Site says another site started it: a 403 page with a link to the queue, and no
audit row. Our own pages (same-origin), a typed address or bookmark (none), and clients that
send no such header (command-line tools) still work.
"""

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.factories import audit_count, create_staff, staff_get_pages, store_intake
from tests.pages import login

MESSAGE = "This page was opened from another website, so it was not shown."


@pytest.fixture
def admin(client: FlaskClient, runner: FlaskCliRunner) -> FlaskClient:
    assert create_staff(runner, role="admin").exit_code == 0
    assert login(client).status_code == 302
    return client


def audited_pages(app: Flask) -> list[str]:
    intake_id = store_intake(app)
    today = date.today().isoformat()
    return [f"/staff/intakes/{intake_id}", f"/staff/intakes/{intake_id}/handout.pdf",
            f"/staff/intakes/{intake_id}/fhir", f"/staff/export?start={today}&end={today}",
            "/staff/audit"]


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_audited_pages_opened_from_another_site_are_refused(
    app: Flask, admin: FlaskClient, site: str
) -> None:
    pages = audited_pages(app)
    before = audit_count(app)
    for url in pages:
        response = admin.get(url, headers={"Sec-Fetch-Site": site})
        html = response.get_data(as_text=True)
        assert response.status_code == 403, url
        assert MESSAGE in html and 'href="/staff/"' in html, url
        assert "Traceback" not in html
    assert audit_count(app) == before


def test_every_audited_staff_get_refuses_another_site(app: Flask, admin: FlaskClient) -> None:
    """Whatever staff GET writes an audit row is guarded, not only the ones listed above."""
    for url in staff_get_pages(app, store_intake(app)):
        before = audit_count(app)
        admin.get(url, headers={"Sec-Fetch-Site": "cross-site"})
        assert audit_count(app) == before, url


@pytest.mark.parametrize("site", ["same-origin", "none", None])
def test_our_own_pages_bookmarks_and_tools_still_open_them(
    app: Flask, admin: FlaskClient, site: str | None
) -> None:
    headers = {"Sec-Fetch-Site": site} if site else {}
    for url in audited_pages(app):
        before = audit_count(app)
        response = admin.get(url, headers=headers)
        assert response.status_code == 200, url
        assert audit_count(app) == before + 1, url


def test_the_queue_opens_from_a_link_on_another_site(admin: FlaskClient) -> None:
    """A link to the queue (an intranet page, an e-mail) records nothing, so it stays open."""
    assert admin.get("/staff/", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200


def test_a_login_link_from_another_site_does_not_choose_the_page_after_login(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """The link /staff/login?next=/staff/intakes/N on another site used to land the staff
    member, once logged in, on that intake: an audited view the other site chose."""
    assert create_staff(runner).exit_code == 0
    intake_id = store_intake(app)
    target = f"/staff/intakes/{intake_id}"
    landing = client.get(f"/staff/login?next={target}", headers={"Sec-Fetch-Site": "cross-site"})
    assert landing.status_code == 302 and landing.headers["Location"] == "/staff/login"
    # Logging in from our own login page then goes to the queue.
    assert login(client).headers["Location"] == "/staff/"
    # From our own pages (login_required's redirect, same-origin) the next page stays.
    own = client.get(f"/staff/login?next={target}", headers={"Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 200
