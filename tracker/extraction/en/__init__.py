"""English: the grammar of readouts written in English, behind the stage interface
(`tracker.extraction.language.Grammar`).

One module per stage, as in `ja/`: `metadata` (title, meeting date), `segmentation` (points),
`parties` (the people of the meeting and whom they act for), `commitments` (what was undertaken),
`dating` (the time words of an undertaking), `classification` (the kind of each point), `flags`
(possible undertakings that gave no commitment), `notes` (why a field reads so) and `sentences`;
`GRAMMAR` is the stage interface, and the only caller of those modules in the pipeline.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading

from tracker.deadlines import DeadlineSettings, DeadlineSpec, parse_deadline
from tracker.extraction.en.classification import classify as _classify
from tracker.extraction.en.classification import classify_with_note
from tracker.extraction.en.commitments import PointReader, action_of, visit_name_before
from tracker.extraction.en.dating import (
    answered_request_deadline,
    near_time_of_named_event,
    numbered_event_name,
    one_off,
    standing_offer,
    success_of_event,
    time_frames,
)
from tracker.extraction.en.flags import flags_for
from tracker.extraction.en.metadata import meeting_date_of as _meeting_date_of
from tracker.extraction.en.metadata import title_of as _title_of
from tracker.extraction.en.notes import deadline_note, parties_note
from tracker.extraction.en.parties import Participants, build_participants
from tracker.extraction.en.segmentation import is_header_line
from tracker.extraction.en.segmentation import segment as _segment
from tracker.extraction.en.sentences import sentence_spans
from tracker.extraction.party_names import publisher_party
from tracker.extraction.types import ExtractedCommitment, FieldNote, Flag, PointKind, Segment

# A reply ("In response, ...") just before the quote; only then is the request before it read.
_REPLY_BEFORE = re.compile(r"\b(?:[Rr]espon\w*|[Rr]eply|[Rr]eturn)\b[^.]{0,50}$")
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")


class English:
    """The English grammar behind the stage interface."""

    code = "en"
    name = "English"

    def __init__(self) -> None:
        self._local = threading.local()

    def script_share(self, text: str) -> float:
        """Share of the letters that are Latin."""
        letters = len(_LETTER.findall(text))
        return len(_LATIN.findall(text)) / letters if letters else 0.0

    def title_of(self, text: str) -> tuple[str | None, int]:
        """The first non-blank line and where the body starts."""
        return _title_of(text)

    def segment(self, text: str, body_start: int) -> list[Segment]:
        """Numbered items, bullets or prose paragraphs."""
        return [Segment(s.number, s.order, s.start, s.end, s.section) for s in _segment(text, body_start)]

    def meeting_date_of(
        self, text: str, body_start: int, segments: list[Segment]
    ) -> tuple[dt.date | None, str]:
        """The header runs to the end of the first point: the opening sentence names the day."""
        header_end = min(len(text), max(segments[0].end, segments[0].start + 400))
        return _meeting_date_of(text, header_end)

    def participants(
        self, text: str, title: str | None, body_start: int, segments: list[Segment], publisher: str | None
    ) -> Participants:
        """People of the title and first paragraph tied to their parties."""
        first = segments[0]
        return build_participants(
            title or "",
            _first_paragraph(text, body_start, first.start, _introducing_point(text, segments)),
            text,
            header=text[body_start : first.start],
            home=publisher_party(publisher),
            footer=text[segments[-1].end :],
        )

    def commitments(
        self,
        text: str,
        participants: object,
        segment: Segment,
        meeting_date: dt.date | None,
        settings: DeadlineSettings,
    ) -> list[ExtractedCommitment]:
        """The undertakings of one point with their deadlines, and a note on why each field reads so."""
        assert isinstance(participants, Participants)
        reader = self._reader(text, participants, segment)
        commitments = []
        for start, end, found in reader.find():
            found.parties = reader.with_the_one_met(found, end)
            found.parties = reader.pair_of_the_call(found)
            visit = (
                visit_name_before(reader, found.clause_start)
                if "visit" in text[found.clause_start : end]
                else None
            )
            for part_start, part_end, deadline in time_frames(
                text, found.clause_start, start, found.action_start, end, meeting_date, settings, visit
            ):
                deadline = one_off(text, max(found.action_start, part_start), part_end, deadline)
                deadline = standing_offer(text, part_start, part_end, deadline)
                deadline = success_of_event(text, part_start, part_end, deadline)
                deadline = near_time_of_named_event(text, part_start, part_end, deadline)
                deadline = numbered_event_name(deadline)
                if deadline.type in ("ongoing", "none") and _REPLY_BEFORE.search(
                    text, max(segment.start, start - 60), start
                ):
                    deadline = answered_request_deadline(text, reader.sentences, start, deadline, settings)
                commitments.append(
                    ExtractedCommitment(
                        quote=text[part_start:part_end],
                        start=part_start,
                        end=part_end,
                        action=action_of(text, max(found.action_start, part_start), part_end),
                        parties=list(found.parties),
                        deadline=deadline,
                        notes=[
                            parties_note(reader, found, found.parties, part_start, part_end),
                            deadline_note(text, deadline, found.clause_start, part_end, meeting_date),
                        ],
                    )
                )
        # Quotation marks are counted once per point: a 1 MB paragraph holds thousands of commitments.
        marks = [m.start() for m in _QUOTE_MARK.finditer(text, segment.start, segment.end)]
        return [c for c in commitments if not _repeated_in_quotation(text, marks, c)]

    def flags(
        self, text: str, participants: object, segment: Segment, commitments: list[ExtractedCommitment]
    ) -> list[Flag]:
        """Sentences of the point that read like an undertaking by a party but gave no commitment."""
        assert isinstance(participants, Participants)
        reader = self._reader(text, participants, segment)
        return flags_for(reader, reader.sentences, commitments)

    def kind_note(self, text: str, segment: Segment, has_commitments: bool) -> FieldNote:
        """The words that decided the point's kind (weak when none did)."""
        return classify_with_note(text[segment.start : segment.end], has_commitments)[1]

    def _reader(self, text: str, participants: Participants, segment: Segment) -> PointReader:
        """One reader per point for the commitment and flag stages: it finds the point's people and
        sentences once. Kept per thread, since the grammar is shared by the web server's threads."""
        key = (id(text), id(participants), segment.start, segment.end)
        cached = getattr(self._local, "reader", None)
        if cached is not None and cached[0] == key and cached[1].text is text:
            return cached[1]  # type: ignore[no-any-return]
        reader = PointReader(text, participants, segment.start, segment.end)
        self._local.reader = (key, reader)
        return reader

    def classify(self, text: str, segment: Segment, has_commitments: bool) -> PointKind:
        """commitment > position > exchange > protocol."""
        return _classify(text[segment.start : segment.end], has_commitments)

    def event_aliases(self, name: str) -> list[str]:
        """English event names are the registry's own; no other name to add."""
        return []

    def undertaking(
        self, text: str, start: int, end: int, meeting_date: dt.date | None, settings: DeadlineSettings
    ) -> tuple[str, DeadlineSpec, FieldNote | None]:
        """The action and deadline of text[start:end] taken as an undertaking by the officer (a
        possible undertaking made a commitment in the preview), with why it has that deadline."""
        deadline = parse_deadline(text, meeting_date, settings, start=start, end=end)
        return action_of(text, start, end), deadline, deadline_note(text, deadline, start, end, meeting_date)


