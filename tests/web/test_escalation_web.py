"""Escalation and extensions in the web app (issue 17): the admin's desk policy, "escalated to X on
D" on the commitment page, and an extension asked for and approved there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import NOW, World, page_token
from tracker.models import Commitment, Desk, DeskPolicy, Escalation, ExtensionRequest
from tracker.services.sweep import sweep

Client = Callable[[str], FlaskClient]


def test_policy_escalation_and_extension_in_the_web_app(client_for: Client, world: World) -> None:
    admin = client_for("admin")
    with world.session() as s:
        desk_id = s.scalars(select(Desk.id).where(Desk.name == "North America Desk")).one()
    token = page_token(admin, "/admin/desks")
    path = f"/admin/desks/{desk_id}/policy"
    bad = admin.post(path, data={"csrf_token": token, "escalation_steps": "3:minister"})
    assert bad.status_code == 400 and "3:minister" in bad.get_data(as_text=True)
    saved = admin.post(
        path,
        data={
            "csrf_token": token,
            "supervisor": world.emails["supervisor"],
            "head": "",
            "escalation_steps": "3:supervisor",
            "country": "jp",
            "day_count": "working",
        },
    )
    assert saved.status_code == 302
    assert 'value="3:supervisor"' in admin.get("/admin/desks").get_data(as_text=True)
    desk_client = client_for("desk")
    assert (
        desk_client.post(path, data={"csrf_token": page_token(desk_client, "/settings")}).status_code == 403
    )

    commitment_id = world.commitment_ids[0]
    with world.session() as s, s.begin():
        policy = s.get(DeskPolicy, desk_id)
        assert policy is not None and policy.country == "JP"
        c = s.get(Commitment, commitment_id)
        assert c is not None
        c.due_date = dt.date(2018, 6, 1)
        assert sweep(s, NOW).escalated == 1

    officer = client_for("desk")
    page = officer.get(f"/commitments/{commitment_id}").get_data(as_text=True)
    assert "<strong>Escalated</strong> to Officer" in page
    assert "(supervisor@example.org) on 2018-06-10 (step 1: 3 days overdue)" in page

    token = page_token(officer, f"/commitments/{commitment_id}")
    refused = officer.post(
        f"/commitments/{commitment_id}/extensions", data={"csrf_token": token, "new_due_date": "2018-07-01"}
    )
    assert refused.status_code == 400 and "a reason is required" in refused.get_data(as_text=True)
    asked = officer.post(
        f"/commitments/{commitment_id}/extensions",
        data={"csrf_token": token, "new_due_date": "2018-07-01", "reason": "the partner asked for time"},
    )
    assert asked.status_code == 302
    page = officer.get(f"/commitments/{commitment_id}").get_data(as_text=True)
    assert "Waiting for a supervisor" in page and "Approve: move the due date" not in page

    supervisor = client_for("supervisor")
    page = supervisor.get(f"/commitments/{commitment_id}").get_data(as_text=True)
    assert "Approve: move the due date" in page
    with world.session() as s:
        assert len(s.scalars(select(Escalation.id)).all()) == 1
        request_id = s.scalars(select(ExtensionRequest.id)).one()
    token = page_token(supervisor, f"/commitments/{commitment_id}")
    decided = supervisor.post(
        f"/extensions/{request_id}/decision", data={"csrf_token": token, "decision": "approve", "note": ""}
    )
    assert decided.status_code == 302
    page = supervisor.get(f"/commitments/{commitment_id}").get_data(as_text=True)
    assert "<strong>Escalated</strong>" not in page
    assert "2018-07-01" in page and "<strong>approved</strong>" in page and "cleared 2018-06-10" in page
