"""What a readout says about the meeting it reports: who met, at what level, and how.

Two readouts report one meeting when they are dated within a day of each other (a call at 8 a.m.
in Tokyo is the evening before in Washington), name the same parties, and do not contradict each
other on the level (leaders, foreign ministers) or the form (a call, a video conference, a
meeting in person). The words for level and form are the ones every ministry uses in its titles
and lead paragraphs, in English and in Japanese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.extraction.party_names import find_mentions, publisher_party
from tracker.services.errors import N_, Message

# How far into the text the meeting is introduced (title, dateline and the lead paragraph).
LEAD_CHARS = 700

_LEVELS = {
    "leaders": re.compile(
        r"\b(?:summit|prime\s+minister|president|leaders?['’]?|chancellor|premier|king)\b|首脳|総理|大統領|首相",
        re.IGNORECASE,
    ),
    "ministers": re.compile(
        r"\b(?:foreign\s+ministers?|minister\s+(?:of|for)\s+foreign\s+affairs|secretary\s+of\s+state|"
        r"secretary\s+(?:blinken|rubio|pompeo|tillerson|kerry|clinton)|foreign\s+secretary|"
        r"high\s+representative)\b|外相|外務大臣|外交部長|国務長官|外交部長官|上級代表",
        re.IGNORECASE,
    ),
}
_FORMS = {
    "call": re.compile(r"\b(?:tele)?phone\b|\bcall(?:ed|s)?\b|電話", re.IGNORECASE),
    "video": re.compile(r"\bvideo\b|\bvirtual\b|\bonline\b|テレビ会議|ビデオ|オンライン", re.IGNORECASE),
}
_COMPOUND = re.compile(r"\b([A-Z][\w.]*(?:[-–][A-Z][\w.]*)+)")
_JA_HOME = "Japan"


@dataclass(frozen=True)
class MeetingTraits:
    """What a readout's title and lead say about its meeting."""

    parties: frozenset[str]
    level: str | None  # "leaders" | "ministers" | None (not said, or both named)
    form: str | None  # "call" | "video" | None (in person, or not said)
    home: str | None  # whose readout it is: the publisher's country, when it can be told
    names: frozenset[str]  # capitalised names in the lead (people), for English


def _first(patterns: dict[str, re.Pattern[str]], text: str) -> str | None:
    found = [name for name, pattern in patterns.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def title_level(title: str) -> str | None:
    """The level a title names, when it names exactly one."""
    return _first(_LEVELS, title)


def _english_parties(text: str) -> set[str]:
    return {m.party for m in find_mentions(text) if m.party}


def _japanese_parties(text: str) -> set[str]:
    from tracker.extraction.ja.parties import find_parties
    from tracker.extraction.ja.text import shadow

    found = {_JA_HOME}
    for mention in find_parties(shadow(text)):
        found.update(mention.parties)
    return found


def _home(language: str, title: str, publisher: str | None) -> str | None:
    if language == "ja":
        return _JA_HOME
    own = publisher_party(publisher)
    if own:
        return own
    # A ministry names its own country first in "X-Y Foreign Ministers' Meeting".
    compound = _COMPOUND.search(title)
    if compound:
        first = find_mentions(compound.group(1))
        if first and first[0].party:
            return first[0].party
    return None


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,}|[A-Z]{3,})\b")


def traits(text: str, title: str, language: str, publisher: str | None) -> MeetingTraits:
    """The meeting's traits from a readout's title and first lines."""
    lead = text[:LEAD_CHARS]
    head = f"{title}\n{lead}"
    parties = _japanese_parties(head) if language == "ja" else _english_parties(head)
    parties -= {"North Korea"}
    # The level and the form come from the title when it says them: a lead paragraph names
    # every participant's title ("Prime Minister X ... Foreign Minister Y").
    level = title_level(title) or _first(_LEVELS, lead)
    form = _first(_FORMS, title) or _first(_FORMS, lead)
    names: frozenset[str] = frozenset()
    if language == "en":
        names = frozenset(n for n in _NAME.findall(lead) if n.lower() not in _COMMON and not find_mentions(n))
    home = _home(language, title, publisher)
    if home:
        parties.add(home)
    return MeetingTraits(frozenset(parties), level, form, home, names)


