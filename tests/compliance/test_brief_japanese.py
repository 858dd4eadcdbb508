"""The pre-meeting brief in the requesting officer's language (issue 18): HTML, PDF and .docx in
Japanese for an officer who chose it (or `--language ja`), with no English left but data; dates
as 2018年6月6日; the PDF drawn with a Japanese font."""

from __future__ import annotations

import html as markup
import io

from docx import Document
from pypdf import PdfReader
from sqlalchemy import Enum, String, Text, select
from sqlalchemy.orm import Session

from tests.compliance.seed import TODAY, seed_history
from tests.web.test_japanese_pages import _english
from tracker.brief import build_brief, render_docx, render_html, render_pdf
from tracker.models import Base


def _data(session: Session) -> str:
    """Every text value stored in the database, one a line, longest first: what the brief may
    show as it is (as tests/web/test_japanese_pages.py reads them)."""
    values: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.c if isinstance(c.type, String | Text) and not isinstance(c.type, Enum)]
        for row in session.execute(select(*columns)) if columns else ():
            values |= {line.strip() for v in row if isinstance(v, str) for line in v.splitlines()}
    return "\n".join(sorted((v for v in values if len(v) >= 3), key=len, reverse=True))


def test_the_brief_is_written_in_the_officers_language(session: Session) -> None:
    seed = seed_history(session)
    seed.officer.language = "ja"
    session.flush()
    brief = build_brief(session, "United States", today=TODAY, viewer=seed.officer)
    assert brief.language == "ja"
    data = _data(session)

    page = render_html(brief)
    assert '<html lang="ja">' in page
    assert "United Statesとの約束" in page and "2018年6月6日" in page and "結果：履行 1件" in page
    assert _english(page, data) == []

    pdf = render_pdf(brief)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join("".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "UnitedStatesとの約束" in text and "会談前資料" in text and "2018年6月6日" in text
    fonts = {
        str(font["/BaseFont"])
        for p in reader.pages
        for font in (p["/Resources"].get("/Font") or {}).values()  # type: ignore[union-attr]
        if "/BaseFont" in font.get_object()
    }
    assert any("CJK" in f and "JP" in f for f in fonts), fonts  # Japanese glyphs, not boxes

    document = Document(io.BytesIO(render_docx(brief)))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "United Statesとの約束" in paragraphs and "概要" in paragraphs and "履行スコア" in cells
    assert document.core_properties.title == "会談前資料：United States"
    words = "\n".join(markup.escape(t) for t in [*paragraphs, *cells])
    assert _english(f"<pre>{words}</pre>", data) == []


def test_english_stays_the_default_and_a_language_can_be_asked_for(session: Session) -> None:
    seed = seed_history(session)
    english = build_brief(session, "United States", today=TODAY, viewer=seed.officer)
    assert english.language == "en" and "Commitments with United States" in render_html(english)
    asked = build_brief(session, "United States", today=TODAY, viewer=None, language="ja")
    assert "United Statesとの約束" in render_html(asked)
