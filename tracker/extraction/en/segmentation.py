"""Cutting a readout into points: numbered items, bullets, or the paragraphs of a prose readout.

The title, datelines, attribution lines ("As stated by ...") and closing lines ("Back to ...")
are not points. Sub-headings such as "(3) Economy" become the section of the points below them;
sub-items of another numbering style ("(1)" under "3.") stay inside their point.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_MARKER = re.compile(
    # Bullets as ministries type them, Korea's "o" and "□" among them.
    r"(?P<bullet>(?:[•·▪●◦‣*\-–—○□■▶►➢➤]|o(?=\s+[A-Z]))\s*)?"
    r"(?:(?P<paren>\((?P<pn>\d{1,2}|[ivx]{1,4}|[a-z])\))|(?P<rparen>(?P<rn>\d{1,2}|[a-z])\))|(?P<dot>(?P<dn>\d{1,2})\.))?"
    r"(?=\s)"
)
_CLOSING = re.compile(
    r"^(?:back\s+to\b|page\s+top\b|related\s+(?:links|information|articles)\b|\(reference\)|\[reference\]|"
    r"share\b|print\b|tweet\b|follow\s+us\b|see\s+also\b|"
    # A release's sign-off ("Respectfully announced to the public!").
    r"respectfully\s+(?:announced|submitted|informed)\b|"
    # Page furniture after the body: rights, language versions, contacts, feedback, translation notes.
    r"click\s+here\b|(?:copyright\b|©)|all\s+rights\s+reserved\b|"
    r"(?:this\s+)?(?:press\s+release|page|statement|document|readout)\s+is\s+(?:also\s+)?available\s+in\b|"
    r"for\s+(?:more|further)\s+information\b|was\s+this\s+page\s+helpful\b|report\s+a\s+problem\b|"
    r"\(?(?:\*\s*)?(?:this\s+is\s+an?\s+)?(?:provisional|unofficial)\s+translation\b|"
    r"the\s+original\s+(?:text\s+)?is\s+(?:written\s+)?in\s+[A-Z]\w+\.?$)",
    re.IGNORECASE,
)
# Where the body ends: what follows ("ENDS", "###", "- 30 -", "Notes to editors", "Media contacts")
# is for the press, never a point.
_END_OF_BODY = re.compile(
    r"^(?:#{3,}|-+\s*30\s*-+|-*\s*ends\s*-*|notes?\s+(?:to|for)\s+editors?|media\s+(?:contacts?|enquiries|"
    r"inquiries|relations)|associated\s+links|related\s+(?:links|products|content))\s*:?$",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"^(?:as\s+stated\s+by\b|the\s+following\s+is\s+attributable\b|readout\b|press\s+release\b|"
    r"for\s+immediate\s+release\b|office\s+of\s+the\s+spokesperson\b|date\b|\(provisional\s+translation\))",
    re.IGNORECASE,
)
# A spokesperson's introduction ("Spokesperson X issued the following statement today", "Below is
# the readout of ..."): it presents the readout and is no point of it.
_ANNOUNCEMENT = re.compile(
    r"\b(?:issued|released|made|gave|delivered|published|provided)\s+the\s+following\s+"
    r"(?:statement|readout|remarks|press\s+release|read-out|summary)\b"
    r"|^(?:the\s+following\s+(?:statement|readout|remarks|is\s+(?:a|the)\s+(?:statement|readout|read-out))|"
    r"below\s+is\s+(?:a|the)\s+(?:statement|readout|read-out)|"
    r"(?:statement|readout)\s+(?:by|from)\s+(?:the\s+)?(?:\w+\s+){0,4}?spokes(?:person|man|woman)\b)"
    # "Press statement on the phone call between ... is as follows:".
    r"|^(?:(?:press|joint|official)\s+)?(?:statement|readout|read-out|release|summary)\b[^:]{0,300}?\b(?:is|are|reads?)\s+"
    r"as\s+follows\s*[:.]?$",
    re.IGNORECASE,
)
# A closing block names the ministry, the place and the day, each on its own line, sometimes with
# a full stop ("Ministry of Foreign Affairs of Japan.", "New Delhi, 4 March 2025."): a name or a
# dateline, not a sentence.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATELINE = re.compile(
    rf"(?:[A-Z][\w.'’\- ]{{0,40}},?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?),?\s+\d{{4}}\.?",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(r"(?:(?:[A-Z][\w'’&\-]*|of|and|the|for|on|de|&),?\s+){0,11}[A-Z][\w'’\-]*\.?")
_ORGANISATION = re.compile(
    r"\b(?:Ministry|Department|Office|Embassy|Affairs|Government|Mission|Commission|Secretariat|"
    r"Spokesperson|Presidency|Council|Chancellery|Cabinet)\b"
)
# A separator of dots, stars or dashes (". . . . .", "* * *", "---") has no words.
_NO_WORDS = re.compile(r"[^\w]*")
_TERMINAL = re.compile(r"[.!?。]['\"”’)\]]*$")
_WORD = re.compile(r"\S+")


@dataclass
class Line:
    start: int  # first non-blank character
    end: int  # after the last non-blank character
    text: str


@dataclass
class Segment:
    number: str
    order: int
    start: int
    end: int
    section: str | None


def _lines(text: str, start: int) -> list[Line]:
    lines = []
    pos = start
    for raw in text[start:].split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            s = pos + lead
            lines.append(Line(s, s + len(stripped), stripped))
        else:
            lines.append(Line(pos, pos, ""))
        pos += len(raw) + 1
    return lines


def _marker(line: Line) -> tuple[str, str, int] | None:
    """(style, number as printed, length of the marker) for a line that opens with one."""
    m = _MARKER.match(line.text)
    if not m or not m.group():
        return None
    if m.group("paren"):
        style = "paren-alpha" if m.group("pn").isalpha() else "paren"
        number = m.group("paren")
    elif m.group("rparen"):
        style = "rparen-alpha" if m.group("rn").isalpha() else "rparen"
        number = m.group("rparen")[:-1]
    elif m.group("dot"):
        style = "dot"
        number = m.group("dn")
    else:
        if line.text[0] == "-" and len(line.text) > 1 and not line.text[1].isspace():
            return None
        style = "bullet"
        number = m.group("bullet").strip()
    length = m.end()
    while length < len(line.text) and line.text[length].isspace():
        length += 1
    return style, number, length


def _is_heading(body: str) -> bool:
    """A short label such as "Economy" or "Regional affairs" rather than a sentence."""
    words = _WORD.findall(body)
    if body[:1].islower() or re.search(r"\b(?:and|or)$", body):
        # "(2) to hold the next dialogue in Ottawa; and": an item of a list going on, no label.
        return False
    return 0 < len(words) <= 8 and not _TERMINAL.search(body) and not body.endswith((",", ";", ":"))


def is_header_line(text: str) -> bool:
    """Lines around the body that are not points: datelines, labels, attributions, separators."""
    words = _WORD.findall(text)
    if _ATTRIBUTION.match(text) or _CLOSING.match(text) or (text.endswith(":") and len(words) < 20):
        return True
    if _NO_WORDS.fullmatch(text) or (len(words) <= 40 and _ANNOUNCEMENT.search(text)):
        return True
    if _DATELINE.fullmatch(text) or (
        _NAME_LINE.fullmatch(text) and (len(words) <= 4 or _ORGANISATION.search(text))
    ):
        return True
    if not _TERMINAL.search(text) and len(words) < 30 and _title_cased(words):
        # A long headline or subtitle ("Secretary Blinken's Call with French Foreign Minister Le
        # Drian and German Foreign Minister Maas"): capitalised words and no closing stop.
        return True
    if _TERMINAL.search(text):
        return False
    # A sentence that lost its full stop ("The leaders agreed to speak again soon") is no label:
    # six words or more, most of them lowercase.
    lowercase = sum(1 for w in words if w[0].islower() and len(w) >= 3)
    return len(words) < 12 and not (len(words) >= 6 and lowercase * 2 >= len(words))


_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "via",
        "vs",
        "between",
        "during",
        "about",
        "after",
        "before",
    ]
)


def _title_cased(words: list[str]) -> bool:
    """Whether every word but the small ones starts with a capital (or a digit)."""
    major = [w for w in words if w.lower().strip("(),.;:–—-") not in _MINOR_WORDS]
    return bool(major) and all(w[0].isupper() or w[0].isdigit() or not w[0].isalnum() for w in major)


def segment(text: str, body_start: int) -> list[Segment]:
    """Points of the readout body (text[body_start:]), in order."""
    lines = _lines(text, body_start)
    for i, line in enumerate(lines):
        if _END_OF_BODY.match(line.text):
            lines = lines[:i]
            break
    marked: list[tuple[int, str, str, bool]] = []
    for i, line in enumerate(lines):
        if not line.text:
            continue
        mk = _marker(line)
        if mk is None:
            continue
        style, number, length = mk
        body = line.text[length:]
        if style == "bullet" and body[:1].islower() and _after_colon(lines, i, marked):
            # "They agreed to:\n- deepen cooperation ...;\n- work together ...": the bullets finish
            # the sentence before the colon, and are no points of their own.
            continue
        heading = _is_heading(body) and not _continues(lines, i)
        marked.append((i, style, number, heading))
    items = [m for m in marked if not m[3]]
    if not items and _headed_items(lines, marked):
        # "1. Opening Remarks" on its own line with the item's prose right below it (the Kantei's
        # layout): each numbered heading opens an item, and the lead paragraph above is no point.
        marked = [(i, style, number, False) for i, style, number, _heading in marked]
        items = marked
    if items:
        return _numbered(lines, marked, items[0][1])
    return _prose(text, lines)


def _after_colon(lines: list[Line], i: int, marked: list[tuple[int, str, str, bool]]) -> bool:
    """Whether line i follows a line ending with ":" or a bullet that itself finishes one."""
    for j in range(i - 1, -1, -1):
        if not lines[j].text:
            continue
        if lines[j].text.endswith(":"):
            return True
        mk = _marker(lines[j])
        return (
            mk is not None
            and mk[0] == "bullet"
            and lines[j].text[mk[2] :][:1].islower()
            and all(m[0] != j for m in marked)
        )
    return False


def _headed_items(lines: list[Line], marked: list[tuple[int, str, str, bool]]) -> bool:
    """Whether every marked line is a numbered heading of one style, counting 1, 2, ..., with
    unmarked prose on the very next line (no blank line between): headed items, not sub-headings."""
    if len(marked) < 2 or len({style for _i, style, _n, _h in marked}) != 1:
        return False
    if [number.strip("()") for _i, _s, number, _h in marked] != [str(k) for k in range(1, len(marked) + 1)]:
        return False
    marked_lines = {i for i, _s, _n, _h in marked}
    for i, _style, _number, _heading in marked:
        if i + 1 >= len(lines) or not lines[i + 1].text or i + 1 in marked_lines:
            return False
        if is_header_line(lines[i + 1].text) or len(_WORD.findall(lines[i + 1].text)) < 8:
            return False
    return True


def _continues(lines: list[Line], i: int) -> bool:
    """Whether the sentence on line i goes on in the next non-blank line (lowercase start)."""
    for line in lines[i + 1 :]:
        if line.text:
            return line.text[0].islower()
    return False


def _numbered(lines: list[Line], marked: list[tuple[int, str, str, bool]], top: str) -> list[Segment]:
    info = {i: (style, number, heading) for i, style, number, heading in marked}
    segments: list[Segment] = []
    section: str | None = None
    current: Segment | None = None
    for i, line in enumerate(lines):
        if not line.text:
            continue
        if _CLOSING.match(line.text):
            current = None
            continue
        if i in info:
            style, number, heading = info[i]
            introduces_list = current is not None and lines_text_ends_with_colon(lines, current, i)
            if heading and not introduces_list:
                section = line.text
                current = None
                continue
            if style == top and not heading:
                current = Segment(number, len(segments) + 1, line.start, line.end, section)
                segments.append(current)
                continue
        if current is not None:
            if (
                i not in info
                and _is_heading(line.text)
                and len(_WORD.findall(line.text)) <= 5
                and not _continues(lines, i)
            ):
                # An unmarked short label between items is a sub-heading, not content.
                section = line.text
                current = None
                continue
            current.end = line.end
    return segments


def lines_text_ends_with_colon(lines: list[Line], current: Segment, i: int) -> bool:
    """Whether the point before line i ends with ":" (so the next short items are its list)."""
    for line in reversed(lines[:i]):
        if line.text:
            return line.text.endswith(":")
    return False


def _hard_wrapped(lines: list[Line]) -> bool:
    """Whether the text is wrapped at a fixed width (copied from a PDF or an email): many lines
    run on into the next one mid-sentence, and only blank lines end paragraphs."""
    pairs = [(a, b) for a, b in itertools.pairwise(lines) if a.text and b.text]
    running_on = sum(1 for a, _b in pairs if not _TERMINAL.search(a.text) and not a.text.endswith(":"))
    return running_on >= 3 and running_on * 2 >= len(pairs)


def _finishes_list(block: list[Line], line: Line) -> bool:
    """Whether `line` is a lowercase bullet of a list the block's colon opened."""
    mk = _marker(line)
    if mk is None or mk[0] != "bullet" or not line.text[mk[2] :][:1].islower():
        return False
    return any(earlier.text.endswith(":") for earlier in block)


