"""Walk the kiosk steps through the Flask test client (also used by the staff tests)."""

import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient

RED_FLAGS = (
    "bladder_bowel_change", "saddle_numbness", "leg_weakness", "fever_or_chills",
    "cancer_history", "weight_loss", "night_pain", "immune_or_drug_risk",
    "chest_pain_or_breathless",
)
# Which answers each step posts, in order.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "about": ("first_name", "last_name", "dob_day", "dob_month", "dob_year"),
    "where": ("pain_areas",),
    "feel": ("pain_kinds", "both_legs"),
    "pain": ("duration", "severity", "onset", "leaning_or_compensating"),
    "danger": tuple(f"flag_{code}" for code in RED_FLAGS),
    "health": ("conditions",),
    "tried": ("tried",),
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def answers(**changes: Any) -> dict[str, Any]:
    """Every answer of a valid intake: a 40-year-old with a lifting spasm (self care)."""
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
        "conditions": ["none"],
        "tried": ["none"],
    }
    form.update({f"flag_{code}": "no" for code in RED_FLAGS})
    if isinstance(born := changes.pop("date_of_birth", None), str | date):
        born = date.fromisoformat(born) if isinstance(born, str) else born
        changes.update(dob_day=str(born.day), dob_month=str(born.month), dob_year=str(born.year))
    form.update(changes)
    return form


def token(client: FlaskClient, path: str) -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"{path} has no CSRF token"
    return match.group(1)


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
    data = answers(**overrides)
    start(client, data["language"])
    for step in STEP_FIELDS:
        response = post_step(client, step, data)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])
    response = client.post("/review", data={"csrf_token": token(client, "/review")})
    assert response.status_code == 302 and response.location.endswith("/done"), response.location
