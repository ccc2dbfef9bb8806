"""seek indexes: the audit log and the verification queue read by their sort key, the queue's
project filter by project and status, the admin's user list in its order

Revision ID: 0009_seek_indexes
Revises: 0008_list_indexes
Create Date: 2026-11-26 16:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_seek_indexes'
down_revision = '0008_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_at')
        batch_op.create_index('ix_audit_entry_at_id', ['at', 'id'], unique=False)

    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.drop_index('ix_credit_record_project_id')
        batch_op.create_index('ix_credit_record_project_status', ['project_id', 'status'], unique=False)

    op.create_index(
        'ix_user_kind_identifier', 'user', ['kind', sa.text('coalesce(student_no, staff_no)'), 'id'], unique=False
    )


def downgrade():
    op.drop_index('ix_user_kind_identifier', table_name='user')

    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.drop_index('ix_credit_record_project_status')
        batch_op.create_index('ix_credit_record_project_id', ['project_id'], unique=False)

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_at_id')
        batch_op.create_index('ix_audit_entry_at', ['at'], unique=False)
