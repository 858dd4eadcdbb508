"""What the extraction pipeline hands to the rest of the tracker.

Plain dataclasses, free of the database, so that extraction can be run, evaluated and
fuzzed on its own; `tracker.services.readouts` turns them into rows. A deadline as written
(`DeadlineSpec`) is the deadline grammar's own type, in `tracker.deadlines`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from tracker.deadlines import DeadlineSpec, DeadlineType, Relation
from tracker.services.errors import Message

__all__ = [
    "NO_DATE",
    "NO_YEAR",
    "DeadlineSpec",
    "DeadlineType",
    "ExtractedCommitment",
    "ExtractedPoint",
    "ExtractedReadout",
    "FieldNote",
    "Flag",
    "PointKind",
    "Relation",
]

# The meeting date's basis when the text does not give it, in every language: the officer passes it.
NO_YEAR = "the text gives no year: pass --date"
NO_DATE = "the text gives no meeting date: pass --date"

PointKind = Literal["commitment", "position", "exchange", "protocol"]
NoteField = Literal["kind", "parties", "deadline"]


@dataclass
class FieldNote:
    """Why one field of a commitment reads as it does ("parties from the subject 'the two
    ministers'"), and whether an officer should look at it first (`weak`).

    `reason` is the English sentence (the CLI, `tracker eval --details` and logs say it); `message`
    is its message id, N_-marked for `make messages`, and `args` the values it is filled with (the
    readout's quoted words stay data in them; a value may be a `Message` itself), so that the
    preview says it in the officer's language (issue 18). Make one with `FieldNote.of`; a note with
    no message id (an older preview's) is said as its English reason."""

    field: NoteField
    reason: str
    weak: bool = False
    message: str = ""
    args: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, on: NoteField, message: str, /, *, weak: bool = False, **args: Any) -> FieldNote:
        """The note on field `on` that says `message` % `args` (its English reason as well)."""
        return cls(on, str(Message(message, args)), weak, message, args)

    def said(self, gettext: Callable[[str], str]) -> str:
        """The reason in the language of `gettext` (which only looks a message id up)."""
        if not self.message:
            return self.reason
        return Message(self.message, self.args).said(gettext)


@dataclass
class ExtractedCommitment:
    """One undertaking inside a point; `quote == text[start:end]` always holds."""

    quote: str
    start: int
    end: int
    action: str
    parties: list[str]
    deadline: DeadlineSpec = field(default_factory=DeadlineSpec)
    # One note per field the extraction decided (parties, deadline); empty for hand-made ones.
    notes: list[FieldNote] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """1.0 when no field is weak, halved for each weak one: the preview lists low ones first."""
        return 0.5 ** sum(1 for n in self.notes if n.weak)


@dataclass
class Flag:
    """A sentence that reads like an undertaking but gave no commitment, kept so that nothing is
    lost silently: the preview shows it as a possible undertaking; `text[start:end] == quote`."""

    quote: str
    start: int
    end: int
    cue: str  # the words that made it read like one ("will continue", "expressed her wish to")
    parties: list[str] = field(default_factory=list)  # its subject's parties, when they resolve


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
    flags: list[Flag] = field(default_factory=list)
    # Why the point has its kind ("'stressed' reads as a position"); weak when no word decided it.
    kind_note: FieldNote | None = None


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
