"""Backup and restore: every table as versioned JSON, restorable into an empty database.

The file is deterministic (rows in primary-key order, no timestamp of its own), so that
exporting a restored database gives the same file: that is how a restore is checked.
Generic over the metadata, so a table added later is backed up without touching this file.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import ColumnElement, Connection, Date, DateTime, Table, func, select, text
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.types import LargeBinary

import tracker.models  # noqa: F401  (registers every table)
from tracker.mail import header_text_problem
from tracker.models import Base, Commitment, Officer
from tracker.services.permissions import hidden_readout_ids, sees_everything

FORMAT = "commitment-tracker-backup"
FORMAT_VERSION = 1
# Left out unless asked: they let someone log in or call the API as an officer.
SECRET_COLUMNS = {("officer", "password_hash")}
SECRET_TABLES = {"api_token"}
_BATCH = 2000


class BackupError(ValueError):
    """A backup file that cannot be restored here, with the reason."""


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if hasattr(value, "value") and not isinstance(value, (int, float, str, bool)):
        return value.value  # enums
    return value


def _decode(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, DateTime) or isinstance(getattr(column_type, "impl", None), DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(value)
    return value


def _hiding(table: Table, readouts: list[int], commitments: list[int]) -> list[ColumnElement[bool]]:
    """WHERE clauses leaving out every row of `table` that is, or points at, a hidden readout or
    commitment: found through the foreign keys, so a table added later is covered unasked."""
    where: list[ColumnElement[bool]] = []
    for column in table.columns:
        targets = {fk.column.table.name for fk in column.foreign_keys}
        if (table.name == "readout" and column.primary_key) or "readout" in targets:
            where.append(column.not_in(readouts))
        if (table.name == "commitment" and column.primary_key) or "commitment" in targets:
            where.append(column.not_in(commitments))
    return where


def _rows(
    conn: Connection, table: Table, include_secrets: bool, where: list[ColumnElement[bool]]
) -> Iterator[dict[str, Any]]:
    columns = [c for c in table.columns if include_secrets or (table.name, c.name) not in SECRET_COLUMNS]
    order = list(table.primary_key.columns) or columns
    stmt = select(*columns).where(*where).order_by(*order)
    result = conn.execution_options(yield_per=_BATCH).execute(stmt)
    for row in result.mappings():
        yield {key: _encode(value) for key, value in row.items()}


def schema_revision(conn: Connection) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        return None


def export_database(
    conn: Connection, out: IO[str], *, include_secrets: bool = False, viewer: Officer | None = None
) -> dict[str, int]:
    """Write every table to `out` as one JSON document; returns the row count per table.

    Made for an officer who is not an admin (`viewer`), it leaves out the readouts hidden from
    them and everything of those readouts (need-to-know, issue 19), and it never has secrets.
    """
    if include_secrets and not sees_everything(viewer):
        raise BackupError("only an admin or the operator may export secrets")
    hidden_readouts = list(conn.execute(hidden_readout_ids(viewer)).scalars())
    hidden_commitments = (
        list(conn.execute(select(Commitment.id).where(Commitment.readout_id.in_(hidden_readouts))).scalars())
        if hidden_readouts
        else []
    )
    counts: dict[str, int] = {}
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(conn),
        "includes_secrets": include_secrets,
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    out.write('  "tables": {')
    first_table = True
    for table in _tables():
        if table.name in SECRET_TABLES and not include_secrets:
            continue
        out.write(("\n" if first_table else ",\n") + f"    {json.dumps(table.name)}: [")
        first_table = False
        n = 0
        where = _hiding(table, hidden_readouts, hidden_commitments) if hidden_readouts else []
        for row in _rows(conn, table, include_secrets, where):
            out.write(
                ("\n" if n == 0 else ",\n") + "      " + json.dumps(row, ensure_ascii=False, sort_keys=True)
            )
            n += 1
        out.write("\n    ]" if n else "]")
        counts[table.name] = n
    out.write("\n  }\n}\n")
    return counts


def import_database(conn: Connection, source: IO[str]) -> dict[str, int]:
    """Restore a backup into `conn`'s database, which must be at the same schema and empty."""
    try:
        data = json.load(source)
    except json.JSONDecodeError as exc:
        raise BackupError(f"not a backup file: {exc}") from None
    except UnicodeDecodeError:
        raise BackupError("not a backup file: it is not UTF-8 text") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("not a commitment tracker backup file")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {data.get('format_version')} is not supported")
    current = schema_revision(conn)
    if data.get("schema_revision") != current:
        raise BackupError(
            f"the backup is at schema revision {data.get('schema_revision')}, this database at {current}: "
            "migrate one of them first"
        )
    tables = {t.name: t for t in _tables()}
    if not isinstance(data.get("tables", {}), dict):
        raise BackupError("a damaged backup: its tables are not an object of table names")
    unknown = set(data.get("tables", {})) - set(tables)
    if unknown:
        raise BackupError(f"the backup has tables this version does not know: {', '.join(sorted(unknown))}")
    for table in tables.values():
        if conn.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(
                f"the database is not empty (table {table.name} has rows): restore into an empty one"
            )
    counts: dict[str, int] = {}
    for name, table in tables.items():
        decoded = _decoded_rows(table, data["tables"].get(name, []))
        _check_header_texts(name, decoded)
        for start in range(0, len(decoded), _BATCH):
            batch = decoded[start : start + _BATCH]
            try:
                conn.execute(table.insert(), batch)
            except (StatementError, DBAPIError) as exc:
                # One line naming the table and the database's reason: never the statement or
                # its parameters, which hold the rows (password hashes in a backup with secrets).
                reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0][:200]
                raise BackupError(
                    f"a damaged backup: table {name} (rows {start + 1}-{start + len(batch)}) "
                    f"does not fit this database: {reason}"
                ) from None
        counts[name] = len(decoded)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn)
    return counts


# The columns that reach a mail header (the digest's To: line) or stand beside them: what
# `tracker officers add` and the admin pages refuse, a backup must not bring in either.
_HEADER_TEXT_COLUMNS = {"officer": ("name", "email"), "desk": ("name",)}


def _check_header_texts(table: str, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for column in _HEADER_TEXT_COLUMNS.get(table, ()):
            value = row.get(column)
            problem = header_text_problem(value) if isinstance(value, str) else None
            if problem is not None:
                raise BackupError(f"{table} {row.get('id')}: its {column} cannot be used: {problem}")


def _decoded_rows(table: Table, rows: object) -> list[dict[str, Any]]:
    """The rows of `table` from a backup, as values for its columns; BackupError naming the first
    row that is not one (never its values)."""
    if not isinstance(rows, list):
        raise BackupError(f"a damaged backup: table {table.name} is not a list of rows")
    decoded = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise BackupError(f"a damaged backup: row {n} of table {table.name} is not an object")
        unknown = set(row) - set(table.columns.keys())
        if unknown:
            names = ", ".join(sorted(unknown))
            raise BackupError(f"a damaged backup: row {n} of table {table.name} has unknown columns: {names}")
        try:
            decoded.append({k: _decode(table.columns[k].type, v) for k, v in row.items()})
        except (TypeError, ValueError, AttributeError):
            raise BackupError(
                f"a damaged backup: row {n} of table {table.name} has a value of the wrong kind"
            ) from None
    return decoded


def _reset_sequences(conn: Connection) -> None:
    """Explicit ids were inserted: move each serial sequence past them."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
            )
        )
