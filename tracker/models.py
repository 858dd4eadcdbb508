"""The tracker's data model: SQLAlchemy 2.x typed models on one `Base`.

Enums are stored as strings with a named CHECK constraint (not native enums) so that
SQLite and PostgreSQL behave alike; every datetime is timezone-aware and stored as UTC.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy import text as sql_text  # `text` is also a column name in class bodies
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from tracker.followup import FollowUpState

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored as UTC; naive values are refused, not guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        value = value.astimezone(dt.UTC)
        # SQLite has no time zone type: store UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class Role(enum.StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class DigestFrequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class PointKind(enum.StrEnum):
    COMMITMENT = "commitment"
    POSITION = "position"
    EXCHANGE = "exchange"
    PROTOCOL = "protocol"


class DeadlineType(enum.StrEnum):
    DATE = "date"
    EVENT = "event"
    ONGOING = "ongoing"
    NONE = "none"


class Relation(enum.StrEnum):
    BEFORE = "before"
    AT = "at"
    AFTER = "after"


class Status(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Outcome(enum.StrEnum):
    """How far a commitment was kept (issue 9); the summit-compliance scale: +1, 0, -1, no score."""

    FULFILLED = "fulfilled"
    PARTIAL = "partial"
    NOT_FULFILLED = "not_fulfilled"
    TOO_EARLY = "too_early"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Desk(Base):
    __tablename__ = "desk"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    officers: Mapped[list[Officer]] = relationship(back_populates="desk")
    # Issue 17: who is told when the desk's commitments stay overdue, and how it counts days.
    policy: Mapped[DeskPolicy | None] = relationship(
        back_populates="desk", foreign_keys="DeskPolicy.desk_id", uselist=False
    )
    # The countries it covers (admin-editable), by name.
    countries: Mapped[list[DeskCountry]] = relationship(
        back_populates="desk", order_by="DeskCountry.country", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Desk {self.name!r}>"


class Officer(Base):
    __tablename__ = "officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.OFFICER)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    digest_frequency: Mapped[DigestFrequency] = mapped_column(
        _enum(DigestFrequency, "digest_frequency"), default=DigestFrequency.DAILY
    )
    # Local hour (0-23) at which the digest goes out; weekday 0 = Monday for weekly digests.
    digest_hour: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The language of the officer's pages ("en", "ja"); None follows the browser's preference.
    language: Mapped[str | None] = mapped_column(String(8))
    # The language their browser asked for at their last login: their digests and notices follow it
    # while they have chosen none (`language`), as their pages do.
    browser_language: Mapped[str | None] = mapped_column(String(8))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # Carried in every session cookie and checked when it is loaded (issue 19, migration 0012):
    # bumped on logout, a new password, a role change and deactivation, so that every session
    # handed out before ends at once (tracker.services.officers.end_sessions).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Issue 18: a commitment given to me, or one of mine changed by someone else, is mailed at
    # once (True) or told in my next digest only (False, the default); the dashboard shows both.
    notify_immediately: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())

    desk: Mapped[Desk | None] = relationship(back_populates="officers")

    __table_args__ = (
        CheckConstraint("digest_hour >= 0 AND digest_hour <= 23", name="digest_hour_range"),
        CheckConstraint("digest_weekday >= 0 AND digest_weekday <= 6", name="digest_weekday_range"),
    )

    def __repr__(self) -> str:
        return f"<Officer {self.email!r}>"


class DayCount(enum.StrEnum):
    """How a desk counts the days the tracker adds ("promptly" +7, review dates): see tracker.deadlines."""

    CALENDAR = "calendar"
    WORKING = "working"


class DeskPolicy(Base):
    """How one desk follows up (issue 17, migration 0010); a desk without a row takes the defaults.

    A table of its own rather than columns of `desk`: its contacts are officers, and officers
    belong to desks, so the columns would make desk and officer refer to each other (a cycle
    that a backup could not restore in any table order).
    """

    __tablename__ = "desk_policy"

    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id", ondelete="CASCADE"), primary_key=True)
    # Told at the escalation steps named "supervisor" and "head" (tracker.escalation).
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    head_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # The desk's escalation ladder ("7:supervisor,30:head"); None: the tracker's default
    # (TRACKER_ESCALATION_STEPS); "": the desk does not escalate.
    escalation_steps: Mapped[str | None] = mapped_column(String(200))
    # The post's country (ISO 3166-1 alpha-2): its public holidays and weekend, in working days.
    country: Mapped[str | None] = mapped_column(String(2))
    day_count: Mapped[DayCount] = mapped_column(
        _enum(DayCount, "day_count"), default=DayCount.CALENDAR, server_default=DayCount.CALENDAR.value
    )

    desk: Mapped[Desk] = relationship(back_populates="policy", foreign_keys=[desk_id])
    supervisor: Mapped[Officer | None] = relationship(foreign_keys=[supervisor_id])
    head: Mapped[Officer | None] = relationship(foreign_keys=[head_id])


class DeskCountry(Base):
    """A country (or organisation) a desk covers, by its canonical party name (issue 18,
    migration 0018): the ingest preview gives a readout with that counterpart to the desk.
    One desk per country, so that the default is never a guess."""

    __tablename__ = "desk_country"

    country: Mapped[str] = mapped_column(String(200), primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id", ondelete="CASCADE"), index=True)

    desk: Mapped[Desk] = relationship(back_populates="countries")


class Party(Base):
    """A country or organisation that can undertake something, with the names it goes by."""

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"<Party {self.name!r}>"


class Event(Base):
    """Something a deadline can hang on ("the G7 Summit"); its date may not be known yet."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # Normalised name (tracker.deadlines.event_key): small variations of a name are one event.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    def __repr__(self) -> str:
        return f"<Event {self.name!r} {self.date}>"


