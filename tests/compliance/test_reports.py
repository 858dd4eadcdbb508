"""Report figures and charts on the seeded history, on both databases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from tests.compliance.seed import TODAY, seed_history
from tracker.reports import (
    CHARTS,
    TimelinePoint,
    build_report,
    chart_svg,
    compliance_svg,
    open_overdue_timeline,
    table_csv,
    timeline_svg,
    week_ends,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_week_ends_end_today_and_are_bounded() -> None:
    assert week_ends(TODAY, 3) == [dt.date(2018, 7, 18), dt.date(2018, 7, 25), TODAY]
    assert len(week_ends(TODAY, 10_000)) == 156
    assert week_ends(TODAY, 0) == [TODAY]


def test_open_and_overdue_week_by_week_follow_the_history(session: Session) -> None:
    seed_history(session)
    points = open_overdue_timeline(session, today=TODAY, weeks=12, viewer=None)
    got = {p.day.isoformat(): (p.open, p.overdue) for p in points}
    assert got == {
        "2018-05-16": (0, 0),
        "2018-05-23": (0, 0),
        "2018-05-30": (0, 0),
        "2018-06-06": (4, 0),  # the sample meeting: four open, none due yet
        "2018-06-13": (4, 0),
        "2018-06-20": (4, 1),  # point 5 was due on 06-15
        "2018-06-27": (4, 1),
        "2018-07-04": (3, 2),  # point 2a done on 06-30 (late evening UTC); 2b due 06-30, still open
        "2018-07-11": (3, 1),  # 2b done 07-10; the Australia meeting adds one
        "2018-07-18": (3, 1),
        "2018-07-25": (2, 1),  # the Australia undertaking dropped on 07-20
        "2018-08-01": (2, 1),
    }


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    # No outside assets: no images, no scripts, nothing linked.
    assert root.find(f".//{SVG}image") is None and root.find(f".//{SVG}script") is None
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.slow
def test_report_tables_and_charts(session: Session) -> None:
    seed_history(session)
    report = build_report(session, today=TODAY, home_party="Japan", weeks=12, viewer=None)
    assert [r.label for r in report.counterparts] == ["Australia", "Republic of Korea", "United States"]
    assert [r.label for r in report.desks] == ["North America Desk", "Oceania Desk"]
    assert len(report.timeline) == 12

    timeline = chart_svg("open-overdue", report)
    texts = _texts(timeline)
    assert "Open" in texts and "Overdue" in texts
    # The page's heading gives the title, once: the picture does not repeat it.
    assert CHARTS["open-overdue"] not in texts

    compliance = chart_svg("compliance-by-counterpart", report)
    texts = _texts(compliance)
    assert {"Australia", "Republic of Korea", "United States"} <= set(texts)
    assert CHARTS["compliance-by-counterpart"] not in texts
    assert "+1.00 (n=1)" in texts and "-1.00 (n=1)" in texts
    # The same figures draw the same bytes (no timestamps or random ids).
    assert chart_svg("compliance-by-counterpart", report) == compliance


def test_charts_without_data_still_draw() -> None:
    assert "No assessed commitments yet" in _texts(compliance_svg([]))
    assert _texts(timeline_svg([TimelinePoint(TODAY, 0, 0)]))


def test_a_date_range_keeps_the_meetings_in_it_and_the_tables_export_as_csv(session: Session) -> None:
    seed_history(session)
    later = build_report(
        session, today=TODAY, home_party="Japan", weeks=12, viewer=None, date_from=dt.date(2018, 7, 1)
    )
    assert [r.label for r in later.counterparts] == ["Australia"]
    assert [r.label for r in later.desks] == ["Oceania Desk"]
    assert [(p.day.isoformat(), p.open) for p in later.timeline if p.open] == [
        ("2018-07-11", 1),
        ("2018-07-18", 1),
    ]
    earlier = build_report(
        session, today=TODAY, home_party="Japan", viewer=None, date_to=dt.date(2018, 6, 30), parts=("desks",)
    )
    assert [r.label for r in earlier.desks] == ["North America Desk"] and earlier.counterparts == []

    full = build_report(session, today=TODAY, home_party="Japan", weeks=3, viewer=None)
    rows = list(csv.reader(io.StringIO(table_csv("counterparts", full))))
    assert rows[0] == [
        "counterpart", "made", "done_on_time", "done_late", "overdue", "open", "score", "assessed",
        "fulfilled", "partial", "not_fulfilled", "too_early",
    ]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["Australia", "Republic of Korea", "United States"]
    australia = dict(zip(rows[0], rows[1], strict=True))
    assert (australia["made"], australia["score"], australia["not_fulfilled"]) == ("1", "-1.00", "1")
    assert table_csv("desks", full).splitlines()[1].startswith("North America Desk,4,")
    assert table_csv("open-overdue", full).splitlines() == [
        "week_ending,open,overdue",
        "2018-07-18,3,1",
        "2018-07-25,2,1",
        "2018-08-01,2,1",
    ]
