"""Need-to-know (issue 19): the URL-map authorisation matrix again, with every object restricted.

The seed readout (the North America desk's, every commitment the matrix acts on) is restricted to
the North America desk with the marking "Confidential". Then, for every route of the app and
every role:

- an officer of another desk and a supervisor who is on no named desk get 404 for every route
  that names a restricted readout or commitment (never 403: a hidden object is not told apart
  from a missing one), and nothing is written;
- every other answer they get (lists, counts, the dashboard and its "see all N" links, search,
  the feed, the digest, the CSV, the brief, reports, the API) holds nothing of the restricted
  readout: not its title, a quote, its marking or a link to one of its commitments;
- the named desk and admins get exactly what the matrix says they get without the restriction;
- the named desk sees the marking on the pages, in the CSV and in the brief (HTML, .docx).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile

import pytest
from sqlalchemy import select

from tests.security.conftest import ROLES, Secured, Unchanged
from tests.security.test_authorisation_matrix import (
    EXPECT,
    NOT_CHANGED,
    NOT_FOUND,
    _check,
    _order,
    request_for,
    routes,
)
from tests.web.conftest import NA_DESK
from tracker.models import Commitment, Readout
from tracker.services.restrictions import restrict_at_ingest

# The seed's commitments are due soon and overdue by then, so the desk's digest lists them.
NOW_DIGEST = dt.datetime(2018, 6, 20, 9, 0, tzinfo=dt.UTC)
MARKING = "Confidential Q7"  # distinct from any word the app prints of its own
# Roles that must see nothing of it: another desk's officer and a supervisor on no named desk.
OUTSIDERS = ("other", "supervisor")


def _bearer(s: Secured, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {s.api_tokens[role]}"}


def _restrict_seed(s: Secured) -> list[str]:
    """Restrict the seed readout to the NA desk; return the texts that must never leak."""
    with s.factory.begin() as session:
        readout = session.get_one(Readout, s.world.readout_id)
        restrict_at_ingest(session, readout, desks=[NA_DESK], marking=MARKING, by=None)
        quotes = list(session.scalars(select(Commitment.quote).where(Commitment.readout_id == readout.id)))
        return [readout.title, MARKING, *quotes]


def _names_restricted(s: Secured, url: str) -> bool:
    """Whether the URL's path names the restricted readout or one of its commitments."""
    parts = url.split("?")[0].strip("/").split("/")
    seed = str(s.world.readout_id)
    commitments = {str(i) for i in s.world.commitment_ids}
    # An event that only the seed's commitments hang on takes its name from the seed: hidden too.
    with s.factory() as session:
        named_elsewhere = select(Commitment.event_id).where(Commitment.readout_id != s.world.readout_id)
        events = {
            str(i)
            for i in session.scalars(
                select(Commitment.event_id).where(
                    Commitment.readout_id == s.world.readout_id,
                    Commitment.event_id.is_not(None),
                    Commitment.event_id.not_in(named_elsewhere.where(Commitment.event_id.is_not(None))),
                )
            )
        }
    return any(
        (a == "readouts" and b == seed)
        or (a == "commitments" and b in commitments)
        or (a == "events" and b in events)
        for a, b in itertools.pairwise(parts)
    )


def _leaks(body: str, secrets: list[str], s: Secured) -> list[str]:
    found = [text[:40] for text in secrets if len(text) > 8 and text.upper() in body.upper()]
    found += [
        f"/commitments/{i}" for i in s.world.commitment_ids if re.search(rf"/commitments/{i}(?!\d)", body)
    ]
    found += [
        f"readout {s.world.readout_id}" for _ in re.findall(rf"/readouts/{s.world.readout_id}(?!\d)", body)
    ]
    return found


# What an outsider gets where the matrix says another status, and why.
OUTSIDER_EXPECT = {
    # The bulk form is a list of ids: a hidden one is "no longer exists", like a deleted one.
    ("commitments.bulk", "POST"): NOT_CHANGED,
}


