"""staff review reminders and exports: a 述职评议 reminds the raters still to rate someone once before
its window closes (``staff_review.reminded_at``), and the league's results workbook is written in the
background like every other export (``staff_review_export``: the export job's columns and the review)

Revision ID: 0020_staff_review_reminders
Revises: 0019_open_data
Create Date: 2026-11-27 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_staff_review_reminders'
down_revision = '0019_open_data'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('staff_review_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='exportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_staff_review_export_requested_by_id_user')),
    sa.ForeignKeyConstraint(['review_id'], ['staff_review.id'], name=op.f('fk_staff_review_export_review_id_staff_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_review_export')),
    sa.UniqueConstraint('public_id', name=op.f('uq_staff_review_export_public_id'))
    )
    with op.batch_alter_table('staff_review_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_review_export_review_id'), ['review_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_review_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_review_export_review_id'))

    op.drop_table('staff_review_export')
    with op.batch_alter_table('staff_review', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
