"""A commitment's history: the append-only `status_change` log, its only writers and its readers.

Every change to a commitment (by an officer, by the overdue sweep, by an event date that moved)
is one row, never updated or deleted. Services write history only through `record_change` (one
commitment in hand) and `record_changes` (every commitment a condition selects, in one
INSERT ... SELECT, for the set-based steps; `update_with_history` when the change and its history
must be one atomic step). `tracker import` restores rows as they were exported.

Each of them also tells the officers a change concerns (`tracker.services.notifications`): the
owner of a commitment someone else changed, and whoever someone else gave it to or took it from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, insert, literal, select, update
from sqlalchemy.orm import Session, selectinload

from tracker.history_text import Say, describe_change, english
from tracker.models import Commitment, Officer, Status, StatusChange
from tracker.services.notifications import last_change_id, notify_change, notify_changes
from tracker.services.officers import names_by_email
from tracker.text import xml_safe


def history_to_dict(change: StatusChange) -> dict[str, Any]:
    """One history row as JSON (`tracker show --json` and the API)."""
    return {
        "id": change.id,
        "changed_at": change.changed_at.isoformat(),
        "by": change.officer.email if change.officer else None,
        "field": change.field,
        "old_value": change.old_value,
        "new_value": change.new_value,
        "note": change.note,
    }


def changes_since(
    session: Session, commitment_id: int, version: int, *, say: Say = english, locale: str = "en"
) -> list[str]:
    """What was changed after `version`, described for the person whose save was refused: each
    change as the history says it ("Ann Other changed the status from Open to Done"), in the words
    of `say` and `locale` (as for `describe_change`), with its note."""
    # History rows of one save share a timestamp; each accepted save bumps the version by one,
    # so the saves after `version` are the last (current - version) distinct timestamps.
    current = session.scalar(select(Commitment.version).where(Commitment.id == commitment_id))
    if current is None or current <= version:
        return []
    times = list(
        session.scalars(
            select(StatusChange.changed_at)
            .where(StatusChange.commitment_id == commitment_id, StatusChange.officer_id.is_not(None))
            .group_by(StatusChange.changed_at)
            .order_by(StatusChange.changed_at.desc())
            .limit(current - version)
        )
    )
    if not times:
        return []
    rows = list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.commitment_id == commitment_id, StatusChange.changed_at >= min(times))
            .options(selectinload(StatusChange.officer))
            .order_by(StatusChange.id)
        )
    )
    # Owners are stored by email: said by name.
    names = names_by_email(
        session, (v for r in rows if r.field == "owner" for v in (r.old_value, r.new_value))
    )
    return [
        describe_change(
            r.field,
            r.old_value,
            r.new_value,
            by=r.officer.name if r.officer else None,
            names=names,
            say=say,
            locale=locale,
        )
        + (f" ({r.note})" if r.note else "")
        for r in rows
    ]


def record_change(
    session: Session,
    commitment: Commitment,
    *,
    field: str,
    old: object,
    new: object,
    by: Officer | None,
    now: dt.datetime,
    note: str | None,
) -> StatusChange:
    """Append one history row for a change made to one commitment in hand."""
    if note is not None:
        note = xml_safe(note)  # (issue 19: a pasted U+000B broke the Word brief)
    change = StatusChange(
        commitment=commitment,
        officer=by,
        changed_at=now,
        field=field,
        old_value=_history_value(old),
        new_value=_history_value(new),
        note=note,
    )
    session.add(change)
    notify_change(session, change, commitment, field=field, old=old, new=new, by=by, now=now)
    return change


def _history_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Status):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Officer):
        return value.email
    return str(value)


def record_changes(
    session: Session,
    where: ColumnElement[bool],
    *,
    field: str,
    old: ColumnElement[Any] | None,
    new: ColumnElement[Any] | dt.date | str | None,
    by: Officer | None,
    now: dt.datetime,
    note: str | None,
) -> None:
    """Append one history row for each commitment that `where` selects, in one INSERT ... SELECT.

    `old` and `new` are SQL expressions of the commitment's row (`sql_value`) or one value for all;
    call it before the UPDATE that makes the change, so that `old` reads the value it replaces.
    """
    new_value: Any = new if isinstance(new, ColumnElement) else literal(_history_value(new), type_=String)
    if note is not None:
        note = xml_safe(note)
    rows = (
        select(
            Commitment.id,
            literal(by.id if by is not None else None, type_=StatusChange.officer_id.type),
            literal(now, type_=StatusChange.changed_at.type),
            literal(field),
            old if old is not None else literal(None, type_=String),
            new_value,
            literal(note, type_=String),
        )
        .where(where)
        # In commitment order, so that the history rows' commitment_id index grows at its end
        # instead of taking 300,000 random inserts: 4-6 s -> 1.4 s at 1M on SQLite (issue 7 bench).
        .order_by(Commitment.id)
    )
    after = last_change_id(session) if by is not None else 0
    session.execute(
        insert(StatusChange).from_select(
            ["commitment_id", "officer_id", "changed_at", "field", "old_value", "new_value", "note"], rows
        )
    )
    notify_changes(session, after_id=after, field=field, by=by, now=now)


def update_with_history(
    session: Session,
    where: ColumnElement[bool],
    values: dict[str, Any],
    *,
    field: str,
    new: ColumnElement[Any],
    by: Officer | None,
    now: dt.datetime,
    note: str | None,
) -> int:
    """Set `values` on every commitment `where` selects and append one history row (old value
    none, `new` read from the changed row) for exactly the rows changed; the number changed.

    A bulk UPDATE that bypasses the version counter: for the tracker's own flags, not edits.
    """
    if session.get_bind().dialect.name != "postgresql":
        # SQLite runs one writer at a time: from the history INSERT on, this transaction holds
        # the write lock, so nothing can change the rows between it and the UPDATE.
        record_changes(session, where, field=field, old=None, new=new, by=by, now=now, note=note)
        result = session.execute(
            update(Commitment).where(where).values(values).execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
    after = last_change_id(session) if by is not None else 0
    # PostgreSQL (READ COMMITTED): each statement sees the rows as of its own start, so a status
    # change committed between an INSERT ... SELECT of history and the UPDATE left a commitment
    # flagged with no history row (issue 19 item 6: once in 3,890 changes). One statement does
    # both: the UPDATE returns the rows it changed and the history is written for exactly those.
    changed = (
        update(Commitment)
        .where(where)
        .values(values)
        .returning(Commitment.id, new.label("new_value"))
        .cte("changed")
    )
    history = (
        insert(StatusChange)
        .from_select(
            ["commitment_id", "officer_id", "changed_at", "field", "old_value", "new_value", "note"],
            select(
                changed.c.id,
                literal(by.id if by is not None else None, type_=StatusChange.officer_id.type),
                literal(now, type_=StatusChange.changed_at.type),
                literal(field),
                literal(None, type_=String),
                changed.c.new_value,
                literal(note, type_=String),
            ).order_by(changed.c.id),  # see record_changes: the index grows at its end
        )
        .cte("history")
    )
    count = int(session.execute(select(func.count()).select_from(changed).add_cte(history)).scalar_one())
    notify_changes(session, after_id=after, field=field, by=by, now=now)
    return count


def sql_value(session: Session, column: Any) -> ColumnElement[Any]:
    """A date column as history text (YYYY-MM-DD) on either database: PostgreSQL's own cast would
    follow the server's DateStyle ("06/12/2018" under 'SQL, DMY'); SQLite stores it that way."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM-DD")
    return cast(column, String)
