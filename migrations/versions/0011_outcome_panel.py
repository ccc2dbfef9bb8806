"""outcome panel: an outcome score (no bid) is unique per seat and criterion

The unique constraint on score(seat_id, bid_id, criterion_id) holds NULLs distinct, so it lets the
same panelist score the same outcome criterion twice; a partial unique index closes that.

Revision ID: 0011_outcome_panel
Revises: 0010_evaluation_window
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_outcome_panel'
down_revision = '0010_evaluation_window'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'uq_score_outcome',
        'score',
        ['seat_id', 'criterion_id'],
        unique=True,
        postgresql_where=sa.text('bid_id IS NULL'),
        sqlite_where=sa.text('bid_id IS NULL'),
    )


def downgrade():
    op.drop_index('uq_score_outcome', table_name='score')
