"""A commitment's deadline as people say it: "7 days after the U.S.-North Korea Summit Meeting
(12 Jun 2018)", "by the end of June (30 Jun 2018)", "ongoing".

The stored `deadline_text` is the fragment the extraction matched (for an event deadline often a
whole clause: "to ensure that the U.S.-North Korea Summit Meeting"); the stored type, relation,
offset and event say the same thing exactly, so lists show this sentence built from them and
keep the fragment for the commitment page. Like `tracker.history_text`, it needs no session, and
it is in English unless the caller passes `say` (a gettext that formats) and the page's locale:
web/ passes Flask-Babel's, and `make messages` extracts these sentences by the name `say`.
"""

from __future__ import annotations

import datetime as dt

from tracker.history_text import Say, english, human_date
from tracker.models import Commitment, DeadlineType, Relation

# A date deadline's own words are shown when they read as a phrase, not a clause.
_MAX_PHRASE = 40


def _event_name(name: str, locale: str) -> str:
    """ "the G7 Summit" for a Latin name that does not carry its article (in English; other
    languages have no article to add); other names as they are."""
    if locale != "en":
        return name
    if name[:1].isascii() and name[:1].isupper() and not name.lower().startswith("the "):
        return f"the {name}"
    return name


def _days(n: int, say: Say) -> str:
    return say("1 day") if n == 1 else say("%(n)s days", n=n)


def describe_deadline(c: Commitment, *, say: Say = english, locale: str = "en") -> str:
    """The deadline in words, with the date it resolves to in brackets when there is one."""

    def day(value: dt.date) -> str:
        return human_date(value, say=say, locale=locale)

    if c.deadline_type == DeadlineType.EVENT:
        name = _event_name(c.event.name, locale) if c.event else say("an event")
        when = day(c.event.date) if c.event and c.event.date else say("date not known yet")
        offset = c.deadline_offset_days or 0
        if c.deadline_relation == Relation.BEFORE:
            if offset:
                said = say("%(days)s before %(event)s", days=_days(abs(offset), say), event=name)
            else:
                said = say("before %(event)s", event=name)
        elif c.deadline_relation == Relation.AT or (c.deadline_relation is None and not offset):
            said = say("at %(event)s", event=name)
        elif offset:
            said = say("%(days)s after %(event)s", days=_days(offset, say), event=name)
        else:
            said = say("after %(event)s", event=name)
        return say("%(deadline)s (%(date)s)", deadline=said, date=when)
    if c.deadline_type == DeadlineType.DATE:
        words = " ".join((c.deadline_text or "").split())
        due = day(c.due_date) if c.due_date else say("date not known")
        # The readout's own words are in the readout's language: shown only on pages in it.
        if words and len(words) <= _MAX_PHRASE and not words[:1].isdigit() and locale == "en":
            return say("%(deadline)s (%(date)s)", deadline=words, date=due)
        return say("by %(date)s", date=due)
    if c.deadline_type == DeadlineType.ONGOING:
        return say("ongoing")
    return say("no deadline")
