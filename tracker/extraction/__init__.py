"""Readout extraction: from a document to points, kinds, commitments, parties and deadlines.

One module per stage: `reading` (documents to text), `metadata` (title, meeting date),
`segmentation` (points), `parties` (who), `commitments` (what was undertaken), `classification`
(the kind of each point), `dating` (deadline words, with the grammar in `tracker.deadlines`), and
`pipeline` to run them in order. The words each stage reads are a language's grammar: one
subpackage per language (`en/`, `ja/`) behind the interface in `language`. Stages are imported
lazily so that `tracker.deadlines` can use
the types here without an import cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tracker.extraction.errors import ExtractionError
from tracker.extraction.types import (
    DeadlineSpec,
    ExtractedCommitment,
    ExtractedPoint,
    ExtractedReadout,
)

if TYPE_CHECKING:
    from tracker.deadlines import DeadlineSettings

__all__ = [
    "DeadlineSpec",
    "ExtractedCommitment",
    "ExtractedPoint",
    "ExtractedReadout",
    "ExtractionError",
    "extract",
    "read_document",
]


def extract(
    text: str,
    meeting_date: dt.date | None = None,
    settings: DeadlineSettings | None = None,
    *,
    publisher: str | None = None,
    language: str | None = None,
) -> ExtractedReadout:
    """Run the whole pipeline on decoded text; raises ExtractionError only for empty text or no points.

    `publisher` is who published the readout ("Ministry of Foreign Affairs of Japan", "The White
    House", "Prime Minister's Office, 10 Downing Street"), as typed at ingest. It names the home
    party, which fills in officials written by title alone and joins "the two leaders"; without
    it the parties come from the text only. `language` ("en", "ja") picks the grammar; None
    detects it from the text.
    """
    from tracker.extraction.pipeline import run

    return run(text, meeting_date, settings, publisher=publisher, language=language)


def read_document(data: bytes, filename: str) -> str:
    """Plain text of a .txt/.html/.docx/.pdf document; ExtractionError when it cannot be read."""
    from tracker.extraction.reading import read_document as _read

    return _read(data, filename)
