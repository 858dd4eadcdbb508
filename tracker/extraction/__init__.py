"""Readout extraction: from a document to points, kinds, commitments, parties and deadlines.

One module per stage: `reading` (documents to text), `metadata` (title, meeting date),
`segmentation` (points), `parties` (who), `commitments` (what was undertaken), `classification`
(the kind of each point), `dating` (deadline words, with the grammar in `tracker.deadlines`), and
`pipeline` to run them in order. The words each stage reads are a language's grammar: one
subpackage per language (`en/`, `ja/`) behind the interface in `language`.
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
