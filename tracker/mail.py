"""The tracker's mail messages (multipart text and HTML, fixed Message-ID); sent by jobs/mail.py."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, formataddr


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
    msg["To"] = formataddr((to_name, to_email))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date.astimezone(dt.UTC))
    msg["Message-ID"] = message_id
    # Automatic mail: out-of-office replies and auto-forwarders should leave it alone (RFC 3834).
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg
