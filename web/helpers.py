"""What every page needs: the officer's clock and time zone, form parsing, links that keep filters."""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from tracker.followup import ACTIVE_STATUSES
from tracker.models import DigestFrequency, Role, Status
from tracker.services.errors import InvalidInput
from tracker.services.permissions import is_admin
from tracker.services.restrictions import marking_of
from web.db import now
from web.labels import tr

# Lazy: translated into the page's language when shown, not once at import.
STATUS_LABELS = {
    Status.OPEN.value: lazy_gettext("Open"),
    Status.IN_PROGRESS.value: lazy_gettext("In progress"),
    Status.DONE.value: lazy_gettext("Done"),
    Status.DROPPED.value: lazy_gettext("Dropped"),
}

ROLE_LABELS = {
    Role.OFFICER.value: lazy_gettext("officer"),
    Role.SUPERVISOR.value: lazy_gettext("supervisor"),
    Role.ADMIN.value: lazy_gettext("admin"),
}
FREQUENCY_LABELS = {
    DigestFrequency.DAILY.value: lazy_gettext("daily"),
    DigestFrequency.WEEKLY.value: lazy_gettext("weekly"),
    DigestFrequency.OFF.value: lazy_gettext("off"),
}
WEEKDAYS = [
    lazy_gettext("Monday"),
    lazy_gettext("Tuesday"),
    lazy_gettext("Wednesday"),
    lazy_gettext("Thursday"),
    lazy_gettext("Friday"),
    lazy_gettext("Saturday"),
    lazy_gettext("Sunday"),
]


def _label(labels: dict[str, Any]) -> Any:
    """A template filter that shows an enum member (or its value) by its translated label."""

    def show(value: object) -> str:
        key = value.value if isinstance(value, enum.Enum) else str(value)
        return str(labels.get(key, key))

    return show


def officer_zone() -> zoneinfo.ZoneInfo:
    """The logged-in officer's time zone (UTC when logged out or unknown)."""
    name = current_user.officer.timezone if current_user.is_authenticated else "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def today() -> dt.date:
    """Today in the officer's own time zone: 'overdue' means overdue where they sit."""
    return now().astimezone(officer_zone()).date()


def parse_date(value: str | None, label: str) -> dt.date | None:
    """A YYYY-MM-DD form value, None when blank, InvalidInput otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            gettext("%(label)s must be a date as YYYY-MM-DD, got %(value)r", label=label, value=value)
        ) from None


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`: a `next` parameter must never
    send the officer to another host ("//evil", "/\\evil", or a control character that browsers
    drop, turning "/<TAB>/evil" into "//evil")."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and " " not in target
        and urlsplit(target).netloc == ""
    ):
        return target
    return fallback


# Larger numbers are no id, page or version of ours, and overflow the databases' 64-bit
# integers (a 500 on "?page=" of 20 digits, issue 19).
MAX_WHOLE_DIGITS = 15


def whole_number(value: str | None) -> int | None:
    """`value` as a whole number when it is one of at most 15 ASCII digits, else None."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= MAX_WHOLE_DIGITS:
        return int(value)
    return None


def parse_int(value: str | None, label: str, *, default: int | None = None) -> int | None:
    value = (value or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(
            gettext("%(label)s must be a whole number, got %(value)r", label=label, value=value)
        ) from None
    if abs(number) >= 10**MAX_WHOLE_DIGITS:
        raise InvalidInput(gettext("%(label)s is too large", label=label))
    return number


def _localtime(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "—"
    return value.astimezone(officer_zone()).strftime(fmt)


def _isodate(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _status_label(value: object) -> str:
    key = value.value if isinstance(value, Status) else str(value)
    return str(STATUS_LABELS.get(key, key))


def timezone_groups() -> list[tuple[str, list[str]]]:
    """Every IANA time zone, grouped by region ("Asia": ["Asia/Tokyo", ...]) for a <select>."""
    groups: dict[str, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        region = name.split("/", 1)[0] if "/" in name else "Other"
        groups.setdefault(region, []).append(name)
    return sorted(groups.items())


def url_with(**changes: Any) -> str:
    """The current page's URL with some query arguments changed (None removes one)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    assert request.endpoint is not None
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["localtime"] = _localtime
    app.jinja_env.filters["isodate"] = _isodate
    app.jinja_env.filters["status_label"] = _status_label
    app.jinja_env.filters["tr"] = tr
    app.jinja_env.filters["role_label"] = _label(ROLE_LABELS)
    app.jinja_env.filters["frequency_label"] = _label(FREQUENCY_LABELS)
    app.jinja_env.globals.update(
        url_with=url_with,
        STATUS_LABELS=STATUS_LABELS,
        ACTIVE_STATUSES=ACTIVE_STATUSES,
        is_admin=is_admin,
        today=today,
        marking_of=marking_of,
        timezone_groups=timezone_groups,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
