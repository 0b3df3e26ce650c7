"""Outcomes: the PEG as a measure of the intake, returning patients, the dashboard's index

Revision ID: 0013_outcomes
Revises: 0012_print_job
Create Date: 2026-12-07 20:30:00

- measure: one row per intake and instrument (the PEG: id "peg", version "2009"), its items
  (JSON: an item not answered is null, never 0) and its score. Goes with its intake (ON DELETE
  CASCADE, and the purge deletes it explicitly).
- patient.match_key: the folded name without spaces or hyphens and the date of birth
  (clinic.models.patient_match_key, copied below as it is today so this migration never
  changes meaning), indexed so the kiosk's submit finds a returning patient with one lookup.
  Filled for the rows already there, in batches. Existing patients are not merged: each keeps
  its intakes, and staff join a missed match from the intake page.
- ix_intake_dashboard: (created_at, urgency, acknowledged_at, printed_at, patient_id, id), so
  the dashboard's counts per day and its return visits read a narrow index instead of the
  wide intake rows (docs/scaling.md);
  ix_intake_patient_visits: (patient_id, created_at, id), a patient's visits in time order, so
  the dashboard finds the first PEG score before each return visit with one lookup.

The column is added with a plain ALTER TABLE ADD COLUMN (NOT NULL with a server default): no
batch rebuild of patient, whose DROP TABLE would delete every intake by ON DELETE CASCADE.
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0013_outcomes'
down_revision = '0012_print_job'
branch_labels = None
depends_on = None

BATCH = 5000

patient = sa.table(
    'patient',
    sa.column('id', sa.Integer),
    sa.column('first_name', sa.String),
    sa.column('last_name', sa.String),
    sa.column('date_of_birth', sa.Date),
    sa.column('match_key', sa.Text),
)


def match_key(first_name, last_name, born):
    """clinic.models.patient_match_key as of this revision."""
    decomposed = unicodedata.normalize("NFKD", f"{first_name or ''} {last_name or ''}".casefold())
    folded = " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
    name = folded.replace(" ", "").replace("-", "")
    return f"{born.isoformat() if born else ''}:{name}"


def fill_match_keys(connection):
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(patient.c.id, patient.c.first_name, patient.c.last_name,
                      patient.c.date_of_birth)
            .where(patient.c.id > last_id).order_by(patient.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            patient.update().where(patient.c.id == sa.bindparam('row_id'))
            .values(match_key=sa.bindparam('key')),
            [{'row_id': row.id, 'key': match_key(row.first_name, row.last_name,
                                                  row.date_of_birth)} for row in rows],
        )
        last_id = rows[-1].id


def upgrade():
    op.create_table(
        'measure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('intake_id', sa.Integer(), nullable=False),
        sa.Column('instrument', sa.String(length=20), nullable=False),
        sa.Column('version', sa.String(length=20), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['intake_id'], ['intake.id'],
                                name=op.f('fk_measure_intake_id_intake'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_measure')),
        sa.UniqueConstraint('intake_id', 'instrument',
                            name=op.f('uq_measure_intake_id')),
    )
    op.add_column('patient', sa.Column('match_key', sa.Text(), nullable=False,
                                       server_default=''))
    fill_match_keys(op.get_bind())
    op.create_index(op.f('ix_patient_match_key'), 'patient', ['match_key'], unique=False)
    op.create_index('ix_intake_dashboard', 'intake',
                    ['created_at', 'urgency', 'acknowledged_at', 'printed_at', 'patient_id',
                     'id'], unique=False)
    op.create_index('ix_intake_patient_visits', 'intake', ['patient_id', 'created_at', 'id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_intake_patient_visits', table_name='intake')
    op.drop_index('ix_intake_dashboard', table_name='intake')
    op.drop_index(op.f('ix_patient_match_key'), table_name='patient')
    op.drop_column('patient', 'match_key')
    op.drop_table('measure')
