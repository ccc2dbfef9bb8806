"""final scores: a closed project's final score with its inputs, and the improvement plan a low score
requires of the host

Revision ID: 0013_final_scores
Revises: 0012_surveys
Create Date: 2026-11-27 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_final_scores'
down_revision = '0012_surveys'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('final_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('scored', 'incomplete', name='finaloutcome', native_enum=False, length=32), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('panel_score', sa.Numeric(precision=7, scale=4), nullable=True),
    sa.Column('satisfaction_score', sa.Numeric(precision=7, scale=4), nullable=True),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('min_responses', sa.Integer(), nullable=False),
    sa.Column('panel_weight_percent', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(outcome = 'scored' AND score IS NOT NULL) OR (outcome = 'incomplete' AND score IS NULL)", name=op.f('ck_final_score_score_when_scored')),
    sa.CheckConstraint('panel_weight_percent BETWEEN 0 AND 100', name=op.f('ck_final_score_weight_is_a_percentage')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_final_score_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_final_score')),
    sa.UniqueConstraint('project_id', name=op.f('uq_final_score_project_id'))
    )
    with op.batch_alter_table('final_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_score_closed_at'), ['closed_at'], unique=False)

    op.create_table('improvement_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('required', 'submitted', name='improvementstatus', native_enum=False, length=32), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status != 'submitted' OR (body IS NOT NULL AND submitted_at IS NOT NULL)", name=op.f('ck_improvement_plan_submitted_has_text')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_improvement_plan_org_id_organization')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_improvement_plan_project_id_project')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_improvement_plan_submitted_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_plan')),
    sa.UniqueConstraint('project_id', name=op.f('uq_improvement_plan_project_id'))
    )
    with op.batch_alter_table('improvement_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_plan_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_improvement_plan_org_id'), ['org_id'], unique=False)


def downgrade():
    with op.batch_alter_table('improvement_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_plan_org_id'))
        batch_op.drop_index(batch_op.f('ix_improvement_plan_due_at'))

    op.drop_table('improvement_plan')
    with op.batch_alter_table('final_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_score_closed_at'))

    op.drop_table('final_score')
