"""list indexes: the notification centre and the verification queue page in index order

Revision ID: 0008_list_indexes
Revises: 0007_storage_keys
Create Date: 2026-11-26 15:12:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_list_indexes'
down_revision = '0007_storage_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_newest', ['user_id', 'created_at'], unique=False)

    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.create_index('ix_credit_record_status_occurred', ['status', 'occurred_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('credit_record', schema=None) as batch_op:
        batch_op.drop_index('ix_credit_record_status_occurred')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_newest')
