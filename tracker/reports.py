"""The reports: compliance and delivery tables, and the charts drawn from the same figures.

Charts are SVG drawn on the server (text kept as text), so the app serves them itself and a
page needs no chart script or outside asset. Every chart has a
table of the same figures beside it for people who would rather read.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.followup import ACTIVE_STATUSES
from tracker.models import Commitment, Officer, Readout, Status, StatusChange
from tracker.services.compliance import ComplianceRow, rollup
from tracker.services.export import safe_cell
from tracker.services.permissions import commitment_visible

DEFAULT_WEEKS = 26
MAX_WEEKS = 156

OPEN_COLOUR = "#1f5fa8"
OVERDUE_COLOUR = "#b3261e"
POSITIVE_COLOUR = "#2e7d32"
NEGATIVE_COLOUR = "#b3261e"
NEUTRAL_COLOUR = "#7a7a7a"


@dataclass(frozen=True)
class TimelinePoint:
    """Open and overdue commitments as they stood at the end of `day`."""

    day: dt.date
    open: int
    overdue: int


@dataclass
class Report:
    today: dt.date
    home_party: str
    counterparts: list[ComplianceRow] = field(default_factory=list)
    desks: list[ComplianceRow] = field(default_factory=list)
    timeline: list[TimelinePoint] = field(default_factory=list)
    # The meetings the figures are of (None: from the first, to the last).
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def week_ends(today: dt.date, weeks: int) -> list[dt.date]:
    """`weeks` dates a week apart, the last one `today`."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    return [today - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def open_overdue_timeline(
    session: Session,
    *,
    today: dt.date,
    weeks: int = DEFAULT_WEEKS,
    viewer: Officer | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[TimelinePoint]:
    """Open and overdue counts at the end of each of the last `weeks` weeks.

    A commitment counts from its meeting date (readouts are often ingested late) with the
    status that the history gives it at that moment (open before its first change); it is
    overdue when active then and its due date has passed.

    Two queries, neither of which looks at a commitment once per week (the single query this
    replaces did, and took 15 s on the bench's 100,000 commitments): the commitments whose status
    never changed before the last week's end are open throughout, so one GROUP BY counts them
    by the week their meeting enters and the week their due date passes; the few with a status
    history are read with it and followed week by week here.
    """
    days = week_ends(today, weeks)
    ends = [dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC) + dt.timedelta(days=1) for d in days]
    n = len(days)
    changed = (
        select(StatusChange.commitment_id)
        .where(StatusChange.field == "status", StatusChange.changed_at < ends[-1])
        .scalar_subquery()
    )
    scope = [Readout.meeting_date <= days[-1], commitment_visible(viewer)]
    if date_from is not None:
        scope.append(Readout.meeting_date >= date_from)
    if date_to is not None:
        scope.append(Readout.meeting_date <= date_to)
    # The first week whose end the meeting is on or before, and the first whose end is after
    # the due date (n: never within the weeks shown).
    enters = case(*((Readout.meeting_date <= day, i) for i, day in enumerate(days)), else_=n)
    # (Most due dates are before the first week or after the last: one comparison decides those.)
    passes = case(
        (Commitment.due_date >= days[-1], n),
        *((Commitment.due_date < day, i) for i, day in enumerate(days)),
        else_=n,
    )
    buckets = (
        select(enters.label("enters"), passes.label("passes"))
        .select_from(Commitment)
        .join(Readout, Readout.id == Commitment.readout_id)
        .where(*scope, Commitment.id.not_in(changed))
        .subquery("buckets")
    )
    # Difference arrays: +1 from the week a count starts, -1 from the week it stops.
    open_delta = [0] * (n + 1)
    overdue_delta = [0] * (n + 1)
    grouped = select(buckets.c.enters, buckets.c.passes, func.count()).group_by(
        buckets.c.enters, buckets.c.passes
    )
    for enters_at, passes_at, count in session.execute(grouped):
        open_delta[int(enters_at)] += count
        overdue_delta[max(int(enters_at), int(passes_at))] += count
    history = session.execute(
        select(
            Commitment.id,
            Readout.meeting_date,
            Commitment.due_date,
            StatusChange.changed_at,
            StatusChange.new_value,
        )
        .join(Readout, Readout.id == Commitment.readout_id)
        .join(StatusChange, StatusChange.commitment_id == Commitment.id)
        .where(
            *scope,
            Commitment.id.in_(changed),
            StatusChange.field == "status",
            StatusChange.changed_at < ends[-1],
        )
        .order_by(Commitment.id, StatusChange.changed_at, StatusChange.id)
    ).all()
    for _, rows in itertools.groupby(history, key=lambda row: row[0]):
        changes = list(rows)
        meeting, due = changes[0][1], changes[0][2]
        enters_at = next((i for i, day in enumerate(days) if meeting <= day), n)
        passes_at = next((i for i, day in enumerate(days) if due is not None and due < day), n)
        # The status from each week on: open until the first change takes effect.
        steps = [(0, Status.OPEN.value)]
        for row in changes:
            steps.append((bisect.bisect_right(ends, row[3]), row[4] or ""))
        for (start, status), (stop, _) in itertools.pairwise([*steps, (n, "")]):
            if status not in ACTIVE_STATUSES or start >= stop:
                continue
            for lo, delta in (
                (max(start, enters_at), open_delta),
                (max(start, enters_at, passes_at), overdue_delta),
            ):
                if lo < stop:
                    delta[lo] += 1
                    delta[stop] -= 1
    points = []
    open_now = overdue_now = 0
    for i, day in enumerate(days):
        open_now += open_delta[i]
        overdue_now += overdue_delta[i]
        points.append(TimelinePoint(day, open_now, overdue_now))
    return points


