"""The JSON API through Flask's test client: behaviour, roles, and every error as a problem document."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re

import docx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tests.api.conftest import PROBLEM, World, assert_problem, dated_readout
from tests.conftest import SEED_READOUT
from tests.factories import NOW
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Officer, Readout, StatusChange
from tracker.services.commitment_queries import CommitmentFilter, list_commitments, to_dict
from tracker.services.readouts import ingest_text

TODAY = dt.datetime.now(dt.UTC).date()


def _count(world: World, model: type) -> int:
    with world.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- authentication -----------------------------------------------------------------------


def test_no_token_is_401_with_a_bearer_challenge(world: World) -> None:
    response = world.call("GET", "/api/v1/commitments", who=None)
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["instance"] == "/api/v1/commitments"


@pytest.mark.parametrize("header", ["Bearer nope", "Basic ZGVzazpwYXNz", "Bearer", "bearer  "])
def test_a_wrong_token_or_scheme_is_401(world: World, header: str) -> None:
    response = world.client.get("/api/v1/commitments", headers={"Authorization": header})
    assert_problem(response, 401)


def test_a_deactivated_officers_token_is_401(world: World) -> None:
    assert_problem(world.call("GET", "/api/v1/commitments", who="gone"), 401)


def test_the_web_login_cookie_is_not_accepted(world: World) -> None:
    client = world.client
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    from tests.factories import PASSWORD

    logged_in = client.post(
        "/login", data={"email": "desk@example.org", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert logged_in.status_code == 302
    assert_problem(client.get("/api/v1/commitments"), 401)


def test_writes_need_no_csrf_token_but_a_bearer_token(world: World) -> None:
    # CSRF-exempt because a cross-site form cannot send the Authorization header.
    cid = world.ids["dated_commitments"][0]
    etag = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    response = world.call(
        "PATCH", f"/api/v1/commitments/{cid}", json={"note": "checked"}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    anonymous = world.call(
        "PATCH", f"/api/v1/commitments/{cid}", who=None, json={"note": "x"}, headers={"If-Match": etag}
    )
    assert_problem(anonymous, 401)


# --- commitments: list, pages, filters ----------------------------------------------------


def _all_pages(world: World, query: str = "", limit: int = 2) -> list[dict]:
    items: list[dict] = []
    cursor = None
    for _ in range(100):
        url = f"/api/v1/commitments?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
        response = world.call("GET", url)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert set(body) == {"items", "next_cursor"}
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def test_pages_cover_the_list_once_in_order_with_items_as_tracker_show_json(world: World) -> None:
    items = _all_pages(world, limit=3)
    with world.session() as session:
        expected = [to_dict(c) for c in list_commitments(session, CommitmentFilter(), TODAY, viewer=None)]
    assert items == expected
    assert len({i["id"] for i in items}) == len(items) == 10
    # Dated first (ties on the same date broken by id), undated last.
    dated = [i for i in items if i["due_date"]]
    assert items[: len(dated)] == dated
    assert [(i["due_date"], i["id"]) for i in dated] == sorted((i["due_date"], i["id"]) for i in dated)


def test_pages_stay_stable_when_rows_are_added_between_requests(world: World) -> None:
    first = world.call("GET", "/api/v1/commitments?limit=3").get_json()
    seen = [i["id"] for i in first["items"]]
    # Another readout lands with deadlines both before and after the page boundary.
    with world.factory.begin() as session:
        ingest_text(
            session,
            dated_readout(4, start=dt.date(2018, 6, 1), tag="late"),
            meeting_date=dt.date(2018, 6, 8),
            now=NOW,
            settings=DeadlineSettings(),
        )
    cursor = first["next_cursor"]
    rest: list[int] = []
    while cursor:
        page = world.call("GET", f"/api/v1/commitments?limit=3&cursor={cursor}").get_json()
        rest += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    # Nothing seen twice, and every row that was there at the start is reached.
    assert not set(seen) & set(rest)
    assert set(world.ids["seed_commitments"] + world.ids["dated_commitments"]) <= set(seen) | set(rest)


def test_filters_are_those_of_the_web_list(world: World) -> None:
    dated = world.ids["dated_commitments"]
    by_party = _all_pages(world, "&party=republic%20of%20korea")
    assert by_party and all("Republic of Korea" in i["parties"] for i in by_party)
    before = _all_pages(world, "&due_before=2018-07-04")
    assert [i["id"] for i in before] == dated[:4]
    after = _all_pages(world, "&due_after=2018-07-05&due_before=2018-07-31")
    assert [i["id"] for i in after] == dated[4:]
    assert [i["id"] for i in _all_pages(world, "&q=MISSION%203")] == [dated[2]]
    assert _all_pages(world, "&status=done") == []
    assert len(_all_pages(world, "&owner=desk@example.org&status=open")) == 10
    assert _all_pages(world, "&desk=Europe%20Desk") == []
    assert len(_all_pages(world, "&overdue=true")) == 6  # the 2018 dates are long past
    assert len(_all_pages(world, f"&readout_id={world.ids['seed']}")) == 4


@pytest.mark.parametrize(
    "query",
    [
        "status=finished",
        "due_before=tomorrow",
        "limit=0",
        "limit=1000",
        "overdue=maybe",
        "readout_id=abc",
        "cursor=not-a-cursor",
        "cursor=eyJrIjoiciIsImkiOjF9",  # a readouts cursor
        "owner=x%00y",  # NUL: no stored text holds one, and PostgreSQL's driver refuses to send it
        "q=%00",
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(world: World, query: str) -> None:
    body = assert_problem(world.call("GET", f"/api/v1/commitments?{query}"), 400)
    assert query.split("=")[0] in body["errors"]


# --- commitments: one, and changes --------------------------------------------------------


def test_one_commitment_with_history_and_its_version_as_etag(world: World) -> None:
    cid = world.ids["seed_commitments"][0]
    response = world.call("GET", f"/api/v1/commitments/{cid}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == cid and body["history"] == []
    assert response.headers["ETag"] == f'"{body["version"]}"'


@pytest.mark.parametrize("path", ["/api/v1/commitments/999999", "/api/v1/commitments/99999999999999"])
def test_unknown_commitment_is_404(world: World, path: str) -> None:
    assert_problem(world.call("GET", path), 404)


def _patch(world: World, cid: int, body: object, etag: str | None, who: str = "desk"):  # type: ignore[no-untyped-def]
    headers = {"If-Match": etag} if etag is not None else {}
    return world.call("PATCH", f"/api/v1/commitments/{cid}", who=who, json=body, headers=headers)


def test_patch_changes_status_owner_and_due_date_with_history(world: World) -> None:
    cid = world.ids["seed_commitments"][1]
    etag = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    response = _patch(
        world,
        cid,
        {
            "status": "in_progress",
            "owner": "colleague@example.org",
            "due_date": "2018-08-01",
            "note": "handed over",
        },
        etag,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "in_progress" and body["owner"] == "colleague@example.org"
    assert body["due_date"] == "2018-08-01"
    assert response.headers["ETag"] == f'"{body["version"]}"' != etag
    assert {h["field"] for h in body["history"]} == {"status", "owner", "due_date"}
    assert all(h["by"] == "desk@example.org" and h["note"] == "handed over" for h in body["history"])
    again = world.call("GET", f"/api/v1/commitments/{cid}").get_json()
    assert again == body


def test_a_stale_if_match_is_412_and_changes_nothing(world: World) -> None:
    cid = world.ids["seed_commitments"][0]
    old = world.call("GET", f"/api/v1/commitments/{cid}")
    first = _patch(world, cid, {"status": "done", "note": "delivered"}, old.headers["ETag"], who="colleague")
    assert first.status_code == 200
    history_before = _count(world, StatusChange)

    late = _patch(world, cid, {"status": "dropped", "note": "overtaken"}, old.headers["ETag"])
    body = assert_problem(late, 412)
    assert body["current_version"] == first.get_json()["version"]
    # As the history says it: the colleague by name, the change in words, their note.
    with world.session() as s:
        name = s.scalars(select(Officer.name).where(Officer.email == "colleague@example.org")).one()
    assert f"{name} changed the status from Open to Done (delivered)" in body["changes"]
    assert late.headers["ETag"] == first.headers["ETag"]
    now = world.call("GET", f"/api/v1/commitments/{cid}").get_json()
    assert now["status"] == "done" and _count(world, StatusChange) == history_before


@pytest.mark.parametrize("etag", ['W/"1"', '"abc"', '"999"', '"0", "7"'])
def test_an_if_match_that_names_no_current_version_is_412(world: World, etag: str) -> None:
    cid = world.ids["seed_commitments"][0]
    assert_problem(_patch(world, cid, {"note": "x"}, etag), 412)


@pytest.mark.parametrize("etag", ["1", '"1', "version one"])
def test_an_if_match_that_is_no_entity_tag_is_400(world: World, etag: str) -> None:
    cid = world.ids["seed_commitments"][0]
    assert "If-Match" in assert_problem(_patch(world, cid, {"note": "x"}, etag), 400)["errors"]


def test_if_match_star_and_lists_follow_rfc_9110(world: World) -> None:
    cid = world.ids["seed_commitments"][0]
    assert _patch(world, cid, {"note": "any version"}, "*").status_code == 200
    current = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    assert _patch(world, cid, {"note": "one of"}, f'"1", {current}').status_code == 200


def test_patch_without_if_match_is_428(world: World) -> None:
    cid = world.ids["seed_commitments"][0]
    assert_problem(_patch(world, cid, {"status": "done", "note": "x"}, None), 428)


def test_a_concurrent_write_between_read_and_update_is_412(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ORM's version check fired: another transaction committed after we read the row.
    def stale(*_args: object, **_kwargs: object) -> None:
        raise StaleDataError("UPDATE statement on table 'commitment' expected to update 1 row(s)")

    monkeypatch.setattr("web.api.commitments.update_commitment", stale)
    cid = world.ids["seed_commitments"][0]
    etag = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    assert_problem(_patch(world, cid, {"note": "x"}, etag), 412)


def test_roles_and_desks_decide_who_may_change(world: World) -> None:
    cid = world.ids["seed_commitments"][0]
    etag = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    # Another desk's officer may read it but not change it.
    assert world.call("GET", f"/api/v1/commitments/{cid}", who="other").status_code == 200
    body = assert_problem(_patch(world, cid, {"note": "mine now"}, etag, who="other"), 403)
    assert "other@example.org" in body["detail"]
    assert world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"] == etag
    # A desk colleague and a supervisor may.
    response = _patch(world, cid, {"note": "colleague"}, etag, who="colleague")
    assert response.status_code == 200
    assert _patch(world, cid, {"note": "sup"}, response.headers["ETag"], who="supervisor").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "done"}, "note"),
        ({"note": ""}, "note"),
        ({"note": "x", "status": "finished"}, "status"),
        ({"note": "x", "due_date": "soon"}, "due_date"),
        ({"note": "x", "owner": "nobody@example.org"}, "owner"),
        ({"note": "x", "colour": "red"}, "colour"),
        (["note"], "_schema"),
    ],
)
def test_invalid_changes_are_422_and_change_nothing(world: World, body: object, field: str) -> None:
    cid = world.ids["seed_commitments"][0]
    etag = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    problem = assert_problem(_patch(world, cid, body, etag), 422)
    assert field in problem["errors"]
    assert world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"] == etag


def test_a_blank_note_is_422(world: World) -> None:
    cid = world.ids["seed_commitments"][0]
    etag = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    assert "note is required" in assert_problem(_patch(world, cid, {"note": "   "}, etag), 422)["detail"]


def test_malformed_json_is_400_and_another_media_type_415(world: World) -> None:
    cid = world.ids["seed_commitments"][0]
    etag = world.call("GET", f"/api/v1/commitments/{cid}").headers["ETag"]
    malformed = world.call(
        "PATCH",
        f"/api/v1/commitments/{cid}",
        data="{not json",
        headers={"If-Match": etag, "Content-Type": "application/json"},
    )
    assert_problem(malformed, 400)
    form = world.call("PATCH", f"/api/v1/commitments/{cid}", data={"note": "x"}, headers={"If-Match": etag})
    assert_problem(form, 415)


# --- readouts -----------------------------------------------------------------------------

NEW_READOUT = dated_readout(3, start=dt.date(2018, 10, 1), tag="new")


def test_dry_run_previews_without_storing(world: World) -> None:
    before = (_count(world, Readout), _count(world, Commitment))
    response = world.call(
        "POST", "/api/v1/readouts?dry_run=1", json={"text": NEW_READOUT, "meeting_date": "2018-06-07"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["dry_run"] is True and body["duplicate_of"] is None
    commitments = [c for p in body["points"] for c in p["commitments"]]
    assert [c["due_date"] for c in commitments] == ["2018-10-01", "2018-10-01", "2018-10-04"]
    assert all(body["text"][c["quote_start"] : c["quote_end"]] == c["quote"] for c in commitments)
    assert (_count(world, Readout), _count(world, Commitment)) == before


def test_dry_run_of_a_stored_text_names_it(world: World) -> None:
    response = world.call(
        "POST",
        "/api/v1/readouts?dry_run=true",
        json={"text": SEED_READOUT.read_text(encoding="utf-8"), "meeting_date": "2018-06-06"},
    )
    assert response.status_code == 200
    assert response.get_json()["duplicate_of"] == world.ids["seed"]


def test_post_stores_and_a_second_post_is_409(world: World) -> None:
    response = world.call(
        "POST", "/api/v1/readouts", json={"text": NEW_READOUT, "meeting_date": "2018-06-07", "title": "WG"}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/readouts/{body['id']}"
    assert body["title"] == "WG" and body["ingested_by"] == "desk@example.org"
    commitments = [c for p in body["points"] for c in p["commitments"]]
    assert len(commitments) == 3
    assert all(c["owner"] == "desk@example.org" and c["desk"] == "North America Desk" for c in commitments)
    assert world.call("GET", response.headers["Location"]).get_json() == body

    again = world.call("POST", "/api/v1/readouts", json={"text": NEW_READOUT, "meeting_date": "2018-06-07"})
    problem = assert_problem(again, 409)
    assert problem["readout_id"] == body["id"]


def test_upload_a_text_file_and_a_docx(world: World) -> None:
    txt = world.call(
        "POST",
        "/api/v1/readouts",
        data={"file": (io.BytesIO(NEW_READOUT.encode("utf-8")), "wg.txt"), "meeting_date": "2018-06-07"},
        content_type="multipart/form-data",
    )
    assert txt.status_code == 201, txt.get_data(as_text=True)
    assert len([c for p in txt.get_json()["points"] for c in p["commitments"]]) == 3

    document = docx.Document()
    for line in dated_readout(2, start=dt.date(2018, 11, 1), tag="docx").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    response = world.call(
        "POST",
        "/api/v1/readouts?dry_run=1",
        data={"file": (buffer, "wg.docx"), "meeting_date": "2018-06-07"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [c["due_date"] for p in response.get_json()["points"] for c in p["commitments"]] == [
        "2018-11-01",
        "2018-11-01",
    ]


def _fake_pdf() -> dict:
    return {
        "data": {"file": (io.BytesIO(b"%PDF-1.4 not really"), "x.pdf")},
        "content_type": "multipart/form-data",
    }


@pytest.mark.parametrize(
    ("kwargs", "status", "field"),
    [
        ({"json": {"text": ""}}, 422, "text"),
        ({"json": {"text": "   \n  "}}, 422, None),
        ({"json": {"text": "nothing numbered here at all", "meeting_date": "2018-06-07"}}, 422, None),
        ({"json": {"text": NEW_READOUT, "meeting_date": "2018-02-30"}}, 422, "meeting_date"),
        ({"json": {"title": "no text"}}, 422, "text"),
        ({"data": NEW_READOUT, "content_type": "text/plain"}, 415, None),
        ({"data": {"meeting_date": "2018-06-07"}, "content_type": "multipart/form-data"}, 422, "file"),
        (_fake_pdf, 422, "file"),
    ],
)
def test_refused_readouts_store_nothing(world: World, kwargs: object, status: int, field: str | None) -> None:
    before = _count(world, Readout)
    request = kwargs() if callable(kwargs) else kwargs
    body = assert_problem(world.call("POST", "/api/v1/readouts", **request), status)
    if field:
        assert field in body["errors"]
    assert _count(world, Readout) == before


def test_an_upload_over_the_limit_is_413(world: World) -> None:
    world.make_app(max_upload_bytes=2048)  # the world's own app: the first one it makes
    big = io.BytesIO(("1. Japan will do it by July 1, 2018.\n" * 200).encode())
    response = world.call(
        "POST", "/api/v1/readouts", data={"file": (big, "big.txt")}, content_type="multipart/form-data"
    )
    body = assert_problem(response, 413)
    assert "2048" in body["detail"]
    json_body = world.call("POST", "/api/v1/readouts", json={"text": "x" * 5000})
    assert_problem(json_body, 413)


def test_readout_list_pages_and_one_readout(world: World) -> None:
    first = world.call("GET", "/api/v1/readouts?limit=1").get_json()
    assert [r["id"] for r in first["items"]] == [world.ids["dated"]]
    assert "text" not in first["items"][0]
    second = world.call("GET", f"/api/v1/readouts?limit=1&cursor={first['next_cursor']}").get_json()
    assert [r["id"] for r in second["items"]] == [world.ids["seed"]] and second["next_cursor"] is None

    seed = world.call("GET", f"/api/v1/readouts/{world.ids['seed']}").get_json()
    assert [p["number"] for p in seed["points"]] == ["1", "2", "3", "4", "5"]
    assert all(seed["text"][p["start_offset"] : p["end_offset"]] == p["text"] for p in seed["points"])
    assert [c["id"] for p in seed["points"] for c in p["commitments"]] == world.ids["seed_commitments"]
    assert_problem(world.call("GET", "/api/v1/readouts/424242"), 404)


# --- events -------------------------------------------------------------------------------


def test_events_list_and_setting_a_date_moves_due_dates(world: World) -> None:
    events = world.call("GET", "/api/v1/events").get_json()["items"]
    summit = next(e for e in events if "North Korea Summit" in e["name"])
    assert summit["date"] is None and summit["waiting_open"] == summit["open_total"] == 2
    assert world.call("GET", f"/api/v1/events/{summit['id']}").get_json() == summit

    response = world.call("PUT", f"/api/v1/events/{summit['id']}/date", json={"date": "2018-06-12"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["event"]["date"] == "2018-06-12" and body["event"]["waiting_open"] == 0
    moved = {m["commitment_id"]: m for m in body["moved"]}
    assert set(moved) == {world.ids["seed_commitments"][0], world.ids["seed_commitments"][3]}
    assert all(m["old"] is None and m["new"] >= "2018-06-12" for m in moved.values())
    point5 = world.call("GET", f"/api/v1/commitments/{world.ids['seed_commitments'][3]}").get_json()
    assert point5["due_date"] == moved[point5["id"]]["new"]
    assert point5["history"][-1]["field"] == "due_date" and point5["history"][-1]["by"] == "desk@example.org"


def test_another_desks_event_date_is_a_proposal_a_supervisor_decides(world: World) -> None:
    """Issue 19: an officer of another desk cannot move the NA desk's due dates; their date is
    stored as a proposal (202), and a supervisor approves or refuses it."""
    summit = next(e for e in world.call("GET", "/api/v1/events").get_json()["items"] if "Summit" in e["name"])
    path = f"/api/v1/events/{summit['id']}/date"
    response = world.call("PUT", path, who="other", json={"date": "2018-06-12"})
    assert response.status_code == 202, response.get_data(as_text=True)
    proposal = response.get_json()
    assert proposal["state"] == "pending" and proposal["date"] == "2018-06-12"
    assert proposal["proposed_by"] == "other@example.org"
    assert world.call("GET", f"/api/v1/events/{summit['id']}").get_json()["date"] is None
    listed = world.call("GET", "/api/v1/event-date-proposals").get_json()["items"]
    assert [p["id"] for p in listed] == [proposal["id"]]
    decision = f"/api/v1/event-date-proposals/{proposal['id']}/decision"
    # Neither the proposer nor an officer of the desk decides; a supervisor does.
    for who in ("other", "desk"):
        assert_problem(world.call("POST", decision, who=who, json={"approve": True}), 403)
    approved = world.call("POST", decision, who="supervisor", json={"approve": True, "note": "confirmed"})
    assert approved.status_code == 200, approved.get_data(as_text=True)
    body = approved.get_json()
    assert body["proposal"]["state"] == "approved" and body["proposal"]["decided_by"] == "sup@example.org"
    assert len(body["moved"]) == 2 and body["event"]["date"] == "2018-06-12"
    point5 = world.call("GET", f"/api/v1/commitments/{world.ids['seed_commitments'][3]}").get_json()
    assert point5["history"][-1]["by"] == "sup@example.org"
    assert_problem(world.call("POST", decision, who="supervisor", json={"approve": False}), 422)
    # A refused proposal changes nothing.
    again = world.call("PUT", path, who="other", json={"date": "2018-07-01"}).get_json()
    refused = world.call(
        "POST",
        f"/api/v1/event-date-proposals/{again['id']}/decision",
        who="supervisor",
        json={"approve": False},
    )
    assert refused.status_code == 200 and refused.get_json()["moved"] == []
    assert world.call("GET", f"/api/v1/events/{summit['id']}").get_json()["date"] == "2018-06-12"


@pytest.mark.parametrize(
    ("body", "status"), [({"date": "June"}, 422), ({}, 422), ({"date": None, "x": 1}, 422)]
)
def test_bad_event_dates_are_refused(world: World, body: dict, status: int) -> None:
    event_id = world.call("GET", "/api/v1/events").get_json()["items"][0]["id"]
    assert_problem(world.call("PUT", f"/api/v1/events/{event_id}/date", json=body), 422)


def test_unknown_event_is_404(world: World) -> None:
    assert_problem(world.call("GET", "/api/v1/events/99999"), 404)
    assert_problem(world.call("PUT", "/api/v1/events/99999/date", json={"date": "2018-06-12"}), 404)


# --- routing errors, server errors, the document ------------------------------------------


def test_unknown_paths_and_methods_are_problems(world: World) -> None:
    assert_problem(world.call("GET", "/api/v1/nothing-here"), 404)
    assert_problem(world.call("GET", "/api/v1/nothing-here", who=None), 404)
    response = world.call("DELETE", "/api/v1/commitments")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}


def test_an_unexpected_error_is_a_500_problem_without_the_token_in_the_logs(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("web.api.commitments.commitment_items_page", boom)
    with caplog.at_level(logging.DEBUG):
        response = world.call("GET", "/api/v1/commitments")
    body = assert_problem(response, 500)
    assert "fire" not in json.dumps(body) and "Traceback" not in json.dumps(body)
    assert "database on fire" in caplog.text  # the log has the error ...
    assert world.tokens["desk"] not in caplog.text  # ... but never the token


def test_the_openapi_document_describes_every_api_route(world: World) -> None:
    response = world.client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    documented = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    routes = {
        (method, re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
        for rule in world.app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.openapi_json", "api.docs")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert documented == routes
    for operations in document["paths"].values():
        for op in operations.values():
            assert "401" in op["responses"]
            for status, r in op["responses"].items():
                if int(status) >= 400:
                    assert list(r["content"]) == [PROBLEM]


def test_the_api_page_is_readable_html_made_from_the_document(world: World) -> None:
    response = world.client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for path in world.client.get("/api/v1/openapi.json").get_json()["paths"]:
        assert path in page
    assert 'id="problem-version-mismatch"' in page and 'id="schema-Commitment"' in page
    assert "<script>" not in page and "cdn" not in page.lower()


JA_READOUT = (
    "日豪外相電話会談\n\n平成30年5月1日\n\n"
    " 本1日，河野太郎外務大臣は，オーストラリアのジュリー・ビショップ外務大臣と電話会談を行いました。\n\n"
    "1. 両外相は，年内に日豪「2+2」を開催することで一致しました。\n"
)


def test_a_japanese_readout_is_detected_and_the_language_can_be_given(world: World) -> None:
    preview = world.call("POST", "/api/v1/readouts?dry_run=1", json={"text": JA_READOUT})
    assert preview.status_code == 200, preview.get_data(as_text=True)
    body = preview.get_json()
    assert body["language"] == "ja" and body["meeting_date"] == "2018-05-01"
    [commitment] = [c for p in body["points"] for c in p["commitments"]]
    assert commitment["due_date"] == "2018-12-31" and set(commitment["parties"]) == {"Japan", "Australia"}
    stored = world.call("POST", "/api/v1/readouts", json={"text": JA_READOUT, "language": "ja"})
    assert stored.status_code == 201, stored.get_data(as_text=True)
    assert stored.get_json()["language"] == "ja"
    refused = world.call("POST", "/api/v1/readouts", json={"text": JA_READOUT + "\n", "language": "xx"})
    assert refused.status_code == 422


UNSURE_READOUT = (
    "Japan-Canada Foreign Ministers' Meeting\n\n"
    "On March 3, Foreign Minister Taro Kono held a meeting with the Honourable Chrystia Freeland, "
    "Minister of Foreign Affairs of Canada. The overview is as follows.\n"
    "1. The two ministers confirmed that Japan and Canada will continue close cooperation on North Korea.\n"
    "2. Minister Kono stated that it was important that Japan and Canada continue to work together "
    "toward the success of the G7 Summit.\n"
    "3. The two ministers confirmed that Japan and Canada will work together to bring the CPTPP "
    "into force at an early date.\n"
)


def test_dry_run_lists_possible_undertakings_and_says_how_sure_each_field_is(world: World) -> None:
    response = world.call(
        "POST", "/api/v1/readouts?dry_run=1", json={"text": UNSURE_READOUT, "meeting_date": "2018-03-03"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    (flag,) = body["possible_undertakings"]
    assert flag["position"] == 2 and flag["cue"] == "continue to work"
    assert flag["quote"] == "Japan and Canada continue to work together toward the success of the G7 Summit"
    assert body["text"][flag["quote_start"] : flag["quote_end"]] == flag["quote"]
    assert flag["parties"] == ["Japan", "Canada"]
    first, third = (c for p in body["points"] for c in p["commitments"])
    assert first["confidence"] == 1.0
    assert first["notes"][0] == {
        "field": "parties",
        "reason": "parties from the subject 'Japan and Canada'",
        "weak": False,
    }
    assert third["confidence"] == 0.5
    assert third["notes"][1]["weak"] and "speed word 'at an early date'" in third["notes"][1]["reason"]
    assert body["points"][1]["kind_note"] == {
        "field": "kind",
        "reason": "'important that' reads as a position",
        "weak": False,
    }
