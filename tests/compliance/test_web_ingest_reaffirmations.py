"""Reaffirmations in the ingest preview: proposed under each commitment, linked only when ticked.

The earlier readout below is a SYNTHETIC test text written for these tests, not a published
readout; the sample readout (sample_data/mofa-2018-06-06-japan-us-fm.txt) is pasted as an
officer would, and its point 4 repeats the synthetic point 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import SEED_READOUT
from tests.factories import ingest, make_officer
from tests.web.forms import form_fields
from tests.world import Recipe, World
from tracker.models import Commitment, Readout, Reaffirmation, StatusChange

# SYNTHETIC test readout (not a published text): an earlier meeting with the United States.
SYNTHETIC_EARLIER = """Japan-U.S. Foreign Ministers' Working Lunch (SYNTHETIC test readout, not a published text)

On April 11, 2018, Foreign Minister Kono had a working lunch with the Secretary of State of the United States. The overview is as follows.
1. The two ministers affirmed that Japan and the United States will continue working together to resolve the abductions issue.
2. Japan and the United States will hold a consultation on cyber policy before the end of July.
3. The two ministers exchanged views on the regional situation.
"""  # noqa: E501  (one paragraph per line, as readouts are)
EARLIER_DATE = dt.date(2018, 4, 11)
SEED_DATE = "2018-06-06"
ABDUCTIONS = "continue working together to resolve the abductions issue"
NOW = dt.datetime(2018, 6, 10, 9, 0, tzinfo=dt.UTC)


@dataclass
class Desk:
    app: Flask
    world: World
    editor: str  # North America Desk: the earlier commitments are theirs
    stranger: str  # Europe Desk
    abductions: int  # the earlier (synthetic) abductions commitment
    cyber: int  # the earlier cyber consultation: shares parties, reads otherwise

    def client(self, email: str) -> FlaskClient:
        return self.world.logged_in(email)

    def count(self, model: type) -> int:
        with self.world.session() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0

    def links(self) -> list[tuple[int, int, str]]:
        """(earlier id, later id, later quote) of every stored reaffirmation."""
        with self.world.session() as session:
            rows = session.execute(
                select(Reaffirmation.commitment_id, Reaffirmation.reaffirmed_by_id, Commitment.quote).join(
                    Commitment, Commitment.id == Reaffirmation.reaffirmed_by_id
                )
            )
            return sorted((a, b, q) for a, b, q in rows)


def _token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html
    )
    assert match, f"{path} carries a CSRF token"
    return match.group(1)


def _build_desk(session: Session, *, earlier_desk: str) -> dict[str, Any]:
    editor = make_officer(session, desk="North America Desk")
    stranger = make_officer(session, desk="Europe Desk")
    owner = editor if earlier_desk == "North America Desk" else stranger
    earlier = ingest(session, SYNTHETIC_EARLIER, EARLIER_DATE, by=owner, now=NOW - dt.timedelta(days=60))
    by_words = {c.quote: c.id for p in earlier.points for c in p.commitments}
    return {
        "desk": (
            editor.email,
            stranger.email,
            next(i for q, i in by_words.items() if ABDUCTIONS in q),
            next(i for q, i in by_words.items() if "cyber" in q),
        )
    }


EARLIER_HERE = Recipe(
    "reaffirm-earlier-here",
    lambda session: _build_desk(session, earlier_desk="North America Desk"),
    secret_key="test",
    clock=NOW,
)
EARLIER_ELSEWHERE = Recipe(
    "reaffirm-earlier-elsewhere",
    lambda session: _build_desk(session, earlier_desk="Europe Desk"),
    secret_key="test",
    clock=NOW,
)


@pytest.fixture
def world_recipe() -> Recipe:
    return EARLIER_HERE


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world.app, world, *world.data["desk"])


def _preview(client: FlaskClient) -> str:
    response = client.post(
        "/readouts/new",
        data={
            "csrf_token": _token(client, "/readouts/new"),
            "text": SEED_READOUT.read_text(encoding="utf-8"),
            "meeting_date": SEED_DATE,
        },
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row_of_point_4(page: str) -> int:
    """The preview's row number (C<n>) of the commitment quoting the abductions undertaking."""
    for n, body in re.findall(
        r'<fieldset class="commitment-row" id="row-(\d+)">(.*?)</blockquote>', page, re.S
    ):
        if ABDUCTIONS in body:
            return int(n)
    raise AssertionError("point 4's commitment is in the preview")


