"""degree level: 学历层次 (本科 / 硕士 / 博士) of every student, which decides whom a school-level union
serves

Students already there are recorded as undergraduates, the common case; a school with graduate students
re-imports its roster (the 学历层次 column) after upgrading. Faculty have none.

Revision ID: 0014_degree_level
Revises: 0013_final_scores
Create Date: 2026-11-27 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_degree_level'
down_revision = '0013_final_scores'
branch_labels = None
depends_on = None


def _keep_the_expression_index():
    """On SQLite a batch rebuilds the table without the index 0009 made on an expression (it cannot
    reflect one): make it again."""
    if op.get_bind().dialect.name == 'sqlite':
        op.create_index(
            'ix_user_kind_identifier', 'user', ['kind', sa.text('coalesce(student_no, staff_no)'), 'id'], unique=False
        )


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('degree_level', sa.Enum('undergraduate', 'master', 'doctoral', name='degreelevel', native_enum=False, length=32), nullable=True))
    user = sa.table('user', sa.column('kind', sa.String), sa.column('degree_level', sa.String))
    op.execute(user.update().where(user.c.kind == 'student').values(degree_level='undergraduate'))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_degree_level'), ['degree_level'], unique=False)
        batch_op.create_check_constraint('degree_level_of_students', "(kind = 'student') = (degree_level IS NOT NULL)")
    _keep_the_expression_index()


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_degree_level_of_students'), type_='check')
        batch_op.drop_index(batch_op.f('ix_user_degree_level'))
        batch_op.drop_column('degree_level')
    _keep_the_expression_index()
