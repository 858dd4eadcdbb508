"""The reminder digest in its reader's language (issue 18): an officer who chose Japanese receives
a digest with no English left but data (subject, both bodies), dates as 2018年6月1日 and spans as
"8年"; an English officer's is as it always was. Sent by the dispatcher over a real SMTP server
on loopback."""

from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import Enum, String, Text, select
from sqlalchemy.orm import Session, sessionmaker

from jobs.digests import dispatch_digests
from tests import followup_factories as f
from tests.jobs.conftest import SmtpServer, settings_for
from tests.web.test_japanese_pages import _english
from tracker.models import Base, DeadlineType, Event, Role

# 08:00 UTC on a Monday, eight years after the commitments fell due.
NOW = dt.datetime(2026, 6, 15, 8, 0, tzinfo=dt.UTC)
BASE = "https://tracker.example.org"
URL = re.compile(r"https?://\S+")


def _seed(factory: sessionmaker[Session], language: str | None, role: Role = Role.OFFICER) -> str:
    """An officer with one commitment in each section of the digest; their email."""
    with factory() as session, session.begin():
        officer = f.officer(session, desk_name="Japan Desk", role=role)
        officer.language = language
        summit = session.scalar(select(Event).where(Event.name == "Trilateral Summit"))
        summit = summit or f.event(session, "Trilateral Summit")
        f.commitment(
            session,
            owner=officer,
            action="Send the draft",
            due_date=dt.date(2018, 6, 1),
            parties=["Republic of Korea", "United States"],
        )
        f.commitment(session, owner=officer, action="Share the schedule", due_date=dt.date(2026, 6, 18))
        f.commitment(
            session,
            owner=officer,
            action="Review the plan",
            deadline_type=DeadlineType.ONGOING,
            review_date=dt.date(2026, 5, 1),
        )
        f.commitment(
            session, owner=officer, action="Hold talks", deadline_type=DeadlineType.EVENT, event_row=summit
        )
        return officer.email


def _data(factory: sessionmaker[Session]) -> str:
    """Every text value stored in the database, one a line, longest first (as the pages' test
    reads them): what a digest may show as it is."""
    values = {BASE, BASE + "/"}
    with factory() as session:
        for table in Base.metadata.sorted_tables:
            columns = [
                c for c in table.c if isinstance(c.type, String | Text) and not isinstance(c.type, Enum)
            ]
            for row in session.execute(select(*columns)) if columns else ():
                values |= {line.strip() for v in row if isinstance(v, str) for line in v.splitlines()}
    return "\n".join(sorted((v for v in values if len(v) >= 3), key=len, reverse=True))


def _bodies(smtp: SmtpServer, email: str) -> tuple[str, str, str]:
    [message] = smtp.by_recipient()[email]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    page = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    return str(message["Subject"]), text, page


def test_a_japanese_officers_digest_arrives_in_japanese(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    officer = _seed(factory, "ja")
    supervisor = _seed(factory, "ja", role=Role.SUPERVISOR)
    result = dispatch_digests(factory, NOW, settings_for(fresh_database_url, smtp.port))
    assert result.sent == 2
    data = _data(factory)
    for email in (officer, supervisor):
        subject, text, page = _bodies(smtp, email)
        assert subject.startswith("フォローアップ・ダイジェスト（2026年6月15日）：期限超過 2件、"), subject
        assert '<html lang="ja">' in page
        for body in (text, html.unescape(page)):
            assert "期限：2018年6月1日（8年超過）" in body
            assert "Republic of Korea、United States" in body  # data, joined in Japanese
            assert "見直し期日 2026年5月1日を過ぎても更新なし" in body
            assert "Trilateral Summitの日程待ち（日付未定）" in body
            assert "期限：2026年6月18日" in body
        found = {
            "subject": _english(f"<p>{html.escape(subject)}</p>", data),
            "text": _english(f"<pre>{html.escape(URL.sub(' ', text))}</pre>", data),
            "html": _english(page, data),
        }
        assert found == {"subject": [], "text": [], "html": []}, email
    # The supervisor's summary of every desk, in Japanese too.
    _, text, page = _bodies(smtp, supervisor)
    assert "担当課別（対応中の約束）" in text and ">担当課</th>" in page


def test_an_english_officers_digest_is_as_it_was(
    factory: sessionmaker[Session], fresh_database_url: str, smtp: SmtpServer
) -> None:
    emails = [_seed(factory, language) for language in ("en", None)]  # chosen, or the browser's
    dispatch_digests(factory, NOW, settings_for(fresh_database_url, smtp.port))
    for email in emails:
        subject, text, page = _bodies(smtp, email)
        assert (
            subject
            == "Follow-up digest 2026-06-15: 2 overdue, 2 due this week, 2 stale, 2 waiting on an event date"
        )
        assert text.startswith("Follow-up digest for Officer ")
        assert "  due 2018-06-01 (2936 days overdue); Republic of Korea, United States; owner " in text
        assert "  review date 2026-05-01 passed with no update" in text
        assert "  waiting on Trilateral Summit (date unknown)" in text
        assert "\nSent by the commitment follow-up tracker: https://tracker.example.org/\r\n" in text
        assert '<html lang="en">' in page and "<strong>OVERDUE:</strong>" in page
