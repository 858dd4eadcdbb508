"""A commitment's history said in words, as an officer reads it: "Demo Officer changed the status
from Open to In progress", "The tracker marked it stale: no update since the review date (6 Jul 2018)".

The history table stores machine values (field, old, new: "in_progress", an email, an ISO date)
so that queries, the API and exports stay exact; this module is the one place that turns a row
into a sentence. It lives in the domain rather than in `web/` because the same sentences serve
the pages, `tracker show` and the digests, and it needs no session: every name it mentions is
passed in.

The sentences are in English unless the caller passes `say`, a gettext that formats (web/ passes
Flask-Babel's gettext and the page's locale): the catalogs live with the web app, and `make
messages` extracts the sentences from this module by the name `say`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel.dates import format_date

from tracker.models import Status

# A gettext that also fills in the %(name)s values: say("%(who)s added a note", who="A").
Say = Callable[..., str]


def english(msgid: str, **values: object) -> str:
    """The sentence as written here, in English: the default `say`."""
    return msgid % values if values else msgid


TRACKER = "The tracker"

STATUS_WORDS = {
    Status.OPEN.value: "Open",
    Status.IN_PROGRESS.value: "In progress",
    Status.DONE.value: "Done",
    Status.DROPPED.value: "Dropped",
}
# The words above, for the extractor; translated where they are used.
_WORDS = [
    english("The tracker"),
    english("Open"),
    english("In progress"),
    english("Done"),
    english("Dropped"),
]
# How a date is written in running text, per language.
DATE_PATTERNS = {"en": "d MMM y", "ja": "y年M月d日"}


def human_date(value: dt.date | str | None, *, say: Say = english, locale: str = "en") -> str:
    """A date as written in running text ("12 Jun 2018"); an unreadable value as it is."""
    if value is None or value == "":
        return say("no date")
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    return str(format_date(day, DATE_PATTERNS.get(locale, DATE_PATTERNS["en"]), locale=locale))


def _status(value: str | None, say: Say) -> str:
    if not value:
        return say("none")
    return say(STATUS_WORDS[value]) if value in STATUS_WORDS else value


def _name(value: str | None, names: Mapping[str, str], say: Say) -> str:
    """An officer stored by email, by name when known."""
    if not value:
        return say("nobody")
    return names.get(value, value)


def describe_change(
    field: str,
    old: str | None,
    new: str | None,
    *,
    by: str | None,
    names: Mapping[str, str] | None = None,
    say: Say = english,
    locale: str = "en",
) -> str:
    """One history row as a sentence; `by` is the officer's name, None for the tracker itself."""
    who = by or say(TRACKER)
    names = names or {}

    def day(value: str | None) -> str:
        return human_date(value, say=say, locale=locale)

    if field == "status":
        return say(
            "%(who)s changed the status from %(old)s to %(new)s",
            who=who,
            old=_status(old, say),
            new=_status(new, say),
        )
    if field == "owner":
        if not old:
            return say("%(who)s gave it to %(name)s", who=who, name=_name(new, names, say))
        if not new:
            return say(
                "%(who)s took it from %(name)s: nobody owns it now", who=who, name=_name(old, names, say)
            )
        return say(
            "%(who)s changed the owner from %(old)s to %(new)s",
            who=who,
            old=_name(old, names, say),
            new=_name(new, names, say),
        )
    if field == "due_date":
        if not old:
            return say("%(who)s set the due date to %(day)s", who=who, day=day(new))
        if not new:
            return say("%(who)s cleared the due date (was %(day)s)", who=who, day=day(old))
        return say("%(who)s moved the due date from %(old)s to %(new)s", who=who, old=day(old), new=day(new))
    if field == "stale":
        return say(
            "%(who)s marked it stale: no update since the review date (%(day)s)", who=who, day=day(new)
        )
    if field == "overdue":
        return say("%(who)s marked it overdue: past its due date (%(day)s)", who=who, day=day(new))
    if field == "escalated":
        return say("%(who)s escalated it to %(name)s", who=who, name=_name(new, names, say))
    if field == "note":
        return say("%(who)s added a note", who=who)
    if field == "outcome":
        outcome = (new or "not assessed").replace("_", " ")
        return say("%(who)s assessed the outcome as %(outcome)s", who=who, outcome=say(outcome))
    if field == "evidence":
        return say("%(who)s added evidence: %(what)s", who=who, what=new)
    if field == "extension_requested":
        return say(
            "%(who)s asked for more time: due %(new)s instead of %(old)s", who=who, new=day(new), old=day(old)
        )
    if field == "extension":
        return say(
            "%(who)s decided on the extension request: %(decision)s",
            who=who,
            decision=say(new or "no decision"),
        )
    if field == "reaffirmed":
        return say("%(who)s recorded that it was reaffirmed (%(what)s)", who=who, what=new)
    if field == "translation":
        return say("%(who)s linked a translation of its readout (%(what)s)", who=who, what=new)
    if field == "parties":
        return _parties_change(who, old, new, say)
    if field == "action":
        return say(
            "%(who)s changed the action to “%(new)s” (it was “%(old)s”)",
            who=who,
            new=new or "",
            old=old or "",
        )
    if field == "preview_corrections":
        found = _corrections(new)
        if found is None:
            return say("%(who)s corrected it in the preview", who=who)
        if not found:
            return say("%(who)s added it in the preview", who=who)
        return say(
            "%(who)s corrected it in the preview: %(fields)s", who=who, fields=_said_corrections(found, say)
        )
    return say(
        "%(who)s changed %(field)s from %(old)s to %(new)s",
        who=who,
        field=field.replace("_", " "),
        old=old or "—",
        new=new or "—",
    )


