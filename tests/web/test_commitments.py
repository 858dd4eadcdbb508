"""The commitments list (filters, sort, pages, bulk change, CSV) and one commitment's page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.orm import Session

from tests.web.conftest import NOW, World, page_token
from tests.web.forms import form_fields
from tracker.db import make_engine
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Officer, Status, StatusChange
from tracker.services.commitments import update_commitment

Client = Callable[[str], FlaskClient]


def _ids_on(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/commitments/(\d+)">#\d+', html)]


def _commitment(world: World, cid: int) -> Commitment:
    with world.session() as s:
        c = s.get(Commitment, cid)
        assert c is not None
        s.expunge(c)
        return c


def _name(world: World, key: str) -> str:
    with world.session() as s:
        return s.get_one(Officer, world.ids[key]).name


def _history(world: World, cid: int) -> list[tuple[str, str | None, str | None, str | None]]:
    with world.session() as s:
        return [
            (h.field, h.old_value, h.new_value, h.note)
            for h in s.scalars(
                select(StatusChange).where(StatusChange.commitment_id == cid).order_by(StatusChange.id)
            )
        ]


def test_the_list_shows_every_commitment_and_filters_narrow_it(client_for: Client, world: World) -> None:
    client = client_for("desk")
    page = client.get("/commitments").get_data(as_text=True)
    assert sorted(_ids_on(page)) == world.commitment_ids
    assert "Showing 1–4 of 4 commitments" in page

    waiting = client.get("/commitments?waiting=1").get_data(as_text=True)
    assert len(_ids_on(waiting)) == 2 and "waiting on" in waiting
    assert _ids_on(client.get("/commitments?party=Republic+of+Korea").get_data(as_text=True)) == [
        world.commitment_ids[0],
        world.commitment_ids[3],
    ]
    assert len(_ids_on(client.get("/commitments?q=abductions").get_data(as_text=True))) == 2
    assert _ids_on(client.get("/commitments?desk=Europe+Desk").get_data(as_text=True)) == []
    assert len(_ids_on(client.get("/commitments?owner=desk%40example.org").get_data(as_text=True))) == 4
    assert _ids_on(client.get("/commitments?status=done").get_data(as_text=True)) == []
    assert len(_ids_on(client.get(f"/commitments?readout={world.readout_id}").get_data(as_text=True))) == 4


def test_bad_filters_are_reported_not_crashed_on(client_for: Client) -> None:
    response = client_for("desk").get("/commitments?due_after=soon&status=maybe&sort=random")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Due from must be a date" in page and "unknown status" in page and "unknown sort" in page


def test_a_nul_in_a_text_filter_is_reported_not_crashed_on(client_for: Client) -> None:
    # PostgreSQL's driver refuses to send a NUL; no stored text holds one anyway.
    response = client_for("desk").get("/commitments?owner=x%00y&q=%00")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "the owner filter must not contain NUL characters" in page
    assert "the q filter must not contain NUL characters" in page


def test_the_column_headers_sort_on_the_server_and_say_how(client_for: Client, world: World) -> None:
    client = client_for("desk")
    with world.session() as s:
        actions = {c.id: c.action.lower() for c in s.scalars(select(Commitment))}
    page = client.get("/commitments?sort=action").get_data(as_text=True)
    ids = _ids_on(page)
    assert [actions[i] for i in ids] == sorted(actions[i] for i in ids)
    head = re.search(r'<th scope="col" class="" aria-sort="ascending"><a href="([^"]+)">Action', page)
    assert head is not None, "the sorted column says so"
    assert "sort=action_desc" in head.group(1), "pressed again it sorts the other way"
    reverse = _ids_on(client.get("/commitments?sort=action_desc").get_data(as_text=True))
    assert [actions[i] for i in reverse] == sorted((actions[i] for i in reverse), reverse=True)
    assert client.get("/commitments?sort=owner_desc").status_code == 200


def test_the_deadline_is_said_in_words_in_the_list(client_for: Client, world: World) -> None:
    page = client_for("desk").get("/commitments").get_data(as_text=True)
    assert "after the U.S.-North Korea Summit Meeting (date not known yet)" in page
    assert "event: <q>" not in page, "no extraction fragments"


def test_sort_and_pages(client_for: Client, world: World, app: Flask) -> None:
    import web.commitments as view

    client = client_for("desk")
    newest = _ids_on(client.get("/commitments?sort=newest").get_data(as_text=True))
    assert newest == sorted(world.commitment_ids, reverse=True)
    old = view.PER_PAGE
    view.PER_PAGE = 3
    try:
        first = client.get("/commitments?sort=newest").get_data(as_text=True)
        second = client.get("/commitments?sort=newest&page=2").get_data(as_text=True)
    finally:
        view.PER_PAGE = old
    assert _ids_on(first) + _ids_on(second) == newest
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Page 2 of 2" in second and 'rel="prev"' in second


def test_csv_export_holds_exactly_the_filtered_rows(client_for: Client, world: World) -> None:
    client = client_for("desk")
    response = client.get("/commitments.csv?waiting=1")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "a UTF-8 BOM, so that Excel reads it as UTF-8"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    expected = _ids_on(client.get("/commitments?waiting=1").get_data(as_text=True))
    assert sorted(int(r["id"]) for r in rows) == sorted(expected)
    all_csv = client.get("/commitments.csv").get_data().decode("utf-8-sig")
    everything = list(csv.DictReader(io.StringIO(all_csv)))
    assert len(everything) == 4
    assert client.get("/commitments.csv?due_before=nonsense").status_code == 400


def test_the_list_offers_the_export_link_with_its_filters(client_for: Client) -> None:
    page = client_for("desk").get("/commitments?waiting=1&party=Japan").get_data(as_text=True)
    assert re.search(r'href="/commitments.csv\?(?=[^"]*waiting=1)(?=[^"]*party=Japan)[^"]*"', page)


def test_bulk_status_change_with_one_note(client_for: Client, world: World) -> None:
    client = client_for("desk")
    token = page_token(client, "/commitments")
    a, b = world.commitment_ids[:2]
    response = client.post(
        "/commitments/bulk",
        data={
            "csrf_token": token,
            "ids": [str(a), str(b)],
            f"v{a}": "1",
            f"v{b}": "1",
            "status": "in_progress",
            "note": "Working group convened",
            "next": "/commitments?waiting=1",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/commitments?waiting=1"
    for cid in (a, b):
        assert _commitment(world, cid).status == Status.IN_PROGRESS
        assert _history(world, cid) == [("status", "open", "in_progress", "Working group convened")]
    assert "Set 2 commitments to in progress" in client.get("/commitments").get_data(as_text=True)


def test_bulk_change_refuses_other_desks_and_stale_rows_and_keeps_the_rest(
    client_for: Client, world: World
) -> None:
    a, b, c = world.commitment_ids[:3]
    with world.session() as s, s.begin():
        row = s.get(Commitment, b)
        officer = s.get(Officer, world.ids["colleague"])
        assert row is not None and officer is not None
        update_commitment(s, row, by=officer, note="meanwhile", now=NOW, settings=DeadlineSettings())
    client = client_for("desk")
    token = page_token(client, "/commitments")
    client.post(
        "/commitments/bulk",
        data={
            "csrf_token": token,
            "ids": [str(a), str(b)],
            f"v{a}": "1",
            f"v{b}": "1",
            "status": "done",
            "note": "closing",
        },
    )
    assert _commitment(world, a).status == Status.DONE
    assert _commitment(world, b).status == Status.OPEN, "a stale row is not overwritten"
    page = client.get("/commitments").get_data(as_text=True)
    assert f"#{b} (changed by someone else" in page

    other = client_for("other")
    token = page_token(other, "/commitments")
    other.post(
        "/commitments/bulk",
        data={"csrf_token": token, "ids": [str(c)], f"v{c}": "1", "status": "done", "note": "not mine"},
    )
    assert _commitment(world, c).status == Status.OPEN
    assert "another desk" in other.get("/commitments").get_data(as_text=True)


def test_bulk_change_needs_a_note_a_status_and_a_selection(client_for: Client, world: World) -> None:
    client = client_for("desk")
    token = page_token(client, "/commitments")
    a = world.commitment_ids[0]
    for data, message in (
        ({"ids": [str(a)], f"v{a}": "1", "status": "done", "note": " "}, "A note is required"),
        ({"ids": [str(a)], f"v{a}": "1", "status": "", "note": "x"}, "Choose the new status"),
        ({"status": "done", "note": "x"}, "Tick at least one"),
    ):
        client.post("/commitments/bulk", data={"csrf_token": token, **data})
        assert message in client.get("/commitments").get_data(as_text=True)
    assert _commitment(world, a).status == Status.OPEN


def test_the_list_offers_bulk_checkboxes_only_for_what_the_officer_may_change(
    client_for: Client, world: World
) -> None:
    assert 'name="ids"' in client_for("desk").get("/commitments").get_data(as_text=True)
    assert 'name="ids"' in client_for("supervisor").get("/commitments").get_data(as_text=True)
    assert 'name="ids"' not in client_for("other").get("/commitments").get_data(as_text=True)


def test_commitment_page_shows_the_quote_in_context_and_a_form(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[3]
    page = client_for("desk").get(f"/commitments/{cid}").get_data(as_text=True)
    assert f"<title>Commitment #{cid} · Commitment tracker</title>" in page
    assert "The two foreign ministers confirmed that <mark" in page, "the point's words around the quote"
    assert "following the U.S.-North Korea Summit Meeting, Japan and the United States" in page
    assert "Japan, Republic of Korea, United States" in page
    assert 'name="version" value="1"' in page
    assert 'aria-label="Breadcrumb"' in page
    assert "waiting on U.S.-North Korea Summit Meeting date" in page


def test_saving_a_change_writes_history_with_who_and_note(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[3]
    client = client_for("desk")
    token = page_token(client, f"/commitments/{cid}")
    response = client.post(
        f"/commitments/{cid}",
        data={
            "csrf_token": token,
            "version": "1",
            "status": "done",
            "owner_id": str(world.ids["colleague"]),
            "due_date": "2018-07-01",
            "note": "Shared the readout with Seoul",
        },
    )
    assert response.status_code == 302
    c = _commitment(world, cid)
    assert (c.status, c.owner_id, c.due_date, c.version) == (
        Status.DONE,
        world.ids["colleague"],
        dt.date(2018, 7, 1),
        2,
    )
    assert {h[0] for h in _history(world, cid)} == {"status", "owner", "due_date"}
    page = client.get(f"/commitments/{cid}").get_data(as_text=True)
    assert "Shared the readout with Seoul" in page and "desk@example.org" in page
    with world.session() as s:
        me, colleague = (s.get(Officer, world.ids[k]) for k in ("desk", "colleague"))
        assert me is not None and colleague is not None
        readout = s.get(Commitment, cid).point.readout  # type: ignore[union-attr]
        point = s.get(Commitment, cid).point.number  # type: ignore[union-attr]
        creation = f"Created from {readout.title} (point {point})"
        if readout.ingested_by is not None:
            creation += f" by {readout.ingested_by.name}"
        names = (me.name, colleague.name)
    history = page[page.index('id="history-h"') :]
    assert f"{names[0]} changed the status from Open to Done" in history
    assert f"to {names[1]}" in history and "1 Jul 2018" in history
    assert creation in history, "the first entry says where it came from"
    assert history.index(creation) > history.index("changed the status"), "oldest last"
    assert "<dt>Version</dt>" not in page and "status: open" not in page
    assert 'name="version" value="2"' in page, "the version stays in the form for optimistic locking"


def test_a_note_is_required(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[0]
    client = client_for("desk")
    token = page_token(client, f"/commitments/{cid}")
    response = client.post(
        f"/commitments/{cid}", data={"csrf_token": token, "version": "1", "status": "done", "note": ""}
    )
    assert response.status_code == 400
    assert "a note is required" in response.get_data(as_text=True)
    assert _commitment(world, cid).status == Status.OPEN


def test_a_stale_save_is_refused_and_shows_what_others_changed(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[3]
    mine = client_for("desk")
    token = page_token(mine, f"/commitments/{cid}")  # the page is loaded at version 1
    theirs = client_for("colleague")
    their_token = page_token(theirs, f"/commitments/{cid}")
    assert (
        theirs.post(
            f"/commitments/{cid}",
            data={"csrf_token": their_token, "version": "1", "status": "in_progress", "note": "Called Seoul"},
        ).status_code
        == 302
    )
    response = mine.post(
        f"/commitments/{cid}",
        data={"csrf_token": token, "version": "1", "status": "dropped", "note": "No longer relevant"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "someone else changed this commitment" in page
    # Said as the history says it, by name.
    assert f"{_name(world, 'colleague')} changed the status from Open to In progress (Called Seoul)" in page
    assert "No longer relevant" in page, "the officer's note is kept in the form"
    assert 'name="version" value="2"' in page
    c = _commitment(world, cid)
    assert c.status == Status.IN_PROGRESS and c.version == 2
    assert [h[3] for h in _history(world, cid)] == ["Called Seoul"]


def test_an_officer_of_another_desk_can_read_but_not_change(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[3]
    other = client_for("other")
    page = other.get(f"/commitments/{cid}").get_data(as_text=True)
    assert "You can read this commitment but not change it" in page
    assert 'name="version"' not in page
    token = page_token(other, "/settings")
    response = other.post(
        f"/commitments/{cid}",
        data={"csrf_token": token, "version": "1", "status": "done", "note": "mine now"},
    )
    assert response.status_code == 403
    assert _commitment(world, cid).status == Status.OPEN


def test_supervisors_change_any_desks_commitment(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[0]
    client = client_for("supervisor")
    token = page_token(client, f"/commitments/{cid}")
    response = client.post(
        f"/commitments/{cid}",
        data={"csrf_token": token, "version": "1", "status": "dropped", "note": "Overtaken"},
    )
    assert response.status_code == 302
    assert _commitment(world, cid).status == Status.DROPPED


def test_unknown_owner_and_bad_dates_are_refused(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[0]
    client = client_for("desk")
    token = page_token(client, f"/commitments/{cid}")
    for data, message in (
        ({"owner_id": "99999"}, "choose the owner from the list"),
        ({"due_date": "tomorrow"}, "must be a date"),
        ({"version": ""}, "missing its version"),
    ):
        form = {"csrf_token": token, "version": "1", "status": "open", "note": "x", **data}
        response = client.post(f"/commitments/{cid}", data=form)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    with world.session() as s:
        assert s.scalar(select(func.count()).select_from(StatusChange)) == 0


def test_missing_commitment_is_404(client_for: Client) -> None:
    client = client_for("desk")
    assert client.get("/commitments/99999").status_code == 404
    token = page_token(client, "/settings")
    assert client.post("/commitments/99999", data={"csrf_token": token}).status_code == 404


@pytest.mark.committed  # another writer commits from a connection of its own
def test_a_write_that_lands_between_read_and_save_is_refused_too(client_for: Client, world: World) -> None:
    """The form's version matched when read, but another writer committed before the UPDATE:
    the ORM's version check raises StaleDataError, which the page treats as a conflict."""
    if "sqlite" in world.url:
        pytest.skip("on SQLite a writing request holds the write lock from its first read")
    cid = world.commitment_ids[3]
    client = client_for("desk")
    token = page_token(client, f"/commitments/{cid}")
    other_writer = make_engine(world.url)
    fired: list[bool] = []

    def concurrent_write(session: Session, _context: object, _instances: object) -> None:
        if fired:
            return
        fired.append(True)
        with other_writer.begin() as conn:
            conn.execute(
                update(Commitment)
                .where(Commitment.id == cid)
                .values(status=Status.IN_PROGRESS, version=Commitment.version + 1)
            )
            conn.execute(
                insert(StatusChange).values(
                    commitment_id=cid,
                    officer_id=world.ids["colleague"],
                    changed_at=NOW,
                    field="status",
                    old_value="open",
                    new_value="in_progress",
                    note="Raced you",
                )
            )

    event.listen(Session, "before_flush", concurrent_write)
    try:
        response = client.post(
            f"/commitments/{cid}",
            data={"csrf_token": token, "version": "1", "status": "dropped", "note": "Mine"},
        )
    finally:
        event.remove(Session, "before_flush", concurrent_write)
        other_writer.dispose()
    page = response.get_data(as_text=True)
    assert fired and response.status_code == 409
    assert f"{_name(world, 'colleague')} changed the status from Open to In progress (Raced you)" in page
    c = _commitment(world, cid)
    assert c.status == Status.IN_PROGRESS and c.version == 2
    assert [h[3] for h in _history(world, cid)] == ["Raced you"]


