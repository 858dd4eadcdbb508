"""The digest bodies are byte-identical to those of the Jinja templates that cleaned every field
with a filter (kept in digest_reference/), now that each field is cleaned once in Python; and
the items (with their parties) are those a plain query gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import followup_factories as f
from tracker.digests import (
    MAX_ITEMS_PER_SECTION,
    SECTION_TITLES,
    SECTIONS,
    DigestContent,
    build_digest,
    clean,
)
from tracker.models import Commitment, DeadlineType, Officer, Party, Role, commitment_party

NOW = dt.datetime(2018, 6, 15, 8, 0, tzinfo=dt.UTC)
BASE = "https://tracker.example.org"
HOSTILE = "Hand <b>over</b> & \u202eannex\u202c\u200b 'x' \"y\"\u2066  twice\tspaced\ufeff"

_reference = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "digest_reference"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_reference.filters["clean"] = clean


def _reference_bodies(content: DigestContent, officer: Officer) -> tuple[str, str]:
    context = {
        "officer": officer,
        "today": NOW.date(),
        "base_url": BASE,
        "sections": [(s, SECTION_TITLES[s], content.sections[s], content.counts[s]) for s in SECTIONS],
        "desks": content.desk_summary,
        "max_items": MAX_ITEMS_PER_SECTION,
    }
    return (
        _reference.get_template("digest.txt").render(context),
        _reference.get_template("digest.html").render(context),
    )


def _check(session: Session, officer: Officer) -> DigestContent:
    content = build_digest(session, officer, NOW, BASE + "/")
    assert content is not None
    text, html = _reference_bodies(content, officer)
    assert content.text == text
    # The one intended difference: the old `when` macro (from a .txt template) returned its
    # text unescaped into the HTML, so an event's name went in raw; it is escaped now.
    for item in content.sections["waiting"]:
        if item.event:
            raw = f"waiting on {clean(item.event)} (date unknown)"
            html = html.replace(raw, f"waiting on {escape(clean(item.event))} (date unknown)")
    assert content.html == html
    assert "<b>" not in content.html
    for items in content.sections.values():
        for item in items:
            parties = session.scalars(
                select(Party.name)
                .join(commitment_party, commitment_party.c.party_id == Party.id)
                .where(commitment_party.c.commitment_id == item.commitment_id)
                .order_by(Party.name)
            ).all()
            assert item.parties == tuple(parties)
            row = session.get(Commitment, item.commitment_id)
            assert row is not None and item.action == row.action
    return content


def test_bodies_match_the_filter_templates_on_hostile_text(session: Session) -> None:
    me = f.officer(session, desk_name="Japan <Desk> \u202e", name=f"Kono {HOSTILE}")
    colleague = f.officer(session, desk_name="Japan <Desk> \u202e", name="")
    summit = f.event(session, f"Summit {HOSTILE}")
    source = f.readout(session, title=f"Readout {HOSTILE}")
    for n in range(MAX_ITEMS_PER_SECTION + 15):
        f.commitment(
            session,
            owner=me if n % 2 else colleague,
            action=f"{HOSTILE} {n}",
            due_date=dt.date(2018, 6, 1) + dt.timedelta(days=n % 20),
            parties=[f"Party {HOSTILE}", "Ärmel & <Co>", "USA"] if n % 3 else None,
            source=source,
        )
    f.commitment(session, owner=me, deadline_type=DeadlineType.ONGOING, review_date=dt.date(2018, 6, 12))
    f.commitment(session, owner=me, deadline_type=DeadlineType.EVENT, event_row=summit, source=source)
    f.commitment(session, owner=me, deadline_type=DeadlineType.EVENT, parties=["\u202e"])
    f.commitment(session, owner=None, desk_row=me.desk, due_date=dt.date(2018, 6, 2), action="")
    content = _check(session, me)
    assert content.counts["overdue"] > MAX_ITEMS_PER_SECTION
    assert "\u202e" not in content.text + content.html
    _check(session, colleague)

    loner = f.officer(session, desk_name=None, name=HOSTILE)
    f.commitment(session, owner=loner, due_date=dt.date(2018, 6, 20), parties=[HOSTILE])
    _check(session, loner)
    boss = f.officer(session, desk_name=None, role=Role.SUPERVISOR)
    assert _check(session, boss).desk_summary
