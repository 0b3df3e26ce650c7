"""staff_user.session_version: logout, a new password and disabling end every session

Revision ID: 0008_staff_session_version
Revises: 0007_patient_search_name
Create Date: 2026-12-05 09:00:00

Each staff session cookie holds the account's session_version from its login; the user loader
refuses a cookie whose value is not the account's current one, and logout, `set-password` and
`disable-staff` add one (clinic/staff/auth.py). Sessions made before this revision hold no
version and so end at their next request: staff log in again once.

The column is added with a plain ALTER TABLE ADD COLUMN (NOT NULL with a server default, which
SQLite allows in place): no batch rebuild of staff_user, which intake references.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_staff_session_version'
down_revision = '0007_patient_search_name'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('staff_user', sa.Column('session_version', sa.Integer(), nullable=False,
                                          server_default='0'))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite 3.35+ drops a plain column in place (no table rebuild).
        op.execute('ALTER TABLE staff_user DROP COLUMN session_version')
    else:
        op.drop_column('staff_user', 'session_version')
