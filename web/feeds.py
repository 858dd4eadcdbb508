"""Each officer's secret iCalendar feed of deadlines: `/feeds/<token>.ics`.

Calendar programs cannot send headers, so the feed's token is in its URL; it is a separate
kind of token from API tokens (it can read one calendar, nothing else), revocable, and kept out
of the request log. One all-day VEVENT per commitment (VTODO is ignored by many calendar
programs), with a UID that stays the same and a SEQUENCE that follows the commitment's version,
so a changed deadline replaces its entry instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort
from icalendar import Calendar, Event, vDuration

from tracker.models import Commitment, Officer, TokenKind
from tracker.services.commitment_queries import feed_commitments
from web.auth import officer_for_token
from web.db import get_session, now, settings

bp = Blueprint("feeds", __name__)

PRODID = "-//Commitment tracker//Deadlines feed//EN"
SUMMARY_MAX = 160
REFRESH = dt.timedelta(hours=1)
# Bidirectional overrides and invisible characters could make an entry read differently from
# what it says (or hide text); they are shown as visible code points instead.
_HIDDEN = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_FEED_PATH = re.compile(r"(/feeds/)[^/\s?\"]+(\.ics)")


def visible(text: str | None) -> str:
    """`text` with hidden and direction-changing characters written out as <U+XXXX>."""
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text or "")


def _summary(c: Commitment) -> str:
    parties = ", ".join(p.name for p in c.parties)
    text = f"{parties}: {c.action}" if parties else c.action
    text = " ".join(visible(text).split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def _description(c: Commitment, link: str) -> str:
    lines = [
        f"“{c.quote}”",
        "",
        f"Readout: {c.readout.title} ({c.readout.meeting_date.isoformat()})",
        f"Deadline: {c.deadline_type.value}" + (f" — {c.deadline_text}" if c.deadline_text else ""),
        f"Status: {c.status.value}",
        f"Owner: {c.owner.email if c.owner else '—'}",
        f"Desk: {c.desk.name if c.desk else '—'}",
        "",
        link,
    ]
    return visible("\n".join(lines))


def build_calendar(
    officer: Officer, commitments: list[Commitment], base_url: str, stamp: dt.datetime
) -> bytes:
    """The iCalendar text of `commitments` for `officer`'s feed."""
    host = urlsplit(base_url).hostname or "tracker.invalid"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", visible(f"Commitments — {officer.name}"))
    # How often calendar programs should fetch the feed again (RFC 7986, and Outlook's own name).
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for c in commitments:
        assert c.due_date is not None
        link = f"{base_url}/commitments/{c.id}"
        event = Event()
        event.add("uid", f"commitment-{c.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", c.due_date)
        event.add("dtend", c.due_date + dt.timedelta(days=1))
        event.add("summary", _summary(c))
        event.add("description", _description(c, link))
        event.add("url", link)
        event.add("sequence", c.version)
        event.add("last-modified", c.updated_at)
        event.add("categories", [c.status.value])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    body: bytes = cal.to_ical()
    return body


@bp.get("/feeds/<token>.ics")
def feed(token: str) -> Response:
    # An unknown or revoked token is a 404, like any URL that leads nowhere.
    officer = officer_for_token(token, TokenKind.FEED)
    if officer is None:
        abort(404)
    body = build_calendar(officer, feed_commitments(get_session(), officer), settings().base_url, now())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="commitments.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


class RedactFeedTokens(logging.Filter):
    """Keeps feed tokens out of request logs (the development server logs each request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _FEED_PATH.sub(r"\1[token]\2", a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _FEED_PATH.sub(r"\1[token]\2", record.msg)
        return True


@bp.record_once
def _redact_request_logs(_state: object) -> None:
    for name in ("werkzeug", "waitress"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFeedTokens) for f in logger.filters):
            logger.addFilter(RedactFeedTokens())