@pytest.mark.slow
def _csv_rows(body: str) -> list[dict[str, str]]:
    """The CSV's rows (it opens with a UTF-8 byte-order mark, for Excel)."""
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_restricted_objects_leak_nowhere_and_the_named_desk_keeps_its_rights(secured: Secured) -> None:
    secrets = _restrict_seed(secured)
    served = routes(secured.app)
    checked = hidden = 0
    unchanged = Unchanged(secured.factory)  # every row compared around each request that must not write
    for role in ROLES:
        client = secured.clients[role]
        for endpoint, method in sorted(served, key=_order):
            expect = EXPECT[(endpoint, method)][role]
            url, kwargs = request_for(secured, endpoint, method, served[(endpoint, method)], role)
            if role in OUTSIDERS:
                if _names_restricted(secured, url):
                    expect, hidden = NOT_FOUND, hidden + 1
                else:
                    expect = OUTSIDER_EXPECT.get((endpoint, method), expect)
            if not expect.writes:
                unchanged.before()
            response = client.open(url, method=method, **kwargs)
            what = f"{role} {method} {url} ({endpoint}, restricted seed)"
            _check(response, expect, what)
            if role in OUTSIDERS and response.mimetype.startswith(("text/", "application/json")):
                body = response.get_data(as_text=True)
                assert not _leaks(body, secrets, secured), (what, _leaks(body, secrets, secured))
            response.close()
            if not expect.writes:
                unchanged.check(what)
            checked += 1
    assert checked == len(served) * len(ROLES)
    assert hidden > 20, "most object routes name the restricted readout or its commitments"


def _dashboard_counts(html: str) -> list[tuple[int, str]]:
    """(N, link) of every count on the dashboard and of every "See all N" link."""
    counts = re.findall(r'<a href="(/commitments\?[^"]*)">\s*<span class="n">(\d+)</span>', html)
    counts += re.findall(r'<a href="(/commitments\?[^"]*)">See all (\d+)', html)
    return [(int(n), href.replace("&amp;", "&")) for href, n in counts]


def _total(html: str) -> int:
    """The number of rows the commitments list says it has."""
    found = re.search(r"of (\d+) commitments?", html)
    if found is None:
        assert "No commitments match" in html
        return 0
    return int(found.group(1))


def test_counts_and_see_all_links_agree_and_leave_the_restricted_out(secured: Secured) -> None:
    """Every count the dashboard shows is the number of rows its link lists, for an outsider."""
    before = {
        role: secured.clients[role].get("/commitments?desk=" + NA_DESK).get_data(as_text=True)
        for role in OUTSIDERS
    }
    _restrict_seed(secured)
    for role in OUTSIDERS:
        client = secured.clients[role]
        listed = client.get("/commitments?desk=" + NA_DESK).get_data(as_text=True)
        assert _total(listed) == _total(before[role]) - len(secured.world.commitment_ids), role
        for path in ("/?desk=*", "/"):
            html = client.get(path).get_data(as_text=True)
            assert _dashboard_counts(html), (role, path)
            for n, link in _dashboard_counts(html):
                rows = client.get(link).get_data(as_text=True)
                assert _total(rows) == n, (role, path, link)
        csv_body = client.get("/commitments.csv").get_data(as_text=True)
        ids = {int(r["id"]) for r in _csv_rows(csv_body)}
        assert not ids & set(secured.world.commitment_ids), role
        feed = client.get(f"/feeds/{secured.feed_tokens[role]}.ics").get_data(as_text=True)
        assert not any(f"/commitments/{i}" in feed for i in secured.world.commitment_ids), role
        api = client.get(
            "/api/v1/commitments?limit=200", headers={"Authorization": f"Bearer {secured.api_tokens[role]}"}
        )
        assert not {i["id"] for i in api.get_json()["items"]} & set(secured.world.commitment_ids), role


def test_the_named_desk_sees_the_marking_on_pages_csv_and_brief(secured: Secured) -> None:
    _restrict_seed(secured)
    for role in ("desk", "admin"):
        client = secured.clients[role]
        cid = secured.world.commitment_ids[0]
        for path in (
            f"/readouts/{secured.world.readout_id}",
            f"/commitments/{cid}",
            "/commitments",
            "/readouts",
        ):
            assert MARKING.upper() in client.get(path).get_data(as_text=True).upper(), (role, path)
        rows = _csv_rows(client.get("/commitments.csv").get_data(as_text=True))
        assert {r["marking"] for r in rows if int(r["id"]) == cid} == {MARKING}, role
        assert {r["marking"] for r in rows if int(r["id"]) not in secured.world.commitment_ids} <= {""}
        brief = client.get("/brief?party=United+States").get_data(as_text=True)
        assert "brief-marking" in brief and MARKING.upper() in brief, role
        docx = client.get("/brief.docx?party=United+States").get_data()
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            header = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
            document = z.read("word/document.xml").decode()
        assert MARKING.upper() in header and MARKING.upper() in document, role
        api = client.get(
            f"/api/v1/readouts/{secured.world.readout_id}",
            headers=_bearer(secured, role),
        ).get_json()
        assert api["marking"] == MARKING and api["restricted_to"] == [NA_DESK], role


def test_an_outsider_gets_not_found_where_the_desk_gets_the_object(secured: Secured) -> None:
    """The two sides of one URL, so the 404s above are the rule and not a broken route."""
    _restrict_seed(secured)
    cid = secured.world.commitment_ids[0]
    rid = secured.world.readout_id
    for path in (f"/commitments/{cid}", f"/readouts/{rid}", f"/readouts/{rid}/reaffirmations"):
        assert secured.clients["desk"].get(path).status_code == 200, path
        for role in OUTSIDERS:
            assert secured.clients[role].get(path).status_code == 404, (role, path)
    for path in (f"/api/v1/commitments/{cid}", f"/api/v1/readouts/{rid}", f"/api/v1/readouts/{rid}/links"):
        assert (
            secured.clients["desk"]
            .get(path, headers={"Authorization": f"Bearer {secured.api_tokens['desk']}"})
            .status_code
            == 200
        )
        for role in OUTSIDERS:
            response = secured.clients[role].get(
                path, headers={"Authorization": f"Bearer {secured.api_tokens[role]}"}
            )
            assert response.status_code == 404, (role, path)
            assert response.get_json()["detail"] == response.get_json()["detail"].replace(
                str(rid) + " (", ""
            ), path


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/"))


def test_digest_brief_and_reports_of_an_outsider_hold_nothing_of_it(secured: Secured) -> None:
    """What the desk's digest and brief carry of the restricted readout, an outsider's do not."""
    from tracker.digests import build_digest
    from tracker.models import Officer
    from tracker.services.compliance import rollup

    secrets = _restrict_seed(secured)
    with secured.factory() as session:
        for role in ("desk", *OUTSIDERS):
            officer = session.get_one(Officer, secured.world.ids[role])
            digest = build_digest(session, officer, NOW_DIGEST, "http://tracker.example")
            text = "" if digest is None else digest.text + digest.html
            leaked = _leaks(text, secrets, secured)
            assert bool(leaked) is (role == "desk"), (role, leaked)
            made = sum(r.made for r in rollup(session, "desk", today=NOW_DIGEST.date(), viewer=officer))
            everything = sum(r.made for r in rollup(session, "desk", today=NOW_DIGEST.date(), viewer=None))
            hidden = 0 if role == "desk" else len(secured.world.commitment_ids)
            assert made == everything - hidden, role
    for role in ("desk", *OUTSIDERS):
        client = secured.clients[role]
        html = client.get("/brief?party=United+States").get_data(as_text=True)
        docx = _docx_text(client.get("/brief.docx?party=United+States").get_data())
        reports = client.get("/reports").get_data(as_text=True)
        for what, body in (("brief", html), ("docx", docx)):
            assert bool(_leaks(body, secrets, secured)) is (role == "desk"), (role, what)
        assert not _leaks(reports, secrets[2:], secured), role  # the reports list no quotes


