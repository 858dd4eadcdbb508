"""Digests: a "superseded" state and whether the last failure was the mail server's (issue 18, 19).

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-05

A digest is rebuilt at each sending attempt, and dropped ("superseded") when a newer digest of
the same officer exists or nothing is left to report; a digest that failed because the server
was unreachable or said "not now" (4xx) is retried automatically once it answers again, which
`is_last_error_transient` tells apart from a refusal of the message itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0009"
branch_labels = None
depends_on = None


def _state(*values: str) -> sa.Enum:
    return sa.Enum(*values, name="state", native_enum=False, create_constraint=True, length=32)


OLD = _state("pending", "sent", "failed")
NEW = _state("pending", "sent", "failed", "superseded")


def upgrade() -> None:
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_last_error_transient", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        batch_op.alter_column("state", existing_type=OLD, type_=NEW, existing_nullable=False)


def downgrade() -> None:
    # A superseded digest was never sent and never will be: as close as the old states come.
    op.execute("UPDATE digest SET state = 'failed' WHERE state = 'superseded'")
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.alter_column("state", existing_type=NEW, type_=OLD, existing_nullable=False)
        batch_op.drop_column("is_last_error_transient")
