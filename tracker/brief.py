"""The pre-meeting brief: every commitment with one counterpart, and where each stands (issue 9).

`build_brief` gathers the data (a handful of set-based queries); `render_html`, `render_pdf`
(WeasyPrint) and `render_docx` (python-docx) turn it into the formats a ministry circulates.
The HTML template and its print stylesheet live in tracker/templates/brief/ and reference no
outside asset, so a brief renders the same on a closed network.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker.deadline_text import describe_deadline
from tracker.extraction.party_names import party_aliases
from tracker.followup import ACTIVE_STATUSES
from tracker.history_text import Say
from tracker.i18n import N_, day_in, language_of, localized, say_in
from tracker.models import (
    Commitment,
    DeadlineType,
    Officer,
    Outcome,
    OutcomeEvidence,
    Party,
    Readout,
    Status,
    StatusChange,
    commitment_party,
)
from tracker.names import pick_by_name
from tracker.services.compliance import OUTCOME_LABELS, SCORES, average_score, evidence_for
from tracker.services.errors import InvalidInput
from tracker.services.permissions import commitment_visible, sees_everything
from tracker.services.reaffirmations import reaffirmations_for
from tracker.services.reconciliation import one_sided_with
from tracker.services.restrictions import marking_of
from tracker.text import xml_safe

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "brief"
# In English; the brief translates them into its reader's language where it writes them out.
STATUS_LABELS = {
    Status.OPEN: N_("Open"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.DONE: N_("Done"),
    Status.DROPPED: N_("Dropped"),
}
DEADLINE_LABELS = {
    DeadlineType.DATE: "By a date",
    DeadlineType.EVENT: "Tied to an event",
    DeadlineType.ONGOING: "Ongoing",
    DeadlineType.NONE: "No deadline",
}


@dataclass(frozen=True)
class ReaffirmationRef:
    """The other side of a reaffirmation link, as the brief names it."""

    commitment_id: int
    readout_title: str
    meeting_date: dt.date


@dataclass
class BriefItem:
    id: int
    point: str
    quote: str
    action: str
    parties: list[str]
    deadline: str
    due_date: dt.date | None
    status: Status
    is_active: bool
    is_overdue: bool
    outcome: Outcome | None
    outcome_note: str | None
    last_note: str | None
    last_note_at: dt.datetime | None
    evidence: list[str] = field(default_factory=list)
    # Later meetings that repeated this undertaking, and earlier ones this one repeats.
    reaffirmed_at: list[ReaffirmationRef] = field(default_factory=list)
    reaffirms: list[ReaffirmationRef] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome] if self.outcome else N_("Not assessed")


@dataclass
class BriefMeeting:
    readout_id: int
    title: str
    meeting_date: dt.date
    items: list[BriefItem]
    # The readout's language ("ja"): its title and quotes carry it, so that a Japanese quote is
    # drawn with Japanese glyphs (a CJK font, not the Chinese forms of the same code points).
    language: str = "en"
    # Need-to-know (issue 19): a restricted readout's marking ("Confidential"), or None.
    marking: str | None = None

    @property
    def active(self) -> int:
        return sum(1 for i in self.items if i.is_active)


@dataclass(frozen=True)
class BriefSummary:
    total: int
    open: int
    in_progress: int
    done: int
    dropped: int
    overdue: int
    fulfilled: int
    partial: int
    not_fulfilled: int
    too_early: int

    @property
    def assessed(self) -> int:
        return self.fulfilled + self.partial + self.not_fulfilled

    @property
    def score(self) -> float | None:
        return average_score(self.fulfilled, self.partial, self.not_fulfilled)


@dataclass(frozen=True)
class OneSidedItem:
    """An undertaking of a past meeting that the other government's readout does not report (issue 17)."""

    commitment_id: int
    quote: str
    status_label: str
    meeting_date: dt.date
    readout_title: str
    other_title: str