def test_the_officer_restricts_a_readout_at_ingest_in_the_preview_and_the_api(secured: Secured) -> None:
    from tests.web.conftest import csrf_token
    from tests.web.forms import form_fields

    desk = secured.clients["desk"]
    token = csrf_token(desk.get("/readouts/new").get_data(as_text=True))
    text = (
        "Japan-Canada meeting on the northern route\n\nOn June 6, 2018, the two ministers met.\n\n"
        "1. Japan will send a survey mission on the northern route to Canada by July 1, 2018.\n"
    )
    form = {"csrf_token": token, "text": text, "meeting_date": "2018-06-06"}
    preview = desk.post("/readouts/new", data=form)
    fields = form_fields(preview.get_data(as_text=True), "/readouts/review")
    assert "marking" in fields  # the preview offers the restriction
    # Restricting it away from one's own desk is refused with the reason, and nothing is stored.
    refused = desk.post("/readouts/review", data={**fields, "action": "save", "restrict_desk": "Europe Desk"})
    assert refused.status_code == 400 and "must include your own desk" in refused.get_data(as_text=True)
    saved = desk.post(
        "/readouts/review",
        data={**fields, "action": "save", "restrict_desk": NA_DESK, "marking": "Eyes only NA"},
    )
    assert saved.status_code == 302
    path = saved.headers["Location"]
    assert "EYES ONLY NA" in desk.get(path).get_data(as_text=True).upper()
    for role in OUTSIDERS:
        assert secured.clients[role].get(path).status_code == 404, role
        assert "northern route" not in secured.clients[role].get("/readouts").get_data(as_text=True)

    body = {
        "text": text.replace("Canada", "Mexico"),
        "meeting_date": "2018-06-06",
        "restricted_to": [NA_DESK],
        "marking": "Eyes only NA",
    }
    made = desk.post("/api/v1/readouts", json=body, headers=_bearer(secured, "desk"))
    assert made.status_code == 201, made.get_data()
    assert made.get_json()["marking"] == "Eyes only NA" and made.get_json()["restricted_to"] == [NA_DESK]
    for role in OUTSIDERS:
        assert (
            secured.clients[role].get(made.headers["Location"], headers=_bearer(secured, role)).status_code
            == 404
        )
    wrong = {**body, "text": text.replace("Canada", "Peru"), "restricted_to": ["Europe Desk"]}
    answer = desk.post("/api/v1/readouts", json=wrong, headers=_bearer(secured, "desk"))
    assert answer.status_code == 422 and "own desk" in answer.get_json()["detail"]
    with secured.factory() as session:  # refused whole: the readout is not stored either
        assert session.scalar(select(Readout.id).where(Readout.title.contains("Peru"))) is None
    # The same text again from an outsider: refused as stored, without its title or id.
    other = secured.clients["other"]
    again = other.post("/api/v1/readouts", json=body, headers=_bearer(secured, "other"))
    assert again.status_code == 409 and "readout_id" not in again.get_json(), again.get_json()
    assert "northern route" not in again.get_data(as_text=True) and "Location" not in again.headers
    token = csrf_token(other.get("/readouts/new").get_data(as_text=True))
    page = other.post("/readouts/new", data={**form, "csrf_token": token})
    html = page.get_data(as_text=True)  # it shows the officer's own text back, not the stored one
    assert page.status_code == 409 and "restricted to other desks" in html and f'href="{path}"' not in html


def test_the_marking_heads_every_page_of_the_pdf_brief() -> None:
    """WeasyPrint repeats the marking in each page's top margin (CSS string-set), not only once."""
    import datetime as dt_

    from pypdf import PdfReader

    from tracker.brief import Brief, BriefMeeting, BriefSummary, render_pdf

    summary = BriefSummary(**dict.fromkeys(BriefSummary.__dataclass_fields__, 0))
    meetings = [BriefMeeting(1, "Talks", dt_.date(2018, 6, 6), [], "en", MARKING)] + [
        BriefMeeting(i, f"Open talks {i}", dt_.date(2018, 6, 6), [], "en") for i in range(2, 80)
    ]
    brief = Brief("United States", None, None, dt_.date(2018, 6, 10), summary, meetings)
    pages = PdfReader(io.BytesIO(render_pdf(brief))).pages
    assert len(pages) > 2
    assert all(MARKING.upper() in page.extract_text() for page in pages)
