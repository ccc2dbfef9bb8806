"""disclosure: 信息公开 — each union's charter versions (章程, published once the league reviewer
approves; one published version per union, the older ones kept as history), its announcements
(重要工作安排, 改革进展) under the same approval, and the suggestion box (意见建议)

Revision ID: 0018_disclosure
Revises: 0017_needs_pool
Create Date: 2026-11-27 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_disclosure'
down_revision = '0017_needs_pool'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('announcement',
    sa.Column('kind', sa.Enum('arrangement', 'reform', name='announcementkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('union_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'pending', 'published', 'returned', 'superseded', name='publicationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status != 'published' OR published_at IS NOT NULL", name=op.f('ck_announcement_published_has_date')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_announcement_author_id_user')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_announcement_reviewed_by_id_user')),
    sa.ForeignKeyConstraint(['union_id'], ['organization.id'], name=op.f('fk_announcement_union_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement'))
    )
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.create_index('ix_announcement_status_published_at', ['status', 'published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcement_union_id'), ['union_id'], unique=False)

    op.create_table('charter_version',
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('union_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'pending', 'published', 'returned', 'superseded', name='publicationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status NOT IN ('published', 'superseded') OR (number IS NOT NULL AND published_at IS NOT NULL)", name=op.f('ck_charter_version_published_has_number')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_charter_version_author_id_user')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_charter_version_reviewed_by_id_user')),
    sa.ForeignKeyConstraint(['union_id'], ['organization.id'], name=op.f('fk_charter_version_union_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charter_version')),
    sa.UniqueConstraint('union_id', 'number', name=op.f('uq_charter_version_union_id_number'))
    )
    with op.batch_alter_table('charter_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charter_version_union_id'), ['union_id'], unique=False)
        batch_op.create_index('uq_charter_version_one_published', ['union_id'], unique=True, postgresql_where=sa.text("status = 'published'"), sqlite_where=sa.text("status = 'published'"))

    op.create_table('suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('union_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('wants_public', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'answered', name='suggestionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status != 'answered' OR answer IS NOT NULL", name=op.f('ck_suggestion_answered_has_answer')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_suggestion_answered_by_id_user')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_suggestion_author_id_user')),
    sa.ForeignKeyConstraint(['union_id'], ['organization.id'], name=op.f('fk_suggestion_union_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion'))
    )
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_suggestion_public', ['wants_public', 'status', 'answered_at'], unique=False)
        batch_op.create_index('ix_suggestion_union_id_status', ['union_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_index('ix_suggestion_union_id_status')
        batch_op.drop_index('ix_suggestion_public')
        batch_op.drop_index(batch_op.f('ix_suggestion_author_id'))

    op.drop_table('suggestion')
    with op.batch_alter_table('charter_version', schema=None) as batch_op:
        batch_op.drop_index('uq_charter_version_one_published', postgresql_where=sa.text("status = 'published'"), sqlite_where=sa.text("status = 'published'"))
        batch_op.drop_index(batch_op.f('ix_charter_version_union_id'))

    op.drop_table('charter_version')
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_union_id'))
        batch_op.drop_index('ix_announcement_status_published_at')

    op.drop_table('announcement')