@dataclass
class Brief:
    party: str
    date_from: dt.date | None
    date_to: dt.date | None
    today: dt.date
    summary: BriefSummary
    meetings: list[BriefMeeting]
    one_sided: list[OneSidedItem] = field(default_factory=list)
    # The language the brief is written in (issue 18): the requesting officer's ("en", "ja").
    language: str = "en"

    @property
    def items(self) -> list[BriefItem]:
        return [i for m in self.meetings for i in m.items]

    @property
    def marking(self) -> str | None:
        """The markings of the restricted readouts in the brief, for the head of every page."""
        found = sorted({m.marking for m in self.meetings if m.marking})
        return " · ".join(found) if found else None

    @property
    def period(self) -> str:
        say = say_in(self.language)
        if self.date_from is None and self.date_to is None:
            return say("all meetings")
        start = day_in(self.date_from, self.language) if self.date_from else say("the first meeting")
        end = day_in(self.date_to, self.language) if self.date_to else say("today")
        return say("meetings from %(start)s to %(end)s", start=start, end=end)


def resolve_party(session: Session, name: str, *, viewer: Officer | None = None) -> Party:
    """The party `name` means: its name, one of its aliases or one of the names and abbreviations
    readouts use for it ("US", "U.S.", "USA", "ROK"), allowing the small variations that
    `tracker events set` allows for events (one rule: `tracker.names.pick_by_name`).
    AmbiguousName when several fit; NotFound naming the near matches when none does (only
    parties of commitments `viewer` may see are offered, so that a hidden readout's party is
    not spelled out)."""
    if not name.strip():
        raise InvalidInput(N_("choose a counterpart"))
    # Parties are a few hundred at most: match their names in Python.
    parties = list(session.scalars(select(Party).order_by(Party.name)))
    suggest_from = parties
    if not sees_everything(viewer):
        seen = set(
            session.scalars(
                select(commitment_party.c.party_id)
                .join(Commitment, Commitment.id == commitment_party.c.commitment_id)
                .where(commitment_visible(viewer))
                .distinct()
            )
        )
        suggest_from = [p for p in parties if p.id in seen]
    return pick_by_name(
        name,
        parties,
        lambda p: [p.name, *(p.aliases or []), *party_aliases(p.name)],
        lambda p: p.name,
        what="party",
        suggest_from=suggest_from,
    )


def _deadline_text(c: Commitment) -> str:
    label = DEADLINE_LABELS[c.deadline_type]
    if c.deadline_type == DeadlineType.EVENT and c.event is not None:
        when = c.deadline_relation.value if c.deadline_relation else "at"
        label = f"{when.capitalize()} {c.event.name}"
        if c.due_date is None:
            label += " (date not yet known)"
        return label
    return f"{label}: {c.deadline_text}" if c.deadline_text else label


