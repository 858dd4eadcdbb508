"""Issue 19, item 10 (web parts): redirects that leave the site, numbers too large for the
database, invisible characters saved as their placeholders, and bidi overrides in CSV cells."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from tests.security.conftest import Secured
from tests.web.forms import form_fields
from tests.world import csrf_token
from tracker.models import Commitment, Readout
from tracker.services.export import safe_cell

HUGE = "9" * 20


def test_the_outcome_forms_next_never_leaves_the_site(secured: Secured) -> None:
    desk = secured.clients["desk"]
    cid = secured.world.commitment_ids[2]
    token = csrf_token(desk.get(f"/commitments/{cid}").get_data(as_text=True))
    for target in (
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\t//evil.example",
    ):
        with secured.factory() as session:
            version = session.get_one(Commitment, cid).version
        response = desk.post(
            f"/commitments/{cid}/outcome",
            data={
                "csrf_token": token,
                "outcome": "partial",
                "note": "assessed",
                "version": str(version),
                "next": target,
            },
        )
        location = response.headers.get("Location", "")
        assert response.status_code in (302, 303), (target, response.status_code)
        assert "evil" not in location and not location.replace("\t", "").startswith("//"), (target, location)


def test_a_login_next_with_cr_lf_is_ignored_not_a_500(secured: Secured) -> None:
    client = secured.app.test_client()
    for target in ("/commitments\r\nSet-Cookie: x=1", "/\r\n/evil.example", "%0d%0a"):
        page = client.get("/login", query_string={"next": target})
        assert page.status_code == 200, target
        response = client.post(
            "/login",
            query_string={"next": target},
            data={
                "email": secured.world.emails["desk"],
                "password": "correct horse battery",
                "csrf_token": csrf_token(page.get_data(as_text=True)),
            },
        )
        assert response.status_code in (200, 302), (target, response.status_code)
        assert "\r" not in response.headers.get("Location", "") and "Set-Cookie: x" not in str(
            response.headers
        )


def test_twenty_digit_numbers_in_lists_and_the_api_are_not_500(secured: Secured) -> None:
    desk = secured.clients["desk"]
    for path in (
        f"/commitments?page={HUGE}",
        f"/commitments?readout={HUGE}",
        f"/readouts?page={HUGE}",
        f"/commitments.csv?readout={HUGE}",
    ):
        response = desk.get(path)
        assert response.status_code in (200, 400), (path, response.status_code)
        response.close()
    bearer = {"Authorization": f"Bearer {secured.api_tokens['desk']}"}
    api = secured.app.test_client()
    for path in (
        f"/api/v1/commitments?readout_id={HUGE}",
        f"/api/v1/commitments?limit={HUGE}",
        f"/api/v1/readouts?limit={HUGE}",
        f"/api/v1/commitments/{HUGE}",
    ):
        response = api.get(path, headers=bearer)
        assert response.status_code in (200, 400, 404, 422), (path, response.status_code)


def test_the_preview_keeps_invisible_characters_faithful_and_never_saves_a_placeholder(
    secured: Secured,
) -> None:
    desk = secured.clients["desk"]
    token = csrf_token(desk.get("/readouts/new").get_data(as_text=True))
    text = (
        "Japan-France meeting\n\nOn June 6, 2018, the two ministers met.\n\n"
        "1. Japan will send an economic \u202emission\u202c to France\u200b by July 1, 2018.\n"
    )
    preview = desk.post(
        "/readouts/new", data={"csrf_token": token, "text": text, "meeting_date": "2018-06-06"}
    )
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    # Shown safely where it is text to read, the action's field saying what it holds...
    assert "⟨U+202E⟩" in html
    assert "Holds invisible characters, kept as they are: Send an economic ⟨U+202E⟩mission" in html
    fields = form_fields(html, "/readouts/review")
    fields["action"] = "save"
    # ...but the form sends back what the readout says.
    assert not any("⟨U+" in str(v) for v in fields.values()), {
        k: v for k, v in fields.items() if "⟨U+" in str(v)
    }
    saved = desk.post("/readouts/review", data=fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    with secured.factory() as session:
        readout = session.scalars(select(Readout).order_by(Readout.id.desc())).first()
        assert readout is not None and "\u202e" in readout.text
        actions = [c.action for p in readout.points for c in p.commitments]
        assert actions and not any("⟨U+" in a for a in actions), actions


def test_bidi_overrides_are_neutralised_in_csv_cells(secured: Secured) -> None:
    assert "\u202e" not in safe_cell("gnp.exe\u202eevil") and "\u2066" not in safe_cell("a\u2066b\u2069")
    assert safe_cell("plain text") == "plain text"
    desk = secured.clients["desk"]
    cid = secured.world.commitment_ids[0]
    with secured.factory() as session:
        version = session.get_one(Commitment, cid).version
    token = csrf_token(desk.get(f"/commitments/{cid}").get_data(as_text=True))
    desk.post(
        f"/commitments/{cid}",
        data={
            "csrf_token": token,
            "status": "in_progress",
            "note": "paid \u202e0001$",
            "version": str(version),
        },
    )
    body = desk.get("/commitments.csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert any("paid" in cell for cell in cells)
    assert not any(ch in body for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
