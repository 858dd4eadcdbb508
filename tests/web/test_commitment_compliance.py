"""The commitment page's outcome assessment and evidence/reaffirmation links, and the Reports and
Brief entries of the main navigation (issue 9 wired into the issue 5 pages)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from tests.web.conftest import World, page_token

Client = Callable[[str], FlaskClient]


def test_an_editor_gets_the_outcome_form_and_another_desk_reads_it(client_for: Client, world: World) -> None:
    cid = world.commitment_ids[0]
    action = f'action="/commitments/{cid}/outcome"'
    for role in ("desk", "colleague", "supervisor"):
        page = client_for(role).get(f"/commitments/{cid}").get_data(as_text=True)
        assert action in page, role
        assert f'name="next" value="/commitments/{cid}"' in page
    other = client_for("other")
    page = other.get(f"/commitments/{cid}").get_data(as_text=True)
    assert action not in page and "/outcome" not in page
    assert "Not assessed yet." in page
    assert "Evidence and reaffirmations" in page and "Not reaffirmed at a later meeting (yet)." in page

    desk = client_for("desk")
    form = {
        "outcome": "partial",
        "note": "Half of it happened",
        "evidence": "https://example.org/statement",
        "csrf_token": page_token(desk, f"/commitments/{cid}"),
        "next": f"/commitments/{cid}",
    }
    response = desk.post(f"/commitments/{cid}/outcome", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/commitments/{cid}")
    mine = desk.get(f"/commitments/{cid}").get_data(as_text=True)
    assert "currently <strong>Partly fulfilled</strong>" in mine
    assert 'href="https://example.org/statement"' in mine
    theirs = other.get(f"/commitments/{cid}").get_data(as_text=True)
    assert re.search(r"<strong>Partly fulfilled</strong> · assessed [^<]+ by ", theirs)
    assert "“Half of it happened”" in theirs and action not in theirs
    assert 'href="https://example.org/statement"' in theirs
    # The other desk's post is refused all the same (the route checks, not only the page).
    token = page_token(other, f"/commitments/{cid}")
    assert other.post(f"/commitments/{cid}/outcome", data={**form, "csrf_token": token}).status_code == 403


def test_the_navigation_leads_to_reports_and_the_brief(client_for: Client) -> None:
    client = client_for("other")
    home = client.get("/").get_data(as_text=True)
    nav = home.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/reports">Reports</a>' in nav and '<a href="/brief">Brief</a>' in nav
    assert '<a href="/reports" aria-current="page">Reports</a>' in client.get("/reports").get_data(
        as_text=True
    )
    brief = client.get("/brief").get_data(as_text=True)
    assert '<a href="/brief" aria-current="page">Brief</a>' in brief
    assert "Choose a counterpart" in brief and "United States" in brief
