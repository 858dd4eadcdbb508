"""The ingest preview's review state (issue 15): possible undertakings and the notes on each field
travel with the preview, survive the officer's corrections where the field was left alone, and a
possible undertaking becomes a commitment with its words as the quote."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_officer
from tracker.deadlines import DeadlineSettings
from tracker.extraction import extract
from tracker.extraction.types import FieldNote
from tracker.history_text import describe_creation
from tracker.i18n import translations
from tracker.models import Commitment, StatusChange
from tracker.services.errors import InvalidInput
from tracker.services.events import find_or_create_event
from tracker.services.ingest_review import (
    Assignment,
    RowInput,
    apply_corrections,
    from_payload,
    preview_rows,
    promote_flag,
    start_review,
    store_reviewed,
    to_payload,
)

SETTINGS = DeadlineSettings()
NOW = dt.datetime(2018, 3, 5, 9, 0, tzinfo=dt.UTC)
TEXT = (
    "Japan-Canada Foreign Ministers' Meeting\n\n"
    "On March 3, Foreign Minister Taro Kono held a meeting with the Honourable Chrystia Freeland, "
    "Minister of Foreign Affairs of Canada. The overview is as follows.\n"
    "1. The two ministers confirmed that Japan and Canada will continue close cooperation on North Korea.\n"
    "2. Minister Kono stated that it was important that Japan and Canada continue to work together "
    "toward the success of the G7 Summit.\n"
    "3. The two ministers confirmed that Japan and Canada will work together to bring the CPTPP "
    "into force at an early date.\n"
)
FLAG_QUOTE = "Japan and Canada continue to work together toward the success of the G7 Summit"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
QUOTED = re.compile(r"「[^」]*」")


def _review():  # type: ignore[no-untyped-def]
    return start_review(extract(TEXT, dt.date(2018, 3, 3)), None, None)


def _unchanged_rows(review) -> list[RowInput]:  # type: ignore[no-untyped-def]
    return [
        RowInput(
            parties="; ".join(c.parties),
            action=c.action,
            deadline_type=c.deadline.type,
            deadline_text=c.deadline.text or "",
            event=c.deadline.event or "",
            relation=c.deadline.relation or "",
            offset_days=str(c.deadline.offset_days) if c.deadline.type == "event" else "",
            date=c.deadline.date.isoformat() if c.deadline.date else "",
        )
        for _p, c, _a in review.rows()
    ]


def test_flags_and_notes_travel_in_the_payload() -> None:
    review = _review()
    again = from_payload(TEXT, to_payload(review))
    assert again.extracted == review.extracted
    (flag,) = again.extracted.points[1].flags
    assert flag.quote == FLAG_QUOTE and flag.parties == ["Japan", "Canada"]
    assert again.extracted.points[1].kind_note is not None
    assert all(c.notes for c in again.extracted.commitments)


def test_a_payload_with_an_unknown_note_field_is_refused() -> None:
    payload = to_payload(_review())
    payload["points"][0]["commitments"][0]["notes"][0]["field"] = "owner"
    with pytest.raises(InvalidInput):
        from_payload(TEXT, payload)


def test_corrections_keep_the_notes_of_fields_left_alone() -> None:
    review = _review()
    rows = _unchanged_rows(review)
    rows[1].deadline_type = "ongoing"  # the officer decides the CPTPP undertaking has no date
    corrected = apply_corrections(
        review, point_kinds={}, rows=rows, added=None, officer_ids=set(), desk_ids=set(), settings=SETTINGS
    )
    first, second = corrected.extracted.commitments
    assert first.notes == review.extracted.commitments[0].notes
    assert second.notes[0] == review.extracted.commitments[1].notes[0]  # parties untouched
    assert [(n.field, n.reason, n.weak) for n in second.notes[1:]] == [
        ("deadline", "corrected by the officer", False)
    ]
    assert review.extracted.commitments[1].confidence < second.confidence == 1.0
    assert corrected.extracted.points[1].flags == review.extracted.points[1].flags


def test_a_flag_becomes_a_commitment_and_leaves_the_flags() -> None:
    review = _review()
    (flag,) = review.extracted.points[1].flags
    promoted, row = promote_flag(review, (2, flag.start, flag.end), Assignment(7, 3), SETTINGS)
    point = promoted.extracted.points[1]
    assert point.flags == [] and point.kind == "commitment"
    (commitment,) = point.commitments
    assert row == 2 and commitment.quote == FLAG_QUOTE == TEXT[commitment.start : commitment.end]
    assert commitment.parties == ["Japan", "Canada"]
    assert (commitment.deadline.type, commitment.deadline.event) == ("event", "G7 Summit")
    assert commitment.notes[0].weak, "who undertakes a flagged sentence is for the officer to check"
    assert promoted.assignments[(2, flag.start, flag.end)] == Assignment(7, 3)
    with pytest.raises(InvalidInput):
        promote_flag(promoted, (2, flag.start, flag.end), Assignment(7, 3), SETTINGS)


def test_preview_rows_put_the_least_sure_first_and_check_the_registry(session: Session) -> None:
    review = _review()
    (flag,) = review.extracted.points[1].flags
    promoted, _row = promote_flag(review, (2, flag.start, flag.end), Assignment(None, None), SETTINGS)
    rows = preview_rows(session, promoted)
    # C2 (a flag made a commitment, and its event unknown) has two weak notes; C3 (a speed word)
    # has one; C1 none.
    assert [r.n for r in rows] == [2, 3, 1]
    assert [r.confidence for r in rows] == [0.25, 0.5, 1.0]
    assert any("is not in the event registry" in n.reason and n.weak for n in rows[0].notes)
    find_or_create_event(session, "G7 Summit").date = dt.date(2018, 6, 8)
    session.flush()
    rows = preview_rows(session, promoted)
    # Now C2 is only as unsure as C3; equals stay in reading order.
    assert [(r.n, r.confidence) for r in rows] == [(2, 0.5), (3, 0.5), (1, 1.0)]
    assert any(n.reason == "'G7 Summit' is in the registry (G7 Summit: 2018-06-08)" for n in rows[0].notes)


JA_TEXT = (
    "日加外相電話会談\n\n令和2年3月3日\n\n"
    " 本3日，茂木敏充外務大臣は，フランソワ＝フィリップ・シャンパーニュ・カナダ外務大臣と"
    "電話会談を行ったところ，概要は以下のとおりです。\n\n"
    "1 両外相は，日加で緊密に連携していくことで一致しました。\n"
    "2 シャンパーニュ外務大臣から，カナダは年内に北極評議会で日本の参加を後押ししていく。\n"
)


def test_a_japanese_flag_becomes_a_commitment_read_by_the_japanese_grammar() -> None:
    """年内に is the end of the meeting's year to the Japanese time words; English would find no
    deadline in it, and the action stays the readout's own words (no English paraphrase)."""
    extracted = extract(JA_TEXT, dt.date(2020, 3, 3), publisher="Ministry of Foreign Affairs of Japan")
    assert extracted.language == "ja"
    review = start_review(extracted, None, None)
    (flag,) = review.extracted.points[1].flags
    promoted, _row = promote_flag(review, (2, flag.start, flag.end), Assignment(None, None), SETTINGS)
    (commitment,) = promoted.extracted.points[1].commitments
    assert commitment.quote == JA_TEXT[commitment.start : commitment.end]
    assert (commitment.deadline.type, commitment.deadline.date) == ("date", dt.date(2020, 12, 31))
    assert commitment.deadline.text == "年内"
    assert "年内に北極評議会で日本の参加を後押し" in commitment.action


