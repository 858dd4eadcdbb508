"""Extensions and escalations on the API (issue 17): ask, decide, and read them in a commitment."""

from __future__ import annotations

from tests.api.conftest import World, assert_problem


def test_ask_for_an_extension_and_have_it_decided(world: World) -> None:
    commitment_id = world.ids["dated_commitments"][0]
    path = f"/api/v1/commitments/{commitment_id}/extensions"
    before = world.call("GET", f"/api/v1/commitments/{commitment_id}").get_json()
    assert (before["escalations"], before["extensions"]) == ([], [])

    assert_problem(
        world.call("POST", path, who="other", json={"new_due_date": "2018-12-01", "reason": "x"}), 403
    )
    assert_problem(world.call("POST", path, json={"new_due_date": "2018-01-01", "reason": "earlier"}), 422)
    assert_problem(world.call("POST", path, json={"new_due_date": "2018-12-01"}), 422)
    asked = world.call("POST", path, json={"new_due_date": "2018-12-01", "reason": "elections there"})
    assert asked.status_code == 201, asked.get_data(as_text=True)
    request = asked.get_json()
    assert (request["state"], request["requested_by"], request["old_due_date"]) == (
        "pending",
        "desk@example.org",
        before["due_date"],
    )
    assert_problem(world.call("POST", path, json={"new_due_date": "2018-12-02", "reason": "again"}), 422)

    decision = f"/api/v1/extensions/{request['id']}/decision"
    assert_problem(world.call("POST", decision, json={"approve": True}), 403)  # their own request
    assert_problem(world.call("POST", decision, who="colleague", json={"approve": True}), 403)
    assert_problem(world.call("POST", decision, who="supervisor", json={"approve": False}), 422)  # no note
    assert_problem(
        world.call("POST", "/api/v1/extensions/999999/decision", who="supervisor", json={"approve": True}),
        404,
    )
    decided = world.call("POST", decision, who="supervisor", json={"approve": True, "note": "fine"})
    assert decided.status_code == 200, decided.get_data(as_text=True)
    assert (decided.get_json()["state"], decided.get_json()["decided_by"]) == ("approved", "sup@example.org")

    after = world.call("GET", f"/api/v1/commitments/{commitment_id}").get_json()
    assert after["due_date"] == "2018-12-01"
    assert after["extensions"][0]["state"] == "approved"
    assert [h["field"] for h in after["history"]][-3:] == ["extension_requested", "due_date", "extension"]
    assert_problem(world.call("POST", decision, who="supervisor", json={"approve": True}), 422)  # decided
