"""open data and audit exports: the audit log's CSV exports that run in the background (the open-data
download keeps its state in the file store, beside the ZIP)

Revision ID: 0019_open_data
Revises: 0018_disclosure
Create Date: 2026-11-27 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_open_data'
down_revision = '0018_disclosure'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_export',
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='exportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_audit_export_requested_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_export')),
    sa.UniqueConstraint('public_id', name=op.f('uq_audit_export_public_id'))
    )


def downgrade():
    op.drop_table('audit_export')
