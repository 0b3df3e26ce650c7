"""Danger-sign answers withdrawn after an intake was stored: "Yes by mistake" and changes

Revision ID: 0011_answer_changes
Revises: 0010_staff_session
Create Date: 2026-12-08 09:00:00

A patient may say on the emergency screen that a Yes was a mistake, or change an urgent Yes to
No later. The stored intake keeps its urgency and alert; these columns hold what the clinician
must be told: when the patient said the Yes was a mistake (queryable: NULL when never), and
each withdrawn answer with how and when. Both are nullable: existing intakes had none.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_answer_changes'
down_revision = '0010_staff_session'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('intake', sa.Column('yes_mistake_at', sa.DateTime(timezone=True),
                                      nullable=True))
    op.add_column('intake', sa.Column('answer_changes', sa.JSON(), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite 3.35+ drops a plain column in place (no table rebuild, no cascade).
        op.execute('ALTER TABLE intake DROP COLUMN answer_changes')
        op.execute('ALTER TABLE intake DROP COLUMN yes_mistake_at')
    else:
        op.drop_column('intake', 'answer_changes')
        op.drop_column('intake', 'yes_mistake_at')
