"""Fixtures for the jobs: a real SMTP server on loopback (aiosmtpd) and committed databases."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session, sessionmaker

from tracker.config import Settings
from tracker.db import make_engine, make_session_factory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    """An SMTP server on 127.0.0.1 that keeps what it receives; it can refuse recipients."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.refuse_recipients = False
        self.refuse_addresses: set[str] = set()  # refused one by one
        self._controller: Controller | None = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_recipients or address in self.refuse_addresses:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def by_recipient(self) -> dict[str, list[EmailMessage]]:
        out: dict[str, list[EmailMessage]] = {}
        for m in self.messages:
            out.setdefault(str(m["To"].addresses[0].addr_spec), []).append(m)
        return out


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server on a free loopback port."""
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down() -> Iterator[SmtpServer]:
    """An SMTP server that is not running yet (start() it to bring it back)."""
    server = SmtpServer(free_port())
    yield server
    server.stop()


def settings_for(url: str, port: int, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url,
        "base_url": "https://tracker.example.org",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "mail_from": "Follow-up tracker <tracker@mofa.example>",
        "digest_interval_minutes": 15,
        "digest_max_attempts": 3,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def factory(fresh_database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a database of the test's own, for jobs that commit."""
    engine = make_engine(fresh_database_url)
    yield make_session_factory(engine)
    engine.dispose()
