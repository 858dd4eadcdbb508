"""The need-to-know rule reads the few restricted readouts through their partial index, never the
whole readout table (at 1,000,000 commitments a scan of the 333,334 readouts cost 104 ms, twice
in every digest, when the condition was written `is_restricted IS true`, which PostgreSQL cannot
match to the index's `WHERE is_restricted`)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.factories import make_officer
from tracker.services.permissions import hidden_readout_ids


def test_the_hidden_readouts_are_read_through_the_partial_index(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the partial index's predicate is PostgreSQL's (SQLite indexes the column whole)")
    officer = make_officer(session, desk="North America Desk")
    session.flush()
    statement = hidden_readout_ids(officer)
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    # Whatever the table's size, a plan that can use the index must use it once scans cost more.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_readout_is_restricted" in plan, plan
