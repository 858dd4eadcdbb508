"""Sessions that end, and proposed event dates (issue 19).

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-05

`officer.session_version` (every session cookie carries it; bumped on logout, a new password,
a role change and deactivation, which ends every session handed out before) and the table
`event_date_proposal` (an officer's proposed date for an event that other desks' commitments
hang on, waiting for a supervisor). Existing officers start at version 1, so sessions made
before the upgrade (which carry no version) end once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode, as in 0008: a batch copy of `officer` on SQLite drops the
# table that every other table's foreign keys point at, which fails once rows reference it.
def upgrade() -> None:
    op.add_column("officer", sa.Column("session_version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "event_date_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("old_date", sa.Date(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "approved",
                "refused",
                name="proposal_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_event_date_proposal_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["officer.id"], name=op.f("fk_event_date_proposal_proposed_by_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["officer.id"], name=op.f("fk_event_date_proposal_decided_by_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_date_proposal")),
    )
    op.create_index(
        op.f("ix_event_date_proposal_event_id"), "event_date_proposal", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_event_date_proposal_event_id"), table_name="event_date_proposal")
    op.drop_table("event_date_proposal")
    op.drop_column("officer", "session_version")
