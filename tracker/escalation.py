"""What escalation means: the ladder of steps a desk's overdue commitments climb (issue 17).

A commitment that stays **overdue** (tracker.followup) past a step's number of days is escalated
to that step's contact: "7:supervisor" tells the desk's supervisor once it is 7 days overdue,
"30:head" the head of division at 30. Each desk names its contacts and may have a ladder of its
own (`DeskPolicy`); the others climb the tracker's default (TRACKER_ESCALATION_STEPS). The first
step's days are the grace period. Days are calendar days, counted from the due date.

Pure rules, no database: the sweep step that applies them is `tracker.services.escalations`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.services.errors import N_, Message

# Who a step tells, by the name a ladder uses, and how the tracker says it.
CONTACTS = {"supervisor": "the desk's supervisor", "head": "the head of division"}
DEFAULT_STEPS = "7:supervisor,30:head"
MAX_DAYS = 3650


class LadderError(ValueError):
    """A ladder that cannot be read; the message says what is wrong with it (English as written,
    and its message id and values in `message`, for a refusal in the reader's language)."""

    def __init__(self, msgid: str, /, **values: object) -> None:
        self.message = Message(msgid, values)
        super().__init__(str(self.message))


@dataclass(frozen=True, order=True)
class Step:
    """One rung: at `days` overdue (or more), `contact` is told."""

    days: int
    contact: str

    def cutoff(self, today: dt.date) -> dt.date:
        """The latest due date that is this many days overdue on `today`."""
        return today - dt.timedelta(days=self.days)

    def __str__(self) -> str:
        return f"{self.days}:{self.contact}"


def parse_steps(text: str) -> tuple[Step, ...]:
    """A ladder as written ("7:supervisor, 30:head"; "" or "none": no escalation), in day order.

    LadderError for an unknown contact, a day count that is not a whole number from 1 to
    MAX_DAYS, or two steps on one day.
    """
    text = text.strip()
    if text.lower() in ("", "none", "off"):
        return ()
    steps: list[Step] = []
    for part in text.split(","):
        days_text, sep, contact = part.strip().partition(":")
        contact = contact.strip().lower()
        if not sep or contact not in CONTACTS:
            raise LadderError(
                N_(
                    "escalation step %(step)r: write DAYS:CONTACT, the contact one of %(contacts)s "
                    "(for example %(example)s)"
                ),
                step=part.strip(),
                contacts=", ".join(CONTACTS),
                example=DEFAULT_STEPS,
            )
        try:
            days = int(days_text.strip())
        except ValueError:
            raise LadderError(
                N_("escalation step %(step)r: the days must be a whole number"), step=part.strip()
            ) from None
        if not 1 <= days <= MAX_DAYS:
            raise LadderError(
                N_("escalation step %(step)r: the days must be from 1 to %(most)s"),
                step=part.strip(),
                most=MAX_DAYS,
            )
        steps.append(Step(days, contact))
    steps.sort()
    if len({s.days for s in steps}) != len(steps):
        raise LadderError(N_("escalation steps %(steps)r: two steps on the same day"), steps=text)
    return tuple(steps)


def format_steps(steps: tuple[Step, ...]) -> str:
    """A ladder as `parse_steps` reads it ("" for none)."""
    return ",".join(str(s) for s in steps)


def describe(step: Step) -> str:
    """ "7 days overdue: the desk's supervisor"."""
    return f"{step.days} days overdue: {CONTACTS[step.contact]}"
