"""How a due date is resolved: the diplomatic deadline grammar and the event registry lookup.

Readouts give time in a small, formulaic language ("promptly", "ahead of the G7 Summit",
"following the U.S.-North Korea Summit Meeting", "this year", "around mid-February"). This module
turns those words into a `DeadlineSpec` and a spec into a date. dateparser handles calendar
dates themselves, and only ever sees the short candidate phrase with the language set: on a whole
readout it is two orders of magnitude slower.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import threading
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import holidays

DeadlineType = Literal["date", "event", "ongoing", "none"]
Relation = Literal["before", "at", "after"]


@dataclass
class DeadlineSpec:
    """A deadline as written: its type, the words that give the time, and the event it hangs on."""

    type: DeadlineType = "none"
    text: str | None = None
    event: str | None = None
    relation: Relation | None = None
    # For `event` deadlines: days from the event's date to the due date ("promptly after" -> 7,
    # "after" -> 30, "ahead of"/"at" -> 0). Stored so that a moved event date moves the due date.
    offset_days: int = 0
    # For `date` deadlines the date that the words resolve to against the meeting date
    # (None for event/ongoing/none: those are resolved by tracker.deadlines with the registry).
    date: dt.date | None = None
    # For `date` deadlines that a speed word gives ("promptly": +7): the days the tracker added
    # to the meeting date, so that a desk counting working days counts them in its own days
    # (`resolve_due_date`). None for dates the words name ("by 31 March", "within two weeks").
    counted_days: int | None = None


@dataclass
class DeadlineSettings:
    """Days that the speed words and event relations stand for; officers may tune them."""

    promptly_after_event_days: int = 7
    after_event_days: int = 30
    immediately_days: int = 1
    promptly_days: int = 7
    asap_days: int = 30
    early_date_days: int = 30
    review_cadence_days: int = 30


DEFAULT_SETTINGS = DeadlineSettings()

# --- counting days -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayCounter:
    """How the days that the tracker adds are counted ("promptly" +7, an event's offset, the review
    cadence): calendar days, or the working days of a post's country, whose weekend and public
    holidays (the `holidays` package) do not count. Dates that the words themselves name ("by 31
    March", "within two weeks") are calendar dates whatever the desk counts."""

    # ISO 3166-1 alpha-2 of the post when counting its working days; None: calendar days.
    country: str | None = None

    @property
    def working(self) -> bool:
        return self.country is not None

    def add(self, start: dt.date, days: int) -> dt.date:
        """`days` after `start` (before it when negative), in this counter's days."""
        if self.country is None or days == 0:
            return start + dt.timedelta(days=days)
        calendar_of = _country_holidays(self.country)
        # A country's calendar fills in its years lazily (a dict): one thread at a time.
        with _HOLIDAYS_LOCK:
            return calendar_of.get_nth_working_day(start, days)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether `day` counts (every day does in calendar days)."""
        if self.country is None:
            return True
        calendar_of = _country_holidays(self.country)
        with _HOLIDAYS_LOCK:
            return bool(calendar_of.is_working_day(day))

    def __str__(self) -> str:
        return f"working days ({self.country})" if self.country else "calendar days"


CALENDAR_DAYS = DayCounter()
_HOLIDAYS_LOCK = threading.Lock()


@lru_cache(maxsize=64)
def _country_holidays(country: str) -> Any:
    return holidays.country_holidays(country)


def check_country(code: str) -> str:
    """`code` as the ISO 3166-1 alpha-2 code of a country whose holidays are known (upper case);
    ValueError otherwise."""
    code = code.strip().upper()
    if code not in holidays.list_supported_countries():
        raise ValueError(
            f"{code!r} is not a country whose public holidays are known (use ISO codes: JP, US, GB)"
        )
    return code


def day_counter(mode: str, country: str | None) -> DayCounter:
    """The counter for a desk's setting: mode "calendar" or "working" (which needs the country)."""
    if mode == "calendar":
        return CALENDAR_DAYS
    if mode != "working":
        raise ValueError(f"days are counted in calendar or working days, not {mode!r}")
    if not country:
        raise ValueError("working days need the post's country (its weekend and public holidays)")
    return DayCounter(check_country(country))


def review_date(start: dt.date, settings: DeadlineSettings, days: DayCounter = CALENDAR_DAYS) -> dt.date:
    """The next review of an ongoing or open-ended commitment: the cadence after `start`."""
    return days.add(start, settings.review_cadence_days)


# --- events ----------------------------------------------------------------------------------

_EVENT_NOUNS = (
    r"Summit|Summits|SummitMeeting|Meeting|Meetings|Conference|Talks|Dialogue|Consultations|Forum|Session|"
    r"Assembly|Visit|Games|Olympics|Olympic|Paralympics|Expo|Election|Elections|Ministerial|Ministerials|"
    r"Congress|Convention|Symposium|Round|Week|Negotiations|Review|Gathering|Retreat|Ceremony|Inauguration"
)
_EVENT_ACRONYM = r"(?:G7|G8|G20|G-7|G-20|APEC|TICAD(?:\s+\w+)?|COP\s?\d+|UNGA|2\s?\+\s?2|\"?2 plus 2\"?)"
_NAME_TOKEN = r"(?:[A-Z0-9][\w.’'&+]*(?:-[\w.’'&+]+)*|\d+\s?\+\s?\d+)"
_CONNECTOR = r"(?:of|on|and|for|the|de|du|in\s+(?=[A-Z][a-z]+\s+(?:" + _EVENT_NOUNS + r")))"
# Lowercase words that still belong to a capitalised event's name ("the Camp David trilateral summit").
_LOWER_EVENT = (
    r"(?:(?:trilateral|bilateral|quadrilateral|leaders[’']?|ministerial|foreign\s+ministers[’']?|summit|"
    r"economic|strategic|security|annual)\s+)*(?:summit|meeting|conference|dialogue|talks|consultations|forum)\b"
)
_EVENT_NAME = (
    rf"(?P<name>{_NAME_TOKEN}(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_TOKEN})*(?:\s+{_LOWER_EVENT})?)"
    rf"(?:\s+\((?P<paren>[^()]{{1,80}})\))?"
)
_VISIT = (
    r"(?P<visit>(?:(?P<visitor>his|her|their|[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3}[’']s)\s+)?"
    r"(?:(?:upcoming|forthcoming|planned|scheduled|next|official|state|fruitful|successful|productive)\s+)*"
    # "the upcoming visit of the training squadron to Canada": a visit named by its guest.
    # "visiting Japan soon" is the undertaking itself, not a visit named as an anchor.
    r"visit\b(?:\s+of\s+(?P<guest>(?:the\s+|a\s+|an\s+)?(?:[\w.’'\-]+\s+){0,8}?[\w.’'\-]+)"
    r"(?=\s+to\s+(?:the\s+)?[A-Z]))?"
    r"(?:\s+to\s+(?:the\s+)?(?P<place>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?))?)"
)
# An anniversary is an event of its own day ("in the lead-up to the 425th anniversary of exchanges
# next year"), written in lowercase as often as not; the time words after it are not its name.
_ANNIVERSARY = (
    r"(?P<anniv>[Aa]nniversary\s+of\s+[\w.’'\-]+"
    r"(?:\s+(?!(?:next|this|in|and|on|at|with|to|by|for|which|that|between|among)\b)[\w.’'\-]+){0,5})"
)
# A step of one party that other undertakings wait on, named as a clause: "after the UK leaves the EU",
# "once Japan joins the Convention".
_EVENT_CLAUSE = (
    r"(?P<clause>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3}\s+(?:leaves|joins|enters|exits|accedes\s+to|ratifies|"
    r"assumes|takes\s+over)(?:\s+(?:the\s+)?[A-Z][\w.\-]*(?:\s+(?:of\s+)?[A-Z][\w.\-]*){0,5})?)"
)
_BEFORE = (
    r"(?:both\s+)?before\s+and\s+after|ahead\s+of|before|prior\s+to|preparations?\s+for|prepare\s+for|"
    r"look(?:ing|s|ed)?\s+ahead\s+to|in\s+the\s+(?:run|lead)(?:-|\s+)up\s+to|in\s+preparation\s+for|"
    # "heading into the G20", "going into the summit": the time before it.
    r"(?:head(?:s|ed|ing)?|go(?:es|ing)?)\s+into(?=\s+(?:the\s+)?(?:upcoming\s+|next\s+)?[A-Z0-9])|"
    r"in\s+time\s+for|by\s+the\s+time\s+of|toward(?:s)?\s+the\s+success\s+of|for\s+the\s+success\s+of|"
    r"(?:to\s+)?(?:ensure|secure|achieve)\s+(?:the|a)\s+(?:(?:complete|full|great)\s+)?success(?:ful\s+outcome)?\s+of|"
    r"contribut(?:e|es|ed|ing)\s+to\s+the\s+success\s+of|with\s+a\s+view\s+to|"
    # "so as to ensure positive results from the meeting": the results of an event ahead.
    r"(?:ensure|secure|achieve|produce|deliver)\s+(?:positive|concrete|tangible|good|fruitful|substantive)\s+"
    r"(?:results|outcomes?|deliverables)\s+(?:from|of|at|for)|"
    r"to\s+make\s+sure\s+(?:that\s+)?|to\s+make\s+(?=the\s)|"
    r"for\s+(?:a|the)\s+(?:successful|fruitful|productive)\s+(?:outcome|conclusion|holding|hosting)\s+of|"
    r"for\s+(?=(?:a|the)\s+(?:successful|fruitful|productive)\s+visit)|"
    r"to\s+ensure\s+(?:that\s+)?|toward(?:s)?|for(?=\s+(?:the|a)\s+(?:upcoming|forthcoming|next)\s)"
)
_AT = (
    # "looked forward to the upcoming visit of X to Y", "to the G7 Summit": the event itself.
    # "will attend the NATO Foreign Ministers' Meeting": the event itself.
    r"(?P<forward>forward\s+to)|at|on\s+the\s+occasion\s+of|during|attend(?:s|ed|ing)?|participat\w*\s+in|on\s+the\s+(?:sidelines|margins)\s+of|at\s+the\s+time\s+of|"
    r"on\s+the\s+(?:sideline|margin)\s+of|when\s+(?=(?:the|a)\s)|"
    # "take the opportunities of Prime Minister X's scheduled visit to China to deepen cooperation".
    r"(?:take|takes|taking|took|use|using|seize|seizing|make\s+use\s+of)\s+the\s+opportunit(?:y|ies)\s+"
    r"(?:of|offered\s+by|presented\s+by)|"
    # "cooperate closely in the Pacific region, including the Eighth Pacific Islands Leaders Meeting".
    r"including(?:\s+(?:at|during|on\s+the\s+occasion\s+of))?(?=\s+(?:the\s+)?(?:upcoming\s+|next\s+|\d+\w*\s+|"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+)*[A-Z])|"
    # "welcoming X to the UK for the G7 Summit": the event the visit is for.
    r"for\s+(?=the\s+[A-Z0-9])"
)
_AFTER = (
    r"following|after|in\s+the\s+wake\s+of|upon\s+(?:the\s+)?(?:conclusion\s+of\s+)?|subsequent\s+to|once"
)
_ORDINALS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d+(?:st|nd|rd|th)"
)
_EVENT_RE = re.compile(
    # The relation words open a sentence as often as not ("Following the Summit, ..."); the event's
    # name stays case-sensitive.
    rf"\b(?i:(?P<before>{_BEFORE})|(?P<after>{_AFTER})|(?P<at>{_AT}))\s*"
    rf"(?P<det>(?:the|a|an|this|next|its|their)\s+)?"
    rf"(?P<mod>(?:(?:upcoming|forthcoming|planned|scheduled|coming|next|recent|last|previous|historic|successful|"
    rf"fruitful|productive)\s+)*)"
    # An ordinal is part of the event's name ("the second U.S.-North Korea Summit", "the 56th
    # Munich Security Conference"): kept, so that the first and the second summit stay apart.
    rf"(?P<ord>(?:{_ORDINALS})\s+)?"
    rf"(?:{_VISIT}|{_ANNIVERSARY}|{_EVENT_CLAUSE}|{_EVENT_NAME}|(?P<lower>{_LOWER_EVENT}))"
)
_PERIOD_AFTER = re.compile(
    r"\s*(?:Presidency|Presidencies|Chairmanship|Chairship|Chair|Chairs|Year|Term|Mandate)\b", re.IGNORECASE
)
_COMING = re.compile(r"\b(?:upcoming|forthcoming|planned|scheduled|next|coming)\b")
_PAST_MODIFIER = re.compile(r"\b(?:recent|last|previous|historic)\b")
_EVENT_NOUN_RE = re.compile(rf"(?:\b|(?<=[a-z]))(?:{_EVENT_NOUNS})$", re.IGNORECASE)
_ACRONYM_RE = re.compile(rf"^{_EVENT_ACRONYM}$")
_SPEED_IMMEDIATE = re.compile(r"\b(?:immediately|without\s+delay|right\s+away|at\s+once)\b", re.IGNORECASE)
_SPEED_PROMPT = re.compile(
    r"\b(?:promptly|swiftly|quickly|expeditiously|speedily|as\s+soon\s+as\s+possible|soon)\b", re.IGNORECASE
)


