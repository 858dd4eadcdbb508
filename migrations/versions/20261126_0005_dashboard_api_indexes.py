"""Dashboard and API list indexes (issue 7): the API's keyset order, the dashboard's waiting counts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Measured at 1,000,000 commitments (see docs/benchmarks.md):
- (due_date, id): the API list's order is dated rows by (due_date, id), then undated rows by id;
  the first page reads its rows in index order instead of sorting the whole table;
- partial (status, desk_id, due_date) WHERE deadline_type = 'event': the dashboard's "waiting on
  an event date" bucket for a desk from the index alone, not every undated row of the desk.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

WAITING = "deadline_type = 'event'"


def upgrade() -> None:
    op.create_index("ix_commitment_due_id", "commitment", ["due_date", "id"])
    op.create_index(
        "ix_commitment_waiting",
        "commitment",
        ["status", "desk_id", "due_date"],
        sqlite_where=sa.text(WAITING),
        postgresql_where=sa.text(WAITING),
    )


def downgrade() -> None:
    op.drop_index("ix_commitment_waiting", table_name="commitment")
    op.drop_index("ix_commitment_due_id", table_name="commitment")
