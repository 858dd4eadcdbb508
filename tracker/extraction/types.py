"""What the extraction pipeline hands to the rest of the tracker.

Plain dataclasses, free of the database, so that extraction can be run, evaluated and
fuzzed on its own; `tracker.services.readouts` turns them into rows. A deadline as written
(`DeadlineSpec`) is the deadline grammar's own type, in `tracker.deadlines`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from tracker.deadlines import DeadlineSpec, DeadlineType, Relation

__all__ = [
    "DeadlineSpec",
    "DeadlineType",
    "ExtractedCommitment",
    "ExtractedPoint",
    "ExtractedReadout",
    "PointKind",
    "Relation",
]

PointKind = Literal["commitment", "position", "exchange", "protocol"]


@dataclass
class ExtractedCommitment:
    """One undertaking inside a point; `quote == text[start:end]` always holds."""

    quote: str
    start: int
    end: int
    action: str
    parties: list[str]
    deadline: DeadlineSpec = field(default_factory=DeadlineSpec)


@dataclass
class ExtractedPoint:
    """One numbered item, bullet or prose paragraph; `text[start:end]` is the point."""

    number: str  # as printed ("1", "(3)", "•") or the paragraph order for prose
    order: int  # 1..k in document order
    start: int
    end: int
    kind: PointKind
    section: str | None = None  # a sub-heading such as "(3) Economy" that the point sits under
    commitments: list[ExtractedCommitment] = field(default_factory=list)


@dataclass
class Segment:
    """Where one point lies in the text, as a language's segmentation stage finds it."""

    number: str
    order: int
    start: int
    end: int
    section: str | None = None


@dataclass
class ExtractedReadout:
    """The whole result of extracting one readout's text."""

    text: str
    title: str | None
    meeting_date: dt.date | None
    # Why the meeting date is what it is: "given", "stated", or a message when it could not be found.
    meeting_date_basis: str
    points: list[ExtractedPoint] = field(default_factory=list)
    # The grammar the text was read with ("en", "ja"): detected, or chosen by the officer.
    language: str = "en"

    @property
    def commitments(self) -> list[ExtractedCommitment]:
        return [c for p in self.points for c in p.commitments]
