"""Readouts: the searchable list and one readout's page with its points and quotes marked."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from tests.web.conftest import World

Client = Callable[[str], FlaskClient]
TITLE = "Japan-U.S. Foreign Ministers’ Meeting"


def test_the_list_and_its_search(client_for: Client, world: World) -> None:
    client = client_for("desk")
    page = client.get("/readouts").get_data(as_text=True)
    assert TITLE in page and "2018-06-06" in page and "(4 open)" in page
    for query, found in (
        ("q=foreign+ministers", True),
        ("q=G20", False),
        ("q=100%25", False),
        ("date_from=2018-06-01&date_to=2018-06-30", True),
        ("date_from=2018-07-01", False),
        ("party=Republic+of+Korea", True),
        ("party=France", False),
        ("publisher=nobody", False),
    ):
        assert (TITLE in client.get(f"/readouts?{query}").get_data(as_text=True)) is found, query
    bad = client.get("/readouts?date_from=june")
    assert bad.status_code == 200 and "Met from must be a date" in bad.get_data(as_text=True)


def test_the_readout_page_marks_points_and_quotes(client_for: Client, world: World) -> None:
    page = client_for("desk").get(f"/readouts/{world.readout_id}").get_data(as_text=True)
    assert page.count('<span class="point kind-') == 5
    assert len(re.findall(r'<a class="quote" href="#c-(\d+)"', page)) == 4
    for cid in world.commitment_ids:
        assert f'href="/commitments/{cid}"' in page
    assert "<title>Japan-U.S. Foreign Ministers’ Meeting · Commitment tracker</title>" in page


def test_a_missing_readout_is_404(client_for: Client) -> None:
    response = client_for("desk").get("/readouts/4242")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)
