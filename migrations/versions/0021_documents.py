"""documents people take away: 第二课堂达标要求 per cohort and degree level (``credit_requirement`` with
its per-category minimums), the office that verified each credit record (``verifying_office``), issued
documents that keep what they said (``transcript_issue.kind``, ``project_id``, ``snapshot``; existing
issues become transcripts) and the export of a cohort's students below its requirement

Revision ID: 0021_documents
Revises: 0020_staff_review_reminders
Create Date: 2026-11-27 11:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_documents'
down_revision = '0020_staff_review_reminders'
branch_labels = None
depends_on = None

DEGREE = sa.Enum('undergraduate', 'master', 'doctoral', name='degreelevel', native_enum=False, length=32)


def _unit():
    return sa.Enum('credits', 'hours', name='requirementunit', native_enum=False, length=32)


def upgrade():
    op.create_table('credit_requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('degree_level', DEGREE, nullable=False),
    sa.Column('total', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('total_unit', _unit(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('total >= 0', name=op.f('ck_credit_requirement_total_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_requirement')),
    sa.UniqueConstraint('grade', 'degree_level', name=op.f('uq_credit_requirement_grade_degree_level'))
    )
    op.create_table('credit_requirement_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('minimum', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('unit', _unit(), nullable=False),
    sa.CheckConstraint('minimum > 0', name=op.f('ck_credit_requirement_item_positive_minimum')),
    sa.ForeignKeyConstraint(['category_id'], ['credit_category.id'], name=op.f('fk_credit_requirement_item_category_id_credit_category')),
    sa.ForeignKeyConstraint(['requirement_id'], ['credit_requirement.id'], name=op.f('fk_credit_requirement_item_requirement_id_credit_requirement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_requirement_item')),
    sa.UniqueConstraint('requirement_id', 'category_id', name=op.f('uq_credit_requirement_item_requirement_id_category_id'))
    )
    op.create_table('shortfall_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('degree_level', DEGREE, nullable=False),
    sa.Column('college_id', sa.Integer(), nullable=True),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='exportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['college_id'], ['college.id'], name=op.f('fk_shortfall_export_college_id_college')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_shortfall_export_requested_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shortfall_export')),
    sa.UniqueConstraint('public_id', name=op.f('uq_shortfall_export_public_id'))
    )
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verifying_office', sa.String(length=64), nullable=True))
    # Every issue so far was a transcript: the default fills them in, then stays on as the column's.
    with op.batch_alter_table('transcript_issue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('transcript', 'certificate', name='documentkind', native_enum=False, length=32), nullable=False, server_default='transcript'))
        batch_op.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_transcript_issue_project_id_project'), 'project', ['project_id'], ['id'])
        batch_op.create_check_constraint('certificate_has_project', "kind != 'certificate' OR project_id IS NOT NULL")
    with op.batch_alter_table('transcript_issue', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)


def downgrade():
    with op.batch_alter_table('transcript_issue', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_transcript_issue_certificate_has_project'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_transcript_issue_project_id_project'), type_='foreignkey')
        batch_op.drop_column('snapshot')
        batch_op.drop_column('project_id')
        batch_op.drop_column('kind')
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.drop_column('verifying_office')
    op.drop_table('shortfall_export')
    op.drop_table('credit_requirement_item')
    op.drop_table('credit_requirement')
