"""The deadline stage: each commitment's time words, read with the grammar in tracker.deadlines."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re

from tracker.deadlines import DeadlineSettings, event_named_before, find_event_anchor, parse_deadline
from tracker.extraction.en.commitments import starts_action
from tracker.extraction.en.sentences import Span
from tracker.extraction.types import DeadlineSpec

# "Prime Minister A asked for B's cooperation at the upcoming Summit. In response, B promised to
# cooperate": the answer takes the time of the request it answers.
_RESPONSE = re.compile(
    r"\s*(?:[Ii]n\s+(?:response|reply|return)|[Rr]esponding(?:\s+to\s+(?:this|that|the\s+request))?|"
    r"[Ii]n\s+response\s+to\s+(?:this|that|the\s+request))\b"
)
_REQUEST = re.compile(r"\b(?:asked|requested|sought|called\s+(?:for|on|upon)|urged|appealed)\b|\brequest\b")


def deadline_for(
    text: str,
    start: int,
    end: int,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
    visit_name: str | None = None,
) -> DeadlineSpec:
    """The deadline of the commitment whose clause is text[start:end]."""
    where = _WHERE_BEFORE.search(text, max(0, start - 12), start)
    if where is not None:
        # "the upcoming Arctic Council Ministerial, where they will meet next week": the clause
        # happens at the event it hangs on, and its time is the event's.
        named = event_named_before(text, max(0, where.start() - 200), where.start())
        if named is not None and named in text[max(0, where.start() - len(named) - 40) : where.start()]:
            return DeadlineSpec(type="event", text=text[start:end], event=named, relation="at")
    back = _BACK_REFERENCE.search(text, start, end)
    referent = event_named_before(text, max(0, back.start() - _LOOK_BACK), back.start()) if back else None
    return parse_deadline(
        text, meeting_date, settings, start=start, end=end, visit_name=visit_name, referent=referent
    )


# "the meeting", "the summit" with no name of its own: the event named before, if it is ahead.
_BACK_REFERENCE = re.compile(r"\bthe\s+(?:summit|meeting|conference|dialogue|talks|consultations|forum)\b")
_LOOK_BACK = 1500
_WHERE_BEFORE = re.compile(r",\s*(?:where|at\s+which)\s+$")


# "agreed to continue close cooperation, and to hold a summit in Tokyo next year": a second verb
# of the same undertaking.
_COORDINATED = re.compile(
    r",?\s+and\s+(?:(?:to|will|would|shall)\s+)?(?:(?:also|further|then|jointly)\s+)?(?=[a-z])"
)
_TIMED = ("date", "event")
_PURPOSE = re.compile(r"\b(?:so\s+as|in\s+order)\s+to\b")
_AND_ALSO = re.compile(r",?\s+and\s+also\s+(?=[a-z])")
_ADVERBS_AHEAD = re.compile(r"\s*(?:(?:[a-z]+ly|also|further|then|soon|jointly|together)\s+)*")


def time_frames(
    text: str,
    clause_start: int,
    quote_start: int,
    action_start: int,
    end: int,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
    visit_name: str | None = None,
) -> list[tuple[int, int, DeadlineSpec]]:
    """The undertaking text[quote_start:end] as (start, end, deadline) parts: one part, or two when
    coordinated verbs have different time frames, one continuing and one dated or tied to an event
    (the labelling rule: "clauses with different time frames make one commitment each").

    Time words before the first verb ("following the Summit, they will promptly share information
    and coordinate policy") govern every verb after them: no split then.
    """
    whole = deadline_for(text, clause_start, end, meeting_date, settings, visit_name=visit_name)
    also = _AND_ALSO.search(text, max(quote_start, action_start), end)
    if also is not None and starts_action(text, also.end()):
        # "willing to work together ... to ensure the success of the meeting and also cooperate ...
        # to make sure the Summit achieves a full success": "and also" adds an undertaking of its
        # own, with its own time (the labelling rule: coordinated undertakings are one each).
        first = deadline_for(text, clause_start, also.start(), meeting_date, settings, visit_name=visit_name)
        second = deadline_for(text, also.end(), end, meeting_date, settings, visit_name=visit_name)
        second_start = also.start() + also.group().index("also")
        return [(quote_start, also.start(), first), (second_start, end, second)]
    if also is not None and re.match(r"[a-z]+ed\b", text[also.end() : also.end() + 30]):
        # "would increase aid and also emphasized the importance of ...": a new statement of the
        # subject in the past tense ends the undertaking.
        end = also.start()
        whole = deadline_for(text, clause_start, end, meeting_date, settings, visit_name=visit_name)
        if whole.type not in _TIMED:
            return [(quote_start, end, whole)]
    if whole.type not in _TIMED:
        return [(quote_start, end, whole)]
    for m in _COORDINATED.finditer(text, max(quote_start, action_start), end):
        if not starts_action(text, m.end()):
            continue
        if _PURPOSE.search(text, max(quote_start, action_start), m.start()):
            # "join efforts ... so as to ensure results from the meeting and promote ...": the verb
            # after "and" is a second purpose, not a second undertaking.
            continue
        first = deadline_for(text, clause_start, m.start(), meeting_date, settings, visit_name=visit_name)
        second = deadline_for(text, m.end(), end, meeting_date, settings, visit_name=visit_name)
        kinds = {first.type, second.type}
        if not ("ongoing" in kinds and kinds & set(_TIMED) and len(kinds) == 2):
            continue
        timed = first if first.type in _TIMED else second
        verb = action_start + len(_ADVERBS_AHEAD.match(text, action_start).group())  # type: ignore[union-attr]
        if timed is first and timed.text and 0 <= text.find(timed.text, clause_start, m.start()) < verb:
            continue
        return [(quote_start, m.start(), first), (m.end(), end, second)]
    return [(quote_start, end, whole)]


# A one-off step ("hold the next round in Tokyo", "sign the agreement on defence cooperation",
# "establish a working group") has no deadline when no time is given, whatever words of cooperation
# its object holds (the labelling rule: one-off steps with no time words are `none`).
_ONE_OFF_HEAD = re.compile(
    r"(?:(?:also|further|then|jointly|promptly|swiftly|soon|formally|officially|to)\s+)*"
    r"(?:hold|sign|conclude|establish|launch|dispatch|send|host|convene|open|adopt|finali[sz]e|complete|"
    r"submit|issue|organi[sz]e|set\s+up|create|brief|convey|consider|examine|study|reflect|invite|attend|"
    r"announce|appoint|designate|hand\s+over|deliver|donate|ratify|reopen|resume|restart|visit|"
    r"revive|revitali[sz]e|reactivate|reconvene|"
    # ... or named by its noun: "agreed on the establishment of a working group".
    r"(?:the\s+)?(?:establishment|launch|creation|setting\s+up|convening|holding)\s+of|"
    r"make\s+(?:the\s+)?(?:necessary\s+)?(?:coordination|arrangements?|preparations?)|"
    r"be\s+(?:made|held|signed|concluded|established|launched|convened|opened|adopted|issued|organi[sz]ed|set\s+up|"
    r"created))\b"
)
_CONTINUING_MARK = re.compile(
    r"\b(?:continu\w*|closely|together|regular(?:ly)?|ongoing|remain\w*|keep\w*|maintain\w*|periodic(?:ally)?|"
    r"annual(?:ly)?|every\s+year|each\s+year)\b",
    re.IGNORECASE,
)


def one_off(text: str, action_start: int, end: int, spec: DeadlineSpec) -> DeadlineSpec:
    """An `ongoing` deadline read from the object's words becomes `none` when the undertaking's
    own verb is a one-off step and nothing in it says it goes on."""
    if spec.type != "ongoing" or not _ONE_OFF_HEAD.match(text, action_start, end):
        return spec
    if _CONTINUING_MARK.search(text, action_start, end):
        return spec
    return DeadlineSpec(type="none")


# "would like to contribute to the success of the conference", "to host a successful G20 Hangzhou
# Summit": the undertaking serves an event, which is its anchor (event before it, or at it when
# the party hosts it).
_EVENT_NOUNS = (
    r"(?:Summit|Conference|Games|Olympics|Paralympics|Expo|Forum|Ministerial|Congress|Assembly|COP\s?\d+)"
)
_SUCCESS = re.compile(
    r"\b(?:success\s+of|successful)\s+(?:(?:the|a|an)\s+)?(?:(?:upcoming|forthcoming|next)\s+)?"
    r"(?:(?P<name>(?:[A-Z0-9][\w+.’'\-]*\s+(?:(?:of|on|for|and)\s+)?){0,8}?" + _EVENT_NOUNS + r")\b|"
    r"(?P<back>summit|conference|games|forum|expo)\b)"
)
_CAPITALISED_NAME = re.compile(
    r"(?:[A-Z0-9][\w+.’'\-]*\s+(?:(?:of|on|for|and)\s+)?){0,8}[A-Z0-9][\w+.’'\-]*(?:\s*\([^()]{1,100}\))?"
)
_HOSTING = re.compile(r"\bhost(?:s|ed|ing)?\s+(?:(?:a|an|the)\s+)?$")


def success_of_event(text: str, start: int, end: int, spec: DeadlineSpec) -> DeadlineSpec:
    """An undertaking with no time words that serves an event's success is tied to that event."""
    if spec.type not in ("ongoing", "none"):
        return spec
    m = _SUCCESS.search(text, start, end)
    if m is None:
        return spec
    name = m.group("name")
    if name is None:
        # "the success of the conference": the last event of that kind named before it.
        noun = m.group("back").lower()
        for c in _CAPITALISED_NAME.finditer(text, max(0, m.start() - 1500), m.start()):
            if noun in c.group().lower():
                name = c.group()
        if name is None:
            return spec
    if _HOSTING.search(text, max(0, m.start() - 12), m.start()):
        return DeadlineSpec(type="event", text=m.group(), event=name.strip(), relation="at")
    return DeadlineSpec(type="event", text=m.group(), event=name.strip(), relation="before")


# "They looked forward to seeing each other at the European Council in Brussels next week. ... agreed
# to meet in Brussels next week": the same near time, said again, is the event named with it.
_NEAR_TIME = re.compile(r"(?:next\s+week|tomorrow|this\s+week|later\s+this\s+week)")
_EVENT_WITH_TIME = (
    r"\b(?:at|during|on\s+the\s+(?:margins|sidelines)\s+of)\s+(?:the\s+)?"
    r"(?P<ev>(?:[A-Z][\w’'\-]*\s+){0,5}?(?:Council|Summit|Conference|Meeting|Forum|Ministerial|Assembly))"
    r"(?:\s+in\s+[A-Z][\w\-]*)?\s+"
)


def near_time_of_named_event(text: str, start: int, end: int, spec: DeadlineSpec) -> DeadlineSpec:
    """A bare "next week" or "tomorrow" that repeats the time of an event named before it in the
    readout is that event (the labelling rule: such words beside a named event take its date)."""
    if spec.type != "date" or not spec.text or not _NEAR_TIME.fullmatch(spec.text.strip()):
        return spec
    time_words = re.escape(spec.text.strip()).replace("\\ ", r"\s+")
    found = None
    for m in re.finditer(_EVENT_WITH_TIME + time_words + r"\b", text[max(0, start - 1500) : start]):
        found = m
    if found is None:
        return spec
    return DeadlineSpec(type="event", text=spec.text, event=found.group("ev"), relation="at")


# "with a view to the COP 26 in Glasgow": a numbered event is one name however it is spaced
# ("COP 26" is "COP26", as officers enter it in the registry).
_NUMBERED_EVENT = re.compile(r"\b(COP|G|CHOGM|APEC)\s+(\d{1,2})\b")


def numbered_event_name(spec: DeadlineSpec) -> DeadlineSpec:
    """The event's name with a numbered event written as one word."""
    if not spec.event:
        return spec
    joined = _NUMBERED_EVENT.sub(r"\1\2", spec.event)
    if joined == spec.event:
        return spec
    return dataclasses.replace(spec, event=joined)


# "offered his good offices": a standing offer of help, open for as long as it is needed.
_STANDING_OFFER = re.compile(r"\boffer(?:ed|s|ing)?\s+(?:his|her|its|their|the)\s+good\s+offices\b")


def standing_offer(text: str, start: int, end: int, spec: DeadlineSpec) -> DeadlineSpec:
    """An offer of good offices with no time words stays open: `ongoing`, not `none`."""
    if spec.type == "none" and _STANDING_OFFER.search(text, start, end):
        return DeadlineSpec(type="ongoing")
    return spec


def answered_request_deadline(
    text: str,
    spans: list[Span],
    quote_start: int,
    spec: DeadlineSpec,
    settings: DeadlineSettings,
) -> DeadlineSpec:
    """A reply with no time of its own ("In response, X promised to ...") inherits the event of the
    request in the sentence before it; `spans` are the point's sentences."""
    if spec.type not in ("ongoing", "none"):
        return spec
    index = bisect.bisect_right(spans, quote_start, key=lambda sp: sp.start) - 1
    if index < 1:
        return spec
    sent, previous = spans[index], spans[index - 1]
    if not _RESPONSE.match(text, sent.start, quote_start + 1):
        return spec
    if not _REQUEST.search(text, previous.start, previous.end):
        return spec
    anchor = find_event_anchor(text, previous.start, previous.end)
    if anchor is None:
        return spec
    return parse_deadline(text, None, settings, start=anchor.start, end=anchor.end)