def _trim_event_name(name: str) -> str | None:
    """Cut a captured capitalised run back to the event it names, or None if it names none."""
    words = name.split()
    # Stop the name at the last event noun ("G7 Summit in June" -> "G7 Summit").
    for i in range(len(words), 0, -1):
        # A full stop after the name ends the sentence ("... at the G7 Summit."), not the name.
        if words[i - 1].endswith(".") and _EVENT_NOUN_RE.search(words[i - 1].rstrip(".")):
            words[i - 1] = words[i - 1].rstrip(".")
        candidate = " ".join(words[:i])
        last = words[i - 1]
        if _EVENT_NOUN_RE.search(last) or _ACRONYM_RE.match(candidate) or _ACRONYM_RE.match(last):
            while words and words[0].lower() in ("the", "a", "an"):
                words = words[1:]
                i -= 1
            name = " ".join(words[:i]) if i > 0 else ""
            # "the October 23 EU Summit", "the November 3-4 G20 Summit": the event's own date
            # goes before its name, and is no part of it.
            return _LEADING_DATE.sub("", name) or None
    return None


_LEADING_DATE = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+"
    r"\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:,?\s+\d{4})?\s+(?=\S)"
)


@dataclass(frozen=True)
class EventAnchor:
    start: int
    end: int
    name: str
    relation: Relation
    looked_forward: bool = False  # "looked forward to <the event>": no relation word of its own


