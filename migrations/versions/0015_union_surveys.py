"""the union's yearly satisfaction survey (每学年1次同学满意度评价): a survey of a union in an academic
year (one per union and year), and the tally that is all such a survey keeps of its answers — counts
per (college, grade, dimension, stars), no answer rows

Revision ID: 0015_union_surveys
Revises: 0014_degree_level
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_union_surveys'
down_revision = '0014_degree_level'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('union_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('academic_year_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_survey_union_id_organization'), 'organization', ['union_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_survey_academic_year_id_academic_year'), 'academic_year', ['academic_year_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_survey_academic_year_id'), ['academic_year_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_survey_union_id_academic_year_id'), ['union_id', 'academic_year_id'])
        batch_op.create_check_constraint('union_survey_names_union_and_year', "kind != 'union_year' OR (union_id IS NOT NULL AND academic_year_id IS NOT NULL)")

    op.create_table('survey_tally',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('college_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_survey_tally_stars_in_range')),
    sa.CheckConstraint('responses > 0', name=op.f('ck_survey_tally_counts_someone')),
    sa.ForeignKeyConstraint(['college_id'], ['college.id'], name=op.f('fk_survey_tally_college_id_college')),
    sa.ForeignKeyConstraint(['dimension_id'], ['survey_dimension.id'], name=op.f('fk_survey_tally_dimension_id_survey_dimension'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_tally_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'college_id', 'grade', 'dimension_id', 'stars', name=op.f('pk_survey_tally'))
    )
    with op.batch_alter_table('survey_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_tally_dimension_id'), ['dimension_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_tally_dimension_id'))

    op.drop_table('survey_tally')
    op.execute("DELETE FROM survey WHERE kind = 'union_year'")
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_survey_union_survey_names_union_and_year'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_survey_union_id_academic_year_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_survey_academic_year_id'))
        batch_op.drop_constraint(batch_op.f('fk_survey_academic_year_id_academic_year'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_survey_union_id_organization'), type_='foreignkey')
        batch_op.drop_column('academic_year_id')
        batch_op.drop_column('union_id')
