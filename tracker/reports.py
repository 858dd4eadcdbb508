"""The reports: compliance and delivery tables, and the charts drawn from the same figures.

Charts are SVG drawn on the server with matplotlib (Agg, text kept as text), so the app
serves them itself and a page needs no chart script or outside asset. Every chart has a
table of the same figures beside it for people who would rather read.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, func, literal, select, union_all
from sqlalchemy.orm import Session

from tracker import followup
from tracker.models import Commitment, Officer, Readout, Status, StatusChange, UTCDateTime
from tracker.services.compliance import ComplianceRow, rollup
from tracker.services.permissions import commitment_visible

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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


def week_ends(today: dt.date, weeks: int) -> list[dt.date]:
    """`weeks` dates a week apart, the last one `today`."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    return [today - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def open_overdue_timeline(
    session: Session, *, today: dt.date, weeks: int = DEFAULT_WEEKS, viewer: Officer | None
) -> list[TimelinePoint]:
    """Open and overdue counts at the end of each of the last `weeks` weeks, in one query.

    A commitment counts from its meeting date (readouts are often ingested late) with the
    status that the history gives it at that moment (open before its first change); it is
    overdue when active then and its due date has passed.
    """
    days = week_ends(today, weeks)
    weeks_cte = union_all(
        *(
            select(
                literal(day, Date()).label("day"),
                # The end of that day, UTC, compared with history timestamps.
                literal(
                    dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(days=1),
                    UTCDateTime(),
                ).label("day_end"),
            )
            for day in days
        )
    ).cte("weeks")
    status_then = (
        select(StatusChange.new_value)
        .where(
            StatusChange.commitment_id == Commitment.id,
            StatusChange.field == "status",
            StatusChange.changed_at < weeks_cte.c.day_end,
        )
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
        .limit(1)
        .correlate(Commitment, weeks_cte)
        .scalar_subquery()
    )
    states = (
        select(
            weeks_cte.c.day,
            Commitment.due_date,
            func.coalesce(status_then, Status.OPEN.value).label("status"),
        )
        .select_from(weeks_cte)
        .join(Readout, Readout.meeting_date <= weeks_cte.c.day)
        .join(Commitment, Commitment.readout_id == Readout.id)
        .where(commitment_visible(viewer))
        .subquery("states")
    )
    rows = session.execute(
        select(
            states.c.day,
            func.count().filter(followup.active(states.c)).label("open"),
            func.count().filter(followup.overdue(states.c, states.c.day)).label("overdue"),
        )
        .group_by(states.c.day)
        .order_by(states.c.day)
    ).all()
    counts = {_as_date(day): (int(o), int(od)) for day, o, od in rows}
    # Weeks before the first meeting have no rows: they are zero, not missing.
    return [TimelinePoint(day, *counts.get(day, (0, 0))) for day in days]


def _as_date(value: object) -> dt.date:
    # SQLite hands back a literal date column as text.
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def build_report(
    session: Session, *, today: dt.date, home_party: str, weeks: int = DEFAULT_WEEKS, viewer: Officer | None
) -> Report:
    """Every figure the reports page shows, of the commitments `viewer` may see."""
    return Report(
        today=today,
        home_party=home_party,
        counterparts=rollup(session, "counterpart", today=today, home_party=home_party, viewer=viewer),
        desks=rollup(session, "desk", today=today, viewer=viewer),
        timeline=open_overdue_timeline(session, today=today, weeks=weeks, viewer=viewer),
    )


# --- charts ---------------------------------------------------------------------------------

CHARTS = {
    "open-overdue": "Open and overdue commitments, week by week",
    "compliance-by-counterpart": "Compliance score by counterpart",
}


def _svg(figure: Figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    # Text stays text (no glyph paths, no embedded fonts); a fixed hash salt and no date make
    # the same figures draw the same bytes.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "tracker"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    # The object-oriented API with the Agg canvas: no pyplot global state, safe in web threads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def timeline_svg(points: list[TimelinePoint]) -> str:
    """A line chart of open and overdue commitments per week, as SVG text."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.ticker import MaxNLocator

    figure = _figure(7.5, 3.4)
    ax = figure.add_subplot()
    # Matplotlib's date converter takes date objects; its type stubs only admit arrays.
    days: Any = [p.day for p in points]
    ax.plot(days, [p.open for p in points], color=OPEN_COLOUR, marker="o", markersize=3, label="Open")
    ax.plot(
        days, [p.overdue for p in points], color=OVERDUE_COLOUR, marker="s", markersize=3, label="Overdue"
    )
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_ylabel("Commitments")
    ax.set_ylim(bottom=0, top=max([1, *(p.open for p in points)]) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#dddddd")
    ax.spines[["top", "right"]].set_visible(False)
    # Above the plot, right of the title, so it never covers a line.
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)
    ax.set_title(CHARTS["open-overdue"], loc="left", fontsize=11)
    return _svg(figure)


def compliance_svg(rows: list[ComplianceRow]) -> str:
    """A horizontal bar chart of each counterpart's average score (−1 to +1), as SVG text."""
    figure = _figure(7.5, max(2.2, 0.9 + 0.45 * len(rows)))
    ax = figure.add_subplot()
    scored = [r for r in rows if r.score is not None]
    ax.set_xlim(-1.1, 1.1)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["−1 not fulfilled", "", "0 partial", "", "+1 fulfilled"])
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(CHARTS["compliance-by-counterpart"], loc="left", fontsize=11)
    if not scored:
        ax.set_yticks([])
        ax.text(0, 0.5, "No assessed commitments yet", ha="center", va="center", color=NEUTRAL_COLOUR)
        return _svg(figure)
    labels = [r.label for r in scored][::-1]
    scores = [r.score or 0.0 for r in scored][::-1]
    colours = [POSITIVE_COLOUR if s > 0 else NEGATIVE_COLOUR if s < 0 else NEUTRAL_COLOUR for s in scores]
    bars = ax.barh(labels, scores, color=colours, height=0.6)
    for bar, row in zip(bars, scored[::-1], strict=True):
        score = row.score or 0.0
        # Labels start right of the bar's end or of zero, never over the party names on the left.
        ax.annotate(
            f"{score:+.2f} (n={row.assessed})",
            (max(score, 0.0), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=9,
        )
    ax.set_axisbelow(True)
    ax.grid(axis="x", color="#dddddd")
    return _svg(figure)


def chart_svg(name: str, report: Report) -> str:
    """The chart called `name` (a key of CHARTS) for `report`; KeyError for an unknown name."""
    if name == "open-overdue":
        return timeline_svg(report.timeline)
    if name == "compliance-by-counterpart":
        return compliance_svg(report.counterparts)
    raise KeyError(name)