def test_the_preview_proposes_the_earlier_commitment_unticked(desk: Desk) -> None:
    client = desk.client(desk.editor)
    before = (desk.count(Readout), desk.count(Commitment))
    page = _preview(client)
    assert (desk.count(Readout), desk.count(Commitment)) == before, "a preview stores nothing"
    n = _row_of_point_4(page)
    boxes = re.findall(r'<input type="checkbox" name="c(\d+)_reaffirms" value="(\d+)"( checked)?>', page)
    # Only point 4 reads like an earlier commitment, and the officer decides: not ticked by default.
    assert boxes == [(str(n), str(desk.abductions), "")]
    proposal = page.split(f'id="row-{n}"', 1)[1].split("</fieldset>\n  </fieldset>", 1)[0]
    assert f"C{n} reaffirms #{desk.abductions} of Japan-U.S. Foreign Ministers&#39; Working Lunch" in proposal
    assert "(2018-04-11)" in proposal and re.search(r"similarity (9\d|100)\b", proposal)
    assert (
        "Japan and the United States will continue working together to resolve the abductions issue"
        in proposal
    )
    assert f'href="/commitments/{desk.abductions}"' in proposal


def test_saving_with_the_box_ticked_links_the_reaffirmation(desk: Desk) -> None:
    client = desk.client(desk.editor)
    page = _preview(client)
    n = _row_of_point_4(page)
    fields = form_fields(page, "/readouts/review")
    assert f"c{n}_reaffirms" not in fields
    fields[f"c{n}_reaffirms"] = str(desk.abductions)
    fields["action"] = "save"
    response = client.post("/readouts/review", data=fields, follow_redirects=True)
    assert response.status_code == 200
    assert "Linked as reaffirmations:" in response.get_data(as_text=True)
    ((earlier, later, quote),) = desk.links()
    assert earlier == desk.abductions and ABDUCTIONS in quote
    with desk.world.session() as session:
        change = session.scalars(
            select(StatusChange).where(
                StatusChange.commitment_id == desk.abductions, StatusChange.field == "reaffirmed"
            )
        ).one()
        assert change.new_value == f"commitment {later}"

    # The earlier commitment's page says how often and when it was reaffirmed; the later one's
    # what it repeats.
    earlier_page = client.get(f"/commitments/{desk.abductions}").get_data(as_text=True)
    assert "1 time:" in earlier_page and f'href="/commitments/{later}">#{later}</a>' in earlier_page
    assert "Japan-U.S. Foreign Ministers’ Meeting (2018-06-06)" in earlier_page
    later_page = client.get(f"/commitments/{later}").get_data(as_text=True)
    assert (
        "Reaffirms" in later_page
        and f'href="/commitments/{desk.abductions}">#{desk.abductions}</a>' in later_page
    )


def test_saving_with_the_box_unticked_links_nothing(desk: Desk) -> None:
    client = desk.client(desk.editor)
    fields = form_fields(_preview(client), "/readouts/review")
    fields["action"] = "save"
    response = client.post("/readouts/review", data=fields, follow_redirects=True)
    assert response.status_code == 200 and "Saved readout" in response.get_data(as_text=True)
    assert desk.count(Readout) == 2
    assert desk.links() == []
    assert "Not reaffirmed at a later meeting (yet)." in client.get(
        f"/commitments/{desk.abductions}"
    ).get_data(as_text=True)


def test_a_tick_survives_updating_the_preview(desk: Desk) -> None:
    client = desk.client(desk.editor)
    page = _preview(client)
    n = _row_of_point_4(page)
    fields = form_fields(page, "/readouts/review")
    fields[f"c{n}_reaffirms"] = str(desk.abductions)
    fields["action"] = "update"
    updated = client.post("/readouts/review", data=fields).get_data(as_text=True)
    assert f'name="c{n}_reaffirms" value="{desk.abductions}" checked>' in updated


def test_forged_proposals_are_ignored(desk: Desk) -> None:
    client = desk.client(desk.editor)
    page = _preview(client)
    n = _row_of_point_4(page)
    fields = form_fields(page, "/readouts/review")
    # A real commitment not proposed for point 4, one that does not exist, junk, and the real
    # proposal posted under another row: none of them is a proposal for that commitment.
    fields[f"c{n}_reaffirms"] = [str(desk.cyber), "999999", "x"]
    fields[f"c{1 if n != 1 else 2}_reaffirms"] = str(desk.abductions)
    fields["action"] = "save"
    response = client.post("/readouts/review", data=fields, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Saved readout" in page
    assert "Not linked: 3 ticked matches" in page
    assert desk.links() == []


@pytest.mark.parametrize("world_recipe", [EARLIER_ELSEWHERE], ids=["earlier-elsewhere"])
def test_an_earlier_commitment_of_another_desk_is_shown_but_not_linkable(desk: Desk) -> None:
    client = desk.client(desk.editor)
    page = _preview(client)
    n = _row_of_point_4(page)
    assert "_reaffirms" not in page
    assert f"Likely repeats #{desk.abductions}" in page and "which you cannot change" in page
    fields = form_fields(page, "/readouts/review")
    fields[f"c{n}_reaffirms"] = str(desk.abductions)  # forged: no box was offered
    fields["action"] = "save"
    response = client.post("/readouts/review", data=fields, follow_redirects=True)
    assert response.status_code == 200 and "Not linked: 1 ticked match " in response.get_data(as_text=True)
    assert desk.links() == []
