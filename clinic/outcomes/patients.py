"""Returning patients: an intake joins the patient who came before with the same name and
date of birth (case, accents, spaces and hyphens ignored: Patient.match_key), and staff split
a wrong match or join a missed one (each audited)."""

from datetime import date

from sqlalchemy import delete, func, select, update

from clinic import database
from clinic.audit.chain import audit
from clinic.extensions import db
from clinic.models import Intake, Patient, patient_match_key

SPLIT_ACTION = "patient.split"
JOIN_ACTION = "patient.join"


class PatientMatchError(ValueError):
    """A split or join that cannot be made; the message says why."""


def returning_patient(first_name: str, last_name: str, date_of_birth: date) -> Patient | None:
    """The patient an earlier visit with this name and date of birth made, if any: one lookup
    on the indexed match key. After a split two patients can share a key; the newest is the
    one staff last told apart, and staff can join or split again."""
    key = patient_match_key(first_name, last_name, date_of_birth)
    return db.session.scalars(
        select(Patient).where(Patient.match_key == key).order_by(Patient.id.desc()).limit(1)
    ).first()


def patient_for(first_name: str, last_name: str, date_of_birth: date) -> Patient:
    """The returning patient, or a new one (not added yet: the intake that names it adds it).

    Inside the submit's write transaction, holding the match key until it commits: two kiosks
    sending the same new patient at once would otherwise both find nobody (on PostgreSQL,
    where writers do not wait for each other) and make two patient rows."""
    database.hold(database.key_of("patient:" + patient_match_key(first_name, last_name,
                                                                   date_of_birth)))
    found = returning_patient(first_name, last_name, date_of_birth)
    if found is not None:
        return found
    return Patient(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth)


def visits(patient_id: int) -> int:
    return int(db.session.scalar(
        select(func.count(Intake.id)).where(Intake.patient_id == patient_id)) or 0)


def split(intake_id: int) -> Patient:
    """This intake was matched to the wrong person: it gets a patient of its own (the same name
    and date of birth, as typed at that visit's kiosk). Audited."""
    with database.write():
        intake = db.session.get(Intake, intake_id)
        if intake is None:
            raise PatientMatchError("there is no such intake")
        if visits(intake.patient_id) < 2:
            raise PatientMatchError("this is the patient's only visit")
        old = intake.patient
        alone = Patient(first_name=old.first_name, last_name=old.last_name,
                        date_of_birth=old.date_of_birth)
        db.session.add(alone)
        intake.patient = alone
        db.session.flush()
        audit(SPLIT_ACTION, f"intake:{intake.id}")
    return alone


def join(intake_id: int, other_reference: str) -> Patient:
    """This intake's patient and the patient of the intake with `other_reference` are the same
    person: every visit of this one moves to that one, and the emptied row goes. Audited."""
    with database.write():
        intake = db.session.get(Intake, intake_id)
        if intake is None:
            raise PatientMatchError("there is no such intake")
        other = db.session.scalars(select(Intake).where(
            Intake.reference == other_reference.strip().upper())).first()
        if other is None:
            raise PatientMatchError("no intake has that reference")
        if other.patient_id == intake.patient_id:
            raise PatientMatchError("both intakes are already the same patient's")
        target, emptied = other.patient, intake.patient
        db.session.execute(update(Intake).where(Intake.patient_id == emptied.id)
                           .values(patient_id=target.id))
        db.session.execute(delete(Patient).where(Patient.id == emptied.id))
        db.session.expire_all()
        audit(JOIN_ACTION, f"intake:{intake_id}")
    return target
