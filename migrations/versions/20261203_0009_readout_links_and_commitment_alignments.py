"""Readouts of one meeting (issue 17): links between them and their commitments' alignment.

`readout_link` joins two readouts of one meeting: the other government's readout (counterpart)
or the ministry's English version of its Japanese original (translation). `commitment_alignment`
keeps, per link, each undertaking that both readouts report, with the other readout's wording
and deadline as it was read.

Revision ID: 0009
Revises: 0010 (written on 0008; chained after 0010 when main gained 0010 from the same parent)
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "readout_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("readout_id", sa.Integer(), nullable=False),
        sa.Column("other_readout_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "counterpart", "translation", name="link_kind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "confirmed_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("readout_id <> other_readout_id", name=op.f("ck_readout_link_not_itself")),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["officer.id"], name=op.f("fk_readout_link_confirmed_by_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["other_readout_id"],
            ["readout.id"],
            name=op.f("fk_readout_link_other_readout_id_readout"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["readout_id"], ["readout.id"], name=op.f("fk_readout_link_readout_id_readout"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readout_link")),
        sa.UniqueConstraint("readout_id", "other_readout_id", name=op.f("uq_readout_link_readout_id")),
    )
    op.create_index(op.f("ix_readout_link_other_readout_id"), "readout_link", ["other_readout_id"])

    op.create_table(
        "commitment_alignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("other_commitment_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("other_quote", sa.Text(), nullable=False),
        sa.Column("other_quote_start", sa.Integer(), nullable=False),
        sa.Column("other_quote_end", sa.Integer(), nullable=False),
        sa.Column("other_parties", sa.JSON(), nullable=False),
        sa.Column(
            "other_deadline_type",
            sa.Enum(
                "date",
                "event",
                "ongoing",
                "none",
                name="other_deadline_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("other_deadline_text", sa.Text(), nullable=True),
        sa.Column("other_due_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "other_quote_start >= 0 AND other_quote_end > other_quote_start",
            name=op.f("ck_commitment_alignment_quote_offsets"),
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_alignment_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["readout_link.id"],
            name=op.f("fk_commitment_alignment_link_id_readout_link"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_alignment_other_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_alignment")),
        sa.UniqueConstraint("link_id", "commitment_id", name=op.f("uq_commitment_alignment_link_id")),
    )
    op.create_index(op.f("ix_commitment_alignment_commitment_id"), "commitment_alignment", ["commitment_id"])
    op.create_index(
        op.f("ix_commitment_alignment_other_commitment_id"), "commitment_alignment", ["other_commitment_id"]
    )


def downgrade() -> None:
    op.drop_table("commitment_alignment")
    op.drop_table("readout_link")
