"""Drive the app's pages through the Flask test client, as a browser would: CSRF tokens,
kiosk steps, staff login."""

import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient, FlaskCliRunner

from clinic import triage
from tests.factories import PASSWORD, create_staff

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def token(client: FlaskClient, path: str) -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- staff -------------------------------------------------------------------------------

def login(client: FlaskClient, username: str = "desk", password: str = PASSWORD,
          next_url: str = "") -> Any:
    csrf = token(client, "/staff/login")
    url = "/staff/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password,
                                  "csrf_token": csrf})


def staff(client: FlaskClient, runner: FlaskCliRunner, role: str = "front_desk") -> FlaskClient:
    """Log this client in as a new account with `role` (the account is named after it)."""
    assert create_staff(runner, username=role, role=role).exit_code == 0
    assert login(client, username=role).status_code == 302
    return client


def search(client: FlaskClient, **fields: str) -> str:
    """Search the queue as the form does: a POST, so names never appear in a URL."""
    csrf = csrf_from(page(client, "/staff/"))
    response = client.post("/staff/", data={**fields, "csrf_token": csrf})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- kiosk -------------------------------------------------------------------------------

# Which answers each step posts, in order.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "about": ("first_name", "last_name", "dob_day", "dob_month", "dob_year"),
    "danger": tuple(f"flag_{code}" for code in triage.RED_FLAGS),
    "where": ("pain_areas",),
    "feel": ("pain_kinds", "both_legs"),
    "pain": ("duration", "severity", "onset", "leaning_or_compensating"),
    "peg": ("peg_pain", "peg_enjoyment", "peg_activity"),
    "health": ("conditions",),
    "tried": ("tried",),
    "handout": ("large_print",),
}

# Steps whose every question may be left unanswered (the PEG): posting nothing is no error.
SKIPPABLE_STEPS = ("peg",)


def kiosk_answers(**changes: Any) -> dict[str, Any]:
    """Every kiosk answer of a valid intake: a 40-year-old with a lifting spasm (self-care)."""
    form: dict[str, Any] = {
        "language": "en",
        "first_name": "Ana",
        "last_name": "Núñez",
        "dob_day": "1",
        "dob_month": "1",
        "dob_year": str(date.today().year - 40),
        "pain_areas": ["lower_back"],
        "pain_kinds": ["spasm"],
        "both_legs": "no",
        "duration": "under_1_week",
        "severity": "6",
        "onset": "lifting",
        "leaning_or_compensating": "no",
        "peg_pain": "6",
        "peg_enjoyment": "5",
        "peg_activity": "4",
        "conditions": ["none"],
        "tried": ["none"],
        "large_print": "no",
    }
    form.update({f"flag_{code}": "no" for code in triage.RED_FLAGS})
    if isinstance(born := changes.pop("date_of_birth", None), str | date):
        born = date.fromisoformat(born) if isinstance(born, str) else born
        changes.update(dob_day=str(born.day), dob_month=str(born.month), dob_year=str(born.year))
    form.update(changes)
    return form


def start(client: FlaskClient, language: str = "en") -> None:
    response = client.post("/", data={"csrf_token": token(client, "/"), "language": language})
    assert response.status_code == 302, response.status_code


def post_step(client: FlaskClient, step: str, data: dict[str, Any], nav: str = "next") -> Any:
    """Post one step's answers (only the fields that step asks) as the browser would."""
    fields = {k: v for k, v in data.items() if k in STEP_FIELDS[step] and v is not None}
    path = f"/step/{step}"
    return client.post(path, data={**fields, "nav": nav, "csrf_token": token(client, path)})


def complete_intake(client: FlaskClient, **overrides: Any) -> None:
    """Answer every step and send the answers; the client ends on the result screen."""
    data = kiosk_answers(**overrides)
    start(client, data["language"])
    for step in STEP_FIELDS:
        response = post_step(client, step, data)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])
    response = client.post("/review", data={"csrf_token": token(client, "/review")})
    assert response.status_code == 302 and response.location.endswith("/done"), response.location


def every_page(client: FlaskClient, language: str) -> dict[str, str]:
    """Walk a whole journey, collecting each page's HTML."""
    pages = {"welcome": client.get("/").get_data(as_text=True)}
    start(client, language)
    pages["start-again"] = client.get("/start-again?step=about").get_data(as_text=True)
    data = kiosk_answers(flag_fever_or_chills="yes")
    for step in STEP_FIELDS:
        pages[step] = client.get(f"/step/{step}").get_data(as_text=True)
        if step not in SKIPPABLE_STEPS:
            pages[f"{step}-errors"] = post_step(client, step, {}).get_data(as_text=True)
        post_step(client, step, data)
    pages["review"] = client.get("/review").get_data(as_text=True)
    client.post("/review", data={"csrf_token": token(client, "/review")})
    pages["done"] = client.get("/done").get_data(as_text=True)
    pages["missing"] = client.get("/no-such-page").get_data(as_text=True)
    # A second patient answers Yes to an emergency sign: the emergency screen, at once.
    client.post("/reset", data={"csrf_token": token(client, "/")})
    start(client, language)
    post_step(client, "about", data)
    post_step(client, "danger", kiosk_answers(flag_saddle_numbness="yes",
                                              flag_chest_pain_or_breathless="yes"))
    pages["emergency"] = client.get("/done").get_data(as_text=True)
    assert "result-emergency" in pages["emergency"]
    return pages