_COMMON = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "on",
        "in",
        "at",
        "for",
        "and",
        "with",
        "from",
        "as",
        "after",
        "during",
        "secretary",
        "minister",
        "ministers",
        "foreign",
        "prime",
        "president",
        "state",
        "affairs",
        "spokesperson",
        "department",
        "office",
        "ministry",
        "meeting",
        "meetings",
        "talk",
        "talks",
        "call",
        "telephone",
        "readout",
        "overview",
        "outline",
        "date",
        "commencing",
        "approximately",
        "minutes",
        "about",
        "his",
        "her",
        "their",
        "they",
        "both",
        "honorable",
        "right",
        "honourable",
        "mr",
        "ms",
        "dr",
        "he",
        "she",
        "it",
        "its",
        "two",
        "also",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "summit",
        "leaders",
        "leader",
        "relations",
        "government",
        "side",
    ]
)


@dataclass(frozen=True)
class SameMeeting:
    """Why two readouts are taken to report one meeting, and how sure that is (0..1): `reasons` in
    English (the API and the command line), `said` the same as message ids and values, for a page in
    the officer's language (issue 18)."""

    score: float
    kind: str  # "counterpart" | "translation"
    reasons: tuple[str, ...]
    said: tuple[Message, ...] = ()


def compare(
    a: MeetingTraits,
    b: MeetingTraits,
    *,
    days_apart: int,
    languages: tuple[str, str],
    points: tuple[int, int],
) -> SameMeeting | None:
    """Whether readouts with traits `a` and `b` report one meeting; None when they do not."""
    if abs(days_apart) > 1:
        return None
    shared = a.parties & b.parties
    # Both meeting parties must be named by both readouts (a readout names at least two).
    if len(shared) < 2 and not (len(shared) == 1 and min(len(a.parties), len(b.parties)) == 1):
        return None
    if a.level and b.level and a.level != b.level:
        return None
    if (a.form or "person") != (b.form or "person") and a.form is not None and b.form is not None:
        return None
    reasons = [Message(N_("met the same day") if days_apart == 0 else N_("met a day apart"))]
    reasons.append(Message(N_("both name %(names)s"), {"names": ", ".join(sorted(shared))}))
    score = 0.35 + (0.25 if days_apart == 0 else 0.1)
    score += 0.2 * len(shared) / max(len(a.parties | b.parties), 1)
    if a.level and a.level == b.level:
        reasons.append(
            Message(
                N_("both at ministers' level") if a.level == "ministers" else N_("both at leaders' level")
            )
        )
        score += 0.1
    if a.form and a.form == b.form:
        reasons.append(Message(N_("both a call") if a.form == "call" else N_("both a video conference")))
        score += 0.05
    people = a.names & b.names
    if people:
        reasons.append(Message(N_("both name %(names)s"), {"names": ", ".join(sorted(people))}))
        score += 0.05
    kind = "counterpart"
    if languages[0] != languages[1]:
        # A ministry's own version in another language: the same publisher, or, when one side
        # does not say whose it is, the same points one for one.
        if a.home is not None and b.home is not None:
            if a.home == b.home:
                kind = "translation"
                reasons.append(
                    Message(
                        N_("both published by %(home)s, in two languages: a translation"), {"home": a.home}
                    )
                )
        elif points[0] == points[1]:
            kind = "translation"
            reasons.append(
                Message(N_("%(n)s points each, in two languages: a translation"), {"n": str(points[0])})
            )
    return SameMeeting(round(min(score, 1.0), 2), kind, tuple(str(r) for r in reasons), tuple(reasons))