class Readout(Base):
    __tablename__ = "readout"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(1000))
    meeting_date: Mapped[dt.date] = mapped_column(Date, index=True)
    # The grammar the readout was read with ("en", "ja"): detected at ingest or chosen by the officer.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # The text exactly as ingested; every offset below points into it, so it is never altered.
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ingested_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    ingested_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))

    ingested_by: Mapped[Officer | None] = relationship()
    points: Mapped[list[ReadoutPoint]] = relationship(
        back_populates="readout", order_by="ReadoutPoint.position", cascade="all, delete-orphan"
    )
    # Need-to-know (issue 19): a restricted readout and its commitments are seen only by the
    # officers of `access_desks` and by admins (tracker.services.permissions). The flag, not the
    # presence of desk rows, says "restricted", so a readout whose last named desk is deleted
    # stays hidden instead of falling open to everyone.
    is_restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_text("false"))
    # Shown on every page, export and brief that includes the readout ("Confidential").
    marking: Mapped[str | None] = mapped_column(String(100))
    access_desks: Mapped[list[Desk]] = relationship(secondary="readout_desk_access", order_by="Desk.name")

    __table_args__ = (
        # Partial on PostgreSQL: the visibility rule reads the few restricted readouts on every
        # query, never the unrestricted many.
        Index(
            "ix_readout_is_restricted",
            "is_restricted",
            postgresql_where=sql_text("is_restricted"),
        ),
    )

    def __repr__(self) -> str:
        return f"<Readout {self.id} {self.title!r}>"


readout_desk_access = Table(
    "readout_desk_access",
    Base.metadata,
    Column("readout_id", ForeignKey("readout.id", ondelete="CASCADE"), primary_key=True),
    Column("desk_id", ForeignKey("desk.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ReadoutPoint(Base):
    __tablename__ = "readout_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    readout_id: Mapped[int] = mapped_column(ForeignKey("readout.id", ondelete="CASCADE"))
    # The number as printed ("1", "(3)") or, in prose readouts, the paragraph's order.
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(300))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    kind: Mapped[PointKind] = mapped_column(_enum(PointKind, "kind"))

    readout: Mapped[Readout] = relationship(back_populates="points")
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="point", order_by="Commitment.quote_start"
    )

    __table_args__ = (
        UniqueConstraint("readout_id", "position"),
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="offsets"),
    )

    @property
    def text(self) -> str:
        return self.readout.text[self.start_offset : self.end_offset]


commitment_party = Table(
    "commitment_party",
    Base.metadata,
    Column("commitment_id", ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True),
    Column("party_id", ForeignKey("party.id"), primary_key=True, index=True),
)


