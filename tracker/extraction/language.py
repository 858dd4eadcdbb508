"""One pipeline, one grammar per language: the stage interface every language implements.

A language is a subpackage of `tracker.extraction` named by its ISO 639-1 code (`en/`, `ja/`)
whose `GRAMMAR` implements `Grammar`. The pipeline (`tracker.extraction.pipeline`) runs the same
stages in the same order for every language and hands the same types on (`types.py`); only the
words differ. Adding a third language is a new folder with a `GRAMMAR`: nothing here or in the
pipeline changes, since the languages are found by listing the package's subpackages.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tracker.extraction.errors import ExtractionError
from tracker.extraction.types import ExtractedCommitment, FieldNote, PointKind, Segment

if TYPE_CHECKING:
    from tracker.deadlines import DeadlineSettings, DeadlineSpec

DEFAULT_LANGUAGE = "en"
_CODE = re.compile(r"^[a-z]{2}$")


class Grammar(Protocol):
    """The language-specific half of every stage; the pipeline holds the other half.

    Two stages are optional, and the pipeline calls them when a grammar has them (English does):
    `flags(text, participants, segment, commitments) -> list[Flag]`, the possible undertakings
    that gave no commitment, and `kind_note(text, segment, has_commitments) -> FieldNote`, why a
    point has its kind.
    """

    def undertaking(
        self, text: str, start: int, end: int, meeting_date: dt.date | None, settings: DeadlineSettings
    ) -> tuple[str, DeadlineSpec, FieldNote | None]:
        """The action, deadline (and why, when the grammar says) of words the officer makes a
        commitment: a possible undertaking (a flag) taken in the preview."""
        ...

    code: str
    name: str

    def script_share(self, text: str) -> float:
        """How much of the text is written the way this language is written (0..1), for detection."""
        ...

    def title_of(self, text: str) -> tuple[str | None, int]:
        """metadata: the title line and the offset where the body starts."""
        ...

    def segment(self, text: str, body_start: int) -> list[Segment]:
        """segmentation: the points of the body, in order, disjoint."""
        ...

    def meeting_date_of(
        self, text: str, body_start: int, segments: list[Segment]
    ) -> tuple[dt.date | None, str]:
        """metadata: the meeting's date and its basis ("stated", or a message asking for --date)."""
        ...

    def participants(
        self, text: str, title: str | None, body_start: int, segments: list[Segment], publisher: str | None
    ) -> object:
        """parties: the meeting's parties and people, opaque to the pipeline, handed back below."""
        ...

    def commitments(
        self,
        text: str,
        participants: object,
        segment: Segment,
        meeting_date: dt.date | None,
        settings: DeadlineSettings,
    ) -> list[ExtractedCommitment]:
        """commitments and dating: the undertakings of one point, each with its deadline words."""
        ...

    def classify(self, text: str, segment: Segment, has_commitments: bool) -> PointKind:
        """classification: the kind of one point."""
        ...

    def event_aliases(self, name: str) -> list[str]:
        """Other names of an event named in this language (its English name), for the registry."""
        ...


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """The language codes that have a grammar folder, sorted."""
    return tuple(
        sorted(
            info.name
            for info in pkgutil.iter_modules([str(Path(__file__).parent)])
            if info.ispkg and _CODE.match(info.name)
        )
    )


@cache
def grammar_for(code: str) -> Grammar:
    """The grammar of language `code`; ExtractionError for a language we cannot read."""
    if code not in available_languages():
        raise ExtractionError(
            f"no grammar for language {code!r}; known languages: {', '.join(available_languages())}"
        )
    module = importlib.import_module(f"tracker.extraction.{code}")
    grammar: Grammar = module.GRAMMAR
    return grammar


def detect_language(text: str) -> str:
    """The language a readout is written in, from the scripts it uses.

    Scripts settle it for the languages we read: kana occur in Japanese only, and a Japanese
    readout is about half kanji and kana even with English names and titles in parentheses.
    A statistical detector (langdetect, lingua) would add a model to the install and still be
    told apart by the same characters; it is worth it only when two languages share a script.
    """
    sample = text[:5000]
    best, best_share = DEFAULT_LANGUAGE, 0.0
    for code in available_languages():
        share = grammar_for(code).script_share(sample)
        if share > best_share:
            best, best_share = code, share
    return best


def event_aliases(name: str) -> list[str]:
    """Every other name an event is known by in the languages we read (e.g. its English name)."""
    aliases: list[str] = []
    for code in available_languages():
        for alias in grammar_for(code).event_aliases(name):
            if alias != name and alias not in aliases:
                aliases.append(alias)
    return aliases
