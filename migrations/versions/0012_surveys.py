"""participants' check-in days (once per student and day) and satisfaction surveys: a survey of a
subject (a project) with its dimensions, window, k and invitations; who answered (a bare (survey,
user) key), and answers with random keys, a date, their stars, and comments kept apart

A project's survey is prepared when hosting starts; projects already being hosted get theirs here, with
the default dimensions, so their staff can set them up before the project enters 评价中.

Revision ID: 0012_surveys
Revises: 0011_outcome_panel
Create Date: 2026-11-27 03:36:50.424949

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

DEFAULT_DIMENSIONS = ('总体满意度', '内容对我有用', '组织有序', '愿意推荐给同学')


# revision identifiers, used by Alembic.
revision = '0012_surveys'
down_revision = '0011_outcome_panel'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('participant_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_participant_day_opened_by_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_participant_day_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_day')),
    sa.UniqueConstraint('project_id', 'day', name=op.f('uq_participant_day_project_id_day'))
    )
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('project', name='subjectkind', native_enum=False, length=32), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('prepared', 'open', 'closed', name='surveystatus', native_enum=False, length=32), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('min_responses', sa.Integer(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind != 'project' OR project_id IS NOT NULL", name=op.f('ck_survey_project_survey_names_project')),
    sa.CheckConstraint("status = 'prepared' OR (opens_at IS NOT NULL AND closes_at IS NOT NULL AND closes_at >= opens_at AND min_responses IS NOT NULL AND min_responses >= 5)", name=op.f('ck_survey_opened_with_window_and_k')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_survey_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey')),
    sa.UniqueConstraint('project_id', name=op.f('uq_survey_project_id'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_closes_at'), ['closes_at'], unique=False)

    op.create_table('participant_checkin',
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['day_id'], ['participant_day.id'], name=op.f('fk_participant_checkin_day_id_participant_day'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_participant_checkin_user_id_user')),
    sa.PrimaryKeyConstraint('day_id', 'user_id', name=op.f('pk_participant_checkin'))
    )
    with op.batch_alter_table('participant_checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_checkin_user_id'), ['user_id'], unique=False)

    op.create_table('survey_answer',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_answer_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer'))
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answer_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_comment',
    sa.Column('id', sa.String(length=24), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('shown', 'hidden', name='commentstatus', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_comment_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_comment'))
    )
    with op.batch_alter_table('survey_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_comment_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_dimension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_dimension_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_dimension')),
    sa.UniqueConstraint('survey_id', 'position', name=op.f('uq_survey_dimension_survey_id_position'))
    )
    op.create_table('survey_invitation',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_invitation_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_survey_invitation_user_id_user')),
    sa.PrimaryKeyConstraint('survey_id', 'user_id', name=op.f('pk_survey_invitation'))
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_user_id'), ['user_id'], unique=False)

    op.create_table('survey_respondent',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_respondent_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_survey_respondent_user_id_user')),
    sa.PrimaryKeyConstraint('survey_id', 'user_id', name=op.f('pk_survey_respondent'))
    )
    op.create_table('survey_rating',
    sa.Column('answer_id', sa.String(length=24), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_survey_rating_stars_in_range')),
    sa.ForeignKeyConstraint(['answer_id'], ['survey_answer.id'], name=op.f('fk_survey_rating_answer_id_survey_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dimension_id'], ['survey_dimension.id'], name=op.f('fk_survey_rating_dimension_id_survey_dimension'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', 'dimension_id', name=op.f('pk_survey_rating'))
    )
    with op.batch_alter_table('survey_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_rating_dimension_id'), ['dimension_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_rating_dimension_id'))

    op.drop_table('survey_rating')
    op.drop_table('survey_respondent')
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitation_user_id'))

    op.drop_table('survey_invitation')
    op.drop_table('survey_dimension')
    with op.batch_alter_table('survey_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_comment_survey_id'))

    op.drop_table('survey_comment')
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_survey_id'))

    op.drop_table('survey_answer')
    with op.batch_alter_table('participant_checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_checkin_user_id'))

    op.drop_table('participant_checkin')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_closes_at'))

    op.drop_table('survey')
    op.drop_table('participant_day')
