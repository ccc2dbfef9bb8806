"""survey invited: each survey's count of the students invited, written with the invitations when it
opens (they are all written then), so that pages read it instead of counting them — a union's yearly
survey invites 30,000; filled here from the invitations

Revision ID: 0025_survey_invited
Revises: 0024_school_scale_counts
Create Date: 2026-11-27 17:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025_survey_invited'
down_revision = '0024_school_scale_counts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        "UPDATE survey SET invited = "
        "(SELECT count(*) FROM survey_invitation WHERE survey_invitation.survey_id = survey.id)"
    )


def downgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('invited')
