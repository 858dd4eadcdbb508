"""The countries a desk covers, and the owner and desk the ingest preview defaults from a
readout's counterpart (issue 18), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests import followup_factories as f
from tests.factories import make_officer
from tracker.services.desk_policy import counterparts, default_assignment, set_countries
from tracker.services.errors import InvalidInput


def test_a_desk_covers_countries_by_their_canonical_names_one_desk_each(session: Session) -> None:
    americas = f.desk(session, "Americas Desk")
    korea = f.desk(session, "Korea Desk")
    assert set_countries(session, americas, "US; canada, United States") == ["Canada", "United States"]
    assert [c.country for c in americas.countries] == ["Canada", "United States"]
    with pytest.raises(InvalidInput, match="Canada is covered by Americas Desk already"):
        set_countries(session, korea, "ROK; Canada")
    with pytest.raises(InvalidInput, match="not a country or organisation the tracker knows: Atlantis"):
        set_countries(session, korea, "Atlantis")
    assert set_countries(session, korea, "ROK, ASEAN") == ["ASEAN", "Republic of Korea"]
    # Moving a country: removed from one desk, then given to the other, in one transaction.
    assert set_countries(session, americas, "US") == ["United States"]
    assert set_countries(session, korea, "ROK; Canada") == ["Canada", "Republic of Korea"]
    assert set_countries(session, americas, "") == []
    assert americas.countries == []


def test_the_counterpart_is_every_party_but_our_own_most_named_first() -> None:
    parties = [["Japan", "Canada"], ["Japan", "United States", "Canada"], ["Japan"]]
    assert counterparts(parties, "Japan") == ["Canada", "United States"]
    assert counterparts([["Japan"]], "Japan") == []


def test_the_preview_defaults_from_the_desk_covering_the_counterpart(session: Session) -> None:
    me = make_officer(session, desk="Japan Desk")
    americas = f.desk(session, "Americas Desk")
    set_countries(session, americas, "Canada")
    readout = [["Japan", "Canada"], ["Japan", "Canada"]]

    # Nobody on the covering desk: the desk, and no owner yet.
    assert default_assignment(session, readout, home_party="Japan", ingesting=me) == (None, americas)
    # One officer: theirs.
    only = make_officer(session, desk="Americas Desk")
    make_officer(session, desk="Americas Desk", role="supervisor")
    assert default_assignment(session, readout, home_party="Japan", ingesting=me) == (only, americas)
    # Two: the preview asks.
    make_officer(session, desk="Americas Desk")
    assert default_assignment(session, readout, home_party="Japan", ingesting=me) == (None, americas)
    # The officer ingesting is on the covering desk: theirs.
    mine = make_officer(session, desk="Americas Desk")
    assert default_assignment(session, readout, home_party="Japan", ingesting=mine) == (mine, americas)
    # No desk covers the counterpart: the officer's own desk.
    assert default_assignment(session, [["Japan", "France"]], home_party="Japan", ingesting=me) == (
        me,
        me.desk,
    )
    assert default_assignment(session, [], home_party="Japan", ingesting=me) == (me, me.desk)
