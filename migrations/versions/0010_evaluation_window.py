"""evaluation window: when a project's 评价期 ends (set on entering 评价中; the clock closes it then)

Projects already in 评价中 get a full window from the upgrade, so none closes the moment the new rule
appears.

Revision ID: 0010_evaluation_window
Revises: 0009_seek_indexes
Create Date: 2026-11-27 03:40:00.000000

"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_evaluation_window'
down_revision = '0009_seek_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_ends_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_project_evaluation_ends_at'), ['evaluation_ends_at'], unique=False)
    project = sa.table('project', sa.column('state', sa.String), sa.column('evaluation_ends_at', sa.DateTime(timezone=True)))
    op.execute(
        project.update()
        .where(project.c.state == 'evaluating')
        .values(evaluation_ends_at=datetime.now(timezone.utc) + timedelta(days=21))
    )


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_evaluation_ends_at'))
        batch_op.drop_column('evaluation_ends_at')
