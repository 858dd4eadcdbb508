"""Hostile readout text is shown as text wherever it appears: every page (generated from the URL
map), the digest (text and HTML), the CSV export (no formula runs), the calendar feed (no
property or line smuggled in) and the API (JSON, exactly as stored, never sniffed as HTML).

The readout carries `<script>`, markup, bidi overrides and zero-width characters, and a title,
an action and a note that a spreadsheet would run as formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.factories import ingest
from tests.security.conftest import Secured
from tests.security.test_authorisation_matrix import routes
from tests.web.conftest import NOW
from tracker.deadlines import DeadlineSettings
from tracker.digests import build_digest
from tracker.models import Commitment, Officer
from tracker.services.commitments import update_commitment
from tracker.services.export import safe_cell

TITLE = '=HYPERLINK("https://evil.example","open") <script>alert(\'title\')</script>'
TEXT = (
    f"{TITLE}\n\nOn June 1, 2018, the ministers met.\n\n"
    "1. Japan will send a <script>alert('quote')</script> mission on \u202egnp.exe\u202c matters\u200b "
    "to France by June 8, 2018.\n"
    "2. France will host <img src=x onerror=alert(1)> talks with Japan by June 9, 2018.\n"
)
ACTION = "=cmd|' /C calc'!A0 <b>bold</b> \u202eevil\u202c\u200b\r\nATTENDEE:mailto:evil@example.org"
NOTE = "@SUM(1+1) <script>alert('note')</script> \u2066isolate\u2069"
HIDDEN = ("\u202e", "\u202c", "\u200b", "\u2066", "\u2069")
RAW_MARKUP = ("<script>alert(", "<img src=x", "<b>bold</b>")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(secured: Secured) -> tuple[int, list[int]]:
    """The hostile readout, stored by the desk officer; its id and its commitments' ids."""
    with secured.factory.begin() as session:
        desk = session.get_one(Officer, secured.world.ids["desk"])
        readout = ingest(session, TEXT, dt.date(2018, 6, 1), by=desk, now=NOW - dt.timedelta(days=9))
        readout.title = TITLE
        commitments = [c for p in readout.points for c in p.commitments]
        assert commitments, "the hostile readout yields commitments"
        for c in commitments:
            c.action = ACTION
            c.owner = desk
        session.flush()
        update_commitment(
            session,
            commitments[0],
            by=desk,
            note=NOTE,
            now=NOW - dt.timedelta(days=1),
            settings=DeadlineSettings(),
        )
        return readout.id, [c.id for c in commitments]


