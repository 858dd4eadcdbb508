"""The whole pipeline on decoded text: metadata, points, kinds, commitments, parties, deadlines.

The stages and their order are the same for every language; what each stage reads is the
language's grammar (`tracker.extraction.language`), chosen by the officer or detected.
"""

from __future__ import annotations

import datetime as dt

from tracker.deadlines import DeadlineSettings
from tracker.extraction.errors import ExtractionError
from tracker.extraction.language import detect_language, grammar_for
from tracker.extraction.limits import DEFAULT_LIMITS, ReadingLimits, over
from tracker.extraction.types import ExtractedPoint, ExtractedReadout


def extract(
    text: str,
    meeting_date: dt.date | None = None,
    settings: DeadlineSettings | None = None,
    *,
    publisher: str | None = None,
    language: str | None = None,
    limits: ReadingLimits = DEFAULT_LIMITS,
) -> ExtractedReadout:
    """Run the whole pipeline on decoded text; raises ExtractionError only for empty text or no points.

    `publisher` is who published the readout ("Ministry of Foreign Affairs of Japan", "The White
    House", "Prime Minister's Office, 10 Downing Street"), as typed at ingest. It names the home
    party, which fills in officials written by title alone and joins "the two leaders"; without
    it the parties come from the text only. `language` ("en", "ja") picks the grammar; None
    detects it from the text. A readout over `limits` (characters, points, commitments) is
    refused as soon as that is known, before the rest is read.
    """
    if not text or not text.strip():
        raise ExtractionError("the text is empty")
    if len(text) > limits.max_characters:
        raise ExtractionError(over("the text has", len(text), "characters", limits.max_characters))
    settings = settings or DeadlineSettings()
    grammar = grammar_for(language or detect_language(text))
    title, body_start = grammar.title_of(text)
    segments = grammar.segment(text, body_start)
    if not segments:
        raise ExtractionError("no points found: the text has no numbered items, bullets or body paragraphs")
    if len(segments) > limits.max_points:
        raise ExtractionError(over("the readout has", len(segments), "points", limits.max_points))
    if meeting_date is not None:
        basis = "given"
    else:
        meeting_date, basis = grammar.meeting_date_of(text, body_start, segments)
    participants = grammar.participants(text, title, body_start, segments, publisher)
    # Optional stages a grammar may offer (issue 15): possible undertakings that gave no
    # commitment, and why each point has its kind.
    flags_of = getattr(grammar, "flags", None)
    kind_note_of = getattr(grammar, "kind_note", None)
    points = []
    found = 0
    for seg in segments:
        commitments = grammar.commitments(text, participants, seg, meeting_date, settings)
        found += len(commitments)
        if found > limits.max_commitments:
            raise ExtractionError(
                f"the readout has more than {limits.max_commitments:,} commitments; "
                f"the limit is {limits.max_commitments:,}"
            )
        points.append(
            ExtractedPoint(
                number=seg.number,
                order=seg.order,
                start=seg.start,
                end=seg.end,
                kind=grammar.classify(text, seg, bool(commitments)),
                section=seg.section,
                commitments=commitments,
                flags=flags_of(text, participants, seg, commitments) if flags_of else [],
                kind_note=kind_note_of(text, seg, bool(commitments)) if kind_note_of else None,
            )
        )
    return ExtractedReadout(
        text=text,
        title=title,
        meeting_date=meeting_date,
        meeting_date_basis=basis,
        points=points,
        language=grammar.code,
    )
