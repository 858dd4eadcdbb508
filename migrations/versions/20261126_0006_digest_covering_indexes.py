"""Digest indexes (issue 7): the desk's waiting rows and the officer's own rows from the index alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Measured with `tracker bench` at 1,000,000 commitments / 200 officers on SQLite (see
docs/benchmarks.md), one uncached digest:
- ix_commitment_waiting gains event_id: the desk's waiting rows are listed by event from the
  partial index instead of reading every undated row of the desk (~13,000 at 1M) for its
  deadline type and event;
- ix_commitment_owner_status_due / _review gain desk_id: the officer's own rows on no desk or
  another desk are told apart in the index instead of reading each of their rows for its desk.
The new indexes keep the old columns as their prefix, so every query served before still is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WAITING = "deadline_type = 'event'"


def _replace(name: str, columns: list[str], where: str | None = None) -> None:
    op.drop_index(name, table_name="commitment")
    if where is None:
        op.create_index(name, "commitment", columns)
    else:
        op.create_index(
            name, "commitment", columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where)
        )


def upgrade() -> None:
    _replace("ix_commitment_owner_status_due", ["owner_id", "status", "due_date", "desk_id"])
    _replace("ix_commitment_owner_status_review", ["owner_id", "status", "review_date", "desk_id"])
    _replace("ix_commitment_waiting", ["status", "desk_id", "due_date", "event_id"], WAITING)


def downgrade() -> None:
    _replace("ix_commitment_waiting", ["status", "desk_id", "due_date"], WAITING)
    _replace("ix_commitment_owner_status_review", ["owner_id", "status", "review_date"])
    _replace("ix_commitment_owner_status_due", ["owner_id", "status", "due_date"])
