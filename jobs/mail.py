"""Outgoing mail over SMTP (smtplib), configured by the `smtp_*` settings.

One `Mailer` holds one SMTP connection for a run of messages; errors are sorted into "the
server is unavailable" (stop for now, try later) and "this message was refused".
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType

from tracker.config import Settings

SMTP_TIMEOUT_S = 30


class MailUnavailable(Exception):
    """The mail server could not be reached or would not talk to us; nothing was sent."""


class MailRefused(Exception):
    """The mail server refused this one message."""


class Mailer:
    """An SMTP connection opened on first use, with optional STARTTLS and login."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT_S)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailUnavailable(f"cannot connect to {s.smtp_host}:{s.smtp_port}: {exc}") from exc
        try:
            smtp.ehlo()
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise MailUnavailable(f"{s.smtp_host}:{s.smtp_port} would not talk to us: {exc}") from exc
        return smtp

    def connect(self) -> None:
        """Open the connection now (MailUnavailable when the server does not answer)."""
        if self._smtp is None:
            self._smtp = self._connect()

    def send(self, message: EmailMessage) -> None:
        """Send one message; MailUnavailable or MailRefused when it did not go."""
        self.connect()
        assert self._smtp is not None
        # smtplib's exceptions are OSErrors too: the server's answers are sorted out first, so
        # that a refused recipient is not taken for a lost connection (and retried as one).
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPServerDisconnected as exc:
            self.close()
            raise MailUnavailable(f"connection lost: {exc}") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailRefused(f"recipient refused: {_first(exc.recipients)}") from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                # 4xx is the server's "not now" (greylisting, a full queue): try again later.
                raise MailUnavailable(f"{exc.smtp_code} {_decode(exc.smtp_error)}") from exc
            raise MailRefused(f"{exc.smtp_code} {_decode(exc.smtp_error)}") from exc
        except smtplib.SMTPException as exc:
            raise MailRefused(str(exc)) from exc
        except OSError as exc:
            self.close()
            raise MailUnavailable(f"connection lost: {exc}") from exc
        if refused:
            raise MailRefused(f"recipient refused: {_first(refused)}")

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _first(recipients: dict[str, tuple[int, bytes]]) -> str:
    for address, (code, text) in recipients.items():
        return f"{address}: {code} {_decode(text)}"
    return "no recipient accepted"
