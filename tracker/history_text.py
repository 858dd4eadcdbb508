"""A commitment's history said in words, as an officer reads it: "Demo Officer changed the status
from Open to In progress", "The tracker marked it stale: no update since the review date (6 Jul 2018)".

The history table stores machine values (field, old, new: "in_progress", an email, an ISO date)
so that queries, the API and exports stay exact; this module is the one place that turns a row
into a sentence. It lives in the domain rather than in `web/` because the same sentences serve
the pages, `tracker show` and the digests, and it needs no session: every name it mentions is
passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel.dates import format_date

from tracker.models import Status

LOCALE = "en"
TRACKER = "The tracker"

STATUS_WORDS = {
    Status.OPEN.value: "Open",
    Status.IN_PROGRESS.value: "In progress",
    Status.DONE.value: "Done",
    Status.DROPPED.value: "Dropped",
}


def human_date(value: dt.date | str | None) -> str:
    """A date as written in running text ("12 Jun 2018"); an unreadable value as it is."""
    if value is None or value == "":
        return "no date"
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    return str(format_date(day, "d MMM y", locale=LOCALE))


def _status(value: str | None) -> str:
    return STATUS_WORDS.get(value or "", value or "none")


def _name(value: str | None, names: Mapping[str, str]) -> str:
    """An officer stored by email, by name when known."""
    if not value:
        return "nobody"
    return names.get(value, value)


def describe_change(
    field: str, old: str | None, new: str | None, *, by: str | None, names: Mapping[str, str] | None = None
) -> str:
    """One history row as a sentence; `by` is the officer's name, None for the tracker itself."""
    who = by or TRACKER
    names = names or {}
    if field == "status":
        return f"{who} changed the status from {_status(old)} to {_status(new)}"
    if field == "owner":
        if not old:
            return f"{who} gave it to {_name(new, names)}"
        if not new:
            return f"{who} took it from {_name(old, names)}: nobody owns it now"
        return f"{who} changed the owner from {_name(old, names)} to {_name(new, names)}"
    if field == "due_date":
        if not old:
            return f"{who} set the due date to {human_date(new)}"
        if not new:
            return f"{who} cleared the due date (was {human_date(old)})"
        return f"{who} moved the due date from {human_date(old)} to {human_date(new)}"
    if field == "stale":
        return f"{who} marked it stale: no update since the review date ({human_date(new)})"
    if field == "overdue":
        return f"{who} marked it overdue: past its due date ({human_date(new)})"
    if field == "escalated":
        return f"{who} escalated it to {_name(new, names)}"
    if field == "note":
        return f"{who} added a note"
    if field == "outcome":
        return f"{who} assessed the outcome as {(new or 'not assessed').replace('_', ' ')}"
    if field == "evidence":
        return f"{who} added evidence: {new}"
    if field == "extension_requested":
        return f"{who} asked for more time: due {human_date(new)} instead of {human_date(old)}"
    if field == "extension":
        return f"{who} decided on the extension request: {new or 'no decision'}"
    if field == "reaffirmed":
        return f"{who} recorded that it was reaffirmed ({new})"
    if field == "translation":
        return f"{who} linked a translation of its readout ({new})"
    return f"{who} changed {field.replace('_', ' ')} from {old or '—'} to {new or '—'}"


def describe_creation(title: str, point_number: str, *, by: str | None) -> str:
    """The first entry of every history: where the commitment came from."""
    where = f"Created from {title} (point {point_number})"
    return f"{where} by {by}" if by else where


def is_tracker_flag(field: str) -> bool:
    """A flag the sweep sets, whose sentence already says why (its note would repeat it)."""
    return field in ("stale", "overdue")
