"""How much of a document extraction reads before it refuses it (issue 19: hostile documents).

Each limit is a setting (`tracker.config`, the README's settings table). A document over one is
refused with a message that says what it has and what the limit is, before the costly part:
a .docx's parts are measured from the zip's directory before any is inflated, a PDF's pages are
counted before any is read, a text's characters before it is segmented.

Measured before the limits (issue 19): a 46 KB .docx of 100,000 paragraphs read for 106 s, a
.docx whose document.xml inflates to 1.7 GB grew the server to 7.6 GiB, a 4.8 MB PDF of 30,000
pages took 38 s and 843 MiB, a page of 75 MB of content ran for minutes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadingLimits:
    """The most a readout may hold; the defaults are far above any real readout."""

    # A readout is a few pages; a long joint statement perhaps 40.
    max_pdf_pages: int = 200
    # Decoded content-stream bytes of one PDF page; a dense page of text is ~20 KB.
    max_pdf_page_bytes: int = 1_000_000
    # Body paragraphs of a .docx (empty ones included): ~3,000 for a 100-page document.
    max_docx_paragraphs: int = 20_000
    # What the parts of a .docx inflate to, together; a 100-page document's XML is ~2 MB.
    max_docx_inflated_bytes: int = 30_000_000
    # Inflated to compressed size of any one part; Word's XML compresses ~5 to 20 times.
    max_zip_ratio: int = 100
    # Characters of the text, read or pasted: a long readout is ~50,000.
    max_characters: int = 300_000
    max_points: int = 1_000
    max_commitments: int = 1_000


DEFAULT_LIMITS = ReadingLimits()


def over(what: str, count: int, unit: str, limit: int) -> str:
    """The refusal: over("this document has", 30000, "pages", 200) is
    "this document has 30,000 pages; the limit is 200"."""
    return f"{what} {count:,} {unit}; the limit is {limit:,}"