class Commitment(FollowUpState, Base):
    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("readout_point.id", ondelete="CASCADE"))
    # Denormalised from the point so that lists and digests need no join to find the readout.
    readout_id: Mapped[int] = mapped_column(ForeignKey("readout.id", ondelete="CASCADE"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    quote_start: Mapped[int] = mapped_column(Integer)
    quote_end: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(Text)
    deadline_type: Mapped[DeadlineType] = mapped_column(_enum(DeadlineType, "deadline_type"))
    deadline_text: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), index=True)
    deadline_relation: Mapped[Relation | None] = mapped_column(_enum(Relation, "relation"))
    # For event deadlines: due date = event date + this many days (see tracker.deadlines).
    deadline_offset_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    review_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(_enum(Status, "status"), default=Status.OPEN)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set once by the overdue sweep; cleared when the due date or status changes.
    flagged_overdue_at: Mapped[dt.datetime | None]
    flagged_stale_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    # --- issue 9: outcome assessment (migration 0003; written by tracker.services.compliance) ---
    # Separate from status: a "done" commitment can still be only partly fulfilled.
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[dt.datetime | None]
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    outcome_by: Mapped[Officer | None] = relationship(foreign_keys=[outcome_by_id])
    # --- end issue 9 ---

    point: Mapped[ReadoutPoint] = relationship(back_populates="commitments")
    readout: Mapped[Readout] = relationship()
    parties: Mapped[list[Party]] = relationship(secondary=commitment_party, order_by="Party.name")
    event: Mapped[Event | None] = relationship()
    owner: Mapped[Officer | None] = relationship(foreign_keys=[owner_id])
    desk: Mapped[Desk | None] = relationship()
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="commitment", order_by="StatusChange.id"
    )

    # The ORM adds "AND version = :old" to every UPDATE and bumps it: a concurrent writer
    # that read an older version gets StaleDataError instead of silently overwriting.
    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        CheckConstraint("quote_start >= 0 AND quote_end > quote_start", name="quote_offsets"),
        CheckConstraint("version >= 1", name="version_positive"),
        # The digest and dashboard read one officer's or one desk's active rows by due date.
        # On PostgreSQL the id rides along (INCLUDE, migration 0007): their first rows ordered by
        # (date, id) come from the index alone, where SQLite's indexes hold the rowid anyway.
        # desk_id last (migration 0006): a digest tells the officer's own rows on another desk (or
        # none) from their desk's rows in the index, without reading each row for its desk_id.
        Index(
            "ix_commitment_owner_status_due",
            "owner_id",
            "status",
            "due_date",
            "desk_id",
            postgresql_include=["id"],
        ),
        Index("ix_commitment_desk_status_due", "desk_id", "status", "due_date", postgresql_include=["id"]),
        # Migration 0007: whether an officer owns active rows on no desk or another desk than
        # theirs, in three index probes (a digest reads the officer's own rows only then).
        Index("ix_commitment_owner_desk_status", "owner_id", "desk_id", "status"),
        Index("ix_commitment_status_due", "status", "due_date"),
        Index("ix_commitment_status_review", "status", "review_date"),
        # Issue 7 (measured by `tracker bench`): the stale sections of the digest and dashboard
        # read one officer's or one desk's rows by review date; without these, SQLite scanned
        # every stale row of every desk for each officer (820 ms -> 210 ms per digest at 1M).
        Index(
            "ix_commitment_owner_status_review",
            "owner_id",
            "status",
            "review_date",
            "desk_id",
            postgresql_include=["id"],
        ),
        Index(
            "ix_commitment_desk_status_review", "desk_id", "status", "review_date", postgresql_include=["id"]
        ),
        # The sweep looks only at rows it has not flagged yet: partial indexes hold just those,
        # so a sweep with nothing new to flag reads no rows at all (PERFORMANCE.md: 0.36 s ->
        # 0.01 ms at 1M), and the first sweep finds its rows without reading the flags.
        Index(
            "ix_commitment_overdue_unflagged",
            "status",
            "due_date",
            sqlite_where=text("flagged_overdue_at IS NULL"),
            postgresql_where=text("flagged_overdue_at IS NULL"),
        ),
        Index(
            "ix_commitment_stale_unflagged",
            "status",
            "review_date",
            sqlite_where=text("flagged_stale_at IS NULL"),
            postgresql_where=text("flagged_stale_at IS NULL"),
        ),
        # Issue 7, migration 0005. The API list's keyset order: dated rows by (due_date, id), then
        # undated ones by id (the primary key), so the first page reads 51 index entries instead
        # of sorting the table (SQLite: 210 ms -> <1 ms at 1M).
        Index("ix_commitment_due_id", "due_date", "id"),
        # The dashboard's "waiting on an event date" bucket for a desk, from the index alone
        # (18 ms -> 0.3 ms per desk count at 1M) instead of reading every undated row of the desk
        # for its deadline type. Queries must compare deadline_type with the literal 'event' (not
        # a bound parameter) for SQLite to prove the predicate and use the index. event_id
        # (migration 0006): the digest counts a desk's waiting rows per event from the index;
        # deadline_type (0007): SQLite (3.40) reads the table for a column of the index's WHERE
        # unless the index holds it, so with it those counts never leave the index.
        Index(
            "ix_commitment_waiting",
            "status",
            "desk_id",
            "due_date",
            "event_id",
            "deadline_type",
            sqlite_where=text("deadline_type = 'event'"),
            postgresql_where=text("deadline_type = 'event'"),
            postgresql_include=["id"],
        ),
    )

    def __repr__(self) -> str:
        return f"<Commitment {self.id} v{self.version} {self.status}>"


