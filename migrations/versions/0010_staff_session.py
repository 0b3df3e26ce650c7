"""staff_session: one row per staff login, so "Log out" ends this computer's session only

Revision ID: 0010_staff_session
Revises: 0009_intake_reference_trigram
Create Date: 2026-12-07 18:00:00

Sessions made before this revision hold no session token and end at their next request: staff
log in again once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_staff_session'
down_revision = '0009_intake_reference_trigram'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_session',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'],
                                name=op.f('fk_staff_session_staff_id_staff_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session')),
    )
    op.create_index(op.f('ix_staff_session_staff_id'), 'staff_session', ['staff_id'])


def downgrade():
    op.drop_index(op.f('ix_staff_session_staff_id'), table_name='staff_session')
    op.drop_table('staff_session')