def find_event_anchor(
    text: str,
    start: int = 0,
    end: int | None = None,
    visit_name: str | None = None,
    referent: str | None = None,
) -> EventAnchor | None:
    """The first future event that text[start:end] ties an action to, with its relation.

    `referent` is the future event the readout named before, which "the meeting" or "the summit"
    with no name of its own refers back to ("the ministerial on 20 May ... to coordinate closely
    ahead of the meeting").
    """
    end = len(text) if end is None else end
    for m in _EVENT_RE.finditer(text, start, end):
        if m.group("mod") and _PAST_MODIFIER.search(m.group("mod")):
            continue
        relation: Relation = (
            "before" if m.group("before") is not None else "after" if m.group("after") is not None else "at"
        )
        forward = m.group("forward") is not None
        if m.group("visit"):
            # A visit with its own place or guest is that visit; a bare "fruitful visit" is the
            # one the point named before.
            own = m.group("place") or m.group("guest")
            name = _visit_name(m) if own else (visit_name or _visit_name(m))
            if m.group("after") is not None and m.group("after").startswith("once"):
                continue
            return EventAnchor(m.start(), m.end(), name, relation, forward)
        if m.group("lower"):
            # "toward the upcoming summit": an event by its kind, only when said to be coming.
            if not _COMING.search(m.group("mod") or ""):
                if referent and (m.group("det") or "").strip().lower() == "the" and not m.group("mod"):
                    return EventAnchor(m.start(), m.end("lower"), referent, relation, forward)
                continue
            return EventAnchor(
                m.start(), m.end("lower"), re.sub(r"\s+", " ", m.group("lower")), relation, forward
            )
        if m.group("clause"):
            if m.group("at") is not None:
                continue  # "including the UK joins ..." is no clause of time
            name = re.sub(r"\s+", " ", m.group("clause"))
            return EventAnchor(m.start(), m.end("clause"), name, relation, forward)
        if m.group("anniv"):
            name = re.sub(r"\s+", " ", (m.group("ord") or "") + m.group("anniv")).rstrip(".,")
            return EventAnchor(
                m.start(), m.start("anniv") + len(m.group("anniv").rstrip(".,")), name, relation, forward
            )
        raw = m.group("name")
        trimmed = _trim_event_name(raw)
        if not trimmed:
            continue
        if _PERIOD_AFTER.match(raw, _find_end(raw, trimmed)):
            # "during the UK's G7 Presidency": a presidency or a year is a period, not an event.
            continue
        name_end = m.start("name") + _find_end(raw, trimmed)
        if not m.group("det") and _GENERIC_AFTER.match(text, name_end):
            # "at G8 meetings and other places": a kind of occasion, not one event.
            continue
        if m.group("ord"):
            trimmed = m.group("ord") + trimmed
        return EventAnchor(m.start(), name_end, trimmed, relation, forward)
    return None