def test_the_first_history_entry_records_what_the_officer_corrected_in_the_preview(session: Session) -> None:
    officer = make_officer(session, desk="North America Desk")
    review = start_review(extract(TEXT, dt.date(2018, 3, 3)), officer, officer.desk)
    rows = _unchanged_rows(review)
    # Commitment 1: a party added and the deadline given a date; commitment 2 left as read.
    rows[0].parties = "Japan; Canada; ROK"
    rows[0].deadline_type, rows[0].date = "date", "2018-06-30"
    owner_ids, desk_ids = {officer.id}, {officer.desk_id}
    corrected = apply_corrections(
        review,
        point_kinds={},
        rows=rows,
        added=RowInput(
            parties="Canada", action="Work toward the G7 Summit", point_order="2", quote=FLAG_QUOTE
        ),
        officer_ids=owner_ids,
        desk_ids=desk_ids,
        settings=SETTINGS,
    )
    # Corrected again on a second "Update preview", through the signed payload: still compared
    # with what the extraction read, not with the previous preview.
    corrected = from_payload(TEXT, to_payload(corrected))
    rows = _unchanged_rows(corrected)
    rows[2].action = "Bring the CPTPP into force soon"
    corrected = apply_corrections(
        corrected,
        point_kinds={},
        rows=rows,
        added=None,
        officer_ids=owner_ids,
        desk_ids=desk_ids,
        settings=SETTINGS,
    )
    readout = store_reviewed(
        session, corrected, title="Japan-Canada Foreign Ministers' Meeting", publisher=None, source=None,
        by=officer, now=NOW, settings=SETTINGS,
    )  # fmt: skip
    session.expire_all()
    stored = {
        c.point.number: c
        for c in session.scalars(select(Commitment).where(Commitment.readout_id == readout.id))
    }
    first = {
        n: describe_creation(
            readout.title,
            n,
            by=officer.name,
            corrections=next((h.new_value for h in c.history if h.field == "preview_corrections"), None),
        )
        for n, c in stored.items()
    }
    assert first == {
        "1": f"Created from Japan-Canada Foreign Ministers' Meeting (point 1) by {officer.name}; "
        "corrected in the preview: parties (added Republic of Korea), deadline",
        "2": f"Created from Japan-Canada Foreign Ministers' Meeting (point 2) by {officer.name}; "
        "added in the preview",
        "3": f"Created from Japan-Canada Foreign Ministers' Meeting (point 3) by {officer.name}; "
        "corrected in the preview: action",
    }
    row = next(h for h in stored["1"].history if h.field == "preview_corrections")
    assert (row.officer_id, row.changed_at.replace(tzinfo=None)) == (officer.id, NOW.replace(tzinfo=None))
    assert json.loads(row.new_value or "")["deadline"]["was"]["type"] == "ongoing"


