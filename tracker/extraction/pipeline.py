"""The whole pipeline on decoded text: metadata, points, kinds, commitments, parties, deadlines."""

from __future__ import annotations

import datetime as dt
import re

from tracker.deadlines import DeadlineSettings
from tracker.extraction.classification import classify_with_note
from tracker.extraction.commitments import PointReader, action_of, visit_name_before
from tracker.extraction.dating import answered_request_deadline, time_frames
from tracker.extraction.errors import ExtractionError
from tracker.extraction.flags import flags_for
from tracker.extraction.metadata import meeting_date_of, title_of
from tracker.extraction.notes import deadline_note, parties_note
from tracker.extraction.parties import build_participants, publisher_party
from tracker.extraction.segmentation import is_header_line, segment
from tracker.extraction.sentences import sentence_spans
from tracker.extraction.types import ExtractedCommitment, ExtractedPoint, ExtractedReadout

# A reply ("In response, ...") just before the quote; only then is the request before it read.
_REPLY_BEFORE = re.compile(r"\b(?:[Rr]espon\w*|[Rr]eply|[Rr]eturn)\b[^.]{0,50}$")


def run(
    text: str,
    meeting_date: dt.date | None,
    settings: DeadlineSettings | None,
    publisher: str | None = None,
) -> ExtractedReadout:
    if not text or not text.strip():
        raise ExtractionError("the text is empty")
    settings = settings or DeadlineSettings()
    title, body_start = title_of(text)
    segments = segment(text, body_start)
    if not segments:
        raise ExtractionError("no points found: the text has no numbered items, bullets or body paragraphs")
    # The header runs to the end of the first point: the opening sentence names the day.
    header_end = min(len(text), max(segments[0].end, segments[0].start + 400))
    if meeting_date is not None:
        basis = "given"
    else:
        meeting_date, basis = meeting_date_of(text, header_end)
    first_paragraph = _first_paragraph(text, body_start, segments[0].start, segments[0].end)
    participants = build_participants(
        title or "",
        first_paragraph,
        text,
        header=text[body_start : segments[0].start],
        home=publisher_party(publisher),
        footer=text[segments[-1].end :],
    )

    points = []
    for seg in segments:
        reader = PointReader(text, participants, seg.start, seg.end)
        commitments = []
        for start, end, found in reader.find():
            visit = (
                visit_name_before(reader, found.clause_start)
                if "visit" in text[found.clause_start : end]
                else None
            )
            for part_start, part_end, deadline in time_frames(
                text, found.clause_start, start, found.action_start, end, meeting_date, settings, visit
            ):
                if deadline.type in ("ongoing", "none") and _REPLY_BEFORE.search(
                    text, max(seg.start, start - 60), start
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
        kind, kind_note = classify_with_note(text[seg.start : seg.end], bool(commitments))
        flags = flags_for(reader, reader.sentences, commitments)
        points.append(
            ExtractedPoint(
                number=seg.number,
                order=seg.order,
                start=seg.start,
                end=seg.end,
                kind=kind,
                section=seg.section,
                commitments=commitments,
                flags=flags,
                kind_note=kind_note,
            )
        )
    return ExtractedReadout(
        text=text, title=title, meeting_date=meeting_date, meeting_date_basis=basis, points=points
    )


def _first_paragraph(text: str, body_start: int, first_point_start: int, first_point_end: int) -> str:
    """The paragraph that introduces the meeting: the intro before point 1, else point 1 itself."""
    intro = text[body_start:first_point_start]
    blocks = [
        b.strip()
        for b in intro.split("\n")
        if len(b.split()) >= 8 and not (is_header_line(b.strip()) and len(b.split()) < 15)
    ]
    paragraph = "\n".join(blocks) if blocks else text[first_point_start:first_point_end]
    # The first sentence introduces the people ("Secretary Blinken met with Foreign Minister Chung").
    spans = sentence_spans(paragraph, 0, min(len(paragraph), 3000))
    return paragraph[spans[0].start : spans[0].end] if spans else paragraph