def _prose(text: str, lines: list[Line]) -> list[Segment]:
    paragraphs: list[tuple[int, int]] = []
    block: list[Line] = []
    wrapped = _hard_wrapped(lines)

    def flush() -> None:
        if block:
            paragraphs.append((block[0].start, block[-1].end))
            block.clear()

    for line in lines:
        if not line.text:
            flush()
            continue
        # Hard-wrapped paragraphs continue on the next line; a finished sentence ends one, unless
        # the whole text is wrapped at a width (a line may end where a sentence does).
        # Lowercase bullets after a colon finish the sentence the colon opened.
        listed = _finishes_list(block, line)
        if block and _TERMINAL.search(block[-1].text) and not wrapped and not listed:
            flush()
        if (
            block
            and is_header_line(block[-1].text)
            and not line.text[0].islower()
            and not wrapped
            and not listed
        ):
            flush()
        block.append(line)
    flush()
    segments: list[Segment] = []
    for start, end in paragraphs:
        para = text[start:end]
        if _CLOSING.match(para) or _NO_WORDS.fullmatch(para):
            continue
        if is_header_line(para) and "\n" not in para:
            continue
        if "\n" in para and all(is_header_line(ln.strip()) for ln in para.split("\n") if ln.strip()):
            # A press office's block, line by line ("THE WHITE HOUSE / Office of the Press Secretary /
            # For Immediate Release / May 1, 2024"): labels and a dateline, no point.
            continue
        segments.append(Segment(str(len(segments) + 1), len(segments) + 1, start, end, None))
    return segments
