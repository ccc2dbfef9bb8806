"""needs pool: 需求征集 — students' needs with their union, category, college and status (answered by
acceptance with a project, a merge or a decline; hidden with a reason), one support per student per need,
comments, photos, and the author's one appeal against hiding

Revision ID: 0017_needs_pool
Revises: 0016_staff_reviews
Create Date: 2026-11-27 10:02:29.251230

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_needs_pool'
down_revision = '0016_staff_reviews'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('union_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('college_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'accepted', 'merged', 'declined', 'hidden', name='needstatus', native_enum=False, length=32), nullable=False),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status != 'accepted' OR project_id IS NOT NULL", name=op.f('ck_need_accepted_names_project')),
    sa.CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL", name=op.f('ck_need_declined_has_reason')),
    sa.CheckConstraint("status != 'hidden' OR hidden_reason IS NOT NULL", name=op.f('ck_need_hidden_has_reason')),
    sa.CheckConstraint("status != 'merged' OR merged_into_id IS NOT NULL", name=op.f('ck_need_merged_names_target')),
    sa.CheckConstraint('merged_into_id IS NULL OR merged_into_id != id', name=op.f('ck_need_not_merged_into_itself')),
    sa.CheckConstraint('support_count >= 0', name=op.f('ck_need_support_count_not_negative')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_need_answered_by_id_user')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_need_author_id_user')),
    sa.ForeignKeyConstraint(['college_id'], ['college.id'], name=op.f('fk_need_college_id_college')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_need_hidden_by_id_user')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['need.id'], name=op.f('fk_need_merged_into_id_need')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_need_project_id_project')),
    sa.ForeignKeyConstraint(['union_id'], ['organization.id'], name=op.f('fk_need_union_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need'))
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_college_id'), ['college_id'], unique=False)
        batch_op.create_index('ix_need_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_need_status_answer_due_at', ['status', 'answer_due_at'], unique=False)
        batch_op.create_index('ix_need_support_count_id', ['support_count', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_union_id'), ['union_id'], unique=False)

    op.create_table('need_appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'upheld', 'dismissed', name='needappealstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ruling', sa.Text(), nullable=True),
    sa.Column('ruled_by_id', sa.Integer(), nullable=True),
    sa.Column('ruled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status = 'pending' OR ruled_at IS NOT NULL", name=op.f('ck_need_appeal_ruled_has_time')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_appeal_need_id_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ruled_by_id'], ['user.id'], name=op.f('fk_need_appeal_ruled_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_appeal')),
    sa.UniqueConstraint('need_id', name=op.f('uq_need_appeal_need_id'))
    )
    op.create_table('need_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('shown', 'hidden', name='needcommentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status != 'hidden' OR hidden_reason IS NOT NULL", name=op.f('ck_need_comment_hidden_has_reason')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_need_comment_author_id_user')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_comment_need_id_need'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_comment'))
    )
    with op.batch_alter_table('need_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_need_comment_need_id_id', ['need_id', 'id'], unique=False)

    op.create_table('need_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_photo_need_id_need'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_photo')),
    sa.UniqueConstraint('public_id', name=op.f('uq_need_photo_public_id'))
    )
    with op.batch_alter_table('need_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_photo_need_id'), ['need_id'], unique=False)

    op.create_table('need_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_support_need_id_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_need_support_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_support')),
    sa.UniqueConstraint('need_id', 'user_id', name=op.f('uq_need_support_need_id_user_id'))
    )
    with op.batch_alter_table('need_support', schema=None) as batch_op:
        batch_op.create_index('ix_need_support_created_at_need_id', ['created_at', 'need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_support_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('need_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_support_user_id'))
        batch_op.drop_index('ix_need_support_created_at_need_id')

    op.drop_table('need_support')
    with op.batch_alter_table('need_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_photo_need_id'))

    op.drop_table('need_photo')
    with op.batch_alter_table('need_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_need_comment_need_id_id')
        batch_op.drop_index(batch_op.f('ix_need_comment_author_id'))

    op.drop_table('need_comment')
    op.drop_table('need_appeal')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_union_id'))
        batch_op.drop_index('ix_need_support_count_id')
        batch_op.drop_index('ix_need_status_answer_due_at')
        batch_op.drop_index(batch_op.f('ix_need_project_id'))
        batch_op.drop_index(batch_op.f('ix_need_merged_into_id'))
        batch_op.drop_index('ix_need_created_at_id')
        batch_op.drop_index(batch_op.f('ix_need_college_id'))
        batch_op.drop_index(batch_op.f('ix_need_category'))
        batch_op.drop_index(batch_op.f('ix_need_author_id'))

    op.drop_table('need')
