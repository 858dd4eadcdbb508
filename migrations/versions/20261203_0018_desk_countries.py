"""The countries a desk covers: the ingest preview defaults a readout's desk from its counterpart;
and the saved view an officer chose as their dashboard (issue 18).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

One new table, and one column with a default (false) on saved_view.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"  # 0011 when written; main's 0016 (officer language) and 0017 (notifications) landed first
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_country",
        sa.Column("country", sa.String(length=200), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_desk_country_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("country", name=op.f("pk_desk_country")),
    )
    op.create_index(op.f("ix_desk_country_desk_id"), "desk_country", ["desk_id"], unique=False)
    with op.batch_alter_table("saved_view") as batch:
        batch.add_column(sa.Column("is_dashboard", sa.Boolean(), server_default=sa.text("false"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("saved_view") as batch:
        batch.drop_column("is_dashboard")
    op.drop_index(op.f("ix_desk_country_desk_id"), table_name="desk_country")
    op.drop_table("desk_country")
