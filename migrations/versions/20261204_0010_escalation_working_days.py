"""Escalation to a supervisor, extension requests and working days per desk (issue 17).

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-04

Three new tables, nothing altered: `desk_policy` (who is told when a desk's commitments stay
overdue, its escalation ladder, and how it counts days), `escalation` (each step a commitment
went through) and `extension_request`. Another branch adds 0009 on 0008 too; the two are chained
at merge.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_policy",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("head_id", sa.Integer(), nullable=True),
        sa.Column("escalation_steps", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column(
            "day_count",
            sa.Enum(
                "calendar", "working", name="day_count", native_enum=False, create_constraint=True, length=32
            ),
            server_default="calendar",
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desk.id"], name=op.f("fk_desk_policy_desk_id_desk"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["head_id"], ["officer.id"], name=op.f("fk_desk_policy_head_id_officer")),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["officer.id"], name=op.f("fk_desk_policy_supervisor_id_officer")
        ),
        sa.PrimaryKeyConstraint("desk_id", name=op.f("pk_desk_policy")),
    )
    op.create_table(
        "escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=20), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_note", sa.Text(), nullable=True),
        sa.CheckConstraint("step >= 1", name=op.f("ck_escalation_step_positive")),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_escalation_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["officer.id"], name=op.f("fk_escalation_recipient_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation")),
    )
    op.create_index("ix_escalation_commitment_id", "escalation", ["commitment_id"])
    op.create_index(
        "uq_escalation_open_step",
        "escalation",
        ["commitment_id", "step"],
        unique=True,
        sqlite_where=sa.text("cleared_at IS NULL"),
        postgresql_where=sa.text("cleared_at IS NULL"),
    )
    op.create_index(
        "ix_escalation_recipient_open",
        "escalation",
        ["recipient_id", "escalated_at"],
        sqlite_where=sa.text("cleared_at IS NULL"),
        postgresql_where=sa.text("cleared_at IS NULL"),
    )
    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("old_due_date", sa.Date(), nullable=False),
        sa.Column("new_due_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "approved",
                "refused",
                name="extension_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.CheckConstraint("new_due_date > old_due_date", name=op.f("ck_extension_request_later")),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_extension_request_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["officer.id"], name=op.f("fk_extension_request_decided_by_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["officer.id"], name=op.f("fk_extension_request_requested_by_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_request")),
    )
    op.create_index("ix_extension_request_commitment_id", "extension_request", ["commitment_id"])
    op.create_index(
        "uq_extension_request_pending",
        "extension_request",
        ["commitment_id"],
        unique=True,
        sqlite_where=sa.text("state = 'pending'"),
        postgresql_where=sa.text("state = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("uq_extension_request_pending", table_name="extension_request")
    op.drop_index("ix_extension_request_commitment_id", table_name="extension_request")
    op.drop_table("extension_request")
    op.drop_index("ix_escalation_recipient_open", table_name="escalation")
    op.drop_index("uq_escalation_open_step", table_name="escalation")
    op.drop_index("ix_escalation_commitment_id", table_name="escalation")
    op.drop_table("escalation")
    op.drop_table("desk_policy")
