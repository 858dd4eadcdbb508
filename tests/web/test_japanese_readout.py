"""A Japanese readout ingested through the web app shows up right everywhere a commitment goes:
the commitments list, the API, the calendar feed, the reminder digest and the brief (HTML, PDF
with Japanese glyphs, Word). Each place is read back the way its reader would read it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from email import policy
from email.parser import BytesParser

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from tests.web.conftest import NOW, World, page_token
from tests.web.forms import form_fields
from tracker.brief import build_brief, render_docx, render_html, render_pdf
from tracker.digests import build_digest
from tracker.mail import build_message
from tracker.models import Commitment, Officer, Readout
from tracker.services.tokens import create_token

Client = Callable[[str], FlaskClient]

# Two days before the fixed clock: 「直ちに」 (+1 day) makes the first undertaking overdue, so it is
# in the digest; the second is dated by 「年内」.
JA_TEXT = (
    "日加外相電話会談\n\n平成30年6月8日\n\n"
    " 本8日午後5時から約20分間，河野太郎外務大臣は，クリスティア・フリーランド・カナダ外務大臣と"
    "電話会談を行ったところ，概要は以下のとおりです。\n\n"
    "1 両外相は，G7シャルルボワ・サミットの成果文書について直ちに事務レベルで協議を開始する"
    "ことで一致しました。\n"
    "2 フリーランド外務大臣から，年内に訪日したい旨述べました。\n"
    "3 両外相は，北朝鮮情勢について意見交換を行いました。\n"
)
FIRST = "G7シャルルボワ・サミットの成果文書について直ちに事務レベルで協議を開始する"
SECOND = "年内に訪日したい"


@pytest.fixture
def saved(client_for: Client, world: World) -> int:
    """The readout, previewed and saved through the web app by a desk officer; its id."""
    client = client_for("desk")
    token = page_token(client, "/readouts/new")
    page = client.post(
        "/readouts/new", data={"csrf_token": token, "text": JA_TEXT, "meeting_date": ""}
    ).get_data(as_text=True)
    assert '<option value="ja" selected>' in page
    fields = form_fields(page, "/readouts/review")
    fields["action"] = "save"
    assert client.post("/readouts/review", data=fields).status_code == 302
    with world.session() as s:
        readout = s.scalar(select(Readout).where(Readout.title == "日加外相電話会談"))
        assert readout is not None and readout.language == "ja"
        quotes = sorted(
            (c.quote, c.due_date)
            for c in s.scalars(select(Commitment).where(Commitment.readout_id == readout.id))
        )
        assert quotes == sorted([(FIRST, dt.date(2018, 6, 9)), (SECOND, dt.date(2018, 12, 31))])
        return readout.id


def test_the_commitments_list_shows_the_japanese_quotes(client_for: Client, saved: int) -> None:
    page = client_for("desk").get("/commitments").get_data(as_text=True)
    assert FIRST in page and SECOND in page


def test_the_api_returns_the_japanese_text_as_written(app: Flask, world: World, saved: int) -> None:
    with world.session() as s, s.begin():
        officer = s.get(Officer, world.ids["desk"])
        assert officer is not None
        token = create_token(s, officer, "api", "", NOW)[1]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    readout = client.get(f"/api/v1/readouts/{saved}", headers=headers)
    assert readout.status_code == 200
    assert readout.get_json()["language"] == "ja"
    listed = client.get("/api/v1/commitments?per_page=100", headers=headers)
    raw = listed.get_data()
    # Not escaped to \\uXXXX: the JSON carries the UTF-8 text itself.
    assert FIRST.encode("utf-8") in raw
    assert FIRST in {c["quote"] for c in listed.get_json()["items"]}


def test_the_calendar_feed_folds_lines_without_splitting_a_character(
    app: Flask, world: World, saved: int
) -> None:
    with world.session() as s, s.begin():
        officer = s.get(Officer, world.ids["desk"])
        assert officer is not None
        token = create_token(s, officer, "feed", "", NOW)[1]
    response = app.test_client().get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    raw = response.get_data()
    for line in raw.split(b"\r\n"):
        # RFC 5545: at most 75 octets a line, and a fold never cuts a UTF-8 sequence in two.
        assert len(line) <= 75
        line.decode("utf-8")
    summaries = [
        str(e["SUMMARY"]) + str(e.get("DESCRIPTION", "")) for e in Calendar.from_ical(raw).walk("VEVENT")
    ]
    assert any(FIRST[:20] in text for text in summaries), summaries
    assert any(SECOND in text for text in summaries)


def test_the_digest_mail_carries_the_japanese_quote(world: World, saved: int) -> None:
    with world.session() as s:
        officer = s.get(Officer, world.ids["desk"])
        assert officer is not None
        content = build_digest(s, officer, NOW, "http://tracker.example/")
    assert content is not None
    message = build_message(
        mail_from="tracker@example.org",
        to_name="デスク担当",
        to_email="desk@example.org",
        subject=content.subject,
        text=content.text,
        html=content.html,
        message_id="<digest-1@tracker.example>",
        date=NOW,
    )
    # Sent as bytes and read back as a mail program would.
    received = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    plain = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert plain is not None and html is not None
    assert FIRST[:20] in plain.get_content()
    assert FIRST[:20] in html.get_content()
    assert "デスク担当" in str(received["To"])


def test_the_brief_renders_japanese_in_html_pdf_and_word(world: World, saved: int) -> None:
    with world.session() as s:
        brief = build_brief(s, "Canada", today=NOW.date(), viewer=None)
        html = render_html(brief)
        pdf = render_pdf(brief)
        docx = render_docx(brief)
    assert FIRST in html and 'lang="ja"' in html
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join((page.extract_text() or "") for page in reader.pages).replace("\n", "").replace(" ", "")
    assert FIRST in text, "the PDF has the Japanese text, drawn with glyphs that read back"
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("CJK" in name or "Gothic" in name or "Mincho" in name for name in fonts), fonts
    paragraphs = "".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    tables = "".join(
        cell.text for table in Document(io.BytesIO(docx)).tables for row in table.rows for cell in row.cells
    )
    assert FIRST in paragraphs + tables
