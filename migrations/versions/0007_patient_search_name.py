"""patient.search_name: the folded name the staff search matches in SQL

Revision ID: 0007_patient_search_name
Revises: 0006_audit_no_replace
Create Date: 2026-12-04 09:00:00

The staff search used to load every intake into Python to match names without accents or case
(SQLite's lower() folds ASCII only). Now each patient carries `search_name`: casefold, NFKD,
combining marks dropped, white space collapsed, of "first last" (clinic.models.fold_name,
copied below as it is today so this migration never changes meaning). The app fills it on
every write; this migration fills the rows already there, in batches.

The column is added with a plain ALTER TABLE ADD COLUMN (NOT NULL with a server default, which
SQLite allows in place): no batch rebuild of patient, whose DROP TABLE would delete every
intake by ON DELETE CASCADE (see 0004's keeping_handout_renders).

Indexes (measured at 100,000 intakes: docs/scaling.md):
- ix_patient_search_name: on PostgreSQL a GIN trigram index (pg_trgm), which serves
  LIKE '%nunez%'; on SQLite a B-tree, which the search scans instead of the table;
- ix_intake_patient_queue: a patient's intakes with the queue's sort columns (status, urgency,
  created_at, id), so a search for a common surname orders its thousands of matches from the
  index instead of reading each wide intake row;
- ix_intake_alerts_pending: a partial index holding only the rows the staff alert poll wants
  (open, unacknowledged emergency and urgent intakes). With a year of intakes PostgreSQL
  misjudged ix_intake_open_alerts (urgency and acknowledgement are correlated) and planned
  parallel workers for each poll, every 2 s per staff screen: 55 ms against 0.2 ms.

Downgrade drops the indexes and the column (SQLite 3.35+ drops a plain column in place).
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_patient_search_name'
down_revision = '0006_audit_no_replace'
branch_labels = None
depends_on = None

BATCH = 5000
# The staff alert poll's filter, as of this revision (clinic.models.ALERTS_PENDING).
ALERTS_PENDING = ("acknowledged_at IS NULL AND status <> 'closed' "
                  "AND urgency IN ('emergency', 'urgent')")

patient = sa.table(
    'patient',
    sa.column('id', sa.Integer),
    sa.column('first_name', sa.String),
    sa.column('last_name', sa.String),
    sa.column('search_name', sa.Text),
)


def fold_name(text):
    """clinic.models.fold_name as of this revision."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def fill_search_names(connection):
    """Fill search_name for every patient, BATCH rows at a time (ids ascending)."""
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(patient.c.id, patient.c.first_name, patient.c.last_name)
            .where(patient.c.id > last_id).order_by(patient.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            patient.update().where(patient.c.id == sa.bindparam('row_id'))
            .values(search_name=sa.bindparam('folded')),
            [{'row_id': row.id,
              'folded': fold_name(f"{row.first_name or ''} {row.last_name or ''}")}
             for row in rows],
        )
        last_id = rows[-1].id


def upgrade():
    op.add_column('patient', sa.Column('search_name', sa.Text(), nullable=False,
                                       server_default=''))
    fill_search_names(op.get_bind())
    if op.get_bind().dialect.name == 'postgresql':
        # Trigrams let the index serve LIKE '%nunez%' (a plain B-tree serves prefixes only).
        # pg_trgm ships with PostgreSQL (Debian: in the postgresql package) and is a trusted
        # extension: the database's owner may create it.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index('ix_patient_search_name', 'patient', ['search_name'],
                    postgresql_using='gin', postgresql_ops={'search_name': 'gin_trgm_ops'})
    op.create_index('ix_intake_patient_queue', 'intake',
                    ['patient_id', 'status', 'urgency', 'created_at', 'id'])
    op.create_index('ix_intake_alerts_pending', 'intake', ['created_at'],
                    postgresql_where=sa.text(ALERTS_PENDING), sqlite_where=sa.text(ALERTS_PENDING))


def downgrade():
    op.drop_index('ix_intake_alerts_pending', table_name='intake')
    op.drop_index('ix_intake_patient_queue', table_name='intake')
    # pg_trgm stays: other databases' objects may use it, and it holds no data.
    op.drop_index('ix_patient_search_name', table_name='patient')
    if op.get_bind().dialect.name == 'sqlite':
        # In place: no rebuild of patient (its DROP TABLE would cascade to intake).
        op.execute('ALTER TABLE patient DROP COLUMN search_name')
    else:
        op.drop_column('patient', 'search_name')