def _as_date(value: object) -> dt.date:
    # SQLite hands back a literal date column as text.
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# What a report can hold; a chart or a CSV file builds only the part it shows.
PARTS = ("counterparts", "desks", "timeline")


def build_report(
    session: Session,
    *,
    today: dt.date,
    home_party: str,
    weeks: int = DEFAULT_WEEKS,
    viewer: Officer | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    parts: tuple[str, ...] = PARTS,
) -> Report:
    """The figures the reports page shows (`parts` of them), of the commitments `viewer` may see
    from the meetings between `date_from` and `date_to` (either may be open)."""
    span: dict[str, Any] = {"date_from": date_from, "date_to": date_to}
    report = Report(today=today, home_party=home_party, **span)
    if "counterparts" in parts:
        report.counterparts = rollup(
            session, "counterpart", today=today, home_party=home_party, viewer=viewer, **span
        )
    if "desks" in parts:
        report.desks = rollup(session, "desk", today=today, viewer=viewer, **span)
    if "timeline" in parts:
        report.timeline = open_overdue_timeline(session, today=today, weeks=weeks, viewer=viewer, **span)
    return report


# --- the tables as CSV ----------------------------------------------------------------------

# Each table the page shows, as a CSV file: (the part of the report it reads, its first column).
CSV_TABLES = {
    "counterparts": ("counterparts", "counterpart"),
    "desks": ("desks", "desk"),
    "open-overdue": ("timeline", "week_ending"),
}
_FIGURE_COLUMNS = (
    "made",
    "done_on_time",
    "done_late",
    "overdue",
    "open",
    "score",
    "assessed",
    "fulfilled",
    "partial",
    "not_fulfilled",
    "too_early",
)


