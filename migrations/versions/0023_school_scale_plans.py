"""school-scale plans: indexes and a statistic the home pages' rows need at a school's size

The verifier's queue row reads its oldest waiting record and counts at most a hundred through a partial
index of the waiting records; the staff's overdue-needs row counts from an index of the union's needs;
the failed-projects row finds reposts by an index on ``reposted_from_id``; the needs pool counts the
week's supports of the twenty needs it shows by an index of each need's supports in time; a survey's
distributions are counted from an index of (dimension, stars), which replaces the index of the dimension. On PostgreSQL, a statistic on
a position's 政治面貌 requirement as text, which PostgreSQL otherwise guesses to hold for 1 % of the
positions ("open to anyone" holds for nearly all): with that guess it sorted every future shift before
taking the five a student's home page shows, instead of walking them in order.

Revision ID: 0023_school_scale_plans
Revises: 0022_certificates
Create Date: 2026-11-27 14:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023_school_scale_plans'
down_revision = '0022_certificates'
branch_labels = None
depends_on = None

WAITING = sa.text("status = 'confirmed'")


def upgrade():
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.create_index(
            'ix_credit_record_waiting_confirmed_at',
            ['confirmed_at'],
            unique=False,
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(
            'ix_need_union_status_answer_due_at', ['union_id', 'status', 'answer_due_at'], unique=False
        )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_reposted_from_id'), ['reposted_from_id'], unique=False)
    with op.batch_alter_table('need_support', schema=None) as batch_op:
        batch_op.create_index('ix_need_support_need_id_created_at', ['need_id', 'created_at'], unique=False)
    with op.batch_alter_table('survey_rating', schema=None) as batch_op:
        batch_op.create_index('ix_survey_rating_dimension_id_stars', ['dimension_id', 'stars'], unique=False)
        batch_op.drop_index('ix_survey_rating_dimension_id')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'CREATE STATISTICS st_position_required_political ON (CAST(required_political AS VARCHAR)) '
            'FROM position'
        )
        op.execute('ANALYZE position')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP STATISTICS IF EXISTS st_position_required_political')
    with op.batch_alter_table('survey_rating', schema=None) as batch_op:
        batch_op.create_index('ix_survey_rating_dimension_id', ['dimension_id'], unique=False)
        batch_op.drop_index('ix_survey_rating_dimension_id_stars')
    with op.batch_alter_table('need_support', schema=None) as batch_op:
        batch_op.drop_index('ix_need_support_need_id_created_at')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_reposted_from_id'))
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index('ix_need_union_status_answer_due_at')
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.drop_index('ix_credit_record_waiting_confirmed_at')