# An event named as ahead: "the upcoming meeting between President A and President B in Hangzhou",
# "the Arctic Council Ministerial in Reykjavik on May 20" in a sentence that speaks of the future.
_NAMED_AHEAD = re.compile(
    rf"\b(?i:the)\s+(?P<mod>(?:(?:upcoming|forthcoming|planned|scheduled|coming|next)\s+)*)(?P<ord>(?:{_ORDINALS})\s+)?"
    rf"(?:(?P<lower>(?:summit|meeting|conference|dialogue|talks|consultations|visit))\s+(?P<compl>(?:between|of|with)\s+"
    rf"[A-Z][\w.’'\-]*(?:\s+(?:(?:and|of|the|in|de)\s+)?[A-Z][\w.’'\-]*)*)|{_EVENT_NAME})"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|upcoming|forthcoming|scheduled|planned|to\s+be\s+held|next\s+(?:week|month|year)|"
    r"(?:is|are)\s+(?:due|set|expected)\s+to|preparations?\s+for|prepar(?:e|es|ing)\s+for|ahead\s+of|"
    r"look(?:s|ed|ing)?\s+forward\s+to|in\s+the\s+(?:run|lead)(?:-|\s+)up\s+to)\b",
    re.IGNORECASE,
)


def event_named_before(text: str, start: int, end: int) -> str | None:
    """The last future event text[start:end] names (a future word, or preparations for it, in its
    sentence), for "the meeting" after it to refer back to; None when it names none."""
    found = None
    for m in _NAMED_AHEAD.finditer(text, start, end):
        if m.group("lower"):
            if not m.group("mod"):
                continue
            compl = re.split(r"\.\s", m.group("compl"))[0].rstrip(".")  # a full stop ends the name
            name = re.sub(r"\s+", " ", f"{m.group('lower')} {compl}")
        else:
            trimmed = _trim_event_name(m.group("name"))
            if not trimmed or not _EVENT_NOUN_RE.search(trimmed):
                continue
            if _PERIOD_AFTER.match(m.group("name"), _find_end(m.group("name"), trimmed)):
                continue
            name = (m.group("ord") or "") + trimmed
        sentence_start = max(text.rfind(". ", start, m.start()) + 1, start)
        sentence_end = text.find(". ", m.end(), end)
        sentence_end = end if sentence_end < 0 else sentence_end
        if _FUTURE.search(text, sentence_start, sentence_end):
            found = name
    return found


_GENERIC_AFTER = re.compile(
    r"\s+(?:meetings|summits|conferences|fora|forums|ministerials|gatherings|events|occasions)\b",
    re.IGNORECASE,
)


def _find_end(raw: str, name: str) -> int:
    idx = raw.find(name)
    return (idx + len(name)) if idx >= 0 else len(raw)


def _visit_name(m: re.Match[str]) -> str:
    visitor = m.group("visitor")
    place = m.group("place")
    name = "visit"
    if visitor and visitor not in ("his", "her", "their"):
        name = f"{visitor} visit"
    guest = m.group("guest")
    if guest:
        name += " of " + re.sub(r"^(?:the|a|an)\s+", "", guest)
    if place:
        name += f" to {place}"
    return name


_CJK = re.compile(r"[\u3005\u3041-\u30ff\u4e00-\u9fff]")
_CJK_TOKEN = re.compile(r"[\u3005\u3041-\u30fa\u30fc-\u30ff\u4e00-\u9fff]+|[a-z]{2,}(?=\d)|\d+|[a-z0-9+]+")


def event_key(name: str) -> str:
    """A registry key under which small variations of an event's name agree.

    "The U.S.-North Korea Summit", "U.S.-North Korea SummitMeeting" and "U.S.-North Korea Summit
    Meeting" are one event; so are "G7 Summit" and "G7 Summit (Cornwall)", where the parenthesis
    only tells the place. A name written in Japanese keeps its kanji and kana, split where the
    script changes (「G7シャルルボワ・サミット」 -> "g7 シャルルボワ サミット").
    """
    if _CJK.search(name):
        return _cjk_key(name)
    key = re.sub(r"\([^)]*\)", " ", name)
    key = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key)  # "SummitMeeting" -> "Summit Meeting"
    key = key.lower().replace("’", "'")
    key = re.sub(r"'s\b", "", key)
    key = re.sub(r"[^a-z0-9+]+", " ", key)
    words = [w for w in key.split() if w not in ("the", "a", "an")]
    while len(words) > 1 and words[-1] in ("meeting", "meetings"):
        words.pop()
    return " ".join(words)


def _cjk_key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).lower()
    # 「G7」 stays one word; 「TPP11」 is TPP and 11, as "TPP11署名" and "TPP署名" are one signing.
    return " ".join(_CJK_TOKEN.findall(folded))


def _key_units(key: str) -> set[str]:
    """The words of a key for comparing names; a run of kanji and kana counts by its bigrams."""
    units: set[str] = set()
    for word in key.split():
        if _CJK.match(word) and len(word) > 2:
            units.update(word[i : i + 2] for i in range(len(word) - 1))
        else:
            units.add(word)
    return units