class StatusChange(Base):
    """Append-only history of every change to a commitment; written only by services."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    # None when the tracker itself made the change (the sweep, an event date that moved).
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    field: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    commitment: Mapped[Commitment] = relationship(back_populates="history")
    officer: Mapped[Officer | None] = relationship()


class DigestState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # Never to be sent: a newer digest of the officer exists, or nothing is left to report.
    SUPERSEDED = "superseded"


class OutboxKind(enum.StrEnum):
    DIGEST = "digest"
    # A short mail telling an officer who asked for it at once what others did to their
    # commitments (issue 18): its notifications point at it; never counted as a digest.
    NOTICE = "notice"


class Digest(Base):
    """The reminder-digest outbox: written first, then sent, so that each goes out exactly once.

    It carries the notices of officers who want them at once too (`kind`), with the same
    once-only guarantee; a notice's period is "notice:<its last notification's id>".

    The unique (officer, period) key makes a second dispatch for the same period a no-op;
    a crash between writing and sending leaves a pending row that the next run sends.
    """

    __tablename__ = "digest"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    # The officer's local digest slot, e.g. "daily:2026-11-27" or "weekly:2026-W48"; with the
    # zone's UTC offset ("daily:2026-11-27@-0800") when an earlier zone's digest took the label.
    period: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Fixed when the digest is written, so every retry carries the same Message-ID and
    # mail systems collapse a copy that was resent after a crash.
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    state: Mapped[DigestState] = mapped_column(_enum(DigestState, "state"), default=DigestState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    # The last failure was the mail server's (unreachable, or 4xx "not now"), not this message's:
    # a digest failed that way is retried once the server answers again.
    is_last_error_transient: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    next_attempt_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    sent_at: Mapped[dt.datetime | None]
    kind: Mapped[OutboxKind] = mapped_column(
        _enum(OutboxKind, "kind"), default=OutboxKind.DIGEST, server_default=OutboxKind.DIGEST.value
    )

    officer: Mapped[Officer] = relationship()

    __table_args__ = (
        UniqueConstraint("officer_id", "period"),
        Index("ix_digest_state_next_attempt", "state", "next_attempt_at"),
    )


class JobLease(Base):
    """A lease row per job: the scheduler process that holds an unexpired lease runs the job.

    Works on SQLite and PostgreSQL alike, so two schedulers started against one database
    (say, on two hosts) never both run a job.
    """

    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[dt.datetime]


class TokenKind(enum.StrEnum):
    API = "api"
    FEED = "feed"


class ApiToken(Base):
    """A personal API or calendar-feed token; only its SHA-256 hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TokenKind] = mapped_column(_enum(TokenKind, "token_kind"), default=TokenKind.API)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    officer: Mapped[Officer] = relationship()


class OutcomeEvidence(Base):
    """What an outcome assessment rests on: a URL, a later readout, or both (issue 9)."""

    __tablename__ = "outcome_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    # A readout that shows the outcome; kept when that readout is deleted, minus the link.
    readout_id: Mapped[int | None] = mapped_column(ForeignKey("readout.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))

    commitment: Mapped[Commitment] = relationship()
    readout: Mapped[Readout | None] = relationship()
    created_by: Mapped[Officer | None] = relationship()

    __table_args__ = (CheckConstraint("url IS NOT NULL OR readout_id IS NOT NULL", name="has_target"),)


class Reaffirmation(Base):
    """A confirmed link: a later commitment repeats an earlier, still open one (issue 9)."""

    __tablename__ = "reaffirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The earlier undertaking, the one that is being reaffirmed.
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"))
    reaffirmed_by_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    # The readout of the later commitment, denormalised so "reaffirmed at <meeting>" needs no join.
    readout_id: Mapped[int] = mapped_column(ForeignKey("readout.id", ondelete="CASCADE"), index=True)
    # Text similarity (0-100) when the link was proposed.
    score: Mapped[float] = mapped_column(Float)
    confirmed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))

    commitment: Mapped[Commitment] = relationship(foreign_keys=[commitment_id])
    reaffirmed_by: Mapped[Commitment] = relationship(foreign_keys=[reaffirmed_by_id])
    readout: Mapped[Readout] = relationship()
    confirmed_by: Mapped[Officer | None] = relationship()

    __table_args__ = (
        UniqueConstraint("commitment_id", "reaffirmed_by_id"),
        CheckConstraint("commitment_id <> reaffirmed_by_id", name="not_itself"),
    )