def table_csv(name: str, report: Report) -> str:
    """The table called `name` (a key of CSV_TABLES) as CSV text with a header row (the caller
    adds the byte-order mark the other exports start with); KeyError for an unknown name."""
    part, first = CSV_TABLES[name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if part == "timeline":
        writer.writerow([first, "open", "overdue"])
        writer.writerows([p.day.isoformat(), p.open, p.overdue] for p in report.timeline)
        return buffer.getvalue()
    writer.writerow([first, *_FIGURE_COLUMNS])
    rows: list[ComplianceRow] = getattr(report, part)
    for r in rows:
        writer.writerow(
            [
                safe_cell(r.label),
                r.made,
                r.done_on_time,
                r.done_late,
                r.overdue,
                r.active,
                f"{r.score:.2f}" if r.score is not None else "",
                r.assessed,
                r.fulfilled,
                r.partial,
                r.not_fulfilled,
                r.too_early,
            ]
        )
    return buffer.getvalue()


# --- charts ---------------------------------------------------------------------------------

CHARTS = {
    "open-overdue": "Open and overdue commitments, week by week",
    "compliance-by-counterpart": "Compliance score by counterpart",
}


# The charts are drawn here as SVG text: a line chart and a bar chart need no plotting library,
# and matplotlib took a second to import and a quarter of a second to draw one (issue 18: the
# page with its charts must load in under 300 ms). Text stays text; the same figures draw the
# same bytes.
FONT = "DejaVu Sans, Arial, sans-serif"


def _svg_document(width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" fill="#222222">\n'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n' + "\n".join(body) + "\n</svg>\n"
    )


def _text(x: float, y: float, words: str, *, anchor: str = "start", **attrs: object) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{xml_escape(words)}</text>'


def _nice_max(value: int) -> tuple[int, int]:
    """A round top for a count axis and its tick step (about five ticks)."""
    value = max(1, value)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000):
        if value / step <= 5:
            return step * -(-value // step), step
    step = 10 ** len(str(value // 5))
    return step * -(-value // step), step


def timeline_svg(points: list[TimelinePoint]) -> str:
    """A line chart of open and overdue commitments per week, as SVG text."""
    width, height = 750, 340
    left, right, top, bottom = 60, 20, 34, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = _nice_max(max([0, *(p.open for p in points), *(p.overdue for p in points)]))
    count = max(1, len(points) - 1)

    def x(i: int) -> float:
        return left + plot_w * (i / count if len(points) > 1 else 0.5)

    def y(v: int) -> float:
        return top + plot_h * (1 - v / top_value)

    body = []
    for tick in range(0, top_value + 1, step):
        body.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" stroke="#dddddd"/>'
        )
        body.append(_text(left - 6, y(tick) + 4, str(tick), anchor="end"))
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#444444"/>'
    )
    body.append(
        _text(
            14,
            top + plot_h / 2,
            "Commitments",
            anchor="middle",
            transform=f"rotate(-90 14 {top + plot_h / 2:.1f})",
        )
    )
    # About eight dates along the bottom; the year under the first and where it changes.
    every = max(1, -(-len(points) // 8))
    last_year = None
    for i, p in enumerate(points):
        if i % every and i != len(points) - 1:
            continue
        body.append(_text(x(i), top + plot_h + 16, f"{p.day.day} {p.day.strftime('%b')}", anchor="middle"))
        if p.day.year != last_year:
            body.append(_text(x(i), top + plot_h + 31, str(p.day.year), anchor="middle", fill="#555555"))
            last_year = p.day.year
    for values, colour, square in (
        ([p.open for p in points], OPEN_COLOUR, False),
        ([p.overdue for p in points], OVERDUE_COLOUR, True),
    ):
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        body.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            if square:
                body.append(
                    f'<rect x="{x(i) - 3:.1f}" y="{y(v) - 3:.1f}" width="6" height="6" fill="{colour}"/>'
                )
            else:
                body.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
    # The legend above the plot, on the right, so that it never covers a line.
    legend_x = width - right - 170
    body.append(f'<circle cx="{legend_x}" cy="16" r="4" fill="{OPEN_COLOUR}"/>')
    body.append(_text(legend_x + 9, 20, "Open"))
    body.append(f'<rect x="{legend_x + 76}" y="12" width="8" height="8" fill="{OVERDUE_COLOUR}"/>')
    body.append(_text(legend_x + 89, 20, "Overdue"))
    return _svg_document(width, height, body)


def compliance_height(count: int) -> int:
    """The bar chart's height for `count` counterparts (the page reserves it for the image)."""
    return max(220, 90 + 45 * count)


def compliance_svg(rows: list[ComplianceRow]) -> str:
    """A horizontal bar chart of each counterpart's average score (−1 to +1), as SVG text."""
    scored = [r for r in rows if r.score is not None]
    width, height = 750, compliance_height(len(rows))
    left, right, top, bottom = 200, 110, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(score: float) -> float:
        return left + plot_w * (score + 1.1) / 2.2

    body = [
        f'<line x1="{x(v):.1f}" y1="{top}" x2="{x(v):.1f}" y2="{top + plot_h}" stroke="#dddddd"/>'
        for v in (-1, -0.5, 0.5, 1)
    ]
    body.append(f'<line x1="{x(0):.1f}" y1="{top}" x2="{x(0):.1f}" y2="{top + plot_h}" stroke="#444444"/>')
    for value, label in ((-1, "−1 not fulfilled"), (0, "0 partial"), (1, "+1 fulfilled")):
        body.append(_text(x(value), top + plot_h + 18, label, anchor="middle"))
    if not scored:
        body.append(
            _text(x(0), top + plot_h / 2, "No assessed commitments yet", anchor="middle", fill=NEUTRAL_COLOUR)
        )
        return _svg_document(width, height, body)
    band = plot_h / len(scored)
    for i, row in enumerate(scored):
        score = row.score or 0.0
        middle = top + band * (i + 0.5)
        colour = POSITIVE_COLOUR if score > 0 else NEGATIVE_COLOUR if score < 0 else NEUTRAL_COLOUR
        start, stop = sorted((x(0), x(score)))
        bar_h = min(band * 0.6, 26)
        body.append(
            f'<rect x="{start:.1f}" y="{middle - bar_h / 2:.1f}" width="{max(stop - start, 1):.1f}" '
            f'height="{bar_h:.1f}" fill="{colour}"/>'
        )
        body.append(_text(left - 8, middle + 4, row.label, anchor="end"))
        # Right of the bar's end or of zero, never over the names on the left.
        body.append(
            _text(x(max(score, 0.0)) + 4, middle + 4, f"{score:+.2f} (n={row.assessed})", font_size="11")
        )
    return _svg_document(width, height, body)


def chart_svg(name: str, report: Report) -> str:
    """The chart called `name` (a key of CHARTS) for `report`; KeyError for an unknown name."""
    if name == "open-overdue":
        return timeline_svg(report.timeline)
    if name == "compliance-by-counterpart":
        return compliance_svg(report.counterparts)
    raise KeyError(name)
