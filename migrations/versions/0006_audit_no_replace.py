"""audit_event: SQLite refuses INSERT OR REPLACE too (the audit chain is keyed from now on)

Revision ID: 0006_audit_no_replace
Revises: 0005_large_print
Create Date: 2026-12-03 09:00:00

SQLite's REPLACE conflict resolution deletes the conflicting row without firing DELETE
triggers (unless PRAGMA recursive_triggers is on, which is per connection and so up to whoever
connects): `INSERT OR REPLACE INTO audit_event (id, …)` with an existing id or hash rewrote a row
past 0002's guards. This trigger refuses, before any conflict is resolved, an insert with an
explicit id at or below the highest id, or with a hash already present. A normal insert lets
SQLite pick the id; a BEFORE INSERT trigger then sees NEW.id = -1, which is let through.

PostgreSQL has no REPLACE; INSERT … ON CONFLICT DO UPDATE fires 0002's UPDATE trigger. Nothing
changes there (the application role without UPDATE or DELETE is documented in
docs/security.md).

The existing rows keep their unkeyed sha256 hashes: recomputing them as HMACs would need the
audit key here and would bless whatever the rows hold now. `flask audit verify` accepts the
old hash for the rows before the first keyed row only (docs/security.md).

Keep in mind: rebuilding audit_event on SQLite (a batch migration that recreates the table)
drops its triggers; such a migration must create 0002's and this one again.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006_audit_no_replace'
down_revision = '0005_large_print'
branch_labels = None
depends_on = None

MESSAGE = "audit_event is append-only"

SQLITE_UP = f"""CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event
WHEN (NEW.id <> -1 AND NEW.id <= (SELECT max(id) FROM audit_event))
  OR EXISTS (SELECT 1 FROM audit_event WHERE hash = NEW.hash)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_replace"


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_UP)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_DOWN)
