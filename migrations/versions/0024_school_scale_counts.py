"""school-scale counts: survey star counts — how many answers gave each dimension so many stars, per
rater group ("" where a survey does not break down by one), kept beside the answer rows by each answer,
so that results read a few rows per dimension instead of counting every rating (filled here from the
ratings already given); and an index of a union's projects by state and creation, which replaces the
index of the union: the staff dashboard counts them by state from the index and lists each state's newest

Revision ID: 0024_school_scale_counts
Revises: 0023_school_scale_plans
Create Date: 2026-11-27 17:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_school_scale_counts'
down_revision = '0023_school_scale_plans'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_star_count',
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('rater_group', sa.String(length=16), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_survey_star_count_stars_in_range')),
    sa.CheckConstraint('answers > 0', name=op.f('ck_survey_star_count_counts_someone')),
    sa.ForeignKeyConstraint(['dimension_id'], ['survey_dimension.id'], name=op.f('fk_survey_star_count_dimension_id_survey_dimension'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dimension_id', 'rater_group', 'stars', name=op.f('pk_survey_star_count'))
    )
    op.execute(
        "INSERT INTO survey_star_count (dimension_id, rater_group, stars, answers) "
        "SELECT survey_rating.dimension_id, coalesce(survey_answer.rater_group, ''), survey_rating.stars, count(*) "
        "FROM survey_rating JOIN survey_answer ON survey_answer.id = survey_rating.answer_id "
        "GROUP BY survey_rating.dimension_id, coalesce(survey_answer.rater_group, ''), survey_rating.stars"
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(
            'ix_project_union_id_state_created_at', ['union_id', 'state', 'created_at'], unique=False
        )
        batch_op.drop_index('ix_project_union_id')


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index('ix_project_union_id', ['union_id'], unique=False)
        batch_op.drop_index('ix_project_union_id_state_created_at')
    op.drop_table('survey_star_count')