_CONTENT_WORD = re.compile(r"[a-z]{4,}")


def _repeated_in_quotation(text: str, marks: list[int], commitment: ExtractedCommitment) -> bool:
    """Whether the commitment sits in a quotation ("... said in a post: “We agreed to ...”") that
    repeats an undertaking the release already states in its own words: one undertaking, quoted
    from the release's sentence (the labelling clarification)."""
    opening = _open_quotation_before(marks, commitment.start)
    if opening is None:
        return False
    words = set(_CONTENT_WORD.findall(commitment.quote.lower()))
    if len(words) < 3:
        return False
    before = text[max(0, opening - 3000) : opening]
    for sentence in re.split(r"(?<=[.!?])\s+", before):
        shared = words & set(_CONTENT_WORD.findall(sentence.lower()))
        if len(shared) >= 0.6 * len(words):
            return True
    return False


def _open_quotation_before(marks: list[int], pos: int) -> int | None:
    """Where the quotation holding pos opens, if pos is inside one; `marks` are the point's
    quotation marks, curly and straight alike, since copies mix them ('"Free and Open Indo-Pacific”')."""
    count = bisect.bisect_left(marks, pos)
    return marks[count - 1] if count % 2 == 1 else None


_QUOTE_MARK = re.compile(r"[\"“”]")


def _introducing_point(text: str, segments: list[Segment]) -> Segment:
    """The point that introduces the people when no intro comes before point 1: point 1, or when
    it names nobody by title (a standfirst: "Agrees on need for close working relations with all
    three") the first of the next two points that does."""
    for seg in segments[:3]:
        if _TITLE_WORD.search(text, seg.start, seg.end):
            return seg
    return segments[0]


_TITLE_WORD = re.compile(
    r"\b(?:President|Minister|Secretary|Chancellor|Premier|Taoiseach|Ambassador|Emir|King|Prince|Sultan)\b"
)


def _first_paragraph(text: str, body_start: int, first_point_start: int, introducing: Segment) -> str:
    """The paragraph that introduces the meeting: the intro before point 1, else the point that
    introduces the people (point 1 itself, unless it is a standfirst)."""
    intro = text[body_start:first_point_start]
    blocks = [
        b.strip()
        for b in intro.split("\n")
        if len(b.split()) >= 8 and not (is_header_line(b.strip()) and len(b.split()) < 15)
    ]
    paragraph = "\n".join(blocks) if blocks else text[introducing.start : introducing.end]
    # The first sentence introduces the people ("Secretary Blinken met with Foreign Minister Chung").
    spans = sentence_spans(paragraph, 0, min(len(paragraph), 3000))
    return paragraph[spans[0].start : spans[0].end] if spans else paragraph


GRAMMAR = English()
