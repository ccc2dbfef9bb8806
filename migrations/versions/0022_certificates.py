"""certificates: the background export of a project's 志愿服务证明 as one ZIP (``certificate_export``:
the export job's columns and the project)

Revision ID: 0022_certificates
Revises: 0021_documents
Create Date: 2026-11-27 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_certificates'
down_revision = '0021_documents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='exportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_certificate_export_project_id_project')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_certificate_export_requested_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_export')),
    sa.UniqueConstraint('public_id', name=op.f('uq_certificate_export_public_id'))
    )
    with op.batch_alter_table('certificate_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_export_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_export_project_id'))
    op.drop_table('certificate_export')
