"""The reports, brief, outcome and reaffirmation pages through Flask's test client, on both databases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from docx import Document
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.compliance.seed import SYNTHETIC_EARLIER_US, seed_history
from tests.factories import ingest, make_officer
from tests.world import Recipe, World
from tracker.models import Commitment, Outcome, OutcomeEvidence, Reaffirmation
from tracker.reports import CHARTS


@dataclass
class Site:
    app: Flask
    world: World
    email: str
    stranger: str
    us_readout: int
    share: int
    abductions: int
    earlier_abductions: int


def build_site(session: Session) -> dict[str, Any]:
    """The compliance history (tests/compliance/seed.py), an earlier readout that point 4 of the
    sample repeats, and an officer of another desk."""
    seed = seed_history(session)
    # SYNTHETIC earlier readout (tests/compliance/seed.py) that point 4 of the sample repeats.
    earlier = ingest(session, SYNTHETIC_EARLIER_US, dt.date(2018, 3, 2), by=seed.officer)
    stranger = make_officer(session, desk="Europe Desk")
    return {
        "site": (
            seed.officer.email,
            stranger.email,
            seed.us_readout.id,
            seed.share.id,
            seed.abductions.id,
            next(c.id for c in earlier.points[0].commitments if "abductions" in c.quote),
        )
    }


@pytest.fixture
def world_recipe() -> Recipe:
    return Recipe("compliance-site", build_site, secret_key="test")


@pytest.fixture
def site(world: World) -> Site:
    return Site(world.app, world, *world.data["site"])


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html
    )
    assert match, "the page carries a CSRF token"
    return match.group(1)


def _login(site: Site, email: str | None = None) -> tuple[FlaskClient, str]:
    client = site.world.logged_in(email or site.email)
    return client, _token(client.get("/reports").get_data(as_text=True))


def _row(site: Site, commitment_id: int) -> Commitment:
    with site.world.session() as session:
        c = session.get(Commitment, commitment_id)
        assert c is not None
        return c


def test_pages_need_a_login(site: Site) -> None:
    client = site.app.test_client()
    for path in (
        "/reports",
        "/reports/charts/open-overdue.svg",
        "/brief?party=Japan",
        "/brief.pdf?party=Japan",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_reports_page_renders_tables_and_serves_its_charts(site: Site) -> None:
    client, _ = _login(site)
    response = client.get("/reports?weeks=8")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for label in ("Australia", "Republic of Korea", "United States", "North America Desk", "Oceania Desk"):
        assert label in page
    charts = re.findall(r'<img src="([^"]+\.svg[^"]*)"', page)
    assert len(charts) == 2
    for src in charts:
        chart = client.get(src.replace("&amp;", "&"))
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
        assert "script-src" not in chart.headers["Content-Security-Policy"]
        root = ET.fromstring(chart.get_data())
        assert root.tag.endswith("svg")
    css = client.get("/compliance.css")
    assert css.status_code == 200 and css.mimetype == "text/css" and "@page" in css.get_data(as_text=True)
    assert client.get("/reports/charts/nothing.svg").status_code == 404


def test_reports_say_each_chart_title_once_and_export_their_tables_for_a_date_range(site: Site) -> None:
    client, _ = _login(site)
    page = client.get("/reports?from=2018-07-01&to=2018-12-31&weeks=8").get_data(as_text=True)
    for title in CHARTS.values():
        assert page.count(title) == 1, title
    assert "Meetings from 2018-07-01 to 2018-12-31." in page
    links = re.findall(r'href="(/reports/[a-z-]+\.csv[^"]*)"', page)
    assert [link.split(".csv")[0] for link in links] == [
        "/reports/counterparts", "/reports/desks", "/reports/open-overdue",
    ]  # fmt: skip
    assert all("from=2018-07-01" in link and "to=2018-12-31" in link for link in links)
    for src in re.findall(r'<img src="([^"]+\.svg[^"]*)"', page):
        texts = "".join(ET.fromstring(client.get(src.replace("&amp;", "&")).get_data()).itertext())
        assert not any(title in texts for title in CHARTS.values()), "the page's heading says it"

    response = client.get(links[0].replace("&amp;", "&"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        'filename="report-counterparts-2018-07-01-2018-12-31-as-of-'
        in response.headers["Content-Disposition"]
    )
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM the commitments export starts with
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["counterpart", "made", "done_on_time"]
    assert [r[0] for r in rows[1:]] == ["Australia"], "only the meetings in the range"
    everything = client.get("/reports/counterparts.csv").get_data().decode("utf-8-sig")
    assert "United States" in everything and "Australia" in everything
    timeline = client.get("/reports/open-overdue.csv?weeks=3").get_data().decode("utf-8-sig")
    assert timeline.splitlines()[0] == "week_ending,open,overdue" and len(timeline.splitlines()) == 4

    assert client.get("/reports/nothing.csv").status_code == 404
    assert client.get("/reports/desks.csv?from=2018-12-31&to=2018-01-01").status_code == 400
    backwards = client.get("/reports?from=2018-12-31&to=2018-01-01")
    assert backwards.status_code == 400 and "the first meeting date is after the last" in backwards.get_data(
        as_text=True
    )


def test_brief_page_and_downloads(site: Site) -> None:
    client, _ = _login(site)
    page = client.get("/brief?party=united+states").get_data(as_text=True)
    assert "Commitments with United States" in page
    assert "continue working together to resolve the abductions issue" in page
    assert "maritime security exercise" not in page  # Australia's
    assert 'href="/compliance.css"' in page and "<style" not in page

    missing = client.get("/brief?party=Atlantis")
    assert missing.status_code == 404 and "no party called" in missing.get_data(as_text=True)
    assert client.get("/brief?party=Japan&from=2018-13-01").status_code == 400
    assert "Choose a counterpart" in client.get("/brief").get_data(as_text=True)

    pdf = client.get("/brief.pdf?party=United+States&from=2018-06-01")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert 'filename="brief-united-states-' in pdf.headers["Content-Disposition"]
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert "Commitments with United States" in text
    docx = client.get("/brief.docx?party=United+States")
    assert docx.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(docx.get_data())).paragraphs]
    assert "Commitments with United States" in paragraphs
    assert client.get("/brief.pdf?party=Atlantis").status_code == 404
    assert client.get("/brief.docx").status_code == 400


def test_outcome_form_posts_with_csrf_and_writes_through_the_service(site: Site) -> None:
    client, token = _login(site)
    url = f"/commitments/{site.share}/outcome"
    form = {
        "outcome": "fulfilled",
        "note": "shared on 06-20",
        "evidence": "https://example.org/a\nhttps://example.org/b",
    }
    assert client.post(url, data=form).status_code == 400  # no CSRF token
    response = client.post(url, data={**form, "csrf_token": token, "next": "/reports"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports")
    row = _row(site, site.share)
    assert row.outcome == Outcome.FULFILLED and row.outcome_note == "shared on 06-20"

    bad = client.post(
        url, data={"outcome": "partial", "note": "n", "evidence": "javascript:alert(1)", "csrf_token": token}
    )
    assert bad.status_code == 302
    assert _row(site, site.share).outcome == Outcome.FULFILLED
    assert "http" in client.get("/reports").get_data(as_text=True)  # the flashed reason

    with site.world.session() as session:
        urls = session.scalars(select(OutcomeEvidence.url).where(OutcomeEvidence.commitment_id == site.share))
        assert sorted(u or "" for u in urls) == ["https://example.org/a", "https://example.org/b"]

    stranger, stranger_token = _login(site, site.stranger)
    denied = stranger.post(url, data={**form, "csrf_token": stranger_token})
    assert denied.status_code == 403
    assert client.post("/commitments/999999/outcome", data={**form, "csrf_token": token}).status_code == 404


def test_reaffirmation_review_and_confirm(site: Site) -> None:
    client, token = _login(site)
    page = client.get(f"/readouts/{site.us_readout}/reaffirmations").get_data(as_text=True)
    action = f"/readouts/{site.us_readout}/reaffirmations/{site.earlier_abductions}/{site.abductions}/confirm"
    assert f'action="{action}"' in page
    assert client.post(action).status_code == 400  # no CSRF token
    response = client.post(action, data={"csrf_token": token})
    assert response.status_code == 302
    with site.world.session() as session:
        link = session.scalars(select(Reaffirmation)).one()
        assert (link.commitment_id, link.reaffirmed_by_id) == (site.earlier_abductions, site.abductions)
    page = client.get(f"/readouts/{site.us_readout}/reaffirmations").get_data(as_text=True)
    assert "No likely reaffirmations." in page and f"#{site.abductions} reaffirms" in page
    again = client.post(action, data={"csrf_token": token})
    assert again.status_code == 302  # refused with a message, nothing written
    wrong_readout = action.replace(f"/readouts/{site.us_readout}/", f"/readouts/{site.us_readout + 1000}/")
    assert client.post(wrong_readout, data={"csrf_token": token}).status_code == 404


def test_the_outcome_partial_renders_for_a_commitment(site: Site) -> None:
    with site.world.session() as session, site.app.test_request_context("/commitments/1"):
        c = session.get(Commitment, site.share)
        html = render_template_string(
            '{% include "compliance/_outcome_form.html" %}', c=c, csrf_token=lambda: "t"
        )
    assert f'action="/commitments/{site.share}/outcome"' in html
    assert 'name="csrf_token" value="t"' in html and 'name="version"' in html
    assert 'name="next" value="/commitments/1"' in html
    assert "currently <strong>Too early to tell</strong>" in html


def test_the_links_partial_shows_evidence_and_reaffirmations(site: Site) -> None:
    client, token = _login(site)
    action = f"/readouts/{site.us_readout}/reaffirmations/{site.earlier_abductions}/{site.abductions}/confirm"
    assert client.post(action, data={"csrf_token": token}).status_code == 302
    form = {"outcome": "partial", "note": "n", "evidence": "https://example.org/e", "csrf_token": token}
    assert client.post(f"/commitments/{site.earlier_abductions}/outcome", data=form).status_code == 302
    with site.app.test_request_context("/"):
        from flask_login import login_user
        from sqlalchemy import select

        from tracker.models import Officer
        from web.auth import CurrentOfficer
        from web.db import get_session

        # The partial shows what the logged-in officer may see (need-to-know, issue 19).
        login_user(CurrentOfficer(get_session().scalar(select(Officer).where(Officer.email == site.email))))
        c = get_session().get(Commitment, site.earlier_abductions)
        html = render_template_string('{% include "compliance/_links.html" %}', c=c)
        later = render_template_string(
            '{% include "compliance/_links.html" %}', c=get_session().get(Commitment, site.abductions)
        )
    assert 'href="https://example.org/e"' in html and "1 time:" in html
    assert f"#{site.abductions}</a>" in html and "Japan-U.S. Foreign Ministers" in html
    assert "Reaffirms" in later and f"#{site.earlier_abductions}</a>" in later
