"""Desk-printer jobs: sent in the background, their state in the database

Revision ID: 0012_print_job
Revises: 0011_answer_changes
Create Date: 2026-12-08 10:00:00

"Send to the desk printer" no longer runs `lp` and `lpstat` inside the request: it stores a
job (queued), which the process that took the request hands to CUPS and follows (printing,
printed, failed). The state is a row, so every app server and worker shows the same.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_print_job'
down_revision = '0011_answer_changes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'print_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('intake_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('large_print', sa.Boolean(), nullable=False),
        sa.Column('paper', sa.String(length=10), nullable=False),
        sa.Column('state', sa.Enum('queued', 'printing', 'printed', 'failed',
                                   name='print_job_state', native_enum=False,
                                   create_constraint=True, length=8), nullable=False),
        sa.Column('problem', sa.String(length=20), nullable=True),
        sa.Column('printer', sa.String(length=127), nullable=True),
        sa.Column('cups_job', sa.String(length=140), nullable=True),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['intake_id'], ['intake.id'],
                                name=op.f('fk_print_job_intake_id_intake'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['staff_user.id'],
                                name=op.f('fk_print_job_requested_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_print_job')),
    )
    op.create_index(op.f('ix_print_job_intake_id'), 'print_job', ['intake_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_print_job_intake_id'), table_name='print_job')
    op.drop_table('print_job')
