"""Notifications: an officer told when someone else gives them a commitment or changes one of theirs (issue 18).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

The table `notification` (one per history row and recipient, read or unread, and the mail that
told it); `officer.notify_immediately` (mail each at once; default: in the digest only); and
`digest.kind`, since the outbox now carries those short mails ("notice") beside the digests.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE on `officer`, as in 0012: a batch copy of it fails once rows reference it.
    op.add_column(
        "officer",
        sa.Column("notify_immediately", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    # `digest` is referenced by nothing yet: batch mode (as in 0015) gives SQLite the CHECK.
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "digest", "notice", name="kind", native_enum=False, create_constraint=True, length=32
                ),
                server_default="digest",
                nullable=False,
            )
        )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("status_change_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
            name=op.f("fk_notification_officer_id_officer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_notification_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_change_id"],
            ["status_change.id"],
            name=op.f("fk_notification_status_change_id_status_change"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["digest.id"], name=op.f("fk_notification_outbox_id_digest"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_officer_read", "notification", ["officer_id", "read_at", "id"])
    op.create_index(op.f("ix_notification_commitment_id"), "notification", ["commitment_id"])
    op.create_index(op.f("ix_notification_status_change_id"), "notification", ["status_change_id"])
    op.create_index(op.f("ix_notification_outbox_id"), "notification", ["outbox_id"])


def downgrade() -> None:
    op.drop_table("notification")
    # The notices go with the table that said what they told; the digests stay.
    op.execute("DELETE FROM digest WHERE kind = 'notice'")
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_digest_kind"), type_="check")  # SQLite's copy would keep it
        batch_op.drop_column("kind")
    op.drop_column("officer", "notify_immediately")
