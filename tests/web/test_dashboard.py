"""The dashboard: my and my desk's commitments that need attention, counts on top, constant queries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from tests.web.conftest import NOW, World
from tracker.models import Commitment, DeadlineType, Officer, ReadoutPoint, Status

Client = Callable[[str], FlaskClient]
TODAY = NOW.date()


def _add(world: World, n: int, *, owner: str, due: dt.date | None, review: dt.date | None = None) -> None:
    """`n` more commitments on the seed readout's first commitment point, owned by `owner`."""
    with world.session() as s, s.begin(), s.no_autoflush:
        template = s.get(Commitment, world.commitment_ids[0])
        officer = s.get(Officer, world.ids[owner])
        assert template is not None and officer is not None
        point = s.get(ReadoutPoint, template.point_id)
        for _ in range(n):
            c = Commitment(
                point=point,
                readout_id=template.readout_id,
                quote=template.quote,
                quote_start=template.quote_start,
                quote_end=template.quote_end,
                action="Extra follow-up",
                deadline_type=DeadlineType.DATE if due else DeadlineType.NONE,
                due_date=due,
                review_date=review,
                status=Status.OPEN,
                owner=officer,
                desk=officer.desk,
                created_at=NOW,
                updated_at=NOW,
            )
            c.parties = list(template.parties)
            s.add(c)


def _counts(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<span class="n">(\d+)</span>\s*<span class="what">'
        r'(?:<span aria-hidden="true">⚠</span> )?([^<]+)</span>',
        page,
    )


def test_counts_on_top_and_buckets(client_for: Client, world: World) -> None:
    _add(world, 2, owner="desk", due=TODAY - dt.timedelta(days=3))
    _add(world, 1, owner="desk", due=TODAY + dt.timedelta(days=5))
    _add(world, 1, owner="desk", due=TODAY + dt.timedelta(days=30))
    _add(world, 1, owner="colleague", due=TODAY - dt.timedelta(days=1))
    _add(world, 1, owner="desk", due=None, review=TODAY - dt.timedelta(days=2))
    page = client_for("desk").get("/").get_data(as_text=True)
    assert "<title>Dashboard · Commitment tracker</title>" in page
    counts = _counts(page)
    assert counts[:4] == [
        ("2", "Overdue"),
        ("1", "Due in the next 7 days"),
        ("1", "Stale (no update since the review date)"),
        ("2", "Waiting on an event date"),
    ]
    assert counts[4:] == [
        ("1", "Overdue"),
        ("0", "Due in the next 7 days"),
        ("0", "Stale (no update since the review date)"),
        ("0", "Waiting on an event date"),
    ], "the desk section counts the colleague's, not mine again"
    assert "North America Desk" in page


def test_overdue_is_said_in_words_not_only_colour(client_for: Client, world: World) -> None:
    _add(world, 1, owner="desk", due=TODAY - dt.timedelta(days=3))
    page = client_for("desk").get("/").get_data(as_text=True)
    assert "OVERDUE by 3 days" in page
    assert "Mine: Overdue (1)" in page


def test_a_long_overdue_span_is_said_as_people_say_it(client_for: Client, world: World) -> None:
    _add(world, 1, owner="desk", due=TODAY - dt.timedelta(days=3096))
    page = client_for("desk").get("/").get_data(as_text=True)
    assert "OVERDUE by 8 years" in page
    assert "3096" not in page


def test_counts_link_to_the_list_filtered_to_those_rows(client_for: Client, world: World) -> None:
    _add(world, 2, owner="desk", due=TODAY - dt.timedelta(days=3))
    client = client_for("desk")
    page = client.get("/").get_data(as_text=True)
    link = re.search(
        r'<a href="([^"]+)">\s*<span class="n">2</span>\s*<span class="what"><span aria-hidden="true">⚠', page
    )
    assert link is not None
    listed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Showing 1–2 of 2 commitments" in listed


def test_an_officer_without_attention_items_gets_a_calm_page(client_for: Client) -> None:
    page = client_for("other").get("/").get_data(as_text=True)
    assert "Nothing needs attention" in page


