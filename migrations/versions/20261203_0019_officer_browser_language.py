"""The language an officer's browser asked for at their last login (issue 18): an officer who has
not chosen a language gets their digests and notices in it, as their pages are.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

Existing officers get NULL until they next log in: their mail stays in English until then, as it
was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


# A nullable column added and dropped in place (as 0016 does): a batch copy of `officer` on SQLite
# would drop the table and cascade into everything an officer owns.


def upgrade() -> None:
    op.add_column("officer", sa.Column("browser_language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("officer", "browser_language")
