"""emergency workflow: new intake columns; printing is printed_at, no longer a status

Intake completeness, acknowledgement, print record and close reason.

Revision ID: 0004_emergency_workflow
Revises: 0003_data_model
Create Date: 2026-12-02 10:30:00

Upgrade: the new intake columns are added; every existing intake is complete; an intake whose
status was "printed" becomes "new" with printed_at = updated_at (who printed it was never
recorded, so printed_by_id stays NULL); then the status CHECK allows only new, seen, closed.

Downgrade: an intake that is "new" and has printed_at becomes "printed" again; the columns go
(acknowledgements, printed_by and close reasons are lost).

SQLite rebuilds intake in batch mode (named indexes, unique and foreign key constraints and the
urgency CHECK are reflected and recreated). The new columns themselves are added with a plain
ALTER TABLE ADD COLUMN, so the data can be moved before the one rebuild that swaps the CHECK.
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_emergency_workflow'
down_revision = '0003_data_model'
branch_labels = None
depends_on = None

OLD_STATUSES = ("new", "seen", "printed", "closed")
STATUSES = ("new", "seen", "closed")

HANDOUT_RENDER_COLUMNS = "id, intake_id, variant, content_key, pdf, created_at"

intake = sa.table(
    'intake',
    sa.column('status', sa.String),
    sa.column('urgency', sa.String),
    sa.column('acknowledged_at', sa.DateTime(timezone=True)),
    sa.column('complete', sa.Boolean),
    sa.column('printed_at', sa.DateTime(timezone=True)),
    sa.column('updated_at', sa.DateTime(timezone=True)),
)


def one_of(column, values):
    """The CHECK condition SQLAlchemy writes for a non-native Enum."""
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def longest(values):
    return max(len(value) for value in values)


@contextmanager
def keeping_handout_renders():
    """Keep handout_render's rows while SQLite rebuilds intake.

    The batch rebuild drops the old intake table, and with PRAGMA foreign_keys on (the app turns
    it on for every connection, and it cannot be turned off inside the migration's transaction)
    DROP TABLE deletes intake's rows first, which cascades to handout_render (ON DELETE
    CASCADE). So the rows are set aside and put back once the new intake table is in place.
    """
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    op.execute(f"CREATE TEMP TABLE _kept_handout_render AS "
               f"SELECT {HANDOUT_RENDER_COLUMNS} FROM handout_render")
    op.execute("DELETE FROM handout_render")
    yield
    op.execute(f"INSERT INTO handout_render ({HANDOUT_RENDER_COLUMNS}) "
               f"SELECT {HANDOUT_RENDER_COLUMNS} FROM _kept_handout_render")
    op.execute("DROP TABLE _kept_handout_render")


def upgrade():
    # Nullable and without foreign keys at first: SQLite adds them without a rebuild.
    op.add_column('intake', sa.Column('complete', sa.Boolean(), nullable=True))
    op.add_column('intake', sa.Column('acknowledged_at', sa.DateTime(timezone=True),
                                      nullable=True))
    op.add_column('intake', sa.Column('acknowledged_by_id', sa.Integer(), nullable=True))
    op.add_column('intake', sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('intake', sa.Column('printed_by_id', sa.Integer(), nullable=True))
    op.add_column('intake', sa.Column('closed_reason', sa.Text(), nullable=True))

    op.execute(intake.update().values(complete=True))
    op.execute(
        intake.update()
        .where(intake.c.status == 'printed')
        .values(status='new', printed_at=intake.c.updated_at)
    )
    # Alerts staff already dealt with (marked seen or closed) under the old workflow count as
    # acknowledged, so a deploy does not raise every past emergency again.
    op.execute(
        intake.update()
        .where(intake.c.status.in_(('seen', 'closed')),
               intake.c.urgency.in_(('emergency', 'urgent')))
        .values(acknowledged_at=intake.c.updated_at)
    )

    with keeping_handout_renders(), op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.alter_column('complete', existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_constraint(op.f('ck_intake_intake_status'), type_='check')
        batch_op.alter_column('status', existing_type=sa.String(length=longest(OLD_STATUSES)),
                              type_=sa.String(length=longest(STATUSES)),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_intake_intake_status'),
                                         one_of('status', STATUSES))
        batch_op.create_foreign_key(op.f('fk_intake_acknowledged_by_id_staff_user'),
                                    'staff_user', ['acknowledged_by_id'], ['id'])
        batch_op.create_foreign_key(op.f('fk_intake_printed_by_id_staff_user'),
                                    'staff_user', ['printed_by_id'], ['id'])
    # The staff alert poll asks for open, unacknowledged emergency and urgent intakes.
    op.create_index('ix_intake_open_alerts', 'intake',
                    ['urgency', 'acknowledged_at', 'status'])


def downgrade():
    op.drop_index('ix_intake_open_alerts', table_name='intake')
    with keeping_handout_renders(), op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_intake_intake_status'), type_='check')
        batch_op.alter_column('status', existing_type=sa.String(length=longest(STATUSES)),
                              type_=sa.String(length=longest(OLD_STATUSES)),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_intake_intake_status'),
                                         one_of('status', OLD_STATUSES))

    op.execute(
        intake.update()
        .where(intake.c.status == 'new', intake.c.printed_at.is_not(None))
        .values(status='printed')
    )

    with keeping_handout_renders(), op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_intake_printed_by_id_staff_user'),
                                 type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_intake_acknowledged_by_id_staff_user'),
                                 type_='foreignkey')
        batch_op.drop_column('closed_reason')
        batch_op.drop_column('printed_by_id')
        batch_op.drop_column('printed_at')
        batch_op.drop_column('acknowledged_by_id')
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('complete')