def build_brief(
    session: Session,
    party: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    *,
    today: dt.date,
    viewer: Officer | None,
    language: str | None = None,
) -> Brief:
    """Every commitment with `party` that `viewer` may see, grouped by meeting, open ones first,
    with a summary; written in `language` (default: the viewer's choice, else English)."""
    locale = language_of(language if language is not None else viewer.language if viewer else None)
    say = say_in(locale)
    if date_from and date_to and date_from > date_to:
        raise InvalidInput(N_("the start date is after the end date"))
    party_row = resolve_party(session, party, viewer=viewer)
    stmt = (
        select(Commitment)
        .join(Readout, Readout.id == Commitment.readout_id)
        .where(Commitment.parties.any(Party.id == party_row.id), commitment_visible(viewer))
        .options(
            selectinload(Commitment.parties),
            selectinload(Commitment.readout),
            selectinload(Commitment.point),
            selectinload(Commitment.event),
        )
        .order_by(Readout.meeting_date.desc(), Readout.id.desc(), Commitment.id)
    )
    if date_from is not None:
        stmt = stmt.where(Readout.meeting_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Readout.meeting_date <= date_to)
    commitments = list(session.scalars(stmt))
    ids = [c.id for c in commitments]

    last_notes: dict[int, StatusChange] = {}
    if ids:
        latest = (
            select(func.max(StatusChange.id))
            .where(
                StatusChange.commitment_id.in_(ids),
                StatusChange.note.is_not(None),
                StatusChange.note != "",
            )
            .group_by(StatusChange.commitment_id)
        )
        last_notes = {
            ch.commitment_id: ch
            for ch in session.scalars(select(StatusChange).where(StatusChange.id.in_(latest)))
        }
    evidence = evidence_for(session, ids)
    reaffirmed_at: dict[int, list[ReaffirmationRef]] = {i: [] for i in ids}
    reaffirms: dict[int, list[ReaffirmationRef]] = {i: [] for i in ids}
    for link in reaffirmations_for(session, ids, viewer=viewer):
        if link.commitment_id in reaffirmed_at:
            later = link.reaffirmed_by
            reaffirmed_at[link.commitment_id].append(
                ReaffirmationRef(later.id, later.readout.title, later.readout.meeting_date)
            )
        if link.reaffirmed_by_id in reaffirms:
            earlier = link.commitment
            reaffirms[link.reaffirmed_by_id].append(
                ReaffirmationRef(earlier.id, earlier.readout.title, earlier.readout.meeting_date)
            )

    meetings: dict[int, BriefMeeting] = {}
    for c in commitments:
        note = last_notes.get(c.id)
        item = BriefItem(
            id=c.id,
            point=c.point.number,
            quote=c.quote,
            action=c.action,
            parties=[p.name for p in c.parties],
            deadline=_deadline_text(c) if locale == "en" else describe_deadline(c, say=say, locale=locale),
            due_date=c.due_date,
            status=c.status,
            is_active=c.status.value in ACTIVE_STATUSES,
            is_overdue=c.is_overdue(today),
            outcome=c.outcome,
            outcome_note=c.outcome_note,
            last_note=note.note if note else None,
            last_note_at=note.changed_at if note else None,
            evidence=[_evidence_text(e, locale, say) for e in evidence[c.id]],
            reaffirmed_at=reaffirmed_at[c.id],
            reaffirms=reaffirms[c.id],
        )
        meeting = meetings.setdefault(
            c.readout_id,
            BriefMeeting(
                c.readout_id,
                c.readout.title,
                c.readout.meeting_date,
                [],
                c.readout.language,
                marking_of(c.readout),
            ),
        )
        meeting.items.append(item)
    for m in meetings.values():
        # Open ones first; within each, in the order of the readout's points.
        m.items.sort(key=lambda i: (not i.is_active, i.id))
    # Meetings that still have open commitments come first, then the settled ones; latest first.
    ordered = sorted(
        meetings.values(), key=lambda m: (m.active == 0, -m.meeting_date.toordinal(), -m.readout_id)
    )
    return Brief(
        party=party_row.name,
        date_from=date_from,
        date_to=date_to,
        today=today,
        summary=_summary([i for m in ordered for i in m.items]),
        meetings=ordered,
        one_sided=[
            OneSidedItem(
                o.commitment.id,
                o.commitment.quote,
                STATUS_LABELS[o.commitment.status],
                o.readout.meeting_date,
                o.readout.title,
                o.other.title,
            )
            for o in one_sided_with(session, party_row.id, date_from, date_to, viewer=viewer)
        ],
        language=locale,
    )


def _evidence_text(e: OutcomeEvidence, locale: str, say: Say) -> str:
    if e.url:
        return e.url
    if e.readout is not None:
        return say("%(title)s (%(date)s)", title=e.readout.title, date=day_in(e.readout.meeting_date, locale))
    return say("a readout since deleted")


def _summary(items: list[BriefItem]) -> BriefSummary:
    def count(predicate: Callable[[BriefItem], bool]) -> int:
        return sum(1 for i in items if predicate(i))

    return BriefSummary(
        total=len(items),
        open=count(lambda i: i.status == Status.OPEN),
        in_progress=count(lambda i: i.status == Status.IN_PROGRESS),
        done=count(lambda i: i.status == Status.DONE),
        dropped=count(lambda i: i.status == Status.DROPPED),
        overdue=count(lambda i: i.is_overdue),
        fulfilled=count(lambda i: i.outcome == Outcome.FULFILLED),
        partial=count(lambda i: i.outcome == Outcome.PARTIAL),
        not_fulfilled=count(lambda i: i.outcome == Outcome.NOT_FULFILLED),
        too_early=count(lambda i: i.outcome == Outcome.TOO_EARLY),
    )


