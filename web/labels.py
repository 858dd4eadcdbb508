"""The domain's words on the pages, in the page's language (issue 18).

The domain (tracker/) names things in English: bucket titles, sort orders, outcome labels and
enum values such as "event" or "pending". It stays free of Flask and of catalogs; this module
lists each of those words once for the extractor (`make messages`) and the `tr` template filter
shows them translated. A word not listed here is shown as it is.
"""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext

DOMAIN_WORDS: dict[str, Any] = {
    # tracker.services.dashboard.BUCKET_LABELS
    "Overdue": lazy_gettext("Overdue"),
    "Due in the next 7 days": lazy_gettext("Due in the next 7 days"),
    "Stale (no update since the review date)": lazy_gettext("Stale (no update since the review date)"),
    "Waiting on an event date": lazy_gettext("Waiting on an event date"),
    # tracker.services.dashboard: the desk scope of a supervisor who sees every desk
    "All desks": lazy_gettext("All desks"),
    # tracker.services.commitment_queries.SORTS
    "Due date (soonest first)": lazy_gettext("Due date (soonest first)"),
    "Due date (latest first)": lazy_gettext("Due date (latest first)"),
    "Recently changed": lazy_gettext("Recently changed"),
    "Newest first": lazy_gettext("Newest first"),
    "Oldest first": lazy_gettext("Oldest first"),
    "Status": lazy_gettext("Status"),
    "Status (reversed)": lazy_gettext("Status (reversed)"),
    "Action (A–Z)": lazy_gettext("Action (A–Z)"),
    "Action (Z–A)": lazy_gettext("Action (Z–A)"),
    "Owner (A–Z)": lazy_gettext("Owner (A–Z)"),
    "Owner (Z–A)": lazy_gettext("Owner (Z–A)"),
    # tracker.services.compliance.OUTCOME_LABELS
    "Fulfilled": lazy_gettext("Fulfilled"),
    "Partly fulfilled": lazy_gettext("Partly fulfilled"),
    "Not fulfilled": lazy_gettext("Not fulfilled"),
    "Too early to tell": lazy_gettext("Too early to tell"),
    # tracker.digests.SECTION_TITLES (the digest preview's headings)
    "Escalated to you": lazy_gettext("Escalated to you"),
    "Extension requests awaiting your decision": lazy_gettext("Extension requests awaiting your decision"),
    "Stale (review date passed with no update)": lazy_gettext("Stale (review date passed with no update)"),
    # tracker.reports.CHARTS
    "Open and overdue commitments, week by week": lazy_gettext("Open and overdue commitments, week by week"),
    "Compliance score by counterpart": lazy_gettext("Compliance score by counterpart"),
    # The fields an extraction note is about (tracker.extraction.notes.FieldNote.field)
    "parties": lazy_gettext("parties"),
    "deadline": lazy_gettext("deadline"),
    "kind": lazy_gettext("kind"),
    # DeadlineType
    "date": lazy_gettext("date"),
    "event": lazy_gettext("event"),
    "ongoing": lazy_gettext("ongoing"),
    "none": lazy_gettext("none"),
    # Relation (of a deadline to its event)
    "before": lazy_gettext("before"),
    "at": lazy_gettext("at"),
    "after": lazy_gettext("after"),
    # PointKind
    "commitment": lazy_gettext("commitment"),
    "position": lazy_gettext("position"),
    "exchange": lazy_gettext("exchange"),
    "protocol": lazy_gettext("protocol"),
    # ExtensionState and DigestState
    "pending": lazy_gettext("pending"),
    "approved": lazy_gettext("approved"),
    "refused": lazy_gettext("refused"),
    "sent": lazy_gettext("sent"),
    "failed": lazy_gettext("failed"),
    # tracker.progress.Outcome (what a later readout reports) and Status values
    "done": lazy_gettext("done"),
    "progress": lazy_gettext("progress"),
    "reaffirmed": lazy_gettext("reaffirmed"),
    "open": lazy_gettext("open"),
    "in_progress": lazy_gettext("in progress"),
    "dropped": lazy_gettext("dropped"),
    # Outcome values
    "fulfilled": lazy_gettext("fulfilled"),
    "partial": lazy_gettext("partial"),
    "not_fulfilled": lazy_gettext("not fulfilled"),
    "too_early": lazy_gettext("too early"),
    # LinkKind
    "counterpart": lazy_gettext("counterpart"),
    "translation": lazy_gettext("translation"),
    # DayCount
    "calendar": lazy_gettext("calendar"),
    "working": lazy_gettext("working"),
    # TokenKind
    "api": lazy_gettext("api"),
    "feed": lazy_gettext("feed"),
}


def tr(value: object) -> str:
    """A domain word (or an enum member, by its value) in the page's language."""
    key = value.value if isinstance(value, enum.Enum) else str(value)
    return str(DOMAIN_WORDS.get(key, key))
