"""Cutting a Japanese readout into points.

Points are numbered 「1 」「1.」「(1)」「1)」「①」 or bulleted 「- 」「・」「•」; the style of the first
marker is the points' style, and items of another style are sub-items of the point above them
(「(1)」 under 「1 日EU戦略的パートナーシップ(SPA)」 or under a bullet, as the labels have it).
A press release often wraps the whole body in one list item (「1. 本21日…」 then 「1 …」「2 …」):
a lone top-level item holding a list of its own is a wrapper, and the inner items are the points.
The dateline, the lead (「…概要は以下のとおりです。」) and site furniture (「このページのトップへ
戻る」, 「…へ戻る」, 「関連リンク」, 「英語版」) are not points; an unnumbered short label between
items is the section of the points below it. Unnumbered readouts are read paragraph by paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.extraction.ja.text import shadow
from tracker.extraction.types import Segment

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_KANJI_NUMBERS = "一二三四五六七八九十"
_MARKER = re.compile(
    r"(?P<bullet>[-•・●○■□◆◇▪*]\s*)?"
    r"(?:(?P<paren>\((?P<pn>\d{1,2}|[a-zア-ン]|[一二三四五六七八九十]{1,2})\))"
    r"|(?P<rparen>(?P<rn>\d{1,2}|[a-z])\))"
    r"|(?P<dot>(?P<dn>\d{1,2})[.．](?!\d))"
    r"|(?P<space>(?P<sn>\d{1,2}|[一二三四五六七八九十]{1,2})(?=\s|\(\d{1,2}\))(?!\s*(?:年|月|時|分|か国|カ国|日(?![\u4e00-\u9fffA-Za-z]))))"
    rf"|(?P<circled>[{_CIRCLED}]))?"
)
# Site furniture: never a point, and it ends the point before it.
_FURNITURE = re.compile(
    r"^(?:このページのトップへ戻る|ページの?トップへ|.{0,30}へ戻る$|関連リンク|関連情報|英語版|English$|"
    r"印刷|ツイート|シェア|(?:\(|【|\[)?参考(?:\)|】|\])?$|(?:\(|【)?写真(?:\)|】)?)"
)
_LEAD_END = re.compile(
    r"(?:概要|要旨)は?(?:以下|次)の?とおり(?:です|であります)?。?\s*$|以下のとおり(?:です)?。?\s*$"
)
_DATELINE = re.compile(
    r"^(?:(?:令和|平成|昭和)\s*(?:元|\d{1,2})|(?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"
)
_TERMINAL = re.compile(r"[。.!?]\s*$")


@dataclass
class _Line:
    start: int
    end: int
    text: str  # the shadow text of the line, stripped


@dataclass
class _Mark:
    line: int
    style: str
    number: str
    body_start: int  # offset in the text where the item's words begin


def _lines(s: str, start: int) -> list[_Line]:
    lines = []
    pos = start
    for raw in s[start:].split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def _marker_at(s: str, pos: int, end: int) -> tuple[str, str, int] | None:
    """(style, number, where the words begin) for a marker at s[pos:end], else None."""
    m = _MARKER.match(s, pos, end)
    if not m or not m.group():
        return None
    if m.group("paren"):
        style, number = "paren", m.group("paren")
    elif m.group("rparen"):
        style, number = "rparen", m.group("rn")
    elif m.group("dot"):
        style, number = "dot", m.group("dn")
    elif m.group("space"):
        sn = m.group("sn")
        style, number = ("kanji" if sn[0] in _KANJI_NUMBERS else "space"), sn
    elif m.group("circled"):
        style, number = "circled", m.group("circled")
    else:
        bullet = m.group("bullet").strip()
        # 「・」 opens a list item only when followed by a space or a full item, not 「・ASEAN…」 inline.
        style, number = "bullet", bullet
    words = m.end()
    while words < end and s[words] in " \t\u3000":
        words += 1
    if words >= end:
        return None
    if style == "bullet" and m.group("bullet") and words < end:
        # 「- (1)北朝鮮…」: a numbered sub-item written under a bullet.
        inner = _marker_at(s, words, end)
        if inner is not None and inner[0] != "bullet":
            return inner
    return style, number, words


def _is_label(line: str) -> bool:
    """A short heading such as 「北朝鮮」 or 「日EU戦略的パートナーシップ(SPA)」, not a sentence."""
    return 0 < len(line) <= 30 and not _TERMINAL.search(line) and not line.endswith((",", "、", ":"))


def segment(text: str, body_start: int) -> list[Segment]:
    """The points of text[body_start:], in order."""
    s = shadow(text)
    lines = _lines(s, body_start)
    marks: list[_Mark] = []
    for i, line in enumerate(lines):
        if not line.text or _FURNITURE.match(line.text):
            continue
        found = _marker_at(s, line.start, line.end)
        if found is not None:
            marks.append(_Mark(i, found[0], found[1], found[2]))
    if not marks:
        return _prose(s, lines)
    top = marks[0].style
    top_marks = [m for m in marks if m.style == top]
    if len(top_marks) == 1 and not _is_label(s[top_marks[0].body_start : lines[top_marks[0].line].end]):
        # A lone item holding a list of its own wraps the points (「1. 本21日…概要は以下のとおり
        # です。」 then 「1 …」「2 …」); a lone heading (「1 冒頭」 over 「(1)」「(2)」) is one point.
        inner = _inner_marks(s, lines, marks, top_marks[0])
        if inner:
            marks = inner
            top = inner[0].style
    return _numbered(lines, marks, top)


def _inner_marks(s: str, lines: list[_Line], marks: list[_Mark], wrapper: _Mark) -> list[_Mark]:
    """The items inside a lone wrapping item: a marker right after the wrapper's own, or the
    marked lines below it, when there are at least two of one style."""
    inner: list[_Mark] = []
    line = lines[wrapper.line]
    same_line = _marker_at(s, wrapper.body_start, line.end)
    if same_line is not None:
        inner.append(_Mark(wrapper.line, same_line[0], same_line[1], same_line[2]))
    inner.extend(m for m in marks if m.line > wrapper.line)
    if not inner:
        return []
    style = inner[0].style
    if sum(1 for m in inner if m.style == style) < 2:
        return []
    return inner


def _numbered(lines: list[_Line], marks: list[_Mark], top: str) -> list[Segment]:
    by_line = {m.line: m for m in marks}
    first_line = marks[0].line
    segments: list[Segment] = []
    current: Segment | None = None
    section: str | None = None
    for i, line in enumerate(lines):
        if i < first_line or not line.text:
            continue
        if _FURNITURE.match(line.text):
            current = None
            continue
        mark = by_line.get(i)
        if mark is not None and mark.style == top:
            current = Segment(mark.number, len(segments) + 1, line.start, line.end, section)
            segments.append(current)
            continue
        if (
            mark is None
            and current is not None
            and _is_label(line.text)
            and _next_is_top(lines, by_line, i, top)
        ):
            # An unnumbered label between items heads the points below it.
            section = line.text
            current = None
            continue
        if current is not None:
            current.end = line.end
    return segments


def _next_is_top(lines: list[_Line], by_line: dict[int, _Mark], i: int, top: str) -> bool:
    for j in range(i + 1, len(lines)):
        if lines[j].text:
            mark = by_line.get(j)
            return mark is not None and mark.style == top
    return False


def _prose(s: str, lines: list[_Line]) -> list[Segment]:
    """Paragraphs (blank-line or line separated) after the dateline and the lead."""
    segments: list[Segment] = []
    block: list[_Line] = []

    def flush() -> None:
        if not block:
            return
        start, end = block[0].start, block[-1].end
        body = s[start:end]
        block.clear()
        if _DATELINE.match(body) or _LEAD_END.search(body) or _FURNITURE.match(body):
            return
        if "\n" not in body and _is_label(body) and not re.search(r"[。]", body):
            return
        segments.append(Segment(str(len(segments) + 1), len(segments) + 1, start, end, None))

    for line in lines:
        if not line.text:
            flush()
            continue
        # A finished sentence ends a paragraph: MOFA puts each paragraph on a line of its own.
        if block and _TERMINAL.search(block[-1].text):
            flush()
        block.append(line)
    flush()
    return segments