def test_a_commitment_saved_as_read_has_no_corrections_row(session: Session) -> None:
    officer = make_officer(session, desk="North America Desk")
    review = start_review(extract(TEXT, dt.date(2018, 3, 3)), officer, officer.desk)
    rows = _unchanged_rows(review)
    for row in rows:  # owned by the officer on their desk, as the preview offered
        row.owner_id, row.desk_id = str(officer.id), str(officer.desk_id)
    corrected = apply_corrections(
        review, point_kinds={}, rows=rows, added=None,
        officer_ids={officer.id}, desk_ids={officer.desk_id}, settings=SETTINGS,
    )  # fmt: skip
    readout = store_reviewed(
        session, corrected, title=None, publisher=None, source=None, by=officer, now=NOW, settings=SETTINGS
    )
    history = session.scalars(
        select(StatusChange).join(Commitment).where(Commitment.readout_id == readout.id)
    ).all()
    assert [(h.field, h.old_value, h.new_value) for h in history] == []


def _notes(review) -> list[FieldNote]:  # type: ignore[no-untyped-def]
    points = review.extracted.points
    return [
        *(p.kind_note for p in points if p.kind_note),
        *(n for c in review.extracted.commitments for n in c.notes),
    ]


def test_each_note_keeps_its_message_id_and_says_its_reason_in_japanese(session: Session) -> None:
    # Issue 18: the English reason stays (the CLI, tracker eval, logs); the message id and its values
    # say it in the officer's language, the readout's quoted words kept as they are.
    review = _review()
    (flag,) = review.extracted.points[1].flags
    promoted, _row = promote_flag(review, (2, flag.start, flag.end), Assignment(None, None), SETTINGS)
    notes = [*_notes(promoted), *(n for r in preview_rows(session, promoted) for n in r.notes)]
    japanese = translations("ja").gettext
    assert len(notes) >= 10
    for note in notes:
        assert note.message, note.reason
        assert note.said(lambda text: text) == note.reason
        said = note.said(japanese)
        assert JAPANESE.search(said) and note.reason not in said, said
        # Left in English: only the readout's words 「quoted」, and party and event names.
        assert not re.search(r"[a-z]{3,}", QUOTED.sub("", said).replace("G7 Summit", "")), said
    kinds = [p.kind_note.said(japanese) for p in review.extracted.points if p.kind_note]
    assert kinds[0] == "約束を含む" and kinds[1] == "「important that」から立場表明と判断"
    again = from_payload(TEXT, to_payload(promoted))
    assert _notes(again) == _notes(promoted)


def test_a_preview_token_made_before_the_message_ids_says_the_english_reasons() -> None:
    review = _review()
    payload = json.loads(json.dumps(to_payload(review)))
    for p in payload["points"]:
        for note in [p["kind_note"], *(n for c in p["commitments"] for n in c["notes"])]:
            del note["message"], note["args"]
    again = from_payload(TEXT, payload)
    japanese = translations("ja").gettext
    assert [n.reason for n in _notes(again)] == [n.reason for n in _notes(review)]
    assert all(n.message == "" and n.said(japanese) == n.reason for n in _notes(again))


def test_a_note_with_an_unreadable_message_is_refused() -> None:
    payload = to_payload(_review())
    payload["points"][0]["commitments"][0]["notes"][0]["args"] = ["not", "an", "object"]
    with pytest.raises(InvalidInput):
        from_payload(TEXT, payload)