def find_registered_event(
    name: str, registry: dict[str, dt.date], aliases: Sequence[str] = ()
) -> tuple[str, dt.date] | None:
    """The registry entry that an event name refers to: same key first, then the closest containment.

    `aliases` are the name's other names: a name in one language also finds the entry under its
    name in another (「米朝首脳会談」 finds "U.S.-North Korea Summit Meeting"); the languages'
    grammars give them (`tracker.extraction.language.event_aliases`).
    """
    if not name:
        return None
    keyed = {event_key(k): (k, v) for k, v in registry.items()}
    names = [name, *aliases]
    for candidate in names:
        if event_key(candidate) in keyed:
            return keyed[event_key(candidate)]
    best: tuple[float, tuple[str, dt.date]] | None = None
    for candidate in names:
        words = _key_units(event_key(candidate))
        for other_key, entry in keyed.items():
            other = _key_units(other_key)
            if not words or not other:
                continue
            if words <= other or other <= words:
                score = len(words & other) / len(words | other)
                if best is None or score > best[0]:
                    best = (score, entry)
    return best[1] if best else None


# --- dates -----------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
    "few": 3,
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30)}

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("immediate", re.compile(r"\b(?:immediately|without\s+delay|right\s+away|at\s+once)\b", re.IGNORECASE)),
    ("following_day", re.compile(r"\b(?:the\s+following\s+day|the\s+next\s+day|tomorrow)\b", re.IGNORECASE)),
    (
        "weekday",
        re.compile(
            r"\b(?:on\s+|by\s+|this\s+|next\s+|coming\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|"
            r"Friday|Saturday|Sunday)\b(?!,?\s+(?:\d|" + "January|February|March|April|May|June|July|August|"
            r"September|October|November|December))"
        ),
    ),
    (
        "within",
        re.compile(
            r"\bwithin\s+(?:the\s+)?(?:next\s+|coming\s+)?(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
            r"eleven|twelve|several|a\s+few|a|an)\s+(?P<unit>days?|weeks?|months?|years?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "half",
        re.compile(
            r"\b(?:in\s+|by\s+|during\s+|within\s+)?the\s+(?P<which>first|second)\s+half\s+of\s+(?:(?P<rel>this|next)\s+year|"
            r"(?P<year>(?:19|20)\d\d))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "quarter",
        re.compile(
            r"\b(?:in\s+|by\s+|during\s+)?the\s+(?P<which>first|second|third|fourth)\s+quarter\s+of\s+"
            r"(?:(?P<rel>this|next)\s+year|(?P<year>(?:19|20)\d\d))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "end_of_month_named",
        re.compile(
            rf"\b(?:by\s+|before\s+|until\s+)?(?:the\s+)?end\s+of\s+(?P<month>{_MONTH_RE})(?:\s+(?P<year>(?:19|20)\d\d))?",
            re.IGNORECASE,
        ),
    ),
    (
        "period",
        re.compile(
            r"\b(?:(?:by|before|until|within|in|during|around)\s+)?(?:the\s+)?(?:(?P<part>early|mid|late|end\s+of|"
            r"beginning\s+of|start\s+of|middle\s+of)[\s-]+)?(?:(?:later|earlier)\s+)?(?P<rel>this|next|the\s+following|"
            r"the\s+coming|the)\s+(?P<unit>year|month|week|spring|summer|autumn|fall|winter)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "explicit",
        re.compile(
            rf"\b(?:(?:by|before|until|on|around)\s+)?(?:(?P<md_month>{_MONTH_RE})\s+(?P<md_day>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:,?\s+(?P<md_year>(?:19|20)\d\d))?|(?P<dm_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm_month>{_MONTH_RE})"
            rf"(?:,?\s+(?P<dm_year>(?:19|20)\d\d))?)\b"
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?:by|before|until|in|around|during)\s+)?(?:(?P<part>early|mid|late|the\s+end\s+of|end\s+of|"
            rf"the\s+beginning\s+of|the\s+middle\s+of)[\s-]+)?(?P<month>{_MONTH_RE})(?:\s+(?P<year>(?:19|20)\d\d)|"
            rf"\s+(?P<rel>this|next)\s+year)?\b"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:by|before|until|in|within|during)\s+(?:the\s+end\s+of\s+)?(?:(?P<part>early|mid|late)[\s-]+)?"
            r"(?P<year>(?:19|20)\d\d)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "coming",
        re.compile(
            r"\b(?:in|over|within)\s+the\s+(?:coming|next)\s+(?:few\s+)?(?P<unit>days|weeks|months)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "promptly",
        re.compile(r"\b(?:promptly|swiftly|expeditiously|speedily|without\s+delay)\b", re.IGNORECASE),
    ),
    (
        "asap",
        re.compile(
            r"\b(?:as\s+soon\s+as\s+possible|at\s+the\s+earliest\s+possible\s+(?:opportunity|date|time)|"
            r"at\s+the\s+earliest\s+(?:opportunity|date)|at\s+an\s+early\s+(?:date|stage|time|opportunity)|"
            r"at\s+(?:an?\s+|the\s+)?(?:early|earliest)\s+(?:mutual(?:ly)?\s+)?convenien(?:ce|t\s+(?:date|time|opportunity))|"
            r"at\s+the\s+earliest|in\s+the\s+(?:very\s+)?near\s+future|as\s+early\s+as\s+possible|shortly|soon|"
            # "to hold an early bilateral meeting": an early meeting is one at an early date (not "an
            # early resolution", a goal that sets no date).
            r"an\s+early\s+(?:(?:bilateral|official|in-person|face-to-face|summit|ministerial|leaders'?)\s+)?"
            r"(?:meeting|visit|summit|talks))\b",
            re.IGNORECASE,
        ),
    ),
]


_SPEED_KINDS = frozenset({"immediate", "promptly", "asap"})


def speed_word(words: str) -> bool:
    """Whether a date deadline's words are a speed word ("promptly", "as soon as possible"), whose
    date is only a convention of days after the meeting."""
    for kind, pattern in _DATE_PATTERNS:
        if pattern.fullmatch(words.strip()):
            return kind in _SPEED_KINDS
    return False


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_number(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


@lru_cache(maxsize=4096)
def _dateparser_date(phrase: str, base: dt.date) -> dt.date | None:
    """A calendar date phrase resolved by dateparser against the meeting date (English only)."""
    import dateparser

    with warnings.catch_warnings():
        # dateparser and its regex/tz dependencies warn about their own internals; nothing for us.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        try:
            parsed = dateparser.parse(
                phrase,
                languages=["en"],
                settings={
                    "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
                    "PREFER_DATES_FROM": "future",
                    "REQUIRE_PARTS": ["day", "month"],
                },
            )
        except (ValueError, OverflowError):
            return None
    return parsed.date() if parsed else None


def _period_date(m: re.Match[str], meeting: dt.date) -> dt.date | None:
    part = (m.group("part") or "").lower().replace(" ", "")
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit = m.group("unit").lower()
    later = 1 if rel in ("next", "the following", "the coming") else 0
    if unit == "year" and rel == "the coming" and not part:
        # "in the coming year" is the twelve months ahead, not next calendar year (as "in the
        # coming months" is +90 days): +365.
        return meeting + dt.timedelta(days=365)
    if unit == "year":
        year = meeting.year + later
        if part == "early" or part in ("beginningof", "startof"):
            return dt.date(year, 3, 31)
        if part in ("mid", "middleof"):
            return dt.date(year, 6, 30)
        return dt.date(year, 12, 31)
    if unit == "month":
        base = _add_months(meeting.replace(day=1), later)
        if part == "early" or part in ("beginningof", "startof"):
            return base.replace(day=10)
        if part in ("mid", "middleof"):
            return base.replace(day=15)
        return _month_end(base.year, base.month)
    if unit == "week":
        return meeting + dt.timedelta(days=7 * later + (6 - meeting.weekday()))
    if unit == "winter":
        year = meeting.year + (1 if meeting.month >= 3 else 0) + later
        return _month_end(year, 2)
    month, day = _SEASON_END[unit]
    year = meeting.year + later
    if later == 0 and (meeting.month, meeting.day) > (month, day):
        year += 1
    return dt.date(year, month, day)


def _speed_days(kind: str, m: re.Match[str], settings: DeadlineSettings) -> int | None:
    """The days a speed word stands for ("promptly": settings.promptly_days); None for other kinds."""
    if kind == "immediate":
        return settings.immediately_days
    if kind == "promptly":
        return settings.promptly_days
    if kind == "asap":
        words = m.group().lower()
        return settings.early_date_days if "early" in words or "earliest" in words else settings.asap_days
    return None


def _resolve_date(
    kind: str, m: re.Match[str], meeting: dt.date, settings: DeadlineSettings
) -> dt.date | None:
    speed = _speed_days(kind, m, settings)
    if speed is not None:
        return meeting + dt.timedelta(days=speed)
    if kind == "following_day":
        return meeting + dt.timedelta(days=1)
    if kind == "weekday":
        # "on Monday" with no date: the first such day after the meeting (the labelling rule).
        wanted = _WEEKDAYS.index(m.group("weekday"))
        return meeting + dt.timedelta(days=(wanted - meeting.weekday() - 1) % 7 + 1)
    if kind == "within":
        n_text = re.sub(r"\s+", " ", m.group("n").lower())
        n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS.get(n_text, 1)
        unit = m.group("unit").lower().rstrip("s")
        if unit == "day":
            return meeting + dt.timedelta(days=n)
        if unit == "week":
            return meeting + dt.timedelta(weeks=n)
        if unit == "month":
            return _add_months(meeting, n)
        return _add_months(meeting, 12 * n)
    if kind in ("half", "quarter"):
        year = (
            int(m.group("year"))
            if m.group("year")
            else meeting.year + (1 if (m.group("rel") or "").lower() == "next" else 0)
        )
        which = m.group("which").lower()
        if kind == "half":
            return dt.date(year, 6, 30) if which == "first" else dt.date(year, 12, 31)
        month = {"first": 3, "second": 6, "third": 9, "fourth": 12}[which]
        return _month_end(year, month)
    if kind == "end_of_month_named":
        month = _month_number(m.group("month"))
        year = int(m.group("year")) if m.group("year") else meeting.year + (1 if month < meeting.month else 0)
        return _month_end(year, month)
    if kind == "period":
        return _period_date(m, meeting)
    if kind == "explicit":
        phrase = m.group()
        phrase = re.sub(r"^(?:by|before|until|on|around)\s+", "", phrase)
        return _dateparser_date(phrase, meeting)
    if kind == "month":
        month = _month_number(m.group("month"))
        if m.group("year"):
            year = int(m.group("year"))
        elif m.group("rel"):
            # "in May next year", "in June this year": the year is said, whatever the month.
            year = meeting.year + (1 if m.group("rel") == "next" else 0)
        else:
            year = meeting.year + (1 if month < meeting.month else 0)
        part = (m.group("part") or "").lower()
        if part == "mid" or "middle" in part:
            return dt.date(year, month, 15)
        if part == "early" or "beginning" in part:
            return dt.date(year, month, 10)
        return _month_end(year, month)
    if kind == "year":
        year = int(m.group("year"))
        if year < meeting.year:
            return None
        part = (m.group("part") or "").lower()
        if part == "early":
            return dt.date(year, 3, 31)
        if part == "mid":
            return dt.date(year, 6, 30)
        return dt.date(year, 12, 31)
    if kind == "coming":
        unit = m.group("unit").lower()
        days = {"days": 7, "weeks": settings.asap_days, "months": 90}[unit]
        return meeting + dt.timedelta(days=days)
    return None


# A stretch of time that the action fills is no due date: "stay in close collaboration over the
# coming months", "in the years ahead", "for years to come".
_DURATION = re.compile(
    r"\b(?:over|throughout)\s+the\s+(?:coming|next|following|ensuing)\s+(?:few\s+|several\s+|\w+\s+)?"
    r"(?:days?|weeks?|months?|years?|decades?)\b"
    r"|\b(?:in|over)\s+the\s+(?:days|weeks|months|years|decades)\s+(?:ahead|to\s+come)\b"
    r"|\bfor\s+(?:many\s+)?(?:(?:the\s+)?(?:coming|next)\s+)?(?:years|decades|generations)\s+to\s+come\b"
    r"|\bfor\s+the\s+foreseeable\s+future\b|\bin\s+the\s+(?:long|medium|longer)[\s-]+term\b",
    re.IGNORECASE,
)


def _first_outside(
    pattern: re.Pattern[str], text: str, start: int, end: int, masked: list[tuple[int, int]]
) -> re.Match[str] | None:
    for m in pattern.finditer(text, start, end):
        if not any(a < m.end() and m.start() < b for a, b in masked):
            return m
    return None


def find_date_phrase(
    text: str,
    meeting_date: dt.date | None,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
    start: int = 0,
    end: int | None = None,
) -> tuple[int, int, dt.date | None] | None:
    """The first phrase in text[start:end] that gives a time, with the date it stands for."""
    found = _find_date_phrase(text, meeting_date, settings, start, end)
    return found[:3] if found is not None else None


def _find_date_phrase(
    text: str, meeting_date: dt.date | None, settings: DeadlineSettings, start: int, end: int | None
) -> tuple[int, int, dt.date | None, int | None] | None:
    """`find_date_phrase` with the days of a speed word (`DeadlineSpec.counted_days`)."""
    end = len(text) if end is None else end
    best: tuple[int, int, str, re.Match[str]] | None = None
    durations = [(m.start(), m.end()) for m in _DURATION.finditer(text, start, end)]
    for kind, pattern in _DATE_PATTERNS:
        m = (
            _first_outside(pattern, text, start, end, durations)
            if durations
            else pattern.search(text, start, end)
        )
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end(), kind, m)
    if best is None:
        return None
    s, e, kind, m = best
    when = None
    if meeting_date is not None:
        try:
            when = _resolve_date(kind, m, meeting_date, settings)
        except (ValueError, OverflowError):
            # A date past the calendar's end (meeting in year 9999) has no due date; never crash.
            when = None
    return s, e, when, _speed_days(kind, m, settings) if when is not None else None


# --- the grammar -------------------------------------------------------------------------------

_ONGOING = re.compile(
    r"\b(?:continu\w*|ongoing|work\w*|cooperat\w*|coordinat\w*|collaborat\w*|support\w*|promot\w*|"
    r"strengthen\w*|deepen\w*|maintain\w*|pursu\w*|implement\w*|advanc\w*|accelerat\w*|exchang\w*|"
    r"communicat\w*|consult\w*|dialogue|engag\w*|enhanc\w*|expand\w*|further\w*|closely|together|"
    r"do\s+everything|address\w*|explor\w*|utiliz\w*|utilis\w*|keep\w*|share\w*|align\w*|develop\w*|"
    r"combat\w*|recover\w*|moderniz\w*|build\w*|foster\w*|realiz\w*|achiev\w*|contribut\w*|"
    r"remain|remains|remained|remaining|stay|stays|stayed|staying|unified|united|in\s+concert|in\s+unison|"
    r"hand\s+in\s+hand|uphold\w*|hold\w*\s+(?:[\w’'\-]+\s+){1,5}?accountable|"
    # Efforts that go on: tackling, countering, defending, bolstering, standing with someone. Verbs,
    # so lowercase: "the Official Security Assistance framework" is a name.
    r"(?-i:tackl\w*|confront\w*|counter(?:s|ed|ing)?|defend\w*|protect\w*|preserv\w*|safeguard\w*|"
    r"bolster\w*|reinforc\w*|boost\w*|increas\w*|grow(?:s|ing)?|assist(?:s|ed|ing)?|partner(?:s|ed|ing)?|"
    r"champion\w*|stand(?:s|ing)?\s+(?:with|together|by|united|shoulder)|stood\s+(?:with|together|by)|"
    # Raising a relationship ("elevate the partnership", "take the relationship to strategic level").
    r"elevat(?:e|es|ed|ing)|tak(?:e|es|ing)\s+(?:the|our|their|its|this)\s+(?:[\w\-]+\s+){0,3}?"
    r"(?:relationship|relations|ties|partnership|cooperation)(?:\s+with\s+\w+)?\s+to))\b",
    re.IGNORECASE,
)


# A demand on someone else ("urge North Korea to resolve the issue as soon as possible"): the time
# words after it belong to the other's action, not to the parties' deadline. Tasking one's own
# people ("asked their officials to prepare ... toward the Summit") is not a demand on others.
_DEMAND = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:on|upon)|ask(?:s|ed|ing)?|press(?:es|ed|ing)?|"
    r"request(?:s|ed|ing)?|demand(?:s|ed|ing)?|encourag(?:e|es|ed|ing))\s+"
    r"(?!(?:their|our|his|her|its|my|your|the\s+respective|respective|each\s+other|one\s+another)\b)"
    r"(?:[\w.\-’']+\s+){1,5}?to\s+(?=[a-z])",
    re.IGNORECASE,
)


def _demand_cut(text: str, start: int, end: int) -> int:
    """Where the parties' own words end and a demand on a third party's action begins."""
    m = _DEMAND.search(text, start, end)
    return m.end() if m else end


def parse_deadline(
    text: str,
    meeting_date: dt.date | None,
    settings: DeadlineSettings | None = None,
    start: int = 0,
    end: int | None = None,
    visit_name: str | None = None,
    referent: str | None = None,
) -> DeadlineSpec:
    """Read the deadline words of one commitment (text[start:end]) into a DeadlineSpec.

    `referent` is the future event named earlier that "the meeting" refers back to (see
    `find_event_anchor`).

    An explicit event anchor decides the type, even for continuing cooperation; then a date or a
    speed word; then continuing action is `ongoing`; anything else has no deadline.
    """
    settings = settings or DEFAULT_SETTINGS
    end = len(text) if end is None else end
    whole_end, end = end, _demand_cut(text, start, end)
    anchor = find_event_anchor(text, start, end, visit_name=visit_name, referent=referent)
    if anchor is not None and anchor.looked_forward:
        # "looking forward to his upcoming visit to Japan this year": the time the readout gives
        # for what is looked forward to is the deadline; "..., which is scheduled to be held in
        # May" is the event's own date, and the event stays the anchor.
        dated = find_date_phrase(text, meeting_date, settings, anchor.end, min(end, anchor.end + 40))
        if dated is not None and not text[anchor.end : dated[0]].strip():
            return DeadlineSpec(type="date", text=text[dated[0] : dated[1]], date=dated[2])
    if anchor is not None:
        offset = 0
        if anchor.relation == "after":
            if _SPEED_IMMEDIATE.search(text, start, end):
                offset = settings.immediately_days
            elif _SPEED_PROMPT.search(text, start, end):
                offset = settings.promptly_after_event_days
            else:
                offset = settings.after_event_days
        return DeadlineSpec(
            type="event",
            text=text[anchor.start : anchor.end],
            event=anchor.name,
            relation=anchor.relation,
            offset_days=offset,
        )
    found = _find_date_phrase(text, meeting_date, settings, start, end)
    if found is not None:
        s, e, when, counted = found
        own = _event_of_date(text, max(start, s - 160), s)
        if own is not None:
            # "at the European Council in Brussels next week": the date is the event's own.
            name, name_start = own
            return DeadlineSpec(
                type="event", text=text[name_start:e], event=name, relation="at", offset_days=0
            )
        return DeadlineSpec(type="date", text=text[s:e], date=when, counted_days=counted)
    if _ONGOING.search(text, start, whole_end) or _DURATION.search(text, start, whole_end):
        return DeadlineSpec(type="ongoing")
    return DeadlineSpec(type="none")


# The words that put an undertaking at an event ("at the", "use of the"), before an event named
# with its own date; and a grouping's leaders gathered in a place, which is its summit.
_AT_NAMED = re.compile(
    r"\b(?i:at|to|for|during|attend(?:s|ed|ing)?|(?:make\s+(?:full\s+|good\s+)?)?use\s+of)\s+the\s+"
    r"|\bthe\s+other\s+(?=(?:G7|G8|G20|G-7|G-20|APEC|ASEAN|Quad|NATO|EU)\s+[Ll]eaders\b)"
)
_NAME_WITH_PLACE = re.compile(
    rf"(?P<name>(?:{_NAME_TOKEN}\s+){{0,6}}?(?:{_NAME_TOKEN}|{_LOWER_EVENT}))"
    r"(?:\s+in\s+(?P<place>[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?))?,?\s*"
)
_LEADERS = re.compile(r"(G7|G8|G20|G-7|G-20|APEC|ASEAN|Quad|NATO|EU)\s+[Ll]eaders")


def _event_of_date(text: str, start: int, date_start: int) -> tuple[str, int] | None:
    """The event a date phrase at date_start belongs to, when the date follows its name right after
    "at the" (and an optional "in <place>"): (its name, where its words start); else None."""
    for m in _AT_NAMED.finditer(text, start, date_start):
        tail = _NAME_WITH_PLACE.fullmatch(text, m.end(), date_start)
        if tail is None:
            continue
        name = re.sub(r"\s+", " ", tail.group("name"))
        leaders = _LEADERS.fullmatch(name)
        if leaders:
            return f"{leaders.group(1)} Summit", m.start()
        trimmed = _trim_event_name(name)
        if trimmed and name.endswith(trimmed.split()[-1]) and name[0].isupper():
            return trimmed, m.start()
        if re.fullmatch(r"(?:[A-Z][\w.\-]*\s+)+Council", name):
            return name, m.start()
    return None


def resolve_due_date(
    spec: DeadlineSpec,
    meeting_date: dt.date,
    event_date: dt.date | None,
    days: DayCounter = CALENDAR_DAYS,
) -> dt.date | None:
    """The due date of a deadline: its own date, or the event's date moved by the offset.

    `days` is how the owning desk counts the days the tracker adds: a speed word's days after the
    meeting (`counted_days`) and an event's offset; in calendar days both are as the grammar read them.
    """
    if spec.type == "date":
        if spec.counted_days is not None and days.working:
            try:
                return days.add(meeting_date, spec.counted_days)
            except (ValueError, OverflowError):
                return None
        return spec.date
    if spec.type == "event":
        return event_due_date(event_date, spec.offset_days, days)
    return None


def event_due_date(
    event_date: dt.date | None, offset_days: int, days: DayCounter = CALENDAR_DAYS
) -> dt.date | None:
    """The due date of a deadline that hangs on an event: the event's date moved by the offset
    ("promptly after" +7, "before" -1 ...), in the desk's days; None while the event's date is not
    known (or past the calendar's end)."""
    if event_date is None:
        return None
    try:
        return days.add(event_date, offset_days)
    except (ValueError, OverflowError):
        return None