# --- rendering ------------------------------------------------------------------------------

# Bidi overrides and zero-width characters could make a quote read differently from what it
# says; the brief writes them out as visible code points instead.
_HIDDEN_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _reveal(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return _HIDDEN_CHARS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", value)
    return value


def format_score(score: float | None) -> str:
    """A score as the brief and reports print it: signed, two decimals, or a dash."""
    return "—" if score is None else f"{score:+.2f}"


def _make_environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        finalize=_reveal,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = format_score
    # Data filled into a translated sentence skips `finalize`: the templates reveal it themselves.
    env.filters["reveal"] = _reveal
    env.filters["day"] = lambda value: day_in(value, language)
    env.globals["SCORES"] = SCORES
    env.globals["brief_comma"] = "、" if language == "ja" else ", "
    env.globals["brief_colon"] = "：" if language == "ja" else ": "
    return env


# One environment per language, each with its translations installed (tracker.i18n).
_environments: dict[str, Environment] = {}


def _environment(language: str = "en") -> Environment:
    return localized(lambda: _make_environment(language), language, _environments)


def _page_footer(language: str) -> Markup:
    """The CSS `content` of the page footer ("Page 2 of 5") in the brief's language."""
    say = say_in(language)
    said = say("Page %(page)s of %(pages)s", page="\0page\0", pages="\0pages\0")
    pieces = said.replace('"', "").split("\0")
    css = " ".join(f"counter({p})" if p in ("page", "pages") else f'"{p}"' for p in pieces if p)
    return Markup(css)


def stylesheet() -> str:
    """The brief's print stylesheet (inlined in the standalone HTML, served by the web app)."""
    return (TEMPLATE_DIR / "brief.css").read_text(encoding="utf-8")


def render_body(brief: Brief) -> Markup:
    """The brief as an HTML fragment (an <article>), for pages that have their own frame."""
    return Markup(_environment(brief.language).get_template("_body.html").render(brief=brief))


def render_html(brief: Brief) -> str:
    """The brief as a standalone, print-ready HTML document with its styles inlined."""
    return (
        _environment(brief.language)
        .get_template("brief.html")
        .render(brief=brief, css=Markup(stylesheet()), page_footer=_page_footer(brief.language))
    )


def render_pdf(brief: Brief) -> bytes:
    """The brief as PDF (WeasyPrint); nothing is fetched from outside while rendering."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf: bytes = HTML(string=render_html(brief), url_fetcher=fetcher).write_pdf()
    return pdf


def render_docx(brief: Brief) -> bytes:
    """The brief as a Word document (python-docx)."""
    from docx import Document
    from docx.shared import Mm, Pt

    def w(value: object) -> str:
        # python-docx refuses characters XML cannot hold; stored text may have them (issue 19).
        return xml_safe(str(_reveal(value)))

    say = say_in(brief.language)
    comma = "、" if brief.language == "ja" else ", "
    colon = "：" if brief.language == "ja" else ": "

    def day(value: dt.date) -> str:
        return day_in(value, brief.language)

    doc = Document()
    # python-docx's template is US Letter; the PDF brief and the ministry's paper are A4.
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
    doc.core_properties.title = w(say("Pre-meeting brief: %(party)s", party=brief.party))
    if brief.marking:
        # On every page (the section's header) and at the top of the first.
        header = doc.sections[0].header.paragraphs[0]
        header.text = w(brief.marking.upper())
        doc.add_paragraph().add_run(w(brief.marking.upper())).bold = True
    doc.add_heading(w(say("Commitments with %(party)s", party=brief.party)), level=0)
    doc.add_paragraph(
        w(say("Pre-meeting brief · %(period)s · as of %(date)s", period=brief.period, date=day(brief.today)))
    )

    s = brief.summary
    doc.add_heading(say("Summary"), level=1)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Light Grid Accent 1"
    for label, value in (
        (N_("Commitments"), s.total),
        (N_("Open"), s.open),
        (N_("In progress"), s.in_progress),
        (N_("Overdue"), s.overdue),
        (N_("Done"), s.done),
        (N_("Dropped"), s.dropped),
        (N_("Compliance score"), f"{format_score(s.score)} " + say("(%(n)s assessed)", n=s.assessed)),
        (
            N_("Outcomes"),
            say(
                "%(fulfilled)s fulfilled, %(partial)s partial, %(not_fulfilled)s not fulfilled, "
                "%(too_early)s too early",
                fulfilled=s.fulfilled,
                partial=s.partial,
                not_fulfilled=s.not_fulfilled,
                too_early=s.too_early,
            ),
        ),
    ):
        cells = table.add_row().cells
        cells[0].text = say(label)
        cells[1].text = w(value)

    if not brief.meetings:
        doc.add_paragraph(
            w(say("No commitments with %(party)s in %(period)s.", party=brief.party, period=brief.period))
        )
    for meeting in brief.meetings:
        doc.add_heading(w(f"{day(meeting.meeting_date)} — {meeting.title}"), level=1)
        if meeting.marking:
            doc.add_paragraph().add_run(w(meeting.marking.upper())).bold = True
        for item in meeting.items:
            head = doc.add_paragraph()
            flag = " · " + say("OVERDUE") if item.is_overdue else ""
            head.add_run(w(f"{say(item.status_label).upper()}{flag}")).bold = True
            point = say("point %(point)s", point=item.point)
            head.add_run(w(f" · {point} · {comma.join(item.parties)} · #{item.id}"))
            quote = doc.add_paragraph(style="Quote")
            quote.add_run(f"“{w(item.quote)}”")
            facts = [
                (N_("Deadline"), item.deadline),
                (N_("Due"), day(item.due_date) if item.due_date else "—"),
                (
                    N_("Outcome"),
                    say(item.outcome_label) + (f"{colon}{item.outcome_note}" if item.outcome_note else ""),
                ),
                (N_("Last note"), item.last_note or "—"),
            ]
            if item.evidence:
                facts.append((N_("Evidence"), "; ".join(item.evidence)))
            if item.reaffirmed_at:
                facts.append(
                    (
                        N_("Reaffirmed"),
                        "; ".join(f"{day(r.meeting_date)} {r.readout_title}" for r in item.reaffirmed_at),
                    )
                )
            if item.reaffirms:
                facts.append(
                    (
                        N_("Reaffirms"),
                        "; ".join(f"{day(r.meeting_date)} {r.readout_title}" for r in item.reaffirms),
                    )
                )
            for label, value in facts:
                p = doc.add_paragraph()
                p.paragraph_format.space_after = Pt(0)
                p.add_run(say(label) + colon).bold = True
                p.add_run(w(value))
    if brief.one_sided:
        doc.add_heading(say("The other side did not report these"), level=1)
        for o in brief.one_sided:
            only = say("only in “%(title)s”, not in “%(other)s”:", title=o.readout_title, other=o.other_title)
            doc.add_paragraph(
                w(
                    f"{day(o.meeting_date)} — {only} "
                    f"“{_reveal(o.quote)}” (#{o.commitment_id}, {say(o.status_label)})"
                ),
                style="List Bullet",
            )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _refs(refs: list[ReaffirmationRef]) -> str:
    return "; ".join(f"{r.meeting_date.isoformat()} {r.readout_title} (#{r.commitment_id})" for r in refs)


RENDERERS = {".html": "html", ".pdf": "pdf", ".docx": "docx"}


def render(brief: Brief, suffix: str) -> bytes:
    """The brief in the format that a file suffix (.pdf, .docx, .html) names."""
    kind = RENDERERS.get(suffix.lower())
    if kind == "pdf":
        return render_pdf(brief)
    if kind == "docx":
        return render_docx(brief)
    if kind == "html":
        return render_html(brief).encode("utf-8")
    raise InvalidInput(
        N_("the brief can be written as .pdf, .docx or .html, not %(suffix)r"),
        suffix=suffix or "no extension",
    )
