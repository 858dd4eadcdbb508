"""Pages of a list: one page type for numbered pages (the web lists) and keyset pages (the API).

A numbered page knows the whole result's size (`total`) and its number; a keyset page knows only
where the next one starts (`next_cursor`), which stays right while rows are added between two
requests: an offset would skip or repeat rows, a cursor names the last row seen in the list's
total order and the next page starts right after it. Cursors are opaque to clients (URL-safe
base64 of a small JSON object); one that does not decode is InvalidCursor.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker.services.errors import N_, InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


@dataclass
class Page(Generic[T]):
    """One page of a list: its items and where it sits in the whole (numbered pages) or where
    the next one starts (keyset pages)."""

    items: list[T]
    next_cursor: str | None = None
    total: int = 0
    number: int = 1
    per_page: int = DEFAULT_PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)


def count_of(session: Session, stmt: Select[Any]) -> int:
    """How many rows `stmt` selects, ignoring its ordering."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def numbered_page(
    session: Session, stmt: Select[Any], page: int, per_page: int
) -> tuple[list[Any], int, int]:
    """Page `page` (from 1) of `stmt`, already ordered: its rows, the total and the page number."""
    page = max(1, page)
    total = count_of(session, stmt)
    rows = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return rows, total, page


class InvalidCursor(InvalidInput):
    """A cursor this API did not give out."""


def encode_cursor(data: dict[str, Any]) -> str:
    """An opaque cursor holding `data` (which must name its kind of list as "k")."""
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, kind: str) -> dict[str, Any]:
    """The cursor's fields, checked to be a cursor of this `kind` of list."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor("the cursor is not one this API gave out") from None
    if not isinstance(data, dict) or data.get("k") != kind:
        raise InvalidCursor("the cursor is not one this API gave out")
    return data


def page_size(limit: int | None) -> int:
    """A keyset page's size: `limit`, or the default; InvalidInput outside 1..MAX_PAGE_SIZE."""
    if limit is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(N_("limit must be between 1 and %(MAX_PAGE_SIZE)s"), MAX_PAGE_SIZE=MAX_PAGE_SIZE)
    return limit
