"""A database filled at the previous migration upgrades to head with its data intact, on SQLite
and PostgreSQL.

"Previous" is computed from the script directory (head's down revision), so the test follows the
chain as migrations are added. The database at that revision is filled with realistic rows in
every one of its tables: made through the services on a database at head, then copied over
column by column (only the columns that revision has). Every row of every column is read before
the upgrade and compared after it; then the app's models read every table at head and a change
is written, to show the upgraded database is usable and not merely preserved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, func, insert, select

from jobs.lease import acquire_lease
from tests.conftest import SEED_READOUT, Backend, migrate
from tests.factories import NOW, ingest, make_officer
from tests.followup_intel.helpers import MOFA_EN, US_CALL, put
from tracker.backup import _reset_sequences
from tracker.db import alembic_config, make_engine, make_session_factory
from tracker.deadlines import DeadlineSettings
from tracker.escalation import parse_steps
from tracker.models import Base, Commitment, Digest, DigestState, StatusChange, TokenKind
from tracker.services.commitments import update_commitment
from tracker.services.compliance import set_outcome
from tracker.services.desk_policy import set_countries, update_policy
from tracker.services.escalations import escalate
from tracker.services.events import date_event
from tracker.services.extensions import request_extension
from tracker.services.readout_links import confirm_link
from tracker.services.reaffirmations import confirm_by_ids
from tracker.services.restrictions import restrict_at_ingest
from tracker.services.saved_views import save_view
from tracker.services.tokens import create_token

SECOND_READOUT = (
    "Japan-United States Foreign Ministers' Meeting\n\nOn July 6, 2018, the two ministers met again.\n\n"
    "1. The two ministers confirmed that Japan and the United States will continue to work closely "
    "together toward the denuclearization of North Korea.\n"
    "2. The two ministers agreed to hold the next Japan-U.S. Economic Dialogue by the end of the year.\n"
)


def _previous_revision() -> tuple[str, str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    down = script.get_revision(head).down_revision
    assert isinstance(down, str), f"head {head} should have exactly one previous revision, not {down!r}"
    return down, head


def _fill_through_the_services(url: str) -> None:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with factory.begin() as session:
            desk = make_officer(session, email="desk@example.org")
            sup = make_officer(session, email="sup@example.org", role="supervisor", desk=None, password=None)
            assert desk.desk is not None
            update_policy(session, desk.desk, supervisor="sup@example.org", escalation_steps="7:supervisor")
            set_countries(session, desk.desk, "United States, Canada")  # desk_country (0018)
            desk.browser_language = "ja"  # (0019)
            first = ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=desk)
            second = ingest(session, SECOND_READOUT, dt.date(2018, 7, 6), by=desk)
            # The other side's readout of the first meeting, linked: readout_link and its alignments.
            counterpart = ingest(
                session,
                SEED_READOUT.read_text(encoding="utf-8").replace(
                    "Japan-U.S. Foreign Ministers’ Meeting",
                    "Secretary Pompeo's Meeting with Foreign Minister Kono",
                    1,
                ),
                dt.date(2018, 6, 6),
                by=desk,
            )
            assert confirm_link(session, first.id, counterpart.id, "counterpart", by=desk, now=NOW).alignments
            early = [c for p in first.points for c in p.commitments]
            late = [c for p in second.points for c in p.commitments]
            update_commitment(
                session,
                early[0],
                by=desk,
                note="sent — ✓",
                now=NOW,
                status="done",
                settings=DeadlineSettings(),
            )
            # A change by someone other than the owner (0017): the owner's notification.
            update_commitment(
                session,
                early[2],
                by=sup,
                note="checked with the embassy",
                now=NOW,
                status="in_progress",
                settings=DeadlineSettings(),
            )
            set_outcome(
                session,
                early[0],
                "fulfilled",
                by=desk,
                note="delivered",
                evidence_urls=["https://www.mofa.go.jp/example"],
                evidence_readout_id=second.id,
                now=NOW,
            )
            confirm_by_ids(session, early[1].id, late[0].id, by=desk, now=NOW)
            dated = next(c for c in early[1:] + late if c.due_date is not None)
            request_extension(
                session,
                dated,
                by=desk,
                new_due_date=dated.due_date + dt.timedelta(days=30),
                reason="the summit moved",
                now=NOW,
            )
            later = NOW + dt.timedelta(days=400)
            assert escalate(session, later, parse_steps("7:supervisor")) > 0
            # Readouts of one meeting (0009): a counterpart link with its commitment alignments.
            us, en = put(session, US_CALL, desk), put(session, MOFA_EN, desk)
            confirm_link(session, en.id, us.id, "counterpart", by=desk, now=NOW)
            # Need-to-know (issue 19): readout_desk_access and the readout's marking.
            restrict_at_ingest(session, second, desks=[desk.desk.name], marking="Confidential", by=desk)
            # Issue 19: an event date proposed by another desk's officer.
            summit = next(c.event for c in early if c.event is not None)
            europe = make_officer(session, email="eu@example.org", desk="Europe Desk", password=None)
            assert date_event(session, summit, dt.date(2018, 6, 12), by=europe, now=NOW).proposal is not None
            create_token(session, desk, TokenKind.API, "script", NOW)
            create_token(session, desk, TokenKind.FEED, "calendar", NOW)
            save_view(session, desk, name="Overdue — mine", query="overdue=1&sort=action", now=NOW)
            # The Japanese original of the seed, linked as the same meeting's other readout
            # (readout_link, and the aligned commitments in commitment_alignment; as a translation
            # it would fold the seed's commitments, which have their own history by now).
            ja_text = SEED_READOUT.with_name("mofaj-2018-06-06-japan-us-fm.txt").read_text(encoding="utf-8")
            ja = ingest(session, ja_text, dt.date(2018, 6, 6), by=desk)
            confirm_link(session, first.id, ja.id, "counterpart", by=desk, now=NOW)
            session.add(
                Digest(
                    officer_id=desk.id,
                    period="daily:2018-06-10",
                    subject="Follow-up digest",
                    body_text="text",
                    body_html="<p>html</p>",
                    message_id="<digest-1@tracker.example>",
                    state=DigestState.SENT,
                    attempts=1,
                    created_at=NOW,
                    sent_at=NOW,
                )
            )
        acquire_lease(factory, "digests", "host:1:abc", dt.timedelta(minutes=15))
    finally:
        engine.dispose()


def _copy(source: Engine, target: Engine, tables: MetaData) -> None:
    """Every row of `source` into `target`, in the columns the target's tables have."""
    at_head = MetaData()
    at_head.reflect(source)
    with source.connect() as read, target.begin() as write:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [c.name for c in table.c]
            rows = [
                dict(r._mapping)
                for r in read.execute(select(*(at_head.tables[table.name].c[c] for c in columns)))
            ]
            if rows:
                write.execute(insert(table), rows)


