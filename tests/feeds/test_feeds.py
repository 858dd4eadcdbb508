"""The calendar feed: parsed back with icalendar, and imported into a real calendar program (calcurse)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy.orm import Session

from tests.api.conftest import BASE_URL, dated_readout
from tests.conftest import SEED_READOUT
from tests.factories import NOW, ingest, make_officer
from tests.world import Recipe, World
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment
from tracker.services.commitments import update_commitment
from tracker.services.tokens import create_token, revoke_token
from web.feeds import RedactFeedTokens, visible

HOSTILE_ACTION = "Deliver <script>alert(1)</script>; review, then \u202egnp.exe\u200b=SUM(A1)\\n"


@dataclass
class Feeds:
    app: Flask
    world: World
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, list[int]] = field(default_factory=dict)

    def get(self, who: str) -> Calendar:
        response = self.app.test_client().get(f"/feeds/{self.tokens[who]}.ics")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        return Calendar.from_ical(response.get_data())

    def events(self, who: str) -> dict[int, object]:
        return {int(str(e["UID"]).split("-")[1].split("@")[0]): e for e in self.get(who).walk("VEVENT")}


def build_feeds(session: Session) -> dict[str, Any]:
    """Officers of two desks with a feed token each, an API token, three readouts (one of another
    desk), a commitment done and one with hostile text."""
    tokens: dict[str, str] = {}
    desk = make_officer(session, email="desk@example.org", desk="North America Desk", password=None)
    colleague = make_officer(session, email="colleague@example.org", desk="North America Desk", password=None)
    europe = make_officer(session, email="europe@example.org", desk="Europe Desk", password=None)
    lonely = make_officer(session, email="sup@example.org", role="supervisor", desk=None, password=None)
    gone = make_officer(session, email="gone@example.org", desk="North America Desk", password=None)
    for name, officer in [
        ("desk", desk),
        ("colleague", colleague),
        ("europe", europe),
        ("supervisor", lonely),
        ("gone", gone),
    ]:
        tokens[name] = create_token(session, officer, "feed", "", NOW)[1]
    tokens["api"] = create_token(session, desk, "api", "", NOW)[1]
    gone.is_active = False
    seed = ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=desk)
    na = ingest(session, dated_readout(4), dt.date(2018, 6, 7), by=desk)
    eu = ingest(
        session, dated_readout(2, start=dt.date(2018, 9, 1), tag="eu"), dt.date(2018, 6, 7), by=europe
    )
    na_ids = [c.id for p in na.points for c in p.commitments]
    done = session.get(Commitment, na_ids[3])
    assert done is not None
    update_commitment(
        session, done, by=desk, note="sent", now=NOW, status="done", settings=DeadlineSettings()
    )
    hostile = session.get(Commitment, na_ids[0])
    assert hostile is not None
    hostile.action = HOSTILE_ACTION
    ids = {
        "undated": [c.id for p in seed.points for c in p.commitments],
        "na_active": na_ids[:3],
        "na_done": [na_ids[3]],
        "eu": [c.id for p in eu.points for c in p.commitments],
    }
    return {"tokens": tokens, "feed_ids": ids}


@pytest.fixture
def world_recipe() -> Recipe:
    return Recipe("feeds", build_feeds, secret_key="test", settings={"base_url": BASE_URL})


@pytest.fixture
def feeds(world: World) -> Feeds:
    return Feeds(app=world.app, world=world, tokens=world.tokens, ids=world.data["feed_ids"])


def test_the_feed_has_the_desks_open_dated_commitments_as_all_day_events(feeds: Feeds) -> None:
    calendar = feeds.get("desk")
    assert str(calendar["VERSION"]) == "2.0" and "Commitments" in str(calendar["X-WR-CALNAME"])
    events = feeds.events("desk")
    # Open and dated, own or the desk's; not done, not undated, not another desk's.
    assert sorted(events) == feeds.ids["na_active"]
    for cid, event in events.items():
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)
        assert str(event["UID"]) == f"commitment-{cid}@tracker.example.org"
        assert str(event["URL"]) == f"{BASE_URL}/commitments/{cid}"
        assert f"{BASE_URL}/commitments/{cid}" in str(event["DESCRIPTION"])
        assert "Japan" in str(event["SUMMARY"])
    assert [events[c]["DTSTART"].dt for c in feeds.ids["na_active"]] == [
        dt.date(2018, 7, 1),
        dt.date(2018, 7, 1),
        dt.date(2018, 7, 4),
    ]


def test_each_officer_sees_their_own_and_their_desks(feeds: Feeds) -> None:
    assert sorted(feeds.events("colleague")) == feeds.ids["na_active"]
    assert sorted(feeds.events("europe")) == feeds.ids["eu"]
    # A supervisor without a desk owns nothing here: their calendar is empty, not everyone's.
    assert feeds.events("supervisor") == {}


def test_a_changed_deadline_replaces_its_entry(feeds: Feeds) -> None:
    before = feeds.events("desk")
    cid = feeds.ids["na_active"][1]
    with feeds.world.factory.begin() as session:
        c = session.get(Commitment, cid)
        assert c is not None
        update_commitment(
            session,
            c,
            by=c.owner,
            note="moved",
            now=NOW,
            due_date=dt.date(2018, 8, 15),
            settings=DeadlineSettings(),
        )
    after = feeds.events("desk")
    assert set(after) == set(before)
    assert after[cid]["UID"] == before[cid]["UID"]
    assert after[cid]["DTSTART"].dt == dt.date(2018, 8, 15)
    assert int(after[cid]["SEQUENCE"]) > int(before[cid]["SEQUENCE"])


def test_hostile_text_is_escaped_and_cannot_hide(feeds: Feeds) -> None:
    raw = feeds.app.test_client().get(f"/feeds/{feeds.tokens['desk']}.ics").get_data(as_text=True)
    assert "\u202e" not in raw and "\u200b" not in raw
    assert "<U+202E>" in raw and "<U+200B>" in raw
    # Commas, semicolons and backslashes are escaped (RFC 5545 3.3.11), so they stay text.
    unfolded = raw.replace("\r\n ", "")
    summary_line = next(line for line in unfolded.splitlines() if line.startswith("SUMMARY:Japan: Deliver"))
    assert "\\;" in summary_line and "\\," in summary_line and "\\\\n" in summary_line
    event = feeds.events("desk")[feeds.ids["na_active"][0]]
    assert str(event["SUMMARY"]) == "Japan: " + visible(HOSTILE_ACTION)


@pytest.mark.parametrize("who", ["api", "gone"])
def test_wrong_kind_and_deactivated_tokens_get_404(feeds: Feeds, who: str) -> None:
    assert feeds.app.test_client().get(f"/feeds/{feeds.tokens[who]}.ics").status_code == 404


def test_unknown_and_revoked_feeds_get_404(feeds: Feeds) -> None:
    client = feeds.app.test_client()
    assert client.get("/feeds/not-a-token.ics").status_code == 404
    assert client.get(f"/feeds/{feeds.tokens['desk']}").status_code == 404
    with feeds.world.factory.begin() as session:
        desk_officer = make_officer(session, desk="North America Desk", password=None)
        token, plaintext = create_token(session, desk_officer, "feed", "", NOW)
        revoke_token(session, desk_officer, token.id, NOW)
    assert client.get(f"/feeds/{plaintext}.ics").status_code == 404


def test_the_feed_imports_into_calcurse(feeds: Feeds, tmp_path: Path) -> None:
    calcurse = shutil.which("calcurse")
    assert calcurse, "calcurse is missing: `apt-get install calcurse` (make test installs it)"
    feed = tmp_path / "feed.ics"
    feed.write_bytes(feeds.app.test_client().get(f"/feeds/{feeds.tokens['desk']}.ics").get_data())
    data = tmp_path / "calcurse"
    data.mkdir()
    imported = subprocess.run(
        [calcurse, "-D", str(data), "-i", str(feed)], capture_output=True, text=True, timeout=60, check=False
    )
    assert imported.returncode == 0, imported.stderr
    assert "3 events" in imported.stdout and "0 skipped" in imported.stdout, imported.stdout
    listed = subprocess.run(
        [
            calcurse,
            "-D",
            str(data),
            "--input-datefmt",
            "4",
            "-Q",
            "--from",
            "2018-01-01",
            "--to",
            "2018-12-31",
            "--format-event",
            "%m\\n",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    expected = {str(e["SUMMARY"]) for e in feeds.events("desk").values()}
    shown = {line.strip() for line in listed.stdout.splitlines() if line.strip() and not line.endswith(":")}
    assert shown == expected, listed.stdout
    # The two deadlines of 1 July are listed under that day.
    assert listed.stdout.count("07/01/18:") == 1


def test_feed_tokens_are_kept_out_of_request_logs() -> None:
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s',
        ("127.0.0.1", "GET /feeds/s3cr3t.ics HTTP/1.1", "200"),
        None,
    )
    RedactFeedTokens().filter(record)
    assert "s3cr3t" not in record.getMessage() and "/feeds/[token].ics" in record.getMessage()
