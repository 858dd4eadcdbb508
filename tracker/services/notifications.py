"""What others did to my commitments: a commitment given to me, or one I own changed by someone
else. The dashboard shows the recent ones (mail notices belong with the digests)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Commitment, Officer, StatusChange

RECENT_DAYS = 7
LIMIT = 20


def changes_by_others(
    session: Session, officer: Officer, now: dt.datetime, days: int = RECENT_DAYS
) -> list[StatusChange]:
    """History rows of the last `days` written by another officer on a commitment I own now, or
    giving one to me; newest first, at most LIMIT (the tracker's own flags are not news)."""
    rows = (
        select(StatusChange)
        .join(Commitment, Commitment.id == StatusChange.commitment_id)
        .where(
            StatusChange.changed_at >= now - dt.timedelta(days=days),
            StatusChange.officer_id.is_not(None),
            StatusChange.officer_id != officer.id,
            or_(
                Commitment.owner_id == officer.id,
                (StatusChange.field == "owner") & (StatusChange.new_value == officer.email),
            ),
        )
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
        .limit(LIMIT)
        .options(selectinload(StatusChange.officer), selectinload(StatusChange.commitment))
    )
    return list(session.scalars(rows))
