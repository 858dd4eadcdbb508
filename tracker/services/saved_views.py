"""Saved views: an officer keeps a filter of the commitments list under a name, to find it again
in the navigation. A view stores the list's query string, reduced to the filters and sort that
the list understands, so that a saved link can carry nothing else (no page number, no junk).
One of them may be the officer's dashboard (a setting): the dashboard then shows that view."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Officer, SavedView
from tracker.services.errors import N_, InvalidInput, NotFound

# The commitments list's filter and sort parameters (web list and `CommitmentFilter`).
VIEW_PARAMETERS = (
    "q",
    "status",
    "party",
    "desk",
    "owner",
    "due_after",
    "due_before",
    "overdue",
    "stale",
    "waiting",
    "readout",
    "sort",
)
MAX_NAME = 100
MAX_VIEWS = 30


def clean_query(query: str) -> str:
    """The query string with only the list's own parameters, blank ones left out, in one order."""
    pairs = [(k, v.strip()) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=False)]
    kept = [(k, v) for k, v in pairs if k in VIEW_PARAMETERS and v]
    kept.sort(key=lambda kv: VIEW_PARAMETERS.index(kv[0]))
    return urlencode(kept)[:2000]


def list_views(session: Session, officer: Officer) -> list[SavedView]:
    """The officer's saved views, by name."""
    return list(
        session.scalars(select(SavedView).where(SavedView.officer_id == officer.id).order_by(SavedView.name))
    )


def save_view(session: Session, officer: Officer, *, name: str, query: str, now: dt.datetime) -> SavedView:
    """Save (or, under a name already used, replace) one of the officer's views."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(N_("give the view a name"))
    if len(name) > MAX_NAME:
        raise InvalidInput(N_("a view's name is at most %(MAX_NAME)s characters"), MAX_NAME=MAX_NAME)
    cleaned = clean_query(query)
    existing = session.scalar(
        select(SavedView).where(SavedView.officer_id == officer.id, SavedView.name == name)
    )
    if existing is not None:
        existing.query = cleaned
        session.flush()
        return existing
    if len(list_views(session, officer)) >= MAX_VIEWS:
        raise InvalidInput(
            N_("you have %(MAX_VIEWS)s saved views already: delete one first"), MAX_VIEWS=MAX_VIEWS
        )
    view = SavedView(officer=officer, name=name, query=cleaned, created_at=now)
    session.add(view)
    session.flush()
    return view


def delete_view(session: Session, officer: Officer, view_id: int) -> None:
    """Delete one of the officer's own views (another officer's is NotFound: views are private)."""
    view = session.get(SavedView, view_id)
    if view is None or view.officer_id != officer.id:
        raise NotFound(N_("saved view %(view_id)s"), view_id=view_id)
    session.delete(view)
    session.flush()


def dashboard_view(session: Session, officer: Officer) -> SavedView | None:
    """The saved view the officer chose as their dashboard, if any."""
    return session.scalar(
        select(SavedView)
        .where(SavedView.officer_id == officer.id, SavedView.is_dashboard.is_(True))
        .order_by(SavedView.id)
        .limit(1)
    )


def set_dashboard(session: Session, officer: Officer, view_id: int | None) -> SavedView | None:
    """Make one of the officer's own views their dashboard (None: the standard dashboard again).
    Another officer's view, or one that no longer exists, is NotFound: views are private."""
    chosen: SavedView | None = None
    if view_id is not None:
        chosen = session.get(SavedView, view_id)
        if chosen is None or chosen.officer_id != officer.id:
            raise NotFound(f"saved view {view_id}")
    for view in list_views(session, officer):
        view.is_dashboard = view is chosen
    session.flush()
    return chosen
