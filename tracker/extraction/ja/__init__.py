"""Japanese: MOFA's 会談の概要 and readouts like them, read with the same stages as English.

One module per stage (`metadata`, `segmentation`, `parties`, `commitments`, `dating`,
`classification`, and `flags` for the possible undertakings that gave no commitment), `text` for
the normalised shadow and the morphological analyser, and `events` for the English names of
events written in Japanese; `GRAMMAR` is the stage interface.
"""

from __future__ import annotations

import datetime as dt

from tracker.deadlines import DeadlineSettings, DeadlineSpec
from tracker.extraction.ja import (
    classification,
    commitments,
    dating,
    events,
    flags,
    metadata,
    parties,
    segmentation,
    text,
)
from tracker.extraction.types import ExtractedCommitment, FieldNote, Flag, PointKind, Segment


class Japanese:
    """The Japanese grammar behind the stage interface."""

    code = "ja"
    name = "日本語 (Japanese)"

    def script_share(self, value: str) -> float:
        """Share of the letters that are kana or kanji (none without kana)."""
        return text.script_share(value)

    def title_of(self, value: str) -> tuple[str | None, int]:
        """The first non-blank line and where the body starts."""
        return metadata.title_of(value)

    def segment(self, value: str, body_start: int) -> list[Segment]:
        """Numbered items, bullets, wrappers unwrapped, or paragraphs."""
        return segmentation.segment(value, body_start)

    def meeting_date_of(
        self, value: str, body_start: int, segments: list[Segment]
    ) -> tuple[dt.date | None, str]:
        """The lead's day with the dateline's year."""
        return metadata.meeting_date_of(value, body_start, segments)

    def participants(
        self, value: str, title: str | None, body_start: int, segments: list[Segment], publisher: str | None
    ) -> parties.JaParticipants:
        """People of the lead tied to their parties; the lead is the text before point 1, or
        point 1 itself when the lead is numbered."""
        first = segments[0]
        lead_start, lead_end = body_start, first.start
        found = parties.build_participants(value, title, lead_start, lead_end, publisher)
        if not found.people:
            found = parties.build_participants(value, title, first.start, first.end, publisher)
        return found

    def commitments(
        self,
        value: str,
        participants: object,
        segment: Segment,
        meeting_date: dt.date | None,
        settings: DeadlineSettings,
    ) -> list[ExtractedCommitment]:
        """The undertakings of one point with their deadlines."""
        assert isinstance(participants, parties.JaParticipants)
        return commitments.find_commitments(value, participants, segment, meeting_date, settings)

    def flags(
        self, value: str, participants: object, segment: Segment, commitments: list[ExtractedCommitment]
    ) -> list[Flag]:
        """Clauses of the point that end on a cue of undertaking but gave no commitment."""
        assert isinstance(participants, parties.JaParticipants)
        return flags.flags_for(value, participants, segment, commitments)

    def classify(self, value: str, segment: Segment, has_commitments: bool) -> PointKind:
        """commitment > position > exchange > protocol."""
        return classification.classify(value, segment, has_commitments)

    def event_aliases(self, name: str) -> list[str]:
        """The English name of an event written in Japanese (「米朝首脳会談」 → U.S.-North Korea Summit)."""
        return [*events.english_names(name), *events.japanese_synonyms(name)]

    def undertaking(
        self, value: str, start: int, end: int, meeting_date: dt.date | None, settings: DeadlineSettings
    ) -> tuple[str, DeadlineSpec, FieldNote | None]:
        """The action and deadline of value[start:end] taken as an undertaking by the officer (a
        possible undertaking made a commitment in the preview): the Japanese time words read it."""
        s = text.shadow(value)
        deadline = dating.deadline_for(value, s, start, end, meeting_date, settings)
        return commitments.action_words(s, start, end), deadline, None


GRAMMAR = Japanese()
