"""Need-to-know (issue 19): a readout can be restricted to named desks and carry a marking.

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-05

`readout.is_restricted` (false for every readout stored before: they stay visible to all),
`readout.marking` ("Confidential", shown wherever the readout is), and `readout_desk_access`,
the desks that may see a restricted readout and its commitments.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0015"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode, as in 0008: a batch copy of `readout` on SQLite would drop
# the old table and, with foreign keys on, cascade-delete every point and commitment.


def upgrade() -> None:
    op.add_column(
        "readout", sa.Column("is_restricted", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.add_column("readout", sa.Column("marking", sa.String(length=100), nullable=True))
    op.create_index(
        "ix_readout_is_restricted",
        "readout",
        ["is_restricted"],
        unique=False,
        postgresql_where=sa.text("is_restricted"),
    )
    op.create_table(
        "readout_desk_access",
        sa.Column("readout_id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_readout_desk_access_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["readout_id"],
            ["readout.id"],
            name=op.f("fk_readout_desk_access_readout_id_readout"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("readout_id", "desk_id", name=op.f("pk_readout_desk_access")),
    )
    op.create_index(
        op.f("ix_readout_desk_access_desk_id"), "readout_desk_access", ["desk_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_readout_desk_access_desk_id"), table_name="readout_desk_access")
    op.drop_table("readout_desk_access")
    op.drop_index("ix_readout_is_restricted", table_name="readout")
    op.drop_column("readout", "marking")
    op.drop_column("readout", "is_restricted")