# Values said inside the sentences above, for the extractor.
_VALUES = [
    english("fulfilled"),
    english("partial"),
    english("not fulfilled"),
    english("too early"),
    english("not assessed"),
    english("approved"),
    english("refused"),
    english("no decision"),
]


def describe_creation(
    title: str, point_number: str, *, by: str | None, say: Say = english, corrections: str | None = None
) -> str:
    """The first entry of every history: where the commitment came from, and what the officer
    corrected in the preview before saving (`corrections`: the value of its
    "preview_corrections" row, if any)."""
    if by:
        where = say(
            "Created from %(title)s (point %(number)s) by %(name)s", title=title, number=point_number, name=by
        )
    else:
        where = say("Created from %(title)s (point %(number)s)", title=title, number=point_number)
    said = describe_corrections(corrections, say=say) if corrections else ""
    return say("%(created)s; %(corrected)s", created=where, corrected=said) if said else where


# --- what the officer corrected in the ingest preview, and afterwards ---------------------------

# The corrected fields' names, for the extractor; translated where they are used.
FIELD_WORDS = {"parties": english("parties"), "action": english("action"), "deadline": english("deadline")}


def _and(names: Sequence[str], say: Say = english) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return say("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def _corrections(value: str | None) -> dict[str, object] | None:
    """The stored corrections ({} for a commitment added in the preview); None if unreadable."""
    try:
        found = json.loads(value or "{}")
    except ValueError:
        return None
    if not isinstance(found, dict):
        return None
    return {} if found.get("added") else found


def _said_corrections(found: Mapping[str, object], say: Say) -> str:
    said = []
    for name, words in FIELD_WORDS.items():
        if name not in found:
            continue
        value = found[name]
        detail: dict[str, Any] = value if isinstance(value, dict) else {}
        changes = []
        if detail.get("added"):
            changes.append(say("added %(names)s", names=_and([str(n) for n in detail["added"]], say)))
        if detail.get("removed"):
            changes.append(say("removed %(names)s", names=_and([str(n) for n in detail["removed"]], say)))
        if changes:
            said.append(say("%(field)s (%(changes)s)", field=say(words), changes=", ".join(changes)))
        else:
            said.append(say(words))
    return ", ".join(said)


def describe_corrections(value: str | None, *, say: Say = english) -> str:
    """What the officer corrected in the ingest preview, from the history row's value (written by
    `tracker.services.ingest_review.preview_corrections`): "corrected in the preview: parties
    (added Republic of Korea), deadline", or "added in the preview"; "" for nothing or an
    unreadable value."""
    found = _corrections(value)
    if found is None:
        return ""
    if not found:
        return say("added in the preview")
    fields = _said_corrections(found, say)
    return say("corrected in the preview: %(fields)s", fields=fields) if fields else ""


def _party_names(value: str | None) -> list[str]:
    # Stored as "Japan; Republic of Korea" (tracker.services.commitments.PARTY_SEPARATOR).
    return [n.strip() for n in (value or "").split(";") if n.strip()]


def _parties_change(who: str, old: str | None, new: str | None, say: Say) -> str:
    before, after = _party_names(old), _party_names(new)
    added = [n for n in after if n not in before]
    removed = [n for n in before if n not in after]
    if added and not removed:
        return say("%(who)s added %(names)s to the parties", who=who, names=_and(added, say))
    if removed and not added:
        return say("%(who)s removed %(names)s from the parties", who=who, names=_and(removed, say))
    return say(
        "%(who)s changed the parties from %(old)s to %(new)s",
        who=who,
        old=_and(before, say) or say("none"),
        new=_and(after, say) or say("none"),
    )


def is_creation_detail(field: str) -> bool:
    """A row that the first entry ("Created from ...") says, not an entry of its own."""
    return field == "preview_corrections"


def is_tracker_flag(field: str) -> bool:
    """A flag the sweep sets, whose sentence already says why (its note would repeat it)."""
    return field in ("stale", "overdue")
