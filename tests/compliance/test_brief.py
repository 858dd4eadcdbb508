"""The pre-meeting brief: exactly the commitments with the party, and PDF/.docx/HTML that open."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.compliance.seed import SEED_DATE, SYNTHETIC_EARLIER_US, TODAY, at, seed_history
from tests.factories import ingest
from tracker.brief import build_brief, render, render_docx, render_html, render_pdf, resolve_party
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Outcome, Party, Status, StatusChange, commitment_party
from tracker.services.commitments import update_commitment
from tracker.services.compliance import set_outcome
from tracker.services.errors import AmbiguousName, InvalidInput, NotFound
from tracker.services.reaffirmations import confirm_reaffirmation

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _ids_with_party(session: Session, name: str) -> set[int]:
    return set(
        session.scalars(
            select(commitment_party.c.commitment_id)
            .join(Party, Party.id == commitment_party.c.party_id)
            .where(Party.name == name)
        )
    )


@pytest.mark.parametrize("party", ["United States", "Republic of Korea", "Australia", "Japan"])
def test_the_brief_lists_exactly_the_commitments_with_the_party(session: Session, party: str) -> None:
    seed_history(session)
    brief = build_brief(session, party.upper(), today=TODAY, viewer=None)
    assert brief.party == party
    ids = [i.id for i in brief.items]
    assert len(ids) == len(set(ids))
    assert set(ids) == _ids_with_party(session, party)
    assert brief.summary.total == len(ids)


def test_grouping_order_summary_and_reaffirmations(session: Session) -> None:
    seed = seed_history(session)
    # SYNTHETIC earlier readout (tests/compliance/seed.py) whose undertaking point 4 repeats.
    earlier_readout = ingest(session, SYNTHETIC_EARLIER_US, dt.date(2018, 3, 2), by=seed.officer)
    earlier = next(c for c in earlier_readout.points[0].commitments if "abductions" in c.quote)
    confirm_reaffirmation(session, earlier, seed.abductions, by=seed.officer, now=at(dt.date(2018, 6, 7)))

    brief = build_brief(session, "United States", today=TODAY, viewer=None)
    # Both meetings still have open commitments: latest first.
    assert [m.readout_id for m in brief.meetings] == [seed.us_readout.id, earlier_readout.id]
    sample = brief.meetings[0]
    assert [i.id for i in sample.items] == [
        seed.abductions.id,
        seed.share.id,
        seed.coordinate.id,
        seed.measures.id,
    ]
    assert [i.is_active for i in sample.items] == [True, True, False, False]
    share = sample.items[1]
    assert share.is_overdue and share.due_date == dt.date(2018, 6, 15) and share.last_note == "wait"
    abductions = sample.items[0]
    assert [(r.commitment_id, r.meeting_date) for r in abductions.reaffirms] == [
        (earlier.id, dt.date(2018, 3, 2))
    ]
    earlier_item = next(i for i in brief.meetings[1].items if i.id == earlier.id)
    assert [r.commitment_id for r in earlier_item.reaffirmed_at] == [seed.abductions.id]

    s = brief.summary
    # The synthetic energy dialogue was due "before the end of June": overdue too.
    assert (s.total, s.open, s.in_progress, s.done, s.overdue) == (6, 3, 1, 2, 2)
    assert (s.fulfilled, s.partial, s.not_fulfilled, s.too_early, s.score) == (1, 1, 1, 1, 0.0)


def test_date_range_and_refusals(session: Session) -> None:
    seed_history(session)
    assert build_brief(session, "Japan", dt.date(2018, 7, 1), today=TODAY, viewer=None).summary.total == 1
    assert (
        build_brief(session, "Japan", None, dt.date(2018, 6, 30), today=TODAY, viewer=None).summary.total == 4
    )
    empty = build_brief(session, "Australia", dt.date(2019, 1, 1), today=TODAY, viewer=None)
    assert empty.meetings == [] and "No commitments with Australia" in render_html(empty)
    with pytest.raises(NotFound):
        build_brief(session, "Atlantis", today=TODAY, viewer=None)
    with pytest.raises(InvalidInput):
        build_brief(session, "Japan", dt.date(2018, 7, 1), dt.date(2018, 6, 1), today=TODAY, viewer=None)
    with pytest.raises(InvalidInput):
        render(build_brief(session, "Japan", today=TODAY, viewer=None), ".txt")


def test_pdf_docx_and_html_open_and_read_back(session: Session) -> None:
    seed = seed_history(session)
    brief = build_brief(session, "United States", today=TODAY, viewer=None)
    ARTIFACTS.mkdir(exist_ok=True)

    pdf = render_pdf(brief)
    (ARTIFACTS / "brief-united-states.pdf").write_bytes(pdf)
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Commitments with United States" in text
    assert "continue working together to resolve the abductions issue" in text
    assert "Australia" not in text

    docx = render_docx(brief)
    (ARTIFACTS / "brief-united-states.docx").write_bytes(docx)
    document = Document(io.BytesIO(docx))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Commitments with United States" in paragraphs
    a4 = [(round(s.page_width.mm), round(s.page_height.mm)) for s in document.sections]
    assert a4 == [(210, 297)] * len(a4), "A4, like the PDF"
    assert seed.abductions.quote in paragraphs
    assert paragraphs.count("#") == 4  # one heading line per commitment

    html = render_html(brief)
    (ARTIFACTS / "brief-united-states.html").write_text(html, encoding="utf-8")
    assert "<style>" in html and "http" not in html.replace("http-equiv", "")
    assert render(brief, ".HTML") == html.encode("utf-8")


def test_text_cannot_hide_itself_in_the_brief(session: Session) -> None:
    seed = seed_history(session)
    seed.share.outcome_note = "fine\u202egnp.exe"
    session.flush()
    html = render_html(build_brief(session, "United States", today=TODAY, viewer=None))
    assert "\u202e" not in html and "⟨U+202E⟩" in html


def test_counts_match_the_database(session: Session) -> None:
    seed_history(session)
    brief = build_brief(session, "United States", today=TODAY, viewer=None)
    done = session.scalar(
        select(func.count())
        .select_from(Commitment)
        .where(Commitment.id.in_([i.id for i in brief.items]), Commitment.status == Status.DONE)
    )
    assert brief.summary.done == done


def test_characters_xml_cannot_hold_do_not_break_the_word_brief(session: Session) -> None:
    # Issue 19: a note with U+000B (Word's soft line break, pasted from Word) made /brief.docx a
    # 500 for everyone. Rows stored before the input was cleaned still hold such characters.
    seed = seed_history(session)
    seed.share.outcome_note = "line one\x0bline two\x01\x1f"
    session.add(
        StatusChange(
            commitment=seed.abductions,
            officer=seed.officer,
            changed_at=at(SEED_DATE, 15),
            field="note",
            note="pasted\x0bfrom Word\x0c",
        )
    )
    seed.us_readout.title = "US\x08 readout"
    session.flush()
    docx = render_docx(build_brief(session, "United States", today=TODAY, viewer=None))
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert ": line one\nline two\ufffd\ufffd" in paragraphs
    assert "Last note: pasted\nfrom Word\n" in paragraphs
    assert "US\ufffd readout" in paragraphs


def test_notes_and_titles_are_cleaned_on_the_way_in(session: Session) -> None:
    seed = seed_history(session)
    update_commitment(
        session,
        seed.coordinate,
        by=seed.officer,
        note="first\x0bsecond\x02",
        now=at(SEED_DATE, 16),
        settings=DeadlineSettings(),
    )
    set_outcome(
        session, seed.measures, Outcome.PARTIAL, by=seed.officer, note="half\x0bdone", now=at(SEED_DATE, 16)
    )
    notes = session.scalars(
        select(StatusChange.note).where(
            StatusChange.commitment_id == seed.coordinate.id, StatusChange.note.is_not(None)
        )
    ).all()
    assert "first\nsecond\ufffd" in notes
    assert seed.measures.outcome_note == "half\ndone"
    readout = ingest(
        session,
        "Readout of the talks\n\n1. Japan will provide support to Ukraine by the end of 2027.\x0b\n",
        dt.date(2026, 12, 3),
    )
    assert readout.text.endswith("by the end of 2027.\n\n")


@pytest.mark.parametrize(
    ("typed", "party"),
    [
        ("US", "United States"),
        ("U.S.", "United States"),
        ("usa", "United States"),
        ("the United States", "United States"),
        ("America", "United States"),
        ("ROK", "Republic of Korea"),
        ("south korea", "Republic of Korea"),
        ("Korea", "Republic of Korea"),
        ("JAPAN", "Japan"),
    ],
)
def test_the_party_is_found_by_the_names_and_abbreviations_events_set_accepts(
    session: Session, typed: str, party: str
) -> None:
    seed_history(session)
    assert resolve_party(session, typed).name == party
    assert build_brief(session, typed, today=TODAY, viewer=None).party == party


def test_an_unknown_party_names_its_near_matches_and_an_ambiguous_one_its_candidates(
    session: Session,
) -> None:
    seed = seed_history(session)
    with pytest.raises(NotFound) as excinfo:
        resolve_party(session, "Untied States")
    assert str(excinfo.value) == "no party called 'Untied States'; near matches: United States"
    with pytest.raises(NotFound) as excinfo:
        resolve_party(session, "Atlantis")
    assert str(excinfo.value) == "no party called 'Atlantis'"

    session.add_all([Party(name="Czech Republic", aliases=[]), Party(name="Republic of Moldova", aliases=[])])
    session.flush()
    with pytest.raises(AmbiguousName) as ambiguous:
        resolve_party(session, "republic")
    assert ambiguous.value.candidates == ["Czech Republic", "Republic of Korea", "Republic of Moldova"]

    # A party only a readout hidden from the viewer names is not offered as a near match.
    seed.au_readout.is_restricted = True
    seed.au_readout.access_desks = [seed.other_desk_officer.desk]
    session.flush()
    with pytest.raises(NotFound) as everyone:
        resolve_party(session, "Austrlia", viewer=None)
    assert "near matches: Australia" in str(everyone.value)
    with pytest.raises(NotFound) as hidden:
        resolve_party(session, "Austrlia", viewer=seed.officer)
    assert "Australia" not in str(hidden.value).replace("'Austrlia'", "")
