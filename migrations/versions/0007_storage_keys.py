"""storage keys: a roster import's stored_path is its key in the file store, not a local path

Revision ID: 0007_storage_keys
Revises: 0006_shift_times
Create Date: 2026-11-26 15:10:00.000000

"""
from pathlib import PurePath

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_storage_keys'
down_revision = '0006_shift_times'
branch_labels = None
depends_on = None

job = sa.table('import_job', sa.column('id', sa.Integer), sa.column('stored_path', sa.String))


def upgrade():
    # Uploads were written to UPLOAD_DIR/imports/<name>; the key of the same file is imports/<name>.
    conn = op.get_bind()
    for row in conn.execute(sa.select(job.c.id, job.c.stored_path).where(job.c.stored_path.like('/%'))):
        key = f"imports/{PurePath(row.stored_path).name}"
        conn.execute(job.update().where(job.c.id == row.id).values(stored_path=key))


def downgrade():
    # The keys stay valid names; a downgraded app would need the absolute paths, which depend on
    # UPLOAD_DIR and are not known here.
    pass
