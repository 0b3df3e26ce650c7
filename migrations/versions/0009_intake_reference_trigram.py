"""intake.reference: a trigram index for the staff search, on PostgreSQL

Revision ID: 0009_intake_reference_trigram
Revises: 0008_staff_session_version
Create Date: 2026-12-06 09:00:00

The staff search also matches a part of a reference (`reference LIKE '%RGU6%'`, see
clinic/staff/queue.py). A B-tree cannot serve an infix LIKE, so on PostgreSQL every search that
could be a reference (three letters or fewer, digits, or both: "zoe" too) read the whole intake
table: 63 ms of a 150 ms search at 100,000 intakes (docs/scaling.md). A GIN trigram index
(pg_trgm, created by 0007) serves it. SQLite gets nothing: its search scans the unique index on
reference, which is already narrow.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_intake_reference_trigram'
down_revision = '0008_staff_session_version'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_intake_reference_trgm', 'intake', ['reference'],
                        postgresql_using='gin', postgresql_ops={'reference': 'gin_trgm_ops'})


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_intake_reference_trgm', table_name='intake')
