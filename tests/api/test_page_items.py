"""The API list builds its items from plain rows: they must be exactly to_dict's, on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from tests.api.conftest import World
from tracker.models import Commitment, DeadlineType, Event, Party, Relation, Status
from tracker.services.commitment_queries import (
    CommitmentFilter,
    commitment_items_page,
    list_commitments,
    to_dict,
)

TODAY = dt.datetime.now(dt.UTC).date()


def _vary(world: World) -> None:
    """Give the commitments every shape an item can take: no owner, no desk, an event with a
    relation, no parties or several, each status."""
    with world.factory.begin() as session:
        rows = list(session.scalars(select(Commitment).order_by(Commitment.id)))
        event = Event(name="G7 Summit « Biarritz »", key="g7 summit biarritz", aliases=[])
        session.add(event)
        parties = list(session.scalars(select(Party).order_by(Party.id)))
        rows[0].owner = None
        rows[1].desk = None
        rows[2].owner, rows[2].desk = None, None
        rows[3].event, rows[3].deadline_relation = event, Relation.BEFORE
        rows[3].deadline_type, rows[3].due_date = DeadlineType.EVENT, None
        rows[4].parties = []
        rows[5].parties = list(reversed(parties))
        for row, status in zip(rows[6:], Status, strict=False):
            row.status = status
        rows[-1].review_date = None


def _pages(session: Any, filters: CommitmentFilter, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        page = commitment_items_page(session, filters, TODAY, cursor=cursor, limit=limit, viewer=None)
        items += page.items
        cursor = page.next_cursor
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize(
    "filters",
    [
        CommitmentFilter(),
        CommitmentFilter(owner="desk@example.org"),
        CommitmentFilter(desk="North America Desk"),
        CommitmentFilter(desk="Europe Desk"),
        CommitmentFilter(party="republic of korea"),
        CommitmentFilter(status="open", q="mission"),
        CommitmentFilter(overdue=True),
        CommitmentFilter(waiting=True),
    ],
    ids=["all", "owner", "desk", "other-desk", "party", "status-q", "overdue", "waiting"],
)
def test_page_items_are_to_dict_of_the_same_commitments(world: World, filters: CommitmentFilter) -> None:
    _vary(world)
    with world.session() as session:
        expected = [to_dict(c) for c in list_commitments(session, filters, TODAY, viewer=None)]
        session.expunge_all()
        for limit in (1, 3, 200):
            assert _pages(session, filters, limit) == expected


def test_the_varied_world_covers_every_shape(world: World) -> None:
    _vary(world)
    with world.session() as session:
        items = commitment_items_page(session, CommitmentFilter(), TODAY, limit=200, viewer=None).items
    assert any(i["owner"] is None for i in items) and any(i["owner"] for i in items)
    assert any(i["desk"] is None for i in items) and any(i["desk"] for i in items)
    assert any(i["event"] and i["relation"] == "before" for i in items)
    assert any(i["parties"] == [] for i in items) and any(len(i["parties"]) > 1 for i in items)
    assert {i["status"] for i in items} == {s.value for s in Status}
    assert any(i["due_date"] is None for i in items) and any(i["review_date"] is None for i in items)
