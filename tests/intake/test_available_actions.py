"""workflow.available_actions: what the intake page may offer each role, for every status and
urgency (the template shows exactly these buttons)."""

from datetime import UTC, datetime

import pytest

from clinic.intake.workflow import available_actions
from clinic.models import STAFF_ROLES, Intake
from clinic.triage import URGENCIES

ACKED = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
CLINICAL = ("clinician", "admin")


def intake(urgency: str, status: str = "new", acknowledged: bool = False) -> Intake:
    """A transient intake: the rules read only its urgency, status and acknowledgement."""
    return Intake(urgency=urgency, status=status, acknowledged_at=ACKED if acknowledged else None)


# (urgency, status, acknowledged) -> (front desk's actions, a clinician's or admin's actions)
CASES = {
    ("routine", "new", False): ({"mark_seen", "close", "print"},
                                {"mark_seen", "close", "note", "print"}),
    ("self_care", "seen", False): ({"close", "print"}, {"close", "note", "print"}),
    ("routine", "closed", False): ({"print"}, {"reopen", "note", "print"}),
    ("emergency", "new", False): ({"print"}, {"acknowledge", "note", "print"}),
    ("urgent", "new", False): ({"print"}, {"acknowledge", "note", "print"}),
    ("emergency", "new", True): ({"mark_seen", "print"},
                                 {"mark_seen", "close", "note", "print"}),
    ("urgent", "seen", True): ({"print"}, {"close", "note", "print"}),
    # Seen before anyone acknowledged it: it still waits for a clinician.
    ("urgent", "seen", False): ({"print"}, {"acknowledge", "note", "print"}),
    # Closed: no alert any more, nothing to acknowledge; only a clinician or admin reopens.
    ("emergency", "closed", False): ({"print"}, {"reopen", "note", "print"}),
    ("emergency", "closed", True): ({"print"}, {"reopen", "note", "print"}),
}


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: "-".join(map(str, case)))
def test_each_role_is_offered_what_the_rules_allow(
    case: tuple[str, str, bool], role: str
) -> None:
    front_desk, clinical = CASES[case]
    expected = clinical if role in CLINICAL else front_desk
    assert available_actions(intake(*case), role) == expected


@pytest.mark.parametrize("urgency", URGENCIES)
@pytest.mark.parametrize("status", ["new", "seen", "closed"])
@pytest.mark.parametrize("acknowledged", [False, True])
def test_front_desk_never_acknowledges_or_closes_an_alert(
    urgency: str, status: str, acknowledged: bool
) -> None:
    offered = available_actions(intake(urgency, status, acknowledged), "front_desk")
    assert "acknowledge" not in offered and "note" not in offered and "reopen" not in offered
    if urgency in ("emergency", "urgent"):
        assert "close" not in offered


def test_a_role_that_is_not_staff_is_offered_nothing() -> None:
    assert available_actions(intake("routine"), "patient") == frozenset()
