"""Database models (SQLAlchemy 2.0 typed style): types (the base, shared lengths and values,
column helpers), intake (patient, intake, handouts, print jobs, drafts) and staff (accounts,
logins, audit trail) and outcomes (measures such as the PEG). Importing clinic.models
registers every table on db.metadata."""

from clinic.models.intake import (
    PRINT_JOB_STATES,
    URGENCY_ORDER,
    Draft,
    HandoutRender,
    Intake,
    Patient,
    PrintJob,
    patient_match_key,
    patient_search_name,
)
from clinic.models.outcomes import Measure
from clinic.models.staff import AuditEvent, StaffSession, StaffUser
from clinic.models.types import (
    ALERTS_PENDING,
    CLOSE_REASON_MAX,
    ID_MAX,
    INTAKE_STATUSES,
    NAME_MAX,
    NOTE_MAX,
    POSTGRESQL_ONLY_INDEXES,
    STAFF_ROLES,
    Model,
    UTCDateTime,
    choice,
    fold_name,
    utcnow,
)

__all__ = [
    "ALERTS_PENDING",
    "CLOSE_REASON_MAX",
    "ID_MAX",
    "INTAKE_STATUSES",
    "NAME_MAX",
    "NOTE_MAX",
    "POSTGRESQL_ONLY_INDEXES",
    "PRINT_JOB_STATES",
    "STAFF_ROLES",
    "URGENCY_ORDER",
    "AuditEvent",
    "Draft",
    "HandoutRender",
    "Intake",
    "Measure",
    "Model",
    "Patient",
    "PrintJob",
    "StaffSession",
    "StaffUser",
    "UTCDateTime",
    "choice",
    "fold_name",
    "patient_match_key",
    "patient_search_name",
    "utcnow",
]