class Escalation(Base):
    """One step of a commitment's escalation: who was told, when, and for which due date (issue 17).

    Written by the overdue sweep (tracker.services.escalations), once per commitment and step:
    the partial unique index allows one *open* row per (commitment, step), so a second sweep, a
    restarted or a second scheduler inserts nothing. The row is closed (`cleared_at`) when the
    commitment moves (status, due date); a later overdue spell escalates afresh.
    """

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer)  # 1-based position in the desk's ladder
    days_overdue: Mapped[int] = mapped_column(Integer)  # the step's threshold
    contact: Mapped[str] = mapped_column(String(20))  # "supervisor" or "head" (tracker.escalation)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    escalated_at: Mapped[dt.datetime]
    cleared_at: Mapped[dt.datetime | None]
    cleared_note: Mapped[str | None] = mapped_column(Text)

    commitment: Mapped[Commitment] = relationship()
    recipient: Mapped[Officer] = relationship()

    __table_args__ = (
        CheckConstraint("step >= 1", name="step_positive"),
        Index(
            "uq_escalation_open_step",
            "commitment_id",
            "step",
            unique=True,
            sqlite_where=text("cleared_at IS NULL"),
            postgresql_where=text("cleared_at IS NULL"),
        ),
        # A commitment's escalations, open or not, for its page.
        Index("ix_escalation_commitment_id", "commitment_id"),
        # The digest's "escalated to you" section: one recipient's open rows, oldest first.
        Index(
            "ix_escalation_recipient_open",
            "recipient_id",
            "escalated_at",
            sqlite_where=text("cleared_at IS NULL"),
            postgresql_where=text("cleared_at IS NULL"),
        ),
    )


class ExtensionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ExtensionRequest(Base):
    """An officer's request to move a commitment's due date, and a supervisor's decision (issue 17)."""

    __tablename__ = "extension_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    requested_at: Mapped[dt.datetime]
    # The due date when asked: an approval after it moved would extend something else.
    old_due_date: Mapped[dt.date] = mapped_column(Date)
    new_due_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[ExtensionState] = mapped_column(
        _enum(ExtensionState, "extension_state"), default=ExtensionState.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    commitment: Mapped[Commitment] = relationship()
    requested_by: Mapped[Officer] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[Officer | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        CheckConstraint("new_due_date > old_due_date", name="later"),
        Index("ix_extension_request_commitment_id", "commitment_id"),
        # At most one request waits for a decision per commitment.
        Index(
            "uq_extension_request_pending",
            "commitment_id",
            unique=True,
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
    )


# --- issue 17: readouts of one meeting (migration 0009) -------------------------------------------


class LinkKind(enum.StrEnum):
    """How two readouts of one meeting relate."""

    COUNTERPART = "counterpart"  # the other government's readout of the same meeting
    TRANSLATION = "translation"  # the ministry's English version of its Japanese original


class ReadoutLink(Base):
    """Two readouts of one meeting, linked by an officer (proposed by tracker.services.readout_links).

    For a translation, `readout_id` is the original (authoritative) and `other_readout_id` the
    translation; for a counterpart the lower id comes first, so a pair is stored once.
    """

    __tablename__ = "readout_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    readout_id: Mapped[int] = mapped_column(ForeignKey("readout.id", ondelete="CASCADE"))
    other_readout_id: Mapped[int] = mapped_column(ForeignKey("readout.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(_enum(LinkKind, "link_kind"))
    confirmed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))

    readout: Mapped[Readout] = relationship(foreign_keys=[readout_id])
    other_readout: Mapped[Readout] = relationship(foreign_keys=[other_readout_id])
    confirmed_by: Mapped[Officer | None] = relationship()
    alignments: Mapped[list[CommitmentAlignment]] = relationship(
        back_populates="link", cascade="all, delete-orphan", order_by="CommitmentAlignment.id"
    )

    __table_args__ = (
        UniqueConstraint("readout_id", "other_readout_id"),
        CheckConstraint("readout_id <> other_readout_id", name="not_itself"),
    )


class CommitmentAlignment(Base):
    """One undertaking reported in both readouts of a link, as aligned when the link was confirmed.

    `commitment_id` is on the link's `readout_id` side. For a counterpart, `other_commitment_id`
    is the other government's commitment. For a translation the translated commitment is folded
    into the original's (one set is tracked), so `other_commitment_id` is None and the other_*
    columns keep how the translation worded and dated it.
    """

    __tablename__ = "commitment_alignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    # (link_id, commitment_id) is unique: that index also finds a link's rows.
    link_id: Mapped[int] = mapped_column(ForeignKey("readout_link.id", ondelete="CASCADE"))
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    other_commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    # Alignment score (0-1) when the link was confirmed.
    score: Mapped[float] = mapped_column(Float)
    other_quote: Mapped[str] = mapped_column(Text)
    other_quote_start: Mapped[int] = mapped_column(Integer)
    other_quote_end: Mapped[int] = mapped_column(Integer)
    other_parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_deadline_type: Mapped[DeadlineType] = mapped_column(_enum(DeadlineType, "other_deadline_type"))
    other_deadline_text: Mapped[str | None] = mapped_column(Text)
    other_due_date: Mapped[dt.date | None] = mapped_column(Date)

    link: Mapped[ReadoutLink] = relationship(back_populates="alignments")
    commitment: Mapped[Commitment] = relationship(foreign_keys=[commitment_id])
    other_commitment: Mapped[Commitment | None] = relationship(foreign_keys=[other_commitment_id])

    __table_args__ = (
        UniqueConstraint("link_id", "commitment_id"),
        CheckConstraint(
            "other_quote_start >= 0 AND other_quote_end > other_quote_start", name="quote_offsets"
        ),
    )


# --- issue 19: proposed event dates (migration 0012) ---------------------------------------------


class ProposalState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class EventDateProposal(Base):
    """An officer's proposed date for an event that other desks' commitments hang on, and a
    supervisor's decision (issue 19): setting it would move those desks' due dates."""

    __tablename__ = "event_date_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # None proposes to mark the date unknown again.
    date: Mapped[dt.date | None] = mapped_column(Date)
    # The event's date when proposed: an approval after it moved would set something else.
    old_date: Mapped[dt.date | None] = mapped_column(Date)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    proposed_at: Mapped[dt.datetime]
    state: Mapped[ProposalState] = mapped_column(
        _enum(ProposalState, "proposal_state"), default=ProposalState.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship()
    proposed_by: Mapped[Officer] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[Officer | None] = relationship(foreign_keys=[decided_by_id])


class SavedView(Base):
    """A filter of the commitments list an officer saved under a name (shown in their navigation)."""

    __tablename__ = "saved_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # The list's query string, reduced to the filters and sort it understands (services.saved_views).
    query: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    # The officer's dashboard shows this view instead of the standard one (at most one of an
    # officer's views: services.saved_views.set_dashboard; migration 0018).
    is_dashboard: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_text("false"))

    officer: Mapped[Officer] = relationship()

    # The (officer_id, name) index also finds an officer's views.
    __table_args__ = (UniqueConstraint("officer_id", "name"),)


class Notification(Base):
    """An officer told that someone else gave them a commitment or changed one they own (issue 18).

    One per history row and recipient, written with the row (`tracker.services.history`): what
    happened, by whom and when are the history row's. Unread until the officer marks it read;
    `outbox_id` is the mail that told them (a notice, or the digest with "Changes by others").
    """

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    status_change_id: Mapped[int] = mapped_column(
        ForeignKey("status_change.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    read_at: Mapped[dt.datetime | None]
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("digest.id", ondelete="SET NULL"), index=True)

    officer: Mapped[Officer] = relationship()
    commitment: Mapped[Commitment] = relationship()
    change: Mapped[StatusChange] = relationship()

    # An officer's unread ones, newest first (the dashboard, the count in the navigation).
    __table_args__ = (Index("ix_notification_officer_read", "officer_id", "read_at", "id"),)
