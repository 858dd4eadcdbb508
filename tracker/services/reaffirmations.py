"""Reaffirmations: a later readout repeating an earlier, still open undertaking (issue 9).

New commitments are compared with the open commitments that share a party, by text
similarity (rapidfuzz's token_set_ratio over action and quote: word order and the extra words
of "once again confirmed that ..." do not count against a match). Likely matches are only
proposed; an officer confirms each before it is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tracker import followup
from tracker.extraction.types import ExtractedCommitment
from tracker.models import Commitment, Officer, Party, Readout, Reaffirmation
from tracker.services.errors import N_, InvalidInput, NotFound, PermissionDenied
from tracker.services.history import record_change
from tracker.services.permissions import (
    can_edit,
    commitment_visible,
    hidden_commitment_ids,
    require_see_readout,
    sees_everything,
)

# Similarity (0-100) from which a pair is proposed: unrelated commitments of one meeting score
# 40-70 against each other, a repeated undertaking 90-100.
DEFAULT_THRESHOLD = 80.0
MAX_PROPOSALS_PER_COMMITMENT = 3
# The most recent open commitments sharing a party that a new one is compared with.
CANDIDATE_LIMIT = 5000


@dataclass(frozen=True)
class Proposal:
    """A likely reaffirmation: the new commitment at `later_index` repeats `earlier`."""

    later_index: int  # position in the list given to propose_reaffirmations
    later_id: int | None  # the stored commitment's id; None for an extracted one
    earlier: Commitment
    score: float

    @property
    def earlier_id(self) -> int:
        return self.earlier.id


def _text(c: Commitment | ExtractedCommitment) -> str:
    return f"{c.action} {c.quote}"


def _party_names(c: Commitment | ExtractedCommitment) -> set[str]:
    if isinstance(c, Commitment):
        return {p.name for p in c.parties}
    return set(c.parties)


def similarity(a: Commitment | ExtractedCommitment, b: Commitment | ExtractedCommitment) -> float:
    """How alike two commitments read, 0-100."""
    return round(float(fuzz.token_set_ratio(_text(a), _text(b), processor=utils.default_process)), 1)


def propose_reaffirmations(
    session: Session,
    commitments: Sequence[Commitment | ExtractedCommitment],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    meeting_date: dt.date | None = None,
    limit: int = MAX_PROPOSALS_PER_COMMITMENT,
    viewer: Officer | None,
) -> list[Proposal]:
    """Open earlier commitments that the given (stored or extracted) ones likely repeat, best first.

    Only open commitments sharing at least one party are candidates, never one of the same
    readout, one from a later meeting (`meeting_date`, or each stored commitment's own), or a
    pair already confirmed.
    """
    if not commitments:
        return []
    names = set().union(*(_party_names(c) for c in commitments))
    if not names:
        return []
    # Stage one reads plain rows (no entities) of the most recent open commitments that share
    # a party, bounded so that the preview stays quick at a million commitments: almost every
    # commitment shares the home party, and reaffirmations repeat recent undertakings.
    latest_date = max(
        (c.readout.meeting_date for c in commitments if isinstance(c, Commitment)),
        default=meeting_date,
    )
    if meeting_date is not None and latest_date is not None:
        latest_date = max(latest_date, meeting_date)
    query = (
        select(Commitment.id, Commitment.action, Commitment.quote)
        .join(Readout, Readout.id == Commitment.readout_id)
        .where(
            followup.active(Commitment),
            Commitment.parties.any(Party.name.in_(names)),
            # Never propose what the officer may not see (need-to-know, issue 19).
            commitment_visible(viewer),
        )
        .order_by(Readout.meeting_date.desc(), Commitment.id.desc())
        .limit(CANDIDATE_LIMIT)
    )
    if latest_date is not None:
        query = query.where(Readout.meeting_date <= latest_date)
    rows = session.execute(query).all()
    if not rows:
        return []
    # One vectorised pass over every (new, candidate) pair; only the pairs above the threshold
    # are loaded as entities for the filters below.
    matrix = process.cdist(
        [_text(c) for c in commitments],
        [f"{action} {quote}" for _id, action, quote in rows],
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=threshold,
    )
    hit_ids = {
        rows[j].id for i in range(len(commitments)) for j in range(len(rows)) if matrix[i][j] >= threshold
    }
    if not hit_ids:
        return []
    by_id = {
        c.id: c
        for c in session.scalars(
            select(Commitment)
            .where(Commitment.id.in_(hit_ids))
            .options(selectinload(Commitment.parties), selectinload(Commitment.readout))
        )
    }
    candidates = [by_id[row.id] for row in rows if row.id in by_id]
    column = {row.id: j for j, row in enumerate(rows)}
    stored_ids = [c.id for c in commitments if isinstance(c, Commitment)]
    confirmed: set[tuple[int, int | None]] = set()
    if stored_ids:
        confirmed_rows = session.execute(
            select(Reaffirmation.commitment_id, Reaffirmation.reaffirmed_by_id).where(
                Reaffirmation.reaffirmed_by_id.in_(stored_ids)
            )
        )
        confirmed = {(earlier_id, later_id) for earlier_id, later_id in confirmed_rows}
    proposals: list[Proposal] = []
    for i, new in enumerate(commitments):
        parties = _party_names(new)
        if isinstance(new, Commitment):
            latest: dt.date | None = new.readout.meeting_date
            own_readout: int | None = new.readout_id
        else:
            latest = meeting_date
            own_readout = None
        found: list[Proposal] = []
        for old in candidates:
            score = float(matrix[i][column[old.id]])
            if score < threshold or not parties & _party_names(old):
                continue
            if old.readout_id == own_readout or (latest is not None and old.readout.meeting_date > latest):
                continue
            later_id = new.id if isinstance(new, Commitment) else None
            if (old.id, later_id) in confirmed:
                continue
            found.append(Proposal(i, later_id, old, round(score, 1)))
        found.sort(key=lambda p: (-p.score, -p.earlier.readout.meeting_date.toordinal(), p.earlier.id))
        proposals.extend(found[:limit])
    proposals.sort(key=lambda p: (-p.score, p.later_index, p.earlier.id))
    return proposals


def proposals_for_readout(
    session: Session, readout: Readout, *, threshold: float = DEFAULT_THRESHOLD, viewer: Officer | None
) -> list[Proposal]:
    """Proposals for every commitment of a stored readout, among what `viewer` may see."""
    commitments = list(
        session.scalars(
            select(Commitment)
            .where(Commitment.readout_id == readout.id)
            .order_by(Commitment.id)
            .options(selectinload(Commitment.parties), selectinload(Commitment.readout))
        )
    )
    return propose_reaffirmations(session, commitments, threshold=threshold, viewer=viewer)


def confirm_reaffirmation(
    session: Session,
    earlier: Commitment,
    later: Commitment,
    *,
    by: Officer,
    now: dt.datetime,
    score: float | None = None,
) -> Reaffirmation:
    """Store that `later` reaffirms `earlier`, with a history row on the earlier commitment."""
    require_see_readout(session, by, earlier.readout_id, f"commitment with id {earlier.id}")
    require_see_readout(session, by, later.readout_id, f"commitment with id {later.id}")
    if earlier.id == later.id:
        raise InvalidInput(N_("a commitment cannot reaffirm itself"))
    if earlier.readout.meeting_date > later.readout.meeting_date:
        raise InvalidInput(
            N_(
                "commitment %(later_id)s comes from an earlier meeting than commitment "
                "%(earlier_id)s; give the earlier one first"
            ),
            later_id=later.id,
            earlier_id=earlier.id,
        )
    if not can_edit(by, earlier):
        raise PermissionDenied(
            N_("%(email)s may not change commitment %(earlier_id)s (it belongs to another desk)"),
            email=by.email,
            earlier_id=earlier.id,
        )
    existing = session.scalar(
        select(Reaffirmation.id).where(
            Reaffirmation.commitment_id == earlier.id, Reaffirmation.reaffirmed_by_id == later.id
        )
    )
    if existing is not None:
        raise InvalidInput(
            N_("commitment %(later_id)s is already linked as reaffirming commitment %(earlier_id)s"),
            later_id=later.id,
            earlier_id=earlier.id,
        )
    link = Reaffirmation(
        commitment=earlier,
        reaffirmed_by=later,
        readout_id=later.readout_id,
        score=similarity(earlier, later) if score is None else score,
        confirmed_at=now,
        confirmed_by=by,
    )
    session.add(link)
    record_change(
        session,
        earlier,
        field="reaffirmed",
        old=None,
        new=f"commitment {later.id}",
        by=by,
        now=now,
        note=f"reaffirmed at {later.readout.title} ({later.readout.meeting_date.isoformat()})",
    )
    earlier.updated_at = now
    session.flush()
    return link


def confirm_by_ids(
    session: Session, earlier_id: int, later_id: int, *, by: Officer, now: dt.datetime
) -> Reaffirmation:
    """confirm_reaffirmation for two commitment ids (NotFound when either is missing)."""
    earlier = session.get(Commitment, earlier_id)
    if earlier is None:
        raise NotFound(N_("no commitment with id %(earlier_id)s"), earlier_id=earlier_id)
    later = session.get(Commitment, later_id)
    if later is None:
        raise NotFound(N_("no commitment with id %(later_id)s"), later_id=later_id)
    return confirm_reaffirmation(session, earlier, later, by=by, now=now)


def reaffirmations_for(
    session: Session, commitment_ids: Iterable[int], *, viewer: Officer | None
) -> list[Reaffirmation]:
    """Every confirmed link in which one of the commitments is the earlier or the later one, and
    whose two commitments `viewer` may see."""
    ids = list(commitment_ids)
    if not ids:
        return []
    stmt = select(Reaffirmation).where(
        or_(Reaffirmation.commitment_id.in_(ids), Reaffirmation.reaffirmed_by_id.in_(ids))
    )
    if not sees_everything(viewer):
        hidden = hidden_commitment_ids(viewer)
        stmt = stmt.where(
            Reaffirmation.commitment_id.not_in(hidden), Reaffirmation.reaffirmed_by_id.not_in(hidden)
        )
    return list(
        session.scalars(
            stmt.options(
                selectinload(Reaffirmation.readout),
                selectinload(Reaffirmation.commitment).selectinload(Commitment.readout),
                selectinload(Reaffirmation.reaffirmed_by).selectinload(Commitment.readout),
            ).order_by(Reaffirmation.confirmed_at, Reaffirmation.id)
        )
    )
