"""Sentence boundaries inside a point, aware of the abbreviations readouts are full of.

Offsets are kept everywhere so that every quote can be cut straight out of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Tokens that end in a full stop without ending a sentence ("U.S. Forces", "Mr. Kono",
# "Antony J. Blinken", "5:00 p.m. (local time)").
_ABBREVIATIONS = _wordset(
    """mr ms mrs dr st no jr sr h.e hon u.s u.k u.n e.u p.m a.m jan feb mar apr jun jul aug sep sept
    oct nov dec gen lt col co inc vs e.g i.e approx etc r.o.k d.p.r.k u.s.a prof rep sen gov amb rt
    h.r.h h.m h.h"""
)

# A full stop glued to the next sentence ("between the countries.The interlocutors agreed"), as
# copies of releases that joined two paragraphs print it: a word of three lowercase letters or more
# before the stop and a capitalised word after it ("U.S.", "e.g.", "St.Petersburg" and domain
# names are not of that shape).
_END = re.compile(r"[.!?]['\"”’)]*(?=\s)|(?<=[a-z]{3})\.(?=[A-Z][a-z])|\n")
# A line that stops mid-sentence: eight or more words and no closing punctuation.
_RUNS_ON = re.compile(r"(?:\S+[ \t]+){7,}[\w,’'\-]+[ \t]*$")
_MARKER_START = re.compile(r"[•·▪●◦‣*\-–—(]|\w{1,2}[.)]\s")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_LIST_MARKER_ONLY = re.compile(r"\s*(?:[•\-*]\s*)?\(?\w{1,3}[.)]")
# The longest sentence kept whole. Every stage reads a sentence once per verb in it, so a
# "sentence" of 10 KB without a full stop (hostile, or a table pasted flat) cost seconds per
# kilobyte, cubic in its length (issue 19: 1 MB on one line, over 150 s); cut longer ones at
# a space. A long sentence of a real readout is ~600 characters.
MAX_SENTENCE_CHARS = 2000


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split text[start:end] into sentences; each span is trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    for m in _END.finditer(text, start, end):
        if m.group() == "\n" and _RUNS_ON.search(text, max(start, m.start() - 80), m.start()):
            following = text[m.end() : m.end() + 3].lstrip(" \t")
            if following and not following[0].isdigit() and not _MARKER_START.match(following):
                # A line wrapped at a width: the sentence runs on ("... today to\ndiscuss ...").
                continue
        if m.group() != "\n" and m.group()[0] == ".":
            before = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start() + 1)
            if before:
                word = before.group(1).lower()
                if word in _ABBREVIATIONS or len(word) == 1:
                    continue
            # A lowercase word after the stop means the sentence goes on ("approx. 15 minutes").
            nxt = m.end()
            while nxt < end and text[nxt] in " \t":
                nxt += 1
            if nxt < end and text[nxt].islower():
                continue
            # A list marker ("1.") is not a sentence of its own.
            # (Matched in place: slicing text[cursor:] on every stop is quadratic in a long run.)
            if _LIST_MARKER_ONLY.fullmatch(text, cursor, m.end()):
                continue
        _add(text, spans, cursor, m.end())
        cursor = m.end()
    _add(text, spans, cursor, end)
    return spans


def _add(text: str, spans: list[Span], s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    while e - s > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", s + MAX_SENTENCE_CHARS // 2, s + MAX_SENTENCE_CHARS)
        cut = cut if cut > s else s + MAX_SENTENCE_CHARS
        spans.append(Span(s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        spans.append(Span(s, e))
