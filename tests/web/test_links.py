"""The reconciliation and progress pages, and the ingest preview's proposals (issue 17)."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.followup_intel.helpers import MOFA_EN, RAA_PROMISED, RAA_SIGNED, US_CALL, put
from tests.web.conftest import World, page_token
from tracker.models import Commitment, Officer, Status


def _ingest(world: World, *which: tuple) -> list[int]:  # type: ignore[type-arg]
    with world.factory.begin() as session:
        desk = session.get(Officer, world.ids["desk"])
        return [put(session, w, desk).id for w in which]


def test_a_readout_is_linked_and_reconciled_from_its_page(
    world: World, client_for: Callable[[str], FlaskClient]
) -> None:
    us, en = _ingest(world, US_CALL, MOFA_EN)
    client = client_for("desk")
    page = client.get(f"/readouts/{en}/reconcile").get_data(as_text=True)
    assert "Secretary Blinken" in page and "is linked to no other readout" in page
    token = page_token(client, f"/readouts/{en}/reconcile")
    done = client.post(
        f"/readouts/{en}/links", data={"csrf_token": token, "other_id": str(us), "kind": "counterpart"}
    )
    assert done.status_code == 302
    page = client.get(f"/readouts/{en}/reconcile").get_data(as_text=True)
    assert "Reported by both" in page and "Not in the other side&#39;s readout" in page
    assert "modernizing the U.S.-Japan Alliance" in page
    detail = client.get(f"/readouts/{en}").get_data(as_text=True)
    assert f"/readouts/{en}/reconcile" in detail


def test_progress_is_accepted_from_the_readout_page(
    world: World, client_for: Callable[[str], FlaskClient]
) -> None:
    _, later = _ingest(world, RAA_PROMISED, RAA_SIGNED)
    client = client_for("desk")
    page = client.get(f"/readouts/{later}/progress").get_data(as_text=True)
    assert "was signed" in page and "done" in page
    with world.factory() as session:
        [c] = [
            c
            for c in session.query(Commitment).filter(Commitment.status == Status.OPEN)
            if "early signing" in c.quote
        ]
        cid, version = c.id, c.version
    token = page_token(client, f"/readouts/{later}/progress")
    response = client.post(
        f"/readouts/{later}/progress",
        data={"csrf_token": token, "commitment_id": str(cid), "version": str(version)},
    )
    assert response.status_code == 302
    with world.factory() as session:
        assert session.get(Commitment, cid).status == Status.DONE  # type: ignore[union-attr]
    stale = client.post(
        f"/readouts/{later}/progress",
        data={"csrf_token": token, "commitment_id": str(cid), "version": str(version)},
    )
    assert stale.status_code == 302  # refused with a message: no longer proposed


def test_the_ingest_preview_shows_the_same_meeting_and_the_progress(
    world: World, client_for: Callable[[str], FlaskClient]
) -> None:
    _ingest(world, RAA_PROMISED, US_CALL)
    client = client_for("desk")
    token = page_token(client, "/readouts/new")
    preview = client.post(
        "/readouts/new",
        data={
            "csrf_token": token,
            "text": RAA_SIGNED[0].read_text(encoding="utf-8"),
            "meeting_date": "2022-01-06",
        },
    ).get_data(as_text=True)
    assert "Progress this readout reports on earlier commitments" in preview
    assert 'name="progress_accept"' in preview and "was signed" in preview
    token = page_token(client, "/readouts/new")
    call = client.post(
        "/readouts/new",
        data={"csrf_token": token, "text": MOFA_EN[0].read_text(encoding="utf-8")},
    ).get_data(as_text=True)
    assert 'name="link_to"' in call and "Secretary Blinken" in call
