"""Notifications on the dashboard and in the navigation, marked read by their officer only; the
preference (immediate or in the digest) in my settings (issue 18)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import NOW, World, page_token
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Notification, Officer
from tracker.services.commitments import update_commitment

Client = Callable[[str], FlaskClient]


def _news(page: str) -> str:
    return page[page.index('id="news-h"') : page.index('id="mine-h"')]


def _nav_count(page: str) -> int:
    start = page.index('aria-label="Main"')
    nav = page[start : page.index("</nav>", start)]
    found = re.search(r'class="badge unread"[^>]*>(\d+)<', nav)
    return int(found.group(1)) if found else 0


def _colleague_changes(world: World) -> list[int]:
    """The colleague takes one of my commitments, gives it back, and starts work on another of
    mine: three notifications for me (ids, oldest first)."""
    mine, theirs = world.commitment_ids[0], world.commitment_ids[1]
    with world.session() as s, s.begin():
        me, colleague = s.get_one(Officer, world.ids["desk"]), s.get_one(Officer, world.ids["colleague"])
        settings = DeadlineSettings()
        update_commitment(
            s,
            s.get_one(Commitment, theirs),
            by=colleague,
            note="mine now",
            now=NOW,
            settings=settings,
            owner=colleague,
        )
        update_commitment(
            s,
            s.get_one(Commitment, theirs),
            by=colleague,
            note="yours now",
            now=NOW,
            settings=settings,
            owner=me,
        )
        update_commitment(
            s,
            s.get_one(Commitment, mine),
            by=colleague,
            note="started",
            now=NOW,
            settings=settings,
            status="in_progress",
        )
        return list(
            s.scalars(
                select(Notification.id).where(Notification.officer_id == me.id).order_by(Notification.id)
            )
        )


def test_the_dashboard_lists_unread_notifications_and_marks_them_read(
    client_for: Client, world: World
) -> None:
    ids = _colleague_changes(world)
    assert len(ids) == 3
    client = client_for("desk")
    page = client.get("/").get_data(as_text=True)
    news = _news(page)
    assert "changed the owner from you to" in news and "mine now" in news
    assert "to you" in news and "yours now" in news
    assert "changed the status from Open to In progress" in news and "started" in news
    assert news.count("Mark read") == 3 and "Mark all read" in news
    assert news.index("started") < news.index("yours now") < news.index("mine now"), "newest first"
    assert _nav_count(page) == 3
    # The count is on every page, not only the dashboard.
    assert _nav_count(client.get("/commitments").get_data(as_text=True)) == 3

    token = page_token(client, "/")
    response = client.post("/notifications/read", data={"csrf_token": token, "id": str(ids[1])})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "yours now" not in _news(page) and "started" in _news(page) and "mine now" in _news(page)
    assert _nav_count(page) == 2

    assert client.post("/notifications/read", data={"csrf_token": token, "all": "1"}).status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert 'id="news-h"' not in page and _nav_count(page) == 0
    with world.session() as s:
        assert all(n.read_at is not None for n in s.scalars(select(Notification)))


def test_an_officer_sees_and_marks_only_their_own_notifications(client_for: Client, world: World) -> None:
    ids = _colleague_changes(world)
    for key in ("colleague", "other", "supervisor", "admin"):
        page = client_for(key).get("/").get_data(as_text=True)
        assert 'id="news-h"' not in page and _nav_count(page) == 0, key
    intruder = client_for("colleague")
    token = page_token(intruder, "/")
    response = intruder.post("/notifications/read", data={"csrf_token": token, "id": str(ids[0])})
    assert response.status_code == 404
    # "Mark all read" by someone else marks only their own (none): mine stay unread.
    assert intruder.post("/notifications/read", data={"csrf_token": token, "all": "1"}).status_code == 302
    with world.session() as s:
        assert all(n.read_at is None for n in s.scalars(select(Notification)))
    assert _nav_count(client_for("desk").get("/").get_data(as_text=True)) == 3
    # Without the form's token nothing is marked.
    assert client_for("desk").post("/notifications/read", data={"all": "1"}).status_code in (400, 403)


def test_my_own_changes_are_not_news(client_for: Client, world: World) -> None:
    with world.session() as s, s.begin():
        me = s.get_one(Officer, world.ids["desk"])
        update_commitment(
            s,
            s.get_one(Commitment, world.commitment_ids[0]),
            by=me,
            note="my own change",
            now=NOW,
            settings=DeadlineSettings(),
            status="done",
        )
    page = client_for("desk").get("/").get_data(as_text=True)
    assert 'id="news-h"' not in page and _nav_count(page) == 0


def test_i_choose_immediate_or_digest_in_my_settings(client_for: Client, world: World) -> None:
    client = client_for("desk")
    page = client.get("/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="notify"[^>]*value="digest"[^>]*checked', page), "digest by default"
    token = page_token(client, "/settings")
    form = {
        "csrf_token": token,
        "timezone": "UTC",
        "digest_frequency": "daily",
        "digest_hour": "8",
        "digest_weekday": "0",
    }
    assert client.post("/settings", data={**form, "notify": "immediate"}).status_code == 302
    with world.session() as s:
        assert s.get_one(Officer, world.ids["desk"]).notify_immediately is True
    page = client.get("/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="notify"[^>]*value="immediate"[^>]*checked', page)
    response = client.post("/settings", data={**form, "notify": "hourly"})
    assert response.status_code == 400 and "unknown notification preference" in response.get_data(
        as_text=True
    )
    assert client.post("/settings", data={**form, "notify": "digest"}).status_code == 302
    with world.session() as s:
        assert s.get_one(Officer, world.ids["desk"]).notify_immediately is False


def test_a_commitment_given_to_me_in_the_preview_tells_me(client_for: Client, world: World) -> None:
    from tests.web.forms import form_fields
    from tests.web.test_ingest import _preview

    client = client_for("desk")
    fields = form_fields(_preview(client).get_data(as_text=True), "/readouts/review")
    fields.update(
        {"c1_owner": str(world.ids["colleague"]), "title": "Given in the preview", "action": "save"}
    )
    assert client.post("/readouts/review", data=fields).status_code == 302
    news = _news(client_for("colleague").get("/").get_data(as_text=True))
    assert "changed the owner from" in news and "to you" in news and "assigned in the preview" in news
    # The officer who saved it keeps the others: no news for them.
    assert 'id="news-h"' not in client_for("desk").get("/").get_data(as_text=True)