def test_every_page_shows_it_as_text(secured: Secured, hostile: tuple[int, list[int]]) -> None:
    readout_id, cids = hostile
    client = secured.clients["supervisor"]
    values = {
        "readout_id": readout_id,
        "commitment_id": cids[0],
        "earlier_id": cids[0],
        "later_id": cids[-1],
        "officer_id": secured.world.ids["desk"],
        "name": "open-overdue",
    }
    with secured.factory() as session:
        c = session.get_one(Commitment, cids[0])
        values["event_id"] = c.event_id or 1
        values["desk_id"] = c.desk_id or 1
    admin = secured.clients["admin"]
    checked = []
    for (endpoint, method), rule in sorted(routes(secured.app).items()):
        if method != "GET" or endpoint.split(".")[0] in ("api", "feeds", "static"):
            continue
        if endpoint in ("compliance.brief_pdf", "compliance.brief_docx", "compliance.css"):
            continue  # binary documents and a stylesheet: no readout text is rendered as markup
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule)
        query = {"party": "France"} if endpoint == "compliance.brief" else {"q": "mission"}
        response = (admin if endpoint.startswith("admin.") else client).get(url, query_string=query)
        if response.status_code != 200 or response.mimetype == "text/csv":
            continue
        body = response.get_data(as_text=True)
        for raw in (*RAW_MARKUP, *HIDDEN):
            assert raw not in body, f"{url} shows {raw!r} unescaped"
        checked.append(endpoint)
    assert {"readouts.detail", "commitments.detail", "commitments.index", "dashboard.index"} <= set(checked)
    detail = client.get(f"/readouts/{readout_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in detail and "⟨U+202E⟩gnp.exe⟨U+202C⟩" in detail
    page = client.get(f"/commitments/{cids[0]}").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "⟨U+2066⟩isolate⟨U+2069⟩" in page


def test_the_digest_text_and_html(secured: Secured, hostile: tuple[int, list[int]]) -> None:
    with secured.factory() as session:
        desk = session.get_one(Officer, secured.world.ids["desk"])
        content = build_digest(session, desk, NOW, "https://tracker.example.org")
    assert content is not None and "overdue" in content.sections
    assert any("cmd|" in item.action for item in content.sections["overdue"]), "the hostile item is listed"
    for raw in RAW_MARKUP:
        assert raw not in content.html
    assert "&lt;b&gt;bold&lt;/b&gt;" in content.html
    for hidden in HIDDEN:
        assert hidden not in content.html and hidden not in content.text and hidden not in content.subject
    assert "\n" not in content.subject and "\r" not in content.subject


def test_csv_cells_cannot_run_as_formulas(secured: Secured, hostile: tuple[int, list[int]]) -> None:
    readout_id, cids = hostile
    response = secured.clients["desk"].get("/commitments.csv", query_string={"readout": readout_id})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header, data = rows[0], rows[1:]
    assert len(data) == len(cids)
    for row in data:
        for name, cell in zip(header, row, strict=True):
            assert not cell.startswith(FORMULA_START), f"{name} would run as a formula: {cell[:40]!r}"
        record = dict(zip(header, row, strict=True))
        # Guarded, and bidi controls written out (issue 19); otherwise not altered.
        assert record["action"] == "'" + safe_cell(ACTION).lstrip("'")
        assert "\u202e" not in record["action"] and "⟨U+202E⟩" in record["action"]
        assert record["readout_title"] == "'" + safe_cell(TITLE).lstrip("'")
    first = next(dict(zip(header, r, strict=True)) for r in data if r[0] == str(cids[0]))
    assert first["last_note"] == "'" + safe_cell(NOTE).lstrip("'")


def test_the_calendar_feed_keeps_each_value_inside_its_property(
    secured: Secured, hostile: tuple[int, list[int]]
) -> None:
    _, cids = hostile
    response = secured.app.test_client().get(f"/feeds/{secured.feed_tokens['desk']}.ics")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    for hidden in HIDDEN:
        assert hidden not in raw
    calendar = Calendar.from_ical(raw)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    with secured.factory() as session:
        dated = list(
            session.scalars(
                select(Commitment.id).where(Commitment.id.in_(cids), Commitment.due_date.is_not(None))
            )
        )
    assert dated
    for cid in dated:
        event = next(e for uid, e in events.items() if uid.startswith(f"commitment-{cid}@"))
        assert "ATTENDEE" not in event, "a line in the text became a property"
        assert "<U+202E>evil<U+202C>" in str(event["summary"])
        assert "\n" not in str(event["summary"])
    assert all("ATTENDEE" not in e for e in events.values())
    assert raw.count("BEGIN:VEVENT") == len(events)


def test_the_api_returns_it_as_json_data_exactly(secured: Secured, hostile: tuple[int, list[int]]) -> None:
    readout_id, cids = hostile
    headers = {"Authorization": f"Bearer {secured.api_tokens['other']}"}
    client = secured.app.test_client()
    response = client.get(f"/api/v1/commitments/{cids[0]}", headers=headers)
    assert response.status_code == 200
    # Never rendered as a page: the JSON media type, and browsers told not to sniff it.
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    body = response.get_json()
    assert body["action"] == ACTION
    assert body["history"][-1]["note"] == NOTE
    readout = client.get(f"/api/v1/readouts/{readout_id}", headers=headers).get_json()
    assert readout["title"] == TITLE and readout["text"] == TEXT


def test_the_commitment_form_shows_hidden_characters_and_sent_back_unchanged_keeps_them(
    secured: Secured, hostile: tuple[int, list[int]]
) -> None:
    from tests.web.forms import form_fields

    _, cids = hostile
    client = secured.clients["desk"]
    page = client.get(f"/commitments/{cids[0]}").get_data(as_text=True)
    fields = form_fields(page, f"/commitments/{cids[0]}")
    assert "⟨U+202E⟩evil⟨U+202C⟩" in fields["action"], "the field shows the characters, as the page does"
    fields["note"] = "only a note"
    assert client.post(f"/commitments/{cids[0]}", data=fields).status_code == 302
    with secured.factory() as session:
        c = session.get_one(Commitment, cids[0])
        # The action sent back as shown is the action as stored: not rewritten with ⟨U+XXXX⟩.
        assert c.action == ACTION
        assert [h.field for h in c.history][-1] == "note"