def test_supervisors_see_all_desks_or_pick_one(client_for: Client, world: World) -> None:
    _add(world, 1, owner="other", due=TODAY - dt.timedelta(days=1))
    client = client_for("supervisor")
    page = client.get("/").get_data(as_text=True)
    assert "All desks" in page and 'name="desk"' in page
    assert _counts(page)[4] == ("1", "Overdue")
    europe = client.get("/?desk=Europe+Desk").get_data(as_text=True)
    assert "Europe Desk <span" in europe and _counts(europe)[4] == ("1", "Overdue")
    america = client.get("/?desk=North+America+Desk").get_data(as_text=True)
    assert _counts(america)[4] == ("0", "Overdue") and _counts(america)[7] == (
        "2",
        "Waiting on an event date",
    )
    # An officer cannot look at another desk's section by changing the address.
    officer_page = client_for("desk").get("/?desk=Europe+Desk").get_data(as_text=True)
    assert 'id="desk-h">North America Desk' in officer_page and 'name="desk"' not in officer_page


@contextmanager
def _statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = app.extensions["tracker.engine"]

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_number_of_queries_does_not_grow_with_the_data(
    client_for: Client, world: World, app: Flask
) -> None:
    client = client_for("desk")
    _add(world, 1, owner="desk", due=TODAY - dt.timedelta(days=3))
    _add(world, 1, owner="colleague", due=TODAY + dt.timedelta(days=3))
    with _statements(app) as small:
        assert client.get("/").status_code == 200
    _add(world, 40, owner="desk", due=TODAY - dt.timedelta(days=3))
    _add(world, 40, owner="colleague", due=TODAY + dt.timedelta(days=3), review=TODAY - dt.timedelta(days=1))
    with _statements(app) as large:
        page = client.get("/").get_data(as_text=True)
    assert "Mine: Overdue (41)" in page
    assert len(large) == len(small), (len(small), len(large))


def test_a_bucket_shows_its_first_rows_and_links_to_all_of_them(client_for: Client, world: World) -> None:
    from tracker.services.dashboard import ROWS_PER_BUCKET

    _add(world, ROWS_PER_BUCKET + 2, owner="desk", due=TODAY - dt.timedelta(days=3))
    client = client_for("desk")
    page = client.get("/").get_data(as_text=True)
    total = ROWS_PER_BUCKET + 2
    assert f"Mine: Overdue ({total})" in page, "the count stays exact"
    table = page.split(f"Mine: Overdue ({total})")[1].split("</table>")[0]
    assert table.count("OVERDUE by 3 days") == ROWS_PER_BUCKET
    link = re.search(rf'<p class="more"><a href="([^"]+)">See all {total} \(Mine: overdue\)</a>', page)
    assert link is not None
    listed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert f"of {total} commitments" in listed
    assert page.count("See all") == 1, "buckets shown whole have no link"


def test_changes_by_others_to_my_commitments_are_on_my_dashboard(client_for: Client, world: World) -> None:
    from tracker.deadlines import DeadlineSettings
    from tracker.services.commitments import update_commitment

    cid, other_cid = world.commitment_ids[0], world.commitment_ids[1]
    with world.session() as s, s.begin():
        me, colleague = s.get(Officer, world.ids["desk"]), s.get(Officer, world.ids["colleague"])
        assert me is not None and colleague is not None
        mine, theirs = s.get(Commitment, cid), s.get(Commitment, other_cid)
        assert mine is not None and theirs is not None
        settings = DeadlineSettings()
        update_commitment(
            s, theirs, by=colleague, note="mine for now", now=NOW, settings=settings, owner=colleague
        )
        update_commitment(s, theirs, by=colleague, note="yours now", now=NOW, settings=settings, owner=me)
        update_commitment(
            s, mine, by=colleague, note="started", now=NOW, settings=settings, status="in_progress"
        )
        update_commitment(s, mine, by=me, note="my own change", now=NOW, settings=settings, status="done")
        names = (colleague.name,)
    page = client_for("desk").get("/").get_data(as_text=True)
    news = page[page.index('id="news-h"') : page.index('id="mine-h"')]
    assert f"{names[0]} changed the owner from {names[0]} to you" in news and "yours now" in news
    assert f"{names[0]} changed the status from Open to In progress" in news
    assert "my own change" not in news, "my own changes are not news"
    assert 'id="news-h"' not in client_for("colleague").get("/").get_data(as_text=True)
