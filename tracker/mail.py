"""The tracker's mail messages (multipart text and HTML, fixed Message-ID); sent by jobs/mail.py."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

# What must never reach a mail header: C0 and C1 controls (CR and LF end a header and make the
# email library raise; the rest have no business in a name) and the Unicode line separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional overrides and isolates, and invisible marks: in a To: display name they could
# make it read as someone else's (issue 19 item 10). Zero-width (non-)joiners stay.
_BIDI = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def header_text_problem(value: str) -> str | None:
    """Why `value` cannot go into a mail header (a control character, named), or None."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return f"it contains a control character (U+{ord(found.group()):04X})"


def display_name(name: str) -> str:
    """A name made safe for a To: header: bidi controls removed, whitespace runs made one space."""
    return " ".join(_CONTROL.sub(" ", _BIDI.sub("", name)).split())


def build_message(
    *,
    mail_from: str,
    to_name: str,
    to_email: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: dt.datetime,
) -> EmailMessage:
    """A multipart/alternative message (plain text first, then HTML) with a fixed Message-ID."""
    msg = EmailMessage()
    msg["From"] = mail_from
    msg["To"] = formataddr((display_name(to_name), to_email))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date.astimezone(dt.UTC))
    msg["Message-ID"] = message_id
    # Automatic mail: out-of-office replies and auto-forwarders should leave it alone (RFC 3834).
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg
