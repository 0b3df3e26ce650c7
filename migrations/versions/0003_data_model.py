"""data model: status, urgency and role as CHECK-constrained enumerations; two indexes

Indexes on intake.patient_id and audit_event.record.

Revision ID: 0003_data_model
Revises: 0002_audit_guards
Create Date: 2026-12-02 10:00:00

The columns become what the models' `choice()` columns are (a VARCHAR as long as the longest
value, with a CHECK constraint named by the naming convention: ck_<table>_<enum name>). The
values are written out here, not imported: a migration must keep meaning what it meant.

At this revision the workflow still has a "printed" status; 0004 turns it into printed_at.

SQLite cannot alter a CHECK constraint, so batch mode rebuilds intake and staff_user (their
named indexes, unique and foreign key constraints are reflected and recreated). audit_event is
never rebuilt: a rebuild would drop its append-only triggers (0002). Its index is a plain
CREATE INDEX.
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_data_model'
down_revision = '0002_audit_guards'
branch_labels = None
depends_on = None

OLD_LENGTH = 16
URGENCIES = ("emergency", "urgent", "routine", "self_care")
STATUSES = ("new", "seen", "printed", "closed")
STAFF_ROLES = ("front_desk", "clinician", "admin")

HANDOUT_RENDER_COLUMNS = "id, intake_id, variant, content_key, pdf, created_at"


def one_of(column, values):
    """The CHECK condition SQLAlchemy writes for a non-native Enum."""
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def longest(values):
    return max(len(value) for value in values)


@contextmanager
def keeping_handout_renders():
    """Keep handout_render's rows while SQLite rebuilds intake.

    The batch rebuild drops the old intake table, and with PRAGMA foreign_keys on (the app turns
    it on for every connection, and it cannot be turned off inside the migration's transaction)
    DROP TABLE deletes intake's rows first, which cascades to handout_render (ON DELETE
    CASCADE). So the rows are set aside and put back once the new intake table is in place.
    """
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    op.execute(f"CREATE TEMP TABLE _kept_handout_render AS "
               f"SELECT {HANDOUT_RENDER_COLUMNS} FROM handout_render")
    op.execute("DELETE FROM handout_render")
    yield
    op.execute(f"INSERT INTO handout_render ({HANDOUT_RENDER_COLUMNS}) "
               f"SELECT {HANDOUT_RENDER_COLUMNS} FROM _kept_handout_render")
    op.execute("DROP TABLE _kept_handout_render")


def upgrade():
    with keeping_handout_renders(), op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.alter_column('urgency', existing_type=sa.String(length=OLD_LENGTH),
                              type_=sa.String(length=longest(URGENCIES)),
                              existing_nullable=False)
        batch_op.alter_column('status', existing_type=sa.String(length=OLD_LENGTH),
                              type_=sa.String(length=longest(STATUSES)),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_intake_urgency'),
                                         one_of('urgency', URGENCIES))
        batch_op.create_check_constraint(op.f('ck_intake_intake_status'),
                                         one_of('status', STATUSES))
        batch_op.create_index(op.f('ix_intake_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=OLD_LENGTH),
                              type_=sa.String(length=longest(STAFF_ROLES)),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_staff_user_staff_role'),
                                         one_of('role', STAFF_ROLES))

    # Not batch: CREATE INDEX needs no rebuild, and a rebuild would lose the triggers.
    op.create_index(op.f('ix_audit_event_record'), 'audit_event', ['record'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_audit_event_record'), table_name='audit_event')

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_user_staff_role'), type_='check')
        batch_op.alter_column('role', existing_type=sa.String(length=longest(STAFF_ROLES)),
                              type_=sa.String(length=OLD_LENGTH), existing_nullable=False)

    with keeping_handout_renders(), op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_intake_patient_id'))
        batch_op.drop_constraint(op.f('ck_intake_intake_status'), type_='check')
        batch_op.drop_constraint(op.f('ck_intake_urgency'), type_='check')
        batch_op.alter_column('status', existing_type=sa.String(length=longest(STATUSES)),
                              type_=sa.String(length=OLD_LENGTH), existing_nullable=False)
        batch_op.alter_column('urgency', existing_type=sa.String(length=longest(URGENCIES)),
                              type_=sa.String(length=OLD_LENGTH), existing_nullable=False)
