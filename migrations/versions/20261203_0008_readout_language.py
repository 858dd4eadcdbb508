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


def upgrade() -> None:
    with op.batch_alter_table("readout") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), server_default="en", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("readout") as batch:
        batch.drop_column("language")
