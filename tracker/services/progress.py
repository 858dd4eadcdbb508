"""Progress proposed from a later readout, and accepted through the normal commitment service.

When a readout comes in (previewed or stored), its sentences are matched against the open
commitments of earlier meetings with the same counterpart (`tracker.progress`): each match is a
proposed status change with the later words as evidence. Accepting one changes the earlier
commitment with `update_commitment` (permission, version check, history), its note citing the
later readout: done → done, progress → in progress, reaffirmed → a note alone (it resets the
review clock).

The candidates are bounded through indexes so that proposing stays quick at a million
commitments: the most recent `READOUT_WINDOW` earlier readouts in the same language (the
meeting-date index), then those of their commitments that are active and name one of the new
meeting's counterparts (commitment.readout_id and commitment_party's primary key), with the
other commitments of the same readouts. `benchmarks/followup_intel.py` measures it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload

from tracker import followup
from tracker.deadlines import DeadlineSettings
from tracker.extraction.types import ExtractedReadout
from tracker.meetings import traits
from tracker.models import Commitment, Officer, Party, Readout, Status, commitment_party
from tracker.progress import Earlier, Outcome, ProgressMatch, body_start, match_progress, sentences
from tracker.services.commitments import update_commitment
from tracker.services.errors import N_, InvalidInput, NotFound
from tracker.services.permissions import hidden_ids

# How many earlier readouts (the most recent first) are searched for undertakings a readout reports on.
READOUT_WINDOW = 2000
MAX_CANDIDATES = 1500


@dataclass(frozen=True)
class ProgressProposal:
    """An earlier open commitment that the later readout reports on, and what it says of it."""

    commitment: Commitment
    outcome: Outcome
    evidence: str  # the later readout's sentence
    evidence_start: int
    evidence_end: int
    score: float
    cue: str

    @property
    def commitment_id(self) -> int:
        return self.commitment.id

    @property
    def new_status(self) -> Status | None:
        """The status accepting it sets (None: a note only)."""
        if self.outcome == Outcome.DONE:
            return Status.DONE
        if self.outcome == Outcome.PROGRESS and self.commitment.status == Status.OPEN:
            return Status.IN_PROGRESS
        return None


@dataclass(frozen=True)
class _Later:
    text: str
    title: str
    publisher: str | None
    language: str
    meeting_date: dt.date
    commitment_parties: frozenset[str]
    exclude: frozenset[int]  # readouts of the same meeting (linked, or proposed for linking)


_WINDOW = (
    select(Readout.id)
    .where(Readout.meeting_date < bindparam("before"), Readout.language == bindparam("language"))
    .order_by(Readout.meeting_date.desc(), Readout.id.desc())
    .limit(bindparam("window"))
)


def _candidates(session: Session, later: _Later, counterparts: set[str]) -> list[Commitment]:
    """Active commitments of recent earlier readouts that name one of the counterparts (with
    the other active commitments of those readouts), newest first, at most MAX_CANDIDATES."""
    if not counterparts:
        return []
    party_ids = list(session.scalars(select(Party.id).where(Party.name.in_(counterparts))))
    if not party_ids:
        return []
    window = _WINDOW.params(
        before=later.meeting_date, language=later.language, window=READOUT_WINDOW
    ).subquery()
    readout_ids = [
        rid
        for rid in session.scalars(
            select(Commitment.readout_id)
            .join(window, window.c.id == Commitment.readout_id)
            .join(commitment_party, commitment_party.c.commitment_id == Commitment.id)
            .where(commitment_party.c.party_id.in_(party_ids), followup.active(Commitment))
            .distinct()
        )
        if rid not in later.exclude
    ]
    if not readout_ids:
        return []
    return list(
        session.scalars(
            select(Commitment)
            .join(Readout, Readout.id == Commitment.readout_id)
            .where(Commitment.readout_id.in_(readout_ids), followup.active(Commitment))
            .order_by(Readout.meeting_date.desc(), Commitment.id.desc())
            .limit(MAX_CANDIDATES)
            .options(
                selectinload(Commitment.parties),
                selectinload(Commitment.point),
                selectinload(Commitment.readout),
            )
        )
    )


def _propose(session: Session, later: _Later) -> list[ProgressProposal]:
    found = traits(later.text, later.title, later.language, later.publisher)
    parties = frozenset(found.parties | later.commitment_parties)
    counterparts = set(parties - ({found.home} if found.home else set()))
    commitments = _candidates(session, later, counterparts)
    by_ref = {c.id: c for c in commitments}
    earlier = [
        Earlier(
            c.id,
            c.quote,
            frozenset(p.name for p in c.parties),
            c.readout.language,
            c.readout.text[c.point.start_offset : c.point.end_offset],
        )
        for c in commitments
    ]
    statements = sentences(later.text, [(0, body_start(later.text), len(later.text))])
    matches: list[ProgressMatch] = match_progress(
        earlier, statements, language=later.language, meeting_parties=parties, title=later.title
    )
    return [
        ProgressProposal(
            by_ref[m.earlier.ref],
            m.outcome,
            m.statement.text,
            m.statement.start,
            m.statement.end,
            m.score,
            m.cue,
        )
        for m in matches
    ]


def propose_for_extracted(
    session: Session,
    extracted: ExtractedReadout,
    *,
    title: str | None,
    publisher: str | None,
    exclude: Iterable[int] = (),
    viewer: Officer | None,
) -> list[ProgressProposal]:
    """Earlier open commitments that a previewed readout reports on (nothing is stored), among
    what `viewer` may see."""
    if extracted.meeting_date is None:
        return []
    return _propose(
        session,
        _Later(
            extracted.text,
            title or extracted.title or "",
            publisher,
            extracted.language,
            extracted.meeting_date,
            frozenset(p for c in extracted.commitments for p in c.parties),
            # The readouts hidden from the officer are never candidates (need-to-know, issue 19).
            frozenset(exclude) | frozenset(hidden_ids(session, viewer)),
        ),
    )


def propose_for_readout(
    session: Session, readout: Readout, *, viewer: Officer | None
) -> list[ProgressProposal]:
    """Earlier open commitments that a stored readout reports on (its linked readouts excluded),
    among what `viewer` may see."""
    from tracker.services.readout_links import links_of

    linked = {
        i
        for link in links_of(session, readout.id, viewer=None)
        for i in (link.readout_id, link.other_readout_id)
    }
    linked |= set(hidden_ids(session, viewer))
    parties = frozenset(
        session.scalars(
            select(Party.name)
            .join(commitment_party, commitment_party.c.party_id == Party.id)
            .join(Commitment, Commitment.id == commitment_party.c.commitment_id)
            .where(Commitment.readout_id == readout.id)
        )
    )
    return _propose(
        session,
        _Later(
            readout.text,
            readout.title,
            readout.publisher,
            readout.language,
            readout.meeting_date,
            parties,
            frozenset(linked | {readout.id}),
        ),
    )


def accept_progress(
    session: Session,
    readout: Readout,
    commitment_id: int,
    *,
    by: Officer,
    now: dt.datetime,
    settings: DeadlineSettings,
    expect_version: int | None = None,
) -> ProgressProposal:
    """Apply what a stored later readout says of an earlier commitment, as proposed now.

    The proposal is computed again (a form or a request is never trusted for it): InvalidInput
    when the readout no longer reports on that commitment. The change goes through
    `update_commitment`: permission, version check and history, with a note citing the readout.
    """
    proposal = next(
        (p for p in propose_for_readout(session, readout, viewer=by) if p.commitment_id == commitment_id),
        None,
    )
    if proposal is None:
        if session.get(Commitment, commitment_id) is None:
            raise NotFound(N_("no commitment with id %(commitment_id)s"), commitment_id=commitment_id)
        raise InvalidInput(
            N_(
                "readout %(readout_id)s is not proposed as reporting on commitment %(commitment_id)s "
                "(it may be done already, or the readout does not name it)"
            ),
            readout_id=readout.id,
            commitment_id=commitment_id,
        )
    note = (
        f"{proposal.outcome.value} per {readout.title} "
        f"({readout.meeting_date.isoformat()}, readout {readout.id}): "
        f"“{proposal.evidence}”"
    )
    update_commitment(
        session,
        proposal.commitment,
        by=by,
        note=note[:4000],
        now=now,
        settings=settings,
        expect_version=expect_version,
        status=proposal.new_status,
    )
    return proposal


def proposal_to_dict(p: ProgressProposal) -> dict[str, object]:
    """A proposal as JSON (the API and `tracker progress --json`)."""
    c = p.commitment
    return {
        "commitment_id": c.id,
        "commitment_version": c.version,
        "commitment_quote": c.quote,
        "commitment_status": c.status.value,
        "earlier_readout_id": c.readout_id,
        "earlier_title": c.readout.title,
        "earlier_meeting_date": c.readout.meeting_date.isoformat(),
        "outcome": p.outcome.value,
        "new_status": p.new_status.value if p.new_status else None,
        "evidence": p.evidence,
        "evidence_start": p.evidence_start,
        "evidence_end": p.evidence_end,
        "score": p.score,
        "cue": p.cue,
    }
