"""Performance indexes (issue 7): stale lookups per officer and desk, partial indexes for the sweep.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Measured with `tracker bench` at 1,000,000 commitments (see docs/benchmarks.md):
- (owner_id | desk_id, status, review_date): the digest's and dashboard's stale sections read one
  officer's or desk's rows by review date instead of every stale row of the ministry;
- partial (status, due_date) WHERE flagged_overdue_at IS NULL and (status, review_date) WHERE
  flagged_stale_at IS NULL: the sweep finds the rows it has not flagged yet without reading the
  rows it has, and a sweep with nothing new to flag reads nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_commitment_owner_status_review", "commitment", ["owner_id", "status", "review_date"]
    )
    op.create_index("ix_commitment_desk_status_review", "commitment", ["desk_id", "status", "review_date"])
    op.create_index(
        "ix_commitment_overdue_unflagged",
        "commitment",
        ["status", "due_date"],
        sqlite_where=sa.text("flagged_overdue_at IS NULL"),
        postgresql_where=sa.text("flagged_overdue_at IS NULL"),
    )
    op.create_index(
        "ix_commitment_stale_unflagged",
        "commitment",
        ["status", "review_date"],
        sqlite_where=sa.text("flagged_stale_at IS NULL"),
        postgresql_where=sa.text("flagged_stale_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_commitment_stale_unflagged", table_name="commitment")
    op.drop_index("ix_commitment_overdue_unflagged", table_name="commitment")
    op.drop_index("ix_commitment_desk_status_review", table_name="commitment")
    op.drop_index("ix_commitment_owner_status_review", table_name="commitment")
