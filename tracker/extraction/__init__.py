"""Readout extraction: from a document to points, kinds, commitments, parties and deadlines.

One pipeline, a grammar per language. Shared by every language: `reading` (documents to text),
`limits`, `types` (what every stage hands on), `language` (the stage interface, `Grammar`, and
detection), `pipeline` (the stages in order), `evaluation`, and the due-date resolution against
the event registry in `tracker.deadlines`. What is language-specific (the trigger grammar, party
words, time words, segmentation marks) lives in one subpackage per language, `en/` and `ja/`,
each with a module per stage and a `GRAMMAR`; a third language is a new folder.
"""

from __future__ import annotations

from tracker.extraction.errors import ExtractionError
from tracker.extraction.pipeline import extract
from tracker.extraction.reading import read_document
from tracker.extraction.types import (
    DeadlineSpec,
    ExtractedCommitment,
    ExtractedPoint,
    ExtractedReadout,
)

__all__ = [
    "DeadlineSpec",
    "ExtractedCommitment",
    "ExtractedPoint",
    "ExtractedReadout",
    "ExtractionError",
    "extract",
    "read_document",
]
