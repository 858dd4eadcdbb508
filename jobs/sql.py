"""Small SQL helpers the jobs share, written once for SQLite and PostgreSQL."""

from __future__ import annotations

import typing
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def insert_ignore(session: Session, model: type[DeclarativeBase], values: dict[str, Any]) -> bool:
    """INSERT the row unless a unique key says it exists; True when this call inserted it.

    `ON CONFLICT DO NOTHING` (both databases) rather than catching IntegrityError: a concurrent
    writer of the same key waits for the first and then does nothing, with no error to unwind.
    """
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = typing.cast(Table, model.__table__)  # type: ignore[attr-defined]
    # RETURNING says whether a row went in: the drivers' row count is not reliable here
    # (psycopg reports -1 through SQLAlchemy for an INSERT ... ON CONFLICT).
    stmt = (
        module.insert(table).values(**values).on_conflict_do_nothing().returning(*table.primary_key.columns)
    )
    return session.execute(stmt).first() is not None
