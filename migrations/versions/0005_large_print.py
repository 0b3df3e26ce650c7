"""The patient's large-print choice at the kiosk

Revision ID: 0005_large_print
Revises: 0004_emergency_workflow
Create Date: 2026-12-02 05:00:00

Existing intakes were never asked: they keep standard print. The column is added with a
server default so SQLite can add a NOT NULL column without rebuilding the intake table.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_large_print'
down_revision = '0004_emergency_workflow'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('intake', sa.Column('large_print', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite 3.35+ drops a plain column in place (no table rebuild, no cascade).
        op.execute('ALTER TABLE intake DROP COLUMN large_print')
    else:
        op.drop_column('intake', 'large_print')
