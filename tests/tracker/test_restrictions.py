"""Need-to-know (issue 19) in the services: restricting at ingest, changing it later with its
history, the clear refusals, and a backup made for a non-admin, on both databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.main import main
from tests.conftest import SEED_READOUT
from tests.factories import NOW, ingest, make_officer
from tracker.db import make_engine, make_session_factory
from tracker.deadlines import DeadlineSettings
from tracker.models import Commitment, Readout, StatusChange
from tracker.services.commitment_queries import CommitmentFilter, get_commitment, list_commitments
from tracker.services.commitments import update_commitment
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.services.permissions import can_see_readout
from tracker.services.restrictions import change_restriction, restrict_at_ingest

NA, EU = "North America Desk", "Europe Desk"


def _seed(session: Session) -> tuple[Readout, dict[str, object]]:
    people = {
        "desk": make_officer(session, email="na@example.org", desk=NA, password=None),
        "other": make_officer(session, email="eu@example.org", desk=EU, password=None),
        "sup": make_officer(session, email="sup@example.org", role="supervisor", desk=None, password=None),
        "na_sup": make_officer(session, email="nasup@example.org", role="supervisor", desk=NA, password=None),
        "admin": make_officer(session, email="admin@example.org", role="admin", desk=None, password=None),
    }
    readout = ingest(
        session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=people["desk"]
    )
    return readout, people


def test_restricted_at_ingest_only_the_named_desk_and_admins_see_it(session: Session) -> None:
    readout, p = _seed(session)
    restrict_at_ingest(session, readout, desks=[NA], marking=" Confidential ", by=p["desk"])  # type: ignore[arg-type]
    assert readout.is_restricted and readout.marking == "Confidential"
    seen = {k: can_see_readout(session, o, readout.id) for k, o in p.items()}  # type: ignore[arg-type]
    assert seen == {"desk": True, "other": False, "sup": False, "na_sup": True, "admin": True}
    cid = session.scalars(select(Commitment.id).where(Commitment.readout_id == readout.id)).first()
    assert cid is not None
    with pytest.raises(NotFound, match=f"no commitment with id {cid}"):
        get_commitment(session, cid, viewer=p["other"])  # type: ignore[arg-type]
    assert list_commitments(session, CommitmentFilter(), NOW.date(), viewer=p["sup"]) == []  # type: ignore[arg-type]
    assert len(list_commitments(session, CommitmentFilter(), NOW.date(), viewer=p["na_sup"])) > 0  # type: ignore[arg-type]


def test_a_restricted_commitment_cannot_be_given_to_an_officer_who_may_not_see_it(session: Session) -> None:
    readout, p = _seed(session)
    restrict_at_ingest(session, readout, desks=[NA], marking=None, by=p["desk"])  # type: ignore[arg-type]
    c = readout.points[1].commitments[0]
    version = c.version
    with pytest.raises(InvalidInput, match=r"eu@example\.org may not see this commitment"):
        update_commitment(
            session,
            c,
            by=p["desk"],
            note="hand over",
            now=NOW,
            settings=DeadlineSettings(),
            owner=p["other"],  # type: ignore[arg-type]
        )
    assert c.version == version and c.owner is not p["other"]


def test_ingest_refuses_an_owner_chosen_in_the_preview_who_could_not_see_it(session: Session) -> None:
    readout, p = _seed(session)
    readout.points[1].commitments[0].owner = p["other"]  # type: ignore[assignment]  # as the preview allows
    session.flush()
    with pytest.raises(InvalidInput, match=r"on no desk that may see the readout: eu@example\.org"):
        restrict_at_ingest(session, readout, desks=[NA], marking=None, by=p["desk"])  # type: ignore[arg-type]
    restrict_at_ingest(session, readout, desks=[NA, EU], marking=None, by=p["desk"])  # type: ignore[arg-type]
    assert can_see_readout(session, p["other"], readout.id)  # type: ignore[arg-type]


def test_ingest_refuses_what_would_hide_it_from_the_officer_and_bad_markings(session: Session) -> None:
    readout, p = _seed(session)
    with pytest.raises(InvalidInput, match="must include your own desk"):
        restrict_at_ingest(session, readout, desks=[EU], marking=None, by=p["desk"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="unknown desk: 'Atlantis Desk'"):
        restrict_at_ingest(session, readout, desks=[NA, "Atlantis Desk"], marking=None, by=p["desk"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="control or invisible"):
        restrict_at_ingest(session, readout, desks=[NA], marking="Secret\u202e", by=p["desk"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="name the desks"):
        restrict_at_ingest(session, readout, desks=[], marking="Confidential", by=p["desk"])  # type: ignore[arg-type]
    assert not readout.is_restricted and readout.access_desks == []


def test_changing_it_later_is_for_admins_and_supervisors_who_see_it_with_history(session: Session) -> None:
    readout, p = _seed(session)
    with pytest.raises(PermissionDenied):
        change_restriction(session, readout, desks=[NA], marking=None, by=p["desk"], now=NOW)  # type: ignore[arg-type]
    assert change_restriction(
        session,
        readout,
        desks=[NA, EU],
        marking="Confidential",
        by=p["admin"],
        now=NOW,
        note="talks",  # type: ignore[arg-type]
    )
    # A supervisor who does not see it cannot find it; one on a named desk can narrow it.
    with pytest.raises(NotFound):
        change_restriction(session, readout, desks=[], marking=None, by=p["sup"], now=NOW)  # type: ignore[arg-type]
    assert change_restriction(session, readout, desks=[NA], marking="Secret", by=p["na_sup"], now=NOW)  # type: ignore[arg-type]
    assert not change_restriction(session, readout, desks=[NA], marking="Secret", by=p["na_sup"], now=NOW)  # type: ignore[arg-type]
    rows = session.execute(
        select(StatusChange.old_value, StatusChange.new_value, StatusChange.note)
        .join(Commitment, Commitment.id == StatusChange.commitment_id)
        .where(Commitment.readout_id == readout.id, StatusChange.field == "restriction")
        .order_by(StatusChange.id)
    ).all()
    n = len({c.id for p_ in readout.points for c in p_.commitments})
    assert len(rows) == 2 * n
    assert set(rows[:n]) == {("none", f"Confidential: {EU}, {NA}", "talks")}
    assert set(rows[n:]) == {(f"Confidential: {EU}, {NA}", f"Secret: {NA}", None)}


def test_a_backup_made_for_a_non_admin_leaves_the_hidden_readout_out(
    fresh_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(fresh_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            readout, p = _seed(session)
            restrict_at_ingest(session, readout, desks=[NA], marking="Confidential", by=p["desk"])  # type: ignore[arg-type]
    finally:
        engine.dispose()

    def tables(*by: str) -> dict[str, list[dict[str, object]]]:
        out = tmp_path / "backup.json"
        result = CliRunner().invoke(
            main, ["export", str(out), *by], env={"TRACKER_DATABASE_URL": fresh_database_url}
        )
        assert result.exit_code == 0, result.output
        return json.loads(out.read_text(encoding="utf-8"))["tables"]  # type: ignore[no-any-return]

    everything = tables()
    assert tables("--by", "na@example.org") == everything == tables("--by", "admin@example.org")
    other = tables("--by", "eu@example.org")
    for name in ("readout", "commitment", "readout_point", "commitment_party", "readout_desk_access"):
        assert everything[name] and other[name] == [], name
    assert other["officer"] == everything["officer"]  # what is not the readout's stays
    refused = CliRunner().invoke(
        main,
        ["export", str(tmp_path / "s.json"), "--include-secrets", "--by", "eu@example.org"],
        env={"TRACKER_DATABASE_URL": fresh_database_url},
    )
    assert refused.exit_code != 0 and "secrets" in refused.output
    assert not (tmp_path / "s.json").exists()
