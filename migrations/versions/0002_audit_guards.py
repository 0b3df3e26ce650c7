"""audit_event is append-only: the database refuses UPDATE and DELETE

Revision ID: 0002_audit_guards
Revises: 0001
Create Date: 2026-11-22 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002_audit_guards'
down_revision = '0001'
branch_labels = None
depends_on = None

MESSAGE = "audit_event is append-only"

SQLITE_UP = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$""",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    # TRUNCATE skips row triggers. It is left open on purpose: the test fixtures empty every
    # table with TRUNCATE; in production, the app's role should not own the table (see README).
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


def _statements(sqlite, postgres):
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite
    if dialect == "postgresql":
        return postgres
    raise NotImplementedError(f"no append-only guard for {dialect}")


def upgrade():
    for statement in _statements(SQLITE_UP, POSTGRES_UP):
        op.execute(statement)


def downgrade():
    for statement in _statements(SQLITE_DOWN, POSTGRES_DOWN):
        op.execute(statement)
