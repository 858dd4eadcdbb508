"""Officers choose the language of their pages (issue 18): "en", "ja", or NULL for the browser's.

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-05

Existing officers get NULL: their pages follow their browser's Accept-Language, as before the
column existed only English was offered, so an English browser sees no change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: a batch copy of `officer` on SQLite would drop the table, and
# with foreign keys on that cascades into everything an officer owns. A nullable column is added
# and dropped in place on both databases.


def upgrade() -> None:
    op.add_column("officer", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("officer", "language")
