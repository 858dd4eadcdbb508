"""My settings: time zone and digest preference, and the digest preview."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from tests.web.conftest import World, page_token
from tracker.models import Officer

Client = Callable[[str], FlaskClient]


def test_change_my_time_zone_and_digest(client_for: Client, world: World) -> None:
    client = client_for("desk")
    token = page_token(client, "/settings")
    response = client.post(
        "/settings",
        data={
            "csrf_token": token,
            "timezone": "Asia/Tokyo",
            "digest_frequency": "weekly",
            "digest_hour": "6",
            "digest_weekday": "2",
        },
    )
    assert response.status_code == 302
    with world.session() as s:
        me = s.get(Officer, world.ids["desk"])
        assert me is not None
        assert (me.timezone, me.digest_frequency.value, me.digest_hour, me.digest_weekday) == (
            "Asia/Tokyo",
            "weekly",
            6,
            2,
        )
    assert "Settings saved." in client.get("/settings").get_data(as_text=True)
    # History times are now shown in Tokyo time.
    for data, message in (
        ({"timezone": "Nowhere/Special"}, "unknown time zone"),
        ({"timezone": "UTC", "digest_hour": "25"}, "between 0 and 23"),
        ({"timezone": "UTC", "digest_frequency": "hourly"}, "unknown digest preference"),
        ({"timezone": "UTC", "digest_hour": "eight"}, "must be a whole number"),
    ):
        form = {
            "csrf_token": token,
            "digest_frequency": "daily",
            "digest_hour": "8",
            "digest_weekday": "0",
            **data,
        }
        response = client.post("/settings", data=form)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data


def test_the_digest_preview_says_what_the_next_digest_would(client_for: Client, world: World) -> None:
    page = client_for("desk").get("/settings/digest-preview").get_data(as_text=True)
    assert "What my next digest would say" in page
    assert "Subject:" in page
    assert f'href="/commitments/{world.commitment_ids[3]}"' in page
    calm = client_for("other").get("/settings/digest-preview").get_data(as_text=True)
    assert "Nothing to report" in calm


def test_the_time_zone_is_chosen_from_a_list_with_mine_selected(client_for: Client) -> None:
    page = client_for("desk").get("/settings").get_data(as_text=True)
    select = re.search(r'<select id="timezone" name="timezone" required[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, "a list, not a free-text field"
    assert '<optgroup label="Asia">' in select.group(1)
    assert '<option value="UTC" selected>UTC</option>' in select.group(1)
    assert '<option value="Asia/Tokyo">Asia/Tokyo</option>' in select.group(1)
