"""The API of readouts of one meeting and of progress (issue 17), checked against its own document."""

from __future__ import annotations

from tests.api.conftest import World, assert_problem
from tests.followup_intel.helpers import MOFA_EN, RAA_PROMISED, RAA_SIGNED, US_CALL, put
from tracker.models import Officer


def _ingest(world: World, *which: tuple) -> list[int]:  # type: ignore[type-arg]
    # In the world's own transaction (rolled back after the test), as the app sees it.
    with world.session() as session:
        desk = session.get(Officer, world.ids["desk_officer"])
        ids = [put(session, w, desk).id for w in which]
        session.commit()
    return ids


def test_links_are_proposed_made_and_reconciled(world: World) -> None:
    us, en = _ingest(world, US_CALL, MOFA_EN)
    listed = world.call("GET", f"/api/v1/readouts/{en}/links")
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["links"] == [] and [p["readout_id"] for p in body["proposals"]] == [us]
    made = world.call(
        "POST", f"/api/v1/readouts/{en}/links", json={"other_readout_id": us, "kind": "counterpart"}
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["aligned"] == 1
    again = world.call(
        "POST", f"/api/v1/readouts/{en}/links", json={"other_readout_id": us, "kind": "counterpart"}
    )
    assert "already linked" in assert_problem(again, 422)["detail"]
    bad = world.call("POST", f"/api/v1/readouts/{en}/links", json={"other_readout_id": us, "kind": "cousin"})
    assert "kind" in assert_problem(bad, 422)["errors"]
    rec = world.call("GET", f"/api/v1/readouts/{en}/reconciliation")
    [item] = rec.get_json()["items"]
    assert item["counts"] == {"both": 1, "only_this": 5, "only_other": 1, "flagged": 0}
    assert {row["status"] for row in item["rows"]} == {"both", "only_this", "only_other"}
    assert_problem(world.call("GET", "/api/v1/readouts/999999/reconciliation"), 404)
    assert_problem(world.call("GET", f"/api/v1/readouts/{en}/links", who=None), 401)


def test_progress_is_proposed_and_accepted_with_the_version(world: World) -> None:
    _, later = _ingest(world, RAA_PROMISED, RAA_SIGNED)
    proposals = world.call("GET", f"/api/v1/readouts/{later}/progress").get_json()["items"]
    [done] = [p for p in proposals if "early signing" in p["commitment_quote"]]
    assert done["outcome"] == "done" and done["new_status"] == "done" and "was signed" in done["evidence"]
    stale = world.call(
        "POST",
        f"/api/v1/readouts/{later}/progress",
        json={"commitment_id": done["commitment_id"], "expect_version": done["commitment_version"] + 3},
    )
    assert_problem(stale, 412)
    other = world.call(
        "POST",
        f"/api/v1/readouts/{later}/progress",
        json={"commitment_id": done["commitment_id"]},
        who="other",
    )
    assert_problem(other, 403)
    ok = world.call(
        "POST",
        f"/api/v1/readouts/{later}/progress",
        json={"commitment_id": done["commitment_id"], "expect_version": done["commitment_version"]},
    )
    assert ok.status_code == 200, ok.get_data(as_text=True)
    changed = ok.get_json()
    assert changed["status"] == "done" and ok.headers["ETag"] == f'"{changed["version"]}"'
    assert any(h["field"] == "status" and f"readout {later}" in h["note"] for h in changed["history"])
    gone = world.call(
        "POST", f"/api/v1/readouts/{later}/progress", json={"commitment_id": done["commitment_id"]}
    )
    assert_problem(gone, 422)
