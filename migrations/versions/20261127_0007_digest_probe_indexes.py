"""Digest indexes (issue 7): outside-desk probe, and waiting rows counted from the index alone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

Measured with `tracker bench` at 1,000,000 commitments / 200 officers on SQLite (see
docs/benchmarks.md), one uncached digest:
- ix_commitment_owner_desk_status (owner_id, desk_id, status): whether an officer owns active
  rows on no desk or another desk than theirs is three index probes that stop at their first
  entry, instead of reading every active entry the officer owns (about 4,000; 0.9 ms);
- ix_commitment_waiting gains deadline_type, the column of its own WHERE: SQLite 3.40 reads
  the table row for it otherwise, so counting a desk's waiting rows per event (about 5,000 at
  1M) now stays in the index;
- on PostgreSQL, the (desk|owner, status, date) indexes and the waiting index INCLUDE id: a digest's or dashboard's
  first rows by (date, id) were read from the table for their id (25-45 random heap pages per
  list); SQLite's indexes end with the rowid anyway, so nothing changes there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

WAITING = "deadline_type = 'event'"


def _waiting(columns: list[str], include: list[str]) -> None:
    op.drop_index("ix_commitment_waiting", table_name="commitment")
    op.create_index(
        "ix_commitment_waiting",
        "commitment",
        columns,
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
        postgresql_include=include,
    )


DATED = {
    "ix_commitment_owner_status_due": ["owner_id", "status", "due_date", "desk_id"],
    "ix_commitment_desk_status_due": ["desk_id", "status", "due_date"],
    "ix_commitment_owner_status_review": ["owner_id", "status", "review_date", "desk_id"],
    "ix_commitment_desk_status_review": ["desk_id", "status", "review_date"],
}


def _dated(include: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in DATED.items():
        op.drop_index(name, table_name="commitment")
        op.create_index(name, "commitment", columns, postgresql_include=include)


def upgrade() -> None:
    op.create_index("ix_commitment_owner_desk_status", "commitment", ["owner_id", "desk_id", "status"])
    _waiting(["status", "desk_id", "due_date", "event_id", "deadline_type"], ["id"])
    _dated(["id"])


def downgrade() -> None:
    _dated([])
    _waiting(["status", "desk_id", "due_date", "event_id"], [])
    op.drop_index("ix_commitment_owner_desk_status", table_name="commitment")
