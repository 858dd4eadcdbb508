"""What every `tracker` command shares: the settings and database, exit codes, and parsing of
the common arguments.

Exit codes: 0 success, 1 not found or not allowed, 2 bad input (nothing written),
3 a version conflict (someone else changed it first; nothing written).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cli.i18n import said, say
from tracker.config import Settings
from tracker.db import begin_write, make_engine, make_session_factory
from tracker.extraction.limits import ReadingLimits
from tracker.services.errors import (
    DuplicateReadout,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    VersionConflict,
)

EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2
EXIT_CONFLICT = 3


class AppContext:
    """What every command needs: settings, and an engine made on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    @property
    def factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work; service errors become a message and an exit code, nothing written."""
        try:
            with self.factory() as session, session.begin():
                begin_write(session)
                yield session
        except VersionConflict as exc:
            fail(said(exc), EXIT_CONFLICT)
        except (InvalidInput, DuplicateReadout) as exc:
            fail(said(exc), EXIT_BAD_INPUT)
        except (NotFound, PermissionDenied, ServiceError) as exc:
            fail(said(exc), EXIT_NOT_FOUND)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def fail(message: str, code: int) -> None:
    click.echo(say("error: %(message)s", message=message), err=True)
    sys.exit(code)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def parse_now(value: str | None) -> dt.datetime:
    """--now as an aware datetime (naive values are taken as UTC); the real clock when absent."""
    if value is None:
        return utcnow()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(say("--now must be an ISO 8601 date-time, got %(value)r", value=value), EXIT_BAD_INPUT)
        raise  # unreachable; keeps type checkers informed
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(
            say("%(option)s must be a date as YYYY-MM-DD, got %(value)r", option=option, value=value),
            EXIT_BAD_INPUT,
        )
        raise


pass_app = click.make_pass_decorator(AppContext)


def read_input_file(path: Path, limits: ReadingLimits | None = None) -> str:
    """The file's text, or exit 2 with one clear line (empty, binary, undecodable, over `limits`)."""
    from tracker.extraction import ExtractionError, read_document
    from tracker.extraction.limits import DEFAULT_LIMITS

    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(say("cannot read %(path)s: %(why)s", path=path, why=exc.strerror), EXIT_BAD_INPUT)
    if not data.strip():
        fail(say("%(path)s is empty", path=path), EXIT_BAD_INPUT)
    try:
        text = read_document(data, path.name, limits or DEFAULT_LIMITS)
    except ExtractionError as exc:
        fail(f"{path}: {said(exc)}", EXIT_BAD_INPUT)
    if not text.strip():
        fail(say("%(path)s has no text", path=path), EXIT_BAD_INPUT)
    return text
