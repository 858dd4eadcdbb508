"""Readouts of one meeting: finding them, and linking them once an officer confirms (issue 17).

When a readout comes in, the stored readouts of the same meeting are proposed: the other
government's readout (counterpart) or the ministry's version in another language (translation).
The officer confirms; confirming aligns the two readouts' commitments (`tracker.alignment`) and
stores the alignment:
- a **counterpart** link keeps both sets of commitments (each government's word is tracked) and
  records which undertakings both report;
- a **translation** link keeps one set: each commitment of the translation that matches one of
  the original is folded into it (its wording and deadline kept beside the original's, the
  original authoritative) and stops being tracked on its own. A translated commitment that
  someone has already changed is never folded silently: the link is refused, saying which.

Finding candidates reads the readouts met within a day by the meeting-date index, narrows them
by the parties their titles name, and reads text and commitments only for the few that remain,
so it costs the same at a million commitments as at a hundred (`benchmarks/followup_intel.py`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.alignment import Item, align
from tracker.extraction.party_names import find_mentions, publisher_party
from tracker.extraction.types import ExtractedReadout
from tracker.meetings import LEAD_CHARS, MeetingTraits, SameMeeting, compare, traits
from tracker.models import (
    Commitment,
    CommitmentAlignment,
    LinkKind,
    Officer,
    OutcomeEvidence,
    Party,
    Readout,
    ReadoutLink,
    ReadoutPoint,
    Reaffirmation,
    StatusChange,
    commitment_party,
)
from tracker.services.errors import N_, InvalidInput, Message, NotFound
from tracker.services.history import record_change
from tracker.services.permissions import (
    can_see_readout,
    commitment_visible,
    hidden_ids,
    require_edit,
    require_see_readout,
)

MAX_PROPOSALS = 3


@dataclass(frozen=True)
class LinkProposal:
    """A stored readout that likely reports the same meeting."""

    readout_id: int
    title: str
    meeting_date: dt.date
    language: str
    publisher: str | None
    kind: LinkKind
    score: float
    reasons: tuple[str, ...]
    # The reasons as message ids and values, said by a page in the officer's language.
    said: tuple[Message, ...] = ()


@dataclass(frozen=True)
class _Meeting:
    """The readout whose meeting is looked for, as far as proposing needs it."""

    id: int | None
    text: str
    title: str
    publisher: str | None
    language: str
    meeting_date: dt.date
    points: int
    commitment_parties: frozenset[str]


@lru_cache(maxsize=65536)
def _title_parties(title: str, language: str) -> frozenset[str]:
    if language == "ja":
        from tracker.extraction.ja.parties import title_parties

        return frozenset(title_parties(title))
    return frozenset(m.party for m in find_mentions(title) if m.party)


def _traits(meeting: _Meeting) -> MeetingTraits:
    found = traits(meeting.text, meeting.title, meeting.language, meeting.publisher)
    return MeetingTraits(
        found.parties | meeting.commitment_parties, found.level, found.form, found.home, found.names
    )


# Built once: the statements are cached compiled.
_WINDOW = select(Readout.id, Readout.title, Readout.publisher, Readout.language, Readout.meeting_date).where(
    Readout.meeting_date.between(bindparam("first"), bindparam("last"))
)
_LEADS = select(Readout.id, func.substr(Readout.text, 1, LEAD_CHARS)).where(
    Readout.id.in_(bindparam("ids", expanding=True))
)
_PARTIES_OF = (
    select(Commitment.readout_id, Party.name)
    .join(commitment_party, commitment_party.c.commitment_id == Commitment.id)
    .join(Party, Party.id == commitment_party.c.party_id)
    .where(Commitment.readout_id.in_(bindparam("ids", expanding=True)))
)
_POINTS_OF = (
    select(ReadoutPoint.readout_id, func.count())
    .where(ReadoutPoint.readout_id.in_(bindparam("ids", expanding=True)))
    .group_by(ReadoutPoint.readout_id)
)
_LINKED = select(ReadoutLink.readout_id, ReadoutLink.other_readout_id).where(
    or_(ReadoutLink.readout_id == bindparam("own"), ReadoutLink.other_readout_id == bindparam("own"))
)


def _propose(session: Session, meeting: _Meeting, limit: int, viewer: Officer | None) -> list[LinkProposal]:
    own = _traits(meeting)
    # The readouts hidden from the officer are never proposed (need-to-know, issue 19).
    hidden = set(hidden_ids(session, viewer))
    window = session.execute(
        _WINDOW,
        {
            "first": meeting.meeting_date - dt.timedelta(days=1),
            "last": meeting.meeting_date + dt.timedelta(days=1),
        },
    ).all()
    linked: set[int] = set()
    if meeting.id is not None:
        for a, b in session.execute(_LINKED, {"own": meeting.id}):
            linked.update((a, b))
    # Stage one, titles only: a readout of the same meeting names at least one of its parties
    # other than its own publisher's country (or names none at all, like "Readout").
    rows = []
    for row in window:
        if row.id == meeting.id or row.id in linked or row.id in hidden:
            continue
        named = set(_title_parties(row.title, row.language))
        home = "Japan" if row.language == "ja" else publisher_party(row.publisher)
        if home:
            named.add(home)
        if not named or len(named & own.parties) >= min(2, len(named)):
            rows.append(row)
    if not rows:
        return []
    ids = [row.id for row in rows]
    leads: dict[int, str] = {row[0]: row[1] for row in session.execute(_LEADS, {"ids": ids})}
    parties: dict[int, set[str]] = defaultdict(set)
    for readout_id, name in session.execute(_PARTIES_OF, {"ids": ids}):
        parties[readout_id].add(name)
    points: dict[int, int] = {row[0]: row[1] for row in session.execute(_POINTS_OF, {"ids": ids})}
    found: list[LinkProposal] = []
    for row in rows:
        theirs = _traits(
            _Meeting(
                row.id,
                leads.get(row.id, ""),
                row.title,
                row.publisher,
                row.language,
                row.meeting_date,
                points.get(row.id, 0),
                frozenset(parties[row.id]),
            )
        )
        same: SameMeeting | None = compare(
            own,
            theirs,
            days_apart=(row.meeting_date - meeting.meeting_date).days,
            languages=(meeting.language, row.language),
            points=(meeting.points, points.get(row.id, 0)),
        )
        if same is not None:
            found.append(
                LinkProposal(
                    row.id,
                    row.title,
                    row.meeting_date,
                    row.language,
                    row.publisher,
                    LinkKind(same.kind),
                    same.score,
                    same.reasons,
                    same.said,
                )
            )
    found.sort(key=lambda p: (-p.score, abs((p.meeting_date - meeting.meeting_date).days), p.readout_id))
    return found[:limit]


def propose_for_extracted(
    session: Session,
    extracted: ExtractedReadout,
    *,
    title: str | None,
    publisher: str | None,
    limit: int = MAX_PROPOSALS,
    viewer: Officer | None,
) -> list[LinkProposal]:
    """Stored readouts (that `viewer` may see) of the meeting that a previewed readout reports."""
    if extracted.meeting_date is None:
        return []
    meeting = _Meeting(
        None,
        extracted.text,
        title or extracted.title or "",
        publisher,
        extracted.language,
        extracted.meeting_date,
        len(extracted.points),
        frozenset(p for c in extracted.commitments for p in c.parties),
    )
    return _propose(session, meeting, limit, viewer)


def propose_for_readout(
    session: Session, readout: Readout, *, limit: int = MAX_PROPOSALS, viewer: Officer | None
) -> list[LinkProposal]:
    """Stored readouts (that `viewer` may see) of the same meeting as a stored readout, not
    linked to it yet."""
    parties = frozenset(name for _, name in session.execute(_PARTIES_OF, {"ids": [readout.id]}))
    points = session.scalar(select(func.count()).where(ReadoutPoint.readout_id == readout.id)) or 0
    meeting = _Meeting(
        readout.id,
        readout.text[:LEAD_CHARS],
        readout.title,
        readout.publisher,
        readout.language,
        readout.meeting_date,
        points,
        parties,
    )
    return _propose(session, meeting, limit, viewer)


# --- links --------------------------------------------------------------------------------------


def links_of(session: Session, readout_id: int, *, viewer: Officer | None) -> list[ReadoutLink]:
    """Every link of a readout whose two readouts `viewer` may see, oldest first, with both
    readouts and the alignment loaded."""
    return list(
        session.scalars(
            select(ReadoutLink)
            .where(
                or_(ReadoutLink.readout_id == readout_id, ReadoutLink.other_readout_id == readout_id),
                commitment_visible(viewer, ReadoutLink.readout_id),
                commitment_visible(viewer, ReadoutLink.other_readout_id),
            )
            .options(
                selectinload(ReadoutLink.readout),
                selectinload(ReadoutLink.other_readout),
                selectinload(ReadoutLink.confirmed_by),
                selectinload(ReadoutLink.alignments),
            )
            .order_by(ReadoutLink.id)
        )
    )


def _commitments_of(session: Session, readout_id: int) -> list[Commitment]:
    return list(
        session.scalars(
            select(Commitment)
            .where(Commitment.readout_id == readout_id)
            .options(selectinload(Commitment.parties), selectinload(Commitment.point))
            .order_by(Commitment.point_id, Commitment.quote_start, Commitment.id)
        )
    )


def alignment_items(readout: Readout, commitments: Sequence[Commitment]) -> list[Item]:
    """The stored commitments of a readout as alignment reads them (point text as context)."""
    ranks: dict[int, int] = defaultdict(int)
    items = []
    for c in commitments:
        point = c.point
        rank = ranks[point.id]
        ranks[point.id] += 1
        items.append(
            Item(
                c.id,
                c.quote,
                readout.text[point.start_offset : point.end_offset],
                point.position,
                rank,
                readout.language,
                frozenset(p.name for p in c.parties),
                c.deadline_type.value,
                c.due_date,
            )
        )
    return items


def _in_english(session: Session, readout: Readout, items: list[Item]) -> list[Item]:
    """`items` of a readout not in English, worded as its linked English translation words them
    (those the translation does not have stay as they are)."""
    if readout.language == "en":
        return items
    link = session.scalar(
        select(ReadoutLink)
        .where(ReadoutLink.readout_id == readout.id, ReadoutLink.kind == LinkKind.TRANSLATION)
        .options(selectinload(ReadoutLink.other_readout), selectinload(ReadoutLink.alignments))
    )
    if link is None:
        return items
    english = {a.commitment_id: a for a in link.alignments}
    text = link.other_readout.text
    out = []
    for item in items:
        a = english.get(item.ref)
        if a is None:
            out.append(item)
            continue
        point = session.scalar(
            select(ReadoutPoint).where(
                ReadoutPoint.readout_id == link.other_readout_id,
                ReadoutPoint.start_offset <= a.other_quote_start,
                ReadoutPoint.end_offset >= a.other_quote_end,
            )
        )
        context = text[point.start_offset : point.end_offset] if point else a.other_quote
        out.append(
            Item(
                item.ref,
                a.other_quote,
                context,
                item.point,
                item.rank,
                "en",
                item.parties,
                item.deadline_type,
                item.due_date,
            )
        )
    return out


def _get_readout(session: Session, readout_id: int) -> Readout:
    readout = session.get(Readout, readout_id)
    if readout is None:
        raise NotFound(N_("no readout with id %(readout_id)s"), readout_id=readout_id)
    return readout


def confirm_link(
    session: Session,
    readout_id: int,
    other_id: int,
    kind: LinkKind | str,
    *,
    by: Officer,
    now: dt.datetime,
) -> ReadoutLink:
    """Link two readouts of one meeting and align their commitments (see the module docstring)."""
    try:
        kind = LinkKind(kind)
    except ValueError:
        raise InvalidInput(
            N_("unknown link kind %(kind)r; choose counterpart or translation"), kind=kind
        ) from None
    if not by.is_active:
        raise InvalidInput(N_("%(email)s is deactivated"), email=by.email)
    if readout_id == other_id:
        raise InvalidInput(N_("a readout cannot be linked to itself"))
    a, b = _get_readout(session, readout_id), _get_readout(session, other_id)
    require_see_readout(session, by, a.id, f"readout with id {a.id}")
    require_see_readout(session, by, b.id, f"readout with id {b.id}")
    existing = session.scalar(
        select(ReadoutLink.id).where(
            or_(
                (ReadoutLink.readout_id == a.id) & (ReadoutLink.other_readout_id == b.id),
                (ReadoutLink.readout_id == b.id) & (ReadoutLink.other_readout_id == a.id),
            )
        )
    )
    if existing is not None:
        raise InvalidInput(N_("readouts %(a)s and %(b)s are already linked"), a=a.id, b=b.id)
    if abs((a.meeting_date - b.meeting_date).days) > 1:
        raise InvalidInput(
            N_(
                "readout %(a)s met on %(meeting_date)s and readout %(b)s on %(meeting_date2)s: "
                "readouts of one meeting are dated within a day"
            ),
            a=a.id,
            meeting_date=a.meeting_date.isoformat(),
            b=b.id,
            meeting_date2=b.meeting_date.isoformat(),
        )
    if kind == LinkKind.TRANSLATION:
        if a.language == b.language:
            raise InvalidInput(
                N_("a translation link joins readouts in two languages; these are both %(language)s"),
                language=a.language,
            )
        # The original is the one not in English: the ministry publishes in its own language first.
        original, translation = (b, a) if a.language == "en" else (a, b)
    else:
        original, translation = (a, b) if a.id < b.id else (b, a)
    mine, theirs = _commitments_of(session, original.id), _commitments_of(session, translation.id)
    items_a, items_b = alignment_items(original, mine), alignment_items(translation, theirs)
    if kind == LinkKind.COUNTERPART and original.language != translation.language:
        # A Japanese original already linked to the ministry's English version is compared in that
        # English: words against words measured better than embeddings across languages.
        items_a, items_b = _in_english(session, original, items_a), _in_english(session, translation, items_b)
    pairs = align(items_a, items_b, translation=kind == LinkKind.TRANSLATION)
    by_id = {c.id: c for c in (*mine, *theirs)}
    if kind == LinkKind.TRANSLATION:
        _check_foldable(session, [by_id[p.b.ref] for p in pairs], by)
    link = ReadoutLink(
        readout=original, other_readout=translation, kind=kind, confirmed_at=now, confirmed_by=by
    )
    session.add(link)
    for pair in pairs:
        c, other = by_id[pair.a.ref], by_id[pair.b.ref]
        link.alignments.append(
            CommitmentAlignment(
                commitment=c,
                other_commitment=other if kind == LinkKind.COUNTERPART else None,
                score=pair.score,
                other_quote=other.quote,
                other_quote_start=other.quote_start,
                other_quote_end=other.quote_end,
                other_parties=[p.name for p in other.parties],
                other_deadline_type=other.deadline_type,
                other_deadline_text=other.deadline_text,
                other_due_date=other.due_date,
            )
        )
    session.flush()
    if kind == LinkKind.TRANSLATION:
        _fold(session, link, [(by_id[p.a.ref], by_id[p.b.ref]) for p in pairs], by=by, now=now)
    return link


def _check_foldable(session: Session, translated: list[Commitment], by: Officer) -> None:
    """Refuse, before anything is written, to fold a translated commitment that holds anything
    of its own: a change, an outcome, a reaffirmation or evidence, or a place in another link."""
    ids = [c.id for c in translated]
    if not ids:
        return
    for c in translated:
        require_edit(by, c, "fold into its original")
    held: set[int] = {c.id for c in translated if c.version > 1 or c.outcome is not None}
    for statement in (
        select(StatusChange.commitment_id).where(StatusChange.commitment_id.in_(ids)),
        select(OutcomeEvidence.commitment_id).where(OutcomeEvidence.commitment_id.in_(ids)),
        select(Reaffirmation.commitment_id).where(Reaffirmation.commitment_id.in_(ids)),
        select(Reaffirmation.reaffirmed_by_id).where(Reaffirmation.reaffirmed_by_id.in_(ids)),
        select(CommitmentAlignment.commitment_id).where(CommitmentAlignment.commitment_id.in_(ids)),
        select(CommitmentAlignment.other_commitment_id).where(
            CommitmentAlignment.other_commitment_id.in_(ids)
        ),
    ):
        held.update(i for i in session.scalars(statement) if i is not None)
    if held:
        listed = ", ".join(f"#{i}" for i in sorted(held))
        raise InvalidInput(
            N_(
                "commitments %(listed)s of the translation have their own history, outcome or links; "
                "linking would fold them into the original's. Record what they hold on the "
                "original's commitments, drop them, then link again"
            ),
            listed=listed,
        )


def _fold(
    session: Session,
    link: ReadoutLink,
    pairs: list[tuple[Commitment, Commitment]],
    *,
    by: Officer,
    now: dt.datetime,
) -> None:
    """One set of commitments for an original and its translation: each matched translated
    commitment is recorded on the original's (history) and then no longer tracked by itself."""
    translation = link.other_readout
    for original, translated in pairs:
        require_edit(by, original, "link a translation to")
        differs = deadline_difference(
            original.deadline_type.value,
            original.due_date,
            translated.deadline_type.value,
            translated.due_date,
        )
        note = f"{translation.title} ({translation.language}, readout {translation.id}): “{translated.quote}”"
        if differs:
            note += f"; the deadline differs: {differs} (the original is authoritative)"
        record_change(
            session,
            original,
            field="translation",
            old=None,
            new=f"readout {translation.id}",
            by=by,
            now=now,
            note=note,
        )
        original.updated_at = now
    folded = [translated.id for _, translated in pairs]
    if folded:
        session.execute(delete(commitment_party).where(commitment_party.c.commitment_id.in_(folded)))
        # The bulk DELETE also takes the deleted objects out of the session (synchronize "auto").
        session.execute(delete(Commitment).where(Commitment.id.in_(folded)))
    session.flush()
    session.expire(link.other_readout, ["points"])


def deadline_difference(type_a: str, due_a: dt.date | None, type_b: str, due_b: dt.date | None) -> str | None:
    """How two readings of one undertaking's deadline differ, or None when they agree."""
    if due_a != due_b:
        shown_a = due_a.isoformat() if due_a else type_a
        shown_b = due_b.isoformat() if due_b else type_b
        return f"{shown_a} against {shown_b}"
    if type_a != type_b and {type_a, type_b} != {"ongoing", "none"}:
        return f"{type_a} against {type_b}"
    return None


def unlink(session: Session, link_id: int, *, by: Officer) -> None:
    """Remove a counterpart link and its alignment (a translation's folding cannot be undone)."""
    link = session.get(ReadoutLink, link_id)
    if link is None or not all(
        can_see_readout(session, by, i) for i in (link.readout_id, link.other_readout_id)
    ):
        raise NotFound(N_("no link with id %(link_id)s"), link_id=link_id)
    if not by.is_active:
        raise InvalidInput(N_("%(email)s is deactivated"), email=by.email)
    if link.kind == LinkKind.TRANSLATION:
        raise InvalidInput(
            N_("a translation link folded the translation's commitments into the original's; it stays")
        )
    session.delete(link)
    session.flush()