def _dump(engine: Engine, tables: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in tables.sorted_tables
            if t.name != "alembic_version"
        }


@pytest.mark.slow
def test_a_database_filled_at_the_previous_revision_upgrades_with_its_data_intact(backend: Backend) -> None:
    previous, head = _previous_revision()
    source_url, target_url = backend.fresh_url(), backend.empty_url()
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        _fill_through_the_services(source_url)
        migrate(target_url, previous)
        tables = MetaData()
        tables.reflect(target)
        _copy(source, target, tables)
        before = _dump(target, tables)
        empty = [name for name, rows in before.items() if not rows]
        assert not empty, f"fill these tables at revision {previous} too: {empty}"

        migrate(target_url, "head")
        target.dispose()
        with target.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head
        assert _dump(target, tables) == before, f"rows changed in the upgrade from {previous} to {head}"

        # Usable at head: the models read every table, and a change writes its history row.
        if target.dialect.name == "postgresql":
            with target.begin() as conn:
                _reset_sequences(conn)
        factory = make_session_factory(target)
        with factory() as session:
            for mapper in Base.registry.mappers:
                session.scalars(select(mapper.class_)).all()
        with factory.begin() as session:
            c = session.scalars(
                select(Commitment).where(Commitment.status == "open").order_by(Commitment.id)
            ).first()
            assert c is not None and c.owner is not None
            update_commitment(
                session,
                c,
                by=c.owner,
                note="after the upgrade",
                now=NOW,
                status="in_progress",
                settings=DeadlineSettings(),
            )
        with factory() as session:
            assert session.scalar(select(func.count()).where(StatusChange.note == "after the upgrade")) == 1
    finally:
        source.dispose()
        target.dispose()
        backend.release(source_url)
        backend.release(target_url)
