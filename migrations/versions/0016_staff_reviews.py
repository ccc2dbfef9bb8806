"""staff reviews: 述职评议 — a union's review of its staff each term, their reports and attachments, the
league's results and 提醒谈话; each staff member's term is a survey (its key columns: the review and the
person), and an answer may record its rater's group (student / staff) for the breakdown

Revision ID: 0016_staff_reviews
Revises: 0015_union_surveys
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_staff_reviews'
down_revision = '0015_union_surveys'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('union_id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', 'published', name='reviewstatus', native_enum=False, length=32), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('audience_size', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_staff_review_closes_after_opening')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_staff_review_opened_by_id_user')),
    sa.ForeignKeyConstraint(['term_id'], ['term.id'], name=op.f('fk_staff_review_term_id_term')),
    sa.ForeignKeyConstraint(['union_id'], ['organization.id'], name=op.f('fk_staff_review_union_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_review')),
    sa.UniqueConstraint('union_id', 'term_id', name=op.f('uq_staff_review_union_id_term_id'))
    )
    with op.batch_alter_table('staff_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_review_term_id'), ['term_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_review_union_id'), ['union_id'], unique=False)

    op.create_table('staff_reviewee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('report_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('grade', sa.Enum('excellent', 'competent', 'basically_competent', 'incompetent', name='staffgrade', native_enum=False, length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['staff_review.id'], name=op.f('fk_staff_reviewee_review_id_staff_review'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_staff_reviewee_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_reviewee')),
    sa.UniqueConstraint('review_id', 'user_id', name=op.f('uq_staff_reviewee_review_id_user_id'))
    )
    with op.batch_alter_table('staff_reviewee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_reviewee_user_id'), ['user_id'], unique=False)

    op.create_table('staff_reminder_talk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reviewee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'held', name='talkstatus', native_enum=False, length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status != 'held' OR held_on IS NOT NULL", name=op.f('ck_staff_reminder_talk_held_has_date')),
    sa.ForeignKeyConstraint(['reviewee_id'], ['staff_reviewee.id'], name=op.f('fk_staff_reminder_talk_reviewee_id_staff_reviewee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_reminder_talk')),
    sa.UniqueConstraint('reviewee_id', name=op.f('uq_staff_reminder_talk_reviewee_id'))
    )
    op.create_table('staff_report_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('reviewee_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['reviewee_id'], ['staff_reviewee.id'], name=op.f('fk_staff_report_attachment_reviewee_id_staff_reviewee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_report_attachment')),
    sa.UniqueConstraint('public_id', name=op.f('uq_staff_report_attachment_public_id'))
    )
    with op.batch_alter_table('staff_report_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_report_attachment_reviewee_id'), ['reviewee_id'], unique=False)

    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_review_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('staff_user_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_survey_staff_review_id_staff_user_id'), ['staff_review_id', 'staff_user_id'])
        batch_op.create_foreign_key(batch_op.f('fk_survey_staff_review_id_staff_review'), 'staff_review', ['staff_review_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_survey_staff_user_id_user'), 'user', ['staff_user_id'], ['id'])
        batch_op.create_check_constraint('staff_term_survey_names_review_and_person', "kind != 'staff_term' OR (staff_review_id IS NOT NULL AND staff_user_id IS NOT NULL)")

    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rater_group', sa.Enum('student', 'staff', name='ratergroup', native_enum=False, length=32), nullable=True))



def downgrade():
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_column('rater_group')

    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_survey_staff_term_survey_names_review_and_person'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_survey_staff_user_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_survey_staff_review_id_staff_review'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_survey_staff_review_id_staff_user_id'), type_='unique')
        batch_op.drop_column('staff_user_id')
        batch_op.drop_column('staff_review_id')

    with op.batch_alter_table('staff_report_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_report_attachment_reviewee_id'))

    op.drop_table('staff_report_attachment')
    op.drop_table('staff_reminder_talk')
    with op.batch_alter_table('staff_reviewee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_reviewee_user_id'))

    op.drop_table('staff_reviewee')
    with op.batch_alter_table('staff_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_review_union_id'))
        batch_op.drop_index(batch_op.f('ix_staff_review_term_id'))

    op.drop_table('staff_review')
