"""Every setting of the tracker, read from environment variables in this one place.

The README's configuration table lists the same variables; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tracker.deadlines import DeadlineSettings
from tracker.directory import DirectorySettings
from tracker.directory import settings_from_env as directory_settings_from_env
from tracker.escalation import DEFAULT_STEPS, LadderError, Step, parse_steps
from tracker.extraction.limits import ReadingLimits
from tracker.isolation import Bounds

DEFAULT_SQLITE_PATH = Path("instance") / "tracker.db"


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


def default_database_url(cwd: Path | None = None) -> str:
    path = (cwd or Path.cwd()) / DEFAULT_SQLITE_PATH
    return f"sqlite:///{path}"


# The longest a web request waits for another writer's lock by default (web/db.py).
DEFAULT_WRITE_WAIT_SECONDS = 8.0


@dataclass(frozen=True)
class Settings:
    """The tracker's configuration; build it with `Settings.from_env()`."""

    database_url: str = field(default_factory=default_database_url)
    env: str = "development"
    secret_key: str | None = None
    base_url: str = "http://127.0.0.1:5000"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = "tracker@localhost"
    max_upload_bytes: int = 5 * 1024 * 1024
    sweep_interval_minutes: int = 60
    digest_interval_minutes: int = 15
    digest_max_attempts: int = 5
    # Where login rate-limit counts live. memory:// is per process: fine for one web process
    # (waitress, `tracker run`); several workers or hosts need a shared store (redis://...).
    ratelimit_storage_uri: str = "memory://"
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)
    # Our own government: compliance "per counterpart" counts every party but this one.
    home_party: str = "Japan"
    # Issue 17: the escalation ladder of desks without their own (tracker.escalation).
    escalation_steps: tuple[Step, ...] = field(default_factory=lambda: parse_steps(DEFAULT_STEPS))
    # Issue 19: the ministry's directory (TRACKER_LDAP_*); None: local accounts only.
    directory: DirectorySettings | None = None
    # Issue 19: how much of a document is read before it is refused (tracker.extraction.limits).
    reading: ReadingLimits = field(default_factory=ReadingLimits)
    # ... and how long and in how much memory the web app's worker process may read it.
    parse_timeout_seconds: int = 20
    # The longest a web request waits for another writer's lock (SQLite's busy timeout,
    # PostgreSQL's lock_timeout) before it answers 503: clients commonly give up at 10-30 s.
    write_wait_seconds: float = DEFAULT_WRITE_WAIT_SECONDS
    parse_memory_mb: int = 512

    @property
    def parse_bounds(self) -> Bounds:
        """The bounds of the worker that reads an uploaded or pasted readout (tracker.isolation)."""
        return Bounds(seconds=self.parse_timeout_seconds, memory_bytes=self.parse_memory_mb * 2**20)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        defaults = DeadlineSettings()
        deadlines = DeadlineSettings(
            promptly_after_event_days=_int(
                env, "TRACKER_PROMPTLY_AFTER_EVENT_DAYS", defaults.promptly_after_event_days
            ),
            after_event_days=_int(env, "TRACKER_AFTER_EVENT_DAYS", defaults.after_event_days),
            immediately_days=_int(env, "TRACKER_IMMEDIATELY_DAYS", defaults.immediately_days),
            promptly_days=_int(env, "TRACKER_PROMPTLY_DAYS", defaults.promptly_days),
            asap_days=_int(env, "TRACKER_ASAP_DAYS", defaults.asap_days),
            early_date_days=_int(env, "TRACKER_EARLY_DATE_DAYS", defaults.early_date_days),
            review_cadence_days=_int(env, "TRACKER_REVIEW_CADENCE_DAYS", defaults.review_cadence_days),
        )
        limits = ReadingLimits()
        reading = ReadingLimits(
            max_pdf_pages=_int(env, "TRACKER_MAX_PDF_PAGES", limits.max_pdf_pages),
            max_pdf_page_bytes=_int(env, "TRACKER_MAX_PDF_PAGE_BYTES", limits.max_pdf_page_bytes),
            max_docx_paragraphs=_int(env, "TRACKER_MAX_DOCX_PARAGRAPHS", limits.max_docx_paragraphs),
            max_docx_inflated_bytes=_int(
                env, "TRACKER_MAX_DOCX_INFLATED_BYTES", limits.max_docx_inflated_bytes
            ),
            max_zip_ratio=_int(env, "TRACKER_MAX_ZIP_RATIO", limits.max_zip_ratio),
            max_characters=_int(env, "TRACKER_MAX_READOUT_CHARACTERS", limits.max_characters),
            max_points=_int(env, "TRACKER_MAX_READOUT_POINTS", limits.max_points),
            max_commitments=_int(env, "TRACKER_MAX_READOUT_COMMITMENTS", limits.max_commitments),
        )
        try:
            ladder = parse_steps(env.get("TRACKER_ESCALATION_STEPS", DEFAULT_STEPS))
        except LadderError as exc:
            raise ValueError(f"TRACKER_ESCALATION_STEPS: {exc}") from None
        return cls(
            database_url=env.get("TRACKER_DATABASE_URL") or default_database_url(),
            env=env.get("TRACKER_ENV", "development"),
            secret_key=env.get("TRACKER_SECRET_KEY") or None,
            base_url=env.get("TRACKER_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            smtp_host=env.get("TRACKER_SMTP_HOST", "127.0.0.1"),
            smtp_port=_int(env, "TRACKER_SMTP_PORT", 25),
            smtp_starttls=_bool(env, "TRACKER_SMTP_STARTTLS", False),
            smtp_username=env.get("TRACKER_SMTP_USERNAME") or None,
            smtp_password=env.get("TRACKER_SMTP_PASSWORD") or None,
            mail_from=env.get("TRACKER_MAIL_FROM", "tracker@localhost"),
            max_upload_bytes=_int(env, "TRACKER_MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
            sweep_interval_minutes=_int(env, "TRACKER_SWEEP_INTERVAL_MINUTES", 60),
            digest_interval_minutes=_int(env, "TRACKER_DIGEST_INTERVAL_MINUTES", 15),
            digest_max_attempts=_int(env, "TRACKER_DIGEST_MAX_ATTEMPTS", 5),
            ratelimit_storage_uri=env.get("TRACKER_RATELIMIT_STORAGE_URI") or "memory://",
            deadlines=deadlines,
            home_party=env.get("TRACKER_HOME_PARTY", "").strip() or "Japan",
            escalation_steps=ladder,
            directory=directory_settings_from_env(env),
            reading=reading,
            parse_timeout_seconds=_int(env, "TRACKER_PARSE_TIMEOUT_SECONDS", 20),
            write_wait_seconds=_int(env, "TRACKER_WRITE_WAIT_SECONDS", int(DEFAULT_WRITE_WAIT_SECONDS)),
            parse_memory_mb=_int(env, "TRACKER_PARSE_MEMORY_MB", 512),
        )
