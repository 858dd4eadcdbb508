"""A commitment's deadline as people say it: "7 days after the U.S.-North Korea Summit Meeting
(12 Jun 2018)", "by the end of June (30 Jun 2018)", "ongoing".

The stored `deadline_text` is the fragment the extraction matched (for an event deadline often a
whole clause: "to ensure that the U.S.-North Korea Summit Meeting"); the stored type, relation,
offset and event say the same thing exactly, so lists show this sentence built from them and
keep the fragment for the commitment page. Like `tracker.history_text`, it needs no session.
"""

from __future__ import annotations

from tracker.history_text import human_date
from tracker.models import Commitment, DeadlineType, Relation

# A date deadline's own words are shown when they read as a phrase, not a clause.
_MAX_PHRASE = 40


def _event_name(name: str) -> str:
    """ "the G7 Summit" for a Latin name that does not carry its article; other names as they are."""
    if name[:1].isascii() and name[:1].isupper() and not name.lower().startswith("the "):
        return f"the {name}"
    return name


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def describe_deadline(c: Commitment) -> str:
    """The deadline in words, with the date it resolves to in brackets when there is one."""
    if c.deadline_type == DeadlineType.EVENT:
        name = _event_name(c.event.name) if c.event else "an event"
        when = human_date(c.event.date) if c.event and c.event.date else "date not known yet"
        offset = c.deadline_offset_days or 0
        if c.deadline_relation == Relation.BEFORE:
            said = f"{_days(abs(offset))} before {name}" if offset else f"before {name}"
        elif c.deadline_relation == Relation.AT or (c.deadline_relation is None and not offset):
            said = f"at {name}"
        else:
            said = f"{_days(offset)} after {name}" if offset else f"after {name}"
        return f"{said} ({when})"
    if c.deadline_type == DeadlineType.DATE:
        words = " ".join((c.deadline_text or "").split())
        due = human_date(c.due_date) if c.due_date else "date not known"
        if words and len(words) <= _MAX_PHRASE and not words[:1].isdigit():
            return f"{words} ({due})"
        return f"by {due}"
    if c.deadline_type == DeadlineType.ONGOING:
        return "ongoing"
    return "no deadline"
