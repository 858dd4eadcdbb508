"""The readout's original text cut into pieces, so a template can mark each point and quote.

Pieces are plain strings: the template escapes them, no HTML is ever assembled here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class QuoteSpan:
    start: int
    end: int
    label: str  # what the mark is called on the page ("C3", "#12")
    anchor: str  # the id of the element that describes it
    kind: str = "commitment"  # or "flag": a possible undertaking that gave no commitment


@dataclass
class PointSpan:
    order: int
    number: str
    kind: str
    start: int
    end: int
    quotes: list[QuoteSpan] = field(default_factory=list)


@dataclass
class Piece:
    text: str
    quote: QuoteSpan | None = None


@dataclass
class Block:
    """Text between points (point is None) or one point with its pieces."""

    pieces: list[Piece]
    point: PointSpan | None = None


def blocks(text: str, points: list[PointSpan]) -> list[Block]:
    """`text` as blocks in order; overlapping or out-of-range spans are shown as plain text."""
    out: list[Block] = []
    pos = 0
    for point in sorted(points, key=lambda p: p.start):
        if point.start < pos or point.end > len(text) or point.end <= point.start:
            continue
        if point.start > pos:
            out.append(Block([Piece(text[pos : point.start])]))
        pieces: list[Piece] = []
        inner = point.start
        for quote in sorted(point.quotes, key=lambda q: q.start):
            if quote.start < inner or quote.end > point.end or quote.end <= quote.start:
                continue
            if quote.start > inner:
                pieces.append(Piece(text[inner : quote.start]))
            pieces.append(Piece(text[quote.start : quote.end], quote))
            inner = quote.end
        if inner < point.end:
            pieces.append(Piece(text[inner : point.end]))
        out.append(Block(pieces, point))
        pos = point.end
    if pos < len(text):
        out.append(Block([Piece(text[pos:])]))
    return out
