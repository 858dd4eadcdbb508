"""Readouts record their language (issue 16): the grammar they were read with, "en" or "ja".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Every readout stored before this revision was read with the English grammar, so existing rows
get "en" from the server default.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases, not batch mode: on SQLite a batch copy of `readout` drops
# the old table, and with foreign keys on, that deletes every point and commitment (ON DELETE
# CASCADE). SQLite adds a column with a constant default, and drops one, in place.


def upgrade() -> None:
    op.add_column("readout", sa.Column("language", sa.String(length=8), server_default="en", nullable=False))


def downgrade() -> None:
    op.drop_column("readout", "language")