def test_parties_and_action_are_edited_on_the_page_with_history(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[3]
    client = client_for("desk")
    page = client.get(f"/commitments/{cid}").get_data(as_text=True)
    assert 'value="Japan; Republic of Korea; United States"' in page and 'id="action"' in page
    fields = form_fields(page, f"/commitments/{cid}")
    fields.update({"parties": "Japan; ROK; U.S.; Australia", "action": "Share information after the summit"})
    fields["note"] = "Canberra joined"
    assert client.post(f"/commitments/{cid}", data=fields).status_code == 302
    c = _commitment(world, cid)
    assert c.version == 2 and c.action == "Share information after the summit"
    assert [h[0] for h in _history(world, cid)] == ["parties", "action"]
    page = client.get(f"/commitments/{cid}").get_data(as_text=True)
    assert 'value="Australia; Japan; Republic of Korea; United States"' in page
    history = page[page.index('id="history-h"') :]
    assert "added Australia to the parties" in history
    assert "changed the action to “Share information after the summit”" in history

    # The same form sent again at the old version is refused; another desk may not edit at all.
    fields["parties"] = "Japan"
    refused = client.post(f"/commitments/{cid}", data=fields)
    assert refused.status_code == 409 and "someone else changed this commitment" in refused.get_data(
        as_text=True
    )
    other = client_for("other")
    token = page_token(other, "/settings")
    denied = other.post(
        f"/commitments/{cid}", data={"csrf_token": token, "version": "2", "parties": "Japan", "note": "mine"}
    )
    assert denied.status_code == 403
    empty = {
        **fields,
        "version": "2",
        "parties": " ; ",
        "csrf_token": page_token(client, f"/commitments/{cid}"),
    }
    response = client.post(f"/commitments/{cid}", data=empty)
    assert response.status_code == 400 and "name at least one party" in response.get_data(as_text=True)
    with world.session() as s:
        assert len(s.get(Commitment, cid).parties) == 4  # type: ignore[union-attr]
