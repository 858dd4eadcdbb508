"""`tracker bench`: a synthetic ministry-sized database and the figures that matter at that scale.

A tool, not part of the application: it may import `web` and `jobs` (it measures them), and
nothing in the application imports it. It

1. builds a throw-away database (a temporary SQLite file, or a uniquely named database on the
   PostgreSQL server of `--database-url`, dropped afterwards, so real data is never touched),
   migrated to head, and bulk-loads N commitments over N/3 readouts for K officers in K/10
   desks with raw executemany (SQLite) or COPY (PostgreSQL), secondary indexes built after the
   load because that is about twice as fast (PERFORMANCE.md);
2. measures, each as the median of several runs, the overdue sweep (with its escalation step)
   against one hand-written UPDATE and one INSERT ... SELECT per escalation step, the digests
   against one hand-written SELECT, ingest throughput, the dashboard and the API over HTTP
   from waitress with 8 concurrent clients, and the peak memory of the sweep and digest runs
   (each measured in a child process of its own, so the data generation does not count).

The clock is fixed (BENCH_NOW) so that every run sees the same overdue, due-soon and stale rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from tracker.db import REPO_ROOT, make_engine

CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "dev"
SAMPLE_DIR = REPO_ROOT / "sample_data"

BENCH_NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
BENCH_PASSWORD = "bench-password"
COMMITMENTS_PER_READOUT = 3
HTTP_CLIENTS = 8
# One web worker process per core (at most 2 here), sharing the 8 threads between them.
HTTP_WORKERS = max(1, min(2, os.cpu_count() or 1))
SEED = 20261126

RESULT_KEYS = (
    "size",
    "officers",
    "database",
    "sweep_s",
    "sweep_raw_s",
    "sweep_ratio",
    "digest_one_ms",
    "digests_all_s",
    "digests_raw_s",
    "digests_ratio",
    "ingest_per_s",
    "dashboard_p95_ms",
    "api_list_p95_ms",
    "link_proposals_ms",
    "progress_proposals_ms",
    "peak_rss_mib",
)

# The targets at --size 1000000 --officers 200 (issue 20's, on both databases; issue 7 had asked
# for a sweep ratio of 1.5 and a digests ratio of 3): (key, "max"/"min", bound).
TARGETS = (
    ("sweep_ratio", "max", 1.2),
    ("digest_one_ms", "max", 5.0),
    ("digests_ratio", "max", 1.0),
    ("ingest_per_s", "min", 200.0),
    ("dashboard_p95_ms", "max", 150.0),
    ("api_list_p95_ms", "max", 100.0),
    # Issue 17 (benchmarks/followup_intel.py): one ingested readout against every commitment.
    ("link_proposals_ms", "max", 50.0),
    ("progress_proposals_ms", "max", 200.0),
    ("peak_rss_mib", "max", 300.0),
)

# --- names the synthetic data is drawn from ------------------------------------------------

ORGANISATIONS = (
    "European Union",
    "United Nations",
    "ASEAN",
    "African Union",
    "NATO",
    "World Health Organization",
    "International Atomic Energy Agency",
    "World Trade Organization",
    "OECD",
    "Pacific Islands Forum",
)
EVENT_SERIES = (
    "G7 Summit",
    "G20 Summit",
    "APEC Economic Leaders' Week",
    "United Nations General Assembly",
    "East Asia Summit",
    "ASEAN Regional Forum",
    "Munich Security Conference",
    "NATO Summit",
    "UN Climate Change Conference",
    "Quad Leaders' Summit",
    "Japan-China-ROK Trilateral Summit",
    "Tokyo International Conference on African Development",
    "Shangri-La Dialogue",
    "World Economic Forum Annual Meeting",
    "OSCE Ministerial Council",
    "Raisina Dialogue",
    "Pacific Islands Leaders Meeting",
    "Mekong-Japan Summit",
    "Asia-Europe Meeting",
    "Summit of the Americas",
)
ACTIONS = (
    "hold the next round of the strategic dialogue",
    "resume working-level consultations on consular matters",
    "conclude negotiations on the economic partnership agreement",
    "establish a joint working group on maritime security",
    "exchange views on supply-chain resilience",
    "launch a youth exchange programme",
    "sign a memorandum of cooperation on cyber security",
    "coordinate closely on the situation in the region",
    "hold a two-plus-two meeting of foreign and defence ministers",
    "open a consulate general",
    "cooperate on the reconstruction of Ukraine",
    "provide emergency humanitarian assistance",
    "conduct a joint study on clean energy",
    "strengthen cooperation on critical minerals",
    "facilitate visa procedures for business travellers",
    "organise a business forum",
    "share information on the pandemic response",
    "support the candidacy for the UN Security Council",
    "hold a high-level economic dialogue",
    "continue close communication at all levels",
)
DESK_REGIONS = (
    "North America",
    "Northeast Asia",
    "Southeast Asia",
    "South Asia",
    "Oceania",
    "Western Europe",
    "Central and Eastern Europe",
    "Russia and Central Asia",
    "Middle East",
    "North Africa",
    "Sub-Saharan Africa",
    "Latin America",
    "Caribbean",
    "United Nations",
    "Economic Affairs",
    "Climate Change",
    "Arms Control",
    "Consular Affairs",
    "Development Cooperation",
    "Global Health",
)
FIRST_NAMES = (
    "Aiko", "Hiroshi", "Min-jun", "Seo-yeon", "Emily", "James", "Priya", "Arjun", "Sophie",
    "Lukas", "Amara", "Kwame", "Mariana", "Diego", "Fatima", "Omar", "Elena", "Ivan", "Mei", "Wei",
)  # fmt: skip
LAST_NAMES = (
    "Tanaka", "Suzuki", "Kim", "Park", "Smith", "Jones", "Sharma", "Patel", "Martin", "Müller",
    "Okafor", "Mensah", "Silva", "García", "Haddad", "Khan", "Rossi", "Petrov", "Chen", "Wang",
)  # fmt: skip
TIMEZONES = ("Asia/Tokyo", "Europe/London", "America/New_York", "Europe/Brussels", "Asia/Seoul", "UTC")


def party_names() -> list[str]:
    """Real country names (ISO 3166 via pycountry) and international organisations."""
    import pycountry

    names = sorted({getattr(c, "common_name", c.name) for c in pycountry.countries})
    return names + list(ORGANISATIONS)


# --- the throw-away database ----------------------------------------------------------------


@dataclass
class BenchDatabase:
    """A database the bench created and will drop: never one that held anything before."""

    url: str
    backend: str
    _drop: Callable[[], None] = field(repr=False)

    def drop(self) -> None:
        self._drop()


def _admin_engine(server_url: str) -> Engine:
    return make_engine(server_url, isolation_level="AUTOCOMMIT")


def create_database(server_url: str | None) -> BenchDatabase:
    """A new empty database: a temporary SQLite file, or a fresh uniquely named one on the server."""
    if server_url is None or make_url(server_url).get_backend_name() == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        return BenchDatabase(
            f"sqlite:///{directory / 'bench.db'}",
            "sqlite",
            lambda: shutil.rmtree(directory, ignore_errors=True),
        )
    url = make_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"unsupported database {url.get_backend_name()!r}: use SQLite or PostgreSQL")
    name = f"tracker_bench_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(server_url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return BenchDatabase(
        url.set(database=name).render_as_string(hide_password=False),
        "postgresql",
        lambda: _drop_postgres(server_url, name),
    )


def _drop_postgres(server_url: str, name: str) -> None:
    admin = _admin_engine(server_url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def copy_database(db: BenchDatabase, server_url: str | None) -> BenchDatabase:
    """An identical copy of `db` (same rows, same indexes) for the hand-written baselines."""
    if db.backend == "sqlite":
        source = Path(make_url(db.url).database or "")
        directory = Path(tempfile.mkdtemp(prefix="tracker-bench-copy-"))
        target = directory / "bench.db"
        engine = make_engine(db.url)
        try:
            with engine.connect() as conn:
                # Everything into the main file, so that copying the file copies the database.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        shutil.copyfile(source, target)
        return BenchDatabase(
            f"sqlite:///{target}", "sqlite", lambda: shutil.rmtree(directory, ignore_errors=True)
        )
    assert server_url is not None
    source_name = make_url(db.url).database
    name = f"tracker_bench_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(server_url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source_name}"'))
    finally:
        admin.dispose()
    return BenchDatabase(
        make_url(db.url).set(database=name).render_as_string(hide_password=False),
        "postgresql",
        lambda: _drop_postgres(server_url, name),
    )


def migrate(url: str) -> None:
    from alembic import command

    from tracker.db import alembic_config

    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


# --- synthetic data -------------------------------------------------------------------------

# Tables filled in bulk, in foreign-key order; their secondary indexes are built after the load.
BULK_TABLES = ("readout", "readout_point", "commitment", "commitment_party")

READOUT_COLUMNS = (
    "id", "title", "publisher", "source", "meeting_date", "text", "content_hash", "ingested_at",
    "ingested_by_id",
)  # fmt: skip
POINT_COLUMNS = ("id", "readout_id", "number", "position", "section", "start_offset", "end_offset", "kind")
COMMITMENT_COLUMNS = (
    "id", "point_id", "readout_id", "quote", "quote_start", "quote_end", "action", "deadline_type",
    "deadline_text", "event_id", "deadline_relation", "deadline_offset_days", "due_date", "review_date",
    "status", "owner_id", "desk_id", "version", "flagged_overdue_at", "flagged_stale_at", "created_at",
    "updated_at",
)  # fmt: skip
PARTY_LINK_COLUMNS = ("commitment_id", "party_id")
OFFICER_COLUMNS = (
    "id", "name", "email", "desk_id", "role", "timezone", "digest_frequency", "digest_hour",
    "digest_weekday", "password_hash", "is_active", "created_at",
)  # fmt: skip
EVENT_COLUMNS = ("id", "name", "key", "aliases", "date", "created_at", "updated_at")


@dataclass
class LoadResult:
    seconds: float
    index_seconds: float
    readouts: int
    commitments: int
    party_links: int


class _Formats:
    """Dates and times as each backend's bulk path wants them (SQLite: SQLAlchemy's text forms).

    Every value is cached by its day offset from the bench's today: the range is a few thousand
    days, and formatting a million datetimes would otherwise be a third of the load time.
    """

    def __init__(self, backend: str) -> None:
        self.sqlite = backend == "sqlite"
        self.epoch = BENCH_NOW.date()
        self._days: dict[int, Any] = {}
        self._stamps: dict[int, Any] = {}
        self._words: dict[int, str] = {}

    def day(self, offset: int) -> Any:
        """The date `offset` days from the bench's today."""
        value = self._days.get(offset)
        if value is None:
            day = self.epoch + dt.timedelta(days=offset)
            value = self._days[offset] = day.isoformat() if self.sqlite else day
        return value

    def stamp(self, offset: int) -> Any:
        """A UTC timestamp at the bench's time of day, `offset` days from today."""
        value = self._stamps.get(offset)
        if value is None:
            moment = BENCH_NOW + dt.timedelta(days=offset)
            value = self._stamps[offset] = moment.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else moment
        return value

    def words(self, offset: int) -> str:
        """The date as a readout writes it ("November 26, 2026")."""
        value = self._words.get(offset)
        if value is None:
            day = self.epoch + dt.timedelta(days=offset)
            value = self._words[offset] = f"{day:%B} {day.day}, {day.year}"
        return value


def _officer_rows(officers: int, fmt: _Formats, password_hash: str) -> tuple[list[tuple[Any, ...]], ...]:
    desks_count = max(1, officers // 10)
    desks = []
    for d in range(desks_count):
        region = DESK_REGIONS[d % len(DESK_REGIONS)]
        suffix = f" {d // len(DESK_REGIONS) + 1}" if d >= len(DESK_REGIONS) else ""
        desks.append((d + 1, f"{region} Desk{suffix}"))
    rows = []
    for o in range(officers):
        name = f"{FIRST_NAMES[o % len(FIRST_NAMES)]} {LAST_NAMES[(o // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
        rows.append(
            (
                o + 1,
                name,
                bench_email(o + 1),
                o % desks_count + 1,
                "supervisor" if o % 25 == 24 else "officer",
                TIMEZONES[o % len(TIMEZONES)],
                "daily",
                8,
                0,
                password_hash,
                True if not fmt.sqlite else 1,
                fmt.stamp(-800),
            )
        )
    return desks, rows


def _policy_rows(desks: list[tuple[Any, ...]], officers: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Each desk's escalation contacts (issue 17): a supervisor, and a head of division shared by
    five desks, drawn from the supervisors; the default ladder and calendar days."""
    supervisors = [row[0] for row in officers if row[4] == "supervisor"]
    if not supervisors:
        return []
    return [
        (
            desk_id,
            supervisors[(desk_id - 1) % len(supervisors)],
            supervisors[-1 - (desk_id - 1) // 5 % len(supervisors)],
            "calendar",
        )
        for desk_id, _name in desks
    ]


def bench_email(officer_id: int) -> str:
    return f"officer{officer_id}@bench.example.org"


def _event_rows(fmt: _Formats) -> list[tuple[Any, ...]]:
    """Each series in 2024-2028: past editions have dates, future ones mostly not yet."""
    from tracker.deadlines import event_key

    rows = []
    event_id = 0
    for series_no, series in enumerate(EVENT_SERIES):
        for year in range(2024, 2029):
            event_id += 1
            name = f"{series} {year}"
            day = dt.date(year, 1 + (series_no * 7 + year) % 12, 1 + (series_no * 3 + year) % 27)
            offset = (day - fmt.epoch).days
            dated = offset < 60 or (series_no + year) % 3 == 0
            rows.append(
                (
                    event_id,
                    name,
                    event_key(name),
                    "[]",
                    fmt.day(offset) if dated else None,
                    fmt.stamp(-800),
                    fmt.stamp(-800),
                )
            )
    return rows


def synthetic_chunks(
    size: int, officers: int, parties: int, events: list[tuple[Any, ...]], fmt: _Formats, chunk: int = 30_000
) -> Iterator[tuple[list[tuple[Any, ...]], ...]]:
    """Readouts with their points, commitments and party links, `chunk` readouts at a time.

    The shape, relative to the bench's today: ~30 % of commitments active and past due, ~10 %
    active and waiting on an event with no date yet, ~30 % active and due later (some within
    the week), ~10 % ongoing or open-ended with a review date (half of it passed: stale), and
    ~20 % done or dropped.
    """
    rng = random.Random(SEED)
    rand = rng.random  # one call per draw: randint and sample cost several times more
    desks_count = max(1, officers // 10)
    undated_events = [row[0] for row in events if row[4] is None]
    dated_events = [(row[0], row[1], row[4]) for row in events if row[4] is not None]
    event_names = {row[0]: row[1] for row in events}
    party_pool = party_names()[:parties]
    readouts = -(-size // COMMITMENTS_PER_READOUT)
    commitment_id = 0
    for first in range(0, readouts, chunk):
        readout_rows: list[tuple[Any, ...]] = []
        point_rows: list[tuple[Any, ...]] = []
        commitment_rows: list[tuple[Any, ...]] = []
        link_rows: list[tuple[Any, ...]] = []
        for r in range(first, min(first + chunk, readouts)):
            readout_id = r + 1
            meeting = -1 - int(rand() * 1500)
            a = int(rand() * len(party_pool))
            b = (a + 1 + int(rand() * (len(party_pool) - 1))) % len(party_pool)
            title = f"{party_pool[a]}-{party_pool[b]} Foreign Ministers' Meeting (readout {readout_id})"
            owner = int(rand() * officers) + 1
            desk = (owner - 1) % desks_count + 1
            body = [title, "", f"Date: {fmt.words(meeting)}", ""]
            offset = sum(len(line) + 1 for line in body)
            n = min(COMMITMENTS_PER_READOUT, size - commitment_id)
            for position in range(1, n + 1):
                commitment_id += 1
                roll = rand()
                action = ACTIONS[int(rand() * len(ACTIONS))]
                event_id = None
                relation = None
                review = None
                due = None
                deadline_text = None
                if roll < 0.10:
                    deadline_type = "event"
                    event_id = undated_events[int(rand() * len(undated_events))]
                    relation = "before"
                    deadline_text = f"before the {event_names[event_id]}"
                    status = "open"
                elif roll < 0.80:
                    deadline_type = "date"
                    if roll < 0.40:
                        due = -1 - int(rand() * 700)  # active and past due
                    elif roll < 0.70:
                        due = int(rand() * 366)  # active, due later
                    else:
                        due = int(rand() * 1066) - 700  # done or dropped below
                    deadline_text = f"by {fmt.words(due)}"
                    status = "in_progress" if rand() < 0.2 else "open"
                    if roll >= 0.70:
                        status = "done" if rand() < 0.75 else "dropped"
                    if rand() < 0.15 and dated_events:
                        # A date that came from an event: the kind the event service moves.
                        event_id = dated_events[int(rand() * len(dated_events))][0]
                        deadline_type = "event"
                        relation = "after"
                        deadline_text = f"after the {event_names[event_id]}"
                else:
                    deadline_type = "ongoing" if roll < 0.92 else "none"
                    review = int(rand() * 181) - 90
                    status = "open" if roll < 0.97 else "done"
                verb = "continue to " if deadline_type == "ongoing" else ""
                sentence = f"{party_pool[a]} and {party_pool[b]} agreed to {verb}{action}"
                if deadline_text:
                    sentence += f" {deadline_text}"
                point_text = f"{position}. The two ministers discussed bilateral relations. {sentence}."
                quote_start = offset + point_text.index(sentence)
                point_id = commitment_id
                point_rows.append(
                    (
                        point_id,
                        readout_id,
                        str(position),
                        position,
                        None,
                        offset,
                        offset + len(point_text),
                        "commitment",
                    )
                )
                commitment_rows.append(
                    (
                        commitment_id,
                        point_id,
                        readout_id,
                        sentence,
                        quote_start,
                        quote_start + len(sentence),
                        f"{verb}{action}",
                        deadline_type,
                        deadline_text,
                        event_id,
                        relation,
                        0,
                        fmt.day(due) if due is not None else None,
                        fmt.day(review) if review is not None else None,
                        status,
                        owner,
                        desk,
                        1,
                        None,
                        None,
                        fmt.stamp(meeting),
                        fmt.stamp(meeting),
                    )
                )
                link_rows.append((commitment_id, a + 1))
                link_rows.append((commitment_id, b + 1))
                body.append(point_text)
                body.append("")
                offset += len(point_text) + 2
            readout_text = "\n".join(body).strip()
            readout_rows.append(
                (
                    readout_id,
                    title,
                    "Ministry of Foreign Affairs",
                    f"bench-{readout_id}.txt",
                    fmt.day(meeting),
                    readout_text,
                    hashlib.sha256(readout_text.encode("utf-8")).hexdigest(),
                    fmt.stamp(meeting),
                    owner,
                )
            )
        yield readout_rows, point_rows, commitment_rows, link_rows


def _secondary_indexes(conn: Any, backend: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the bulk tables' indexes that are not constraints."""
    cur = conn.cursor()
    if backend == "sqlite":
        marks = ",".join("?" for _ in BULK_TABLES)
        cur.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            BULK_TABLES,
        )
    else:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (list(BULK_TABLES),),
        )
    rows = [(str(name), str(sql)) for name, sql in cur.fetchall()]
    cur.close()
    return rows


def _insert(
    conn: Any, backend: str, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    cur = conn.cursor()
    if backend == "sqlite":
        marks = ",".join("?" for _ in columns)
        cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    else:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    cur.close()


def load_synthetic(url: str, size: int, officers: int) -> LoadResult:
    """Fill a database at head with the synthetic ministry: raw executemany / COPY, indexes last."""
    from tracker.services.officers import hash_password

    backend = make_url(url).get_backend_name()
    fmt = _Formats(backend)
    started = time.perf_counter()
    engine = make_engine(url)
    raw = engine.raw_connection()
    conn = raw.driver_connection
    assert conn is not None
    try:
        cur = conn.cursor()
        if backend == "sqlite":
            # Bulk load only: the rows are consistent by construction, so skip per-row FK checks,
            # and give the index builds a big cache. Outside the timed runs.
            cur.execute("PRAGMA foreign_keys=OFF")
            cur.execute("PRAGMA cache_size=-262144")
            # No journal while filling a database nobody else sees: WAL would write every page
            # twice (log, then checkpoint). Back to WAL, as the tracker runs, right after.
            cur.execute("PRAGMA journal_mode=OFF")
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("BEGIN")
        else:
            conn.autocommit = False
            # FK triggers off for this session only (the bench's own server-side superuser load).
            cur.execute("SET session_replication_role = replica")
            cur.execute("SET maintenance_work_mem = '256MB'")
        indexes = _secondary_indexes(conn, backend)
        for name, _sql in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        desks, officer_rows = _officer_rows(officers, fmt, hash_password(BENCH_PASSWORD))
        _insert(conn, backend, "desk", ("id", "name"), desks)
        _insert(conn, backend, "officer", OFFICER_COLUMNS, officer_rows)
        _insert(
            conn,
            backend,
            "desk_policy",
            ("desk_id", "supervisor_id", "head_id", "day_count"),
            _policy_rows(desks, officer_rows),
        )
        names = party_names()
        _insert(
            conn, backend, "party", ("id", "name", "aliases"), [(i + 1, n, "[]") for i, n in enumerate(names)]
        )
        events = _event_rows(fmt)
        _insert(
            conn,
            backend,
            "event",
            ("id", "name", "key", "aliases", "date", "created_at", "updated_at"),
            events,
        )
        readouts = commitments = links = 0
        chunks = synthetic_chunks(size, officers, len(names), events, fmt)
        for readout_rows, point_rows, commitment_rows, link_rows in chunks:
            _insert(conn, backend, "readout", READOUT_COLUMNS, readout_rows)
            _insert(conn, backend, "readout_point", POINT_COLUMNS, point_rows)
            _insert(conn, backend, "commitment", COMMITMENT_COLUMNS, commitment_rows)
            _insert(conn, backend, "commitment_party", PARTY_LINK_COLUMNS, link_rows)
            readouts += len(readout_rows)
            commitments += len(commitment_rows)
            links += len(link_rows)
        index_started = time.perf_counter()
        for _name, sql in indexes:
            cur.execute(sql)
        index_seconds = time.perf_counter() - index_started
        if backend == "postgresql":
            for table in ("desk", "officer", "party", "event", "readout", "readout_point", "commitment"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            cur.execute("SET session_replication_role = DEFAULT")
        conn.commit() if backend == "postgresql" else cur.execute("COMMIT")
        if backend == "postgresql":
            conn.autocommit = True
            # What autovacuum would have done by the time anyone queries a table this size.
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
        cur.close()
    finally:
        raw.close()
        engine.dispose()
    return LoadResult(time.perf_counter() - started, index_seconds, readouts, commitments, links)


# --- child processes: timed runs whose memory is their own -----------------------------------


def run_child(kind: str, url: str, *args: str) -> dict[str, Any]:
    """Run `python -m benchmarks.harness child KIND URL ...` and return what it printed (JSON)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.harness", "child", kind, url, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench child {kind} failed:\n{completed.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _max_rss_mib() -> float:
    """This process's peak resident memory.

    On Linux, VmHWM of /proc/self/status: it belongs to this process image alone, whereas
    getrusage's ru_maxrss survives fork and exec and would report the parent's peak (the data
    generation) for every child.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss is in KiB on Linux and BSD, in bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _child_sweep(url: str, now: dt.datetime) -> dict[str, Any]:
    from jobs.sweep import run_sweep
    from tracker.db import make_session_factory

    engine = make_engine(url)
    factory = make_session_factory(engine)
    with engine.connect():
        pass  # the pool's first connection is not the sweep's cost
    started = time.perf_counter()
    result = run_sweep(factory, now)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "seconds": seconds,
        "overdue": result.overdue_flagged,
        "stale": result.stale_flagged,
        "escalated": result.escalated,
        "rss_mib": _max_rss_mib(),
    }


def raw_sweep_sql(backend: str) -> str:
    """The floor: one UPDATE that sets both flags where due, as one would write it by hand."""
    p = "?" if backend == "sqlite" else "%s"
    return (
        f"UPDATE commitment SET "
        f"flagged_overdue_at = CASE WHEN due_date < {p} AND flagged_overdue_at IS NULL "
        f"THEN {p} ELSE flagged_overdue_at END, "
        f"flagged_stale_at = CASE WHEN review_date < {p} AND flagged_stale_at IS NULL "
        f"THEN {p} ELSE flagged_stale_at END "
        f"WHERE status IN ('open', 'in_progress') AND ("
        f"(due_date < {p} AND flagged_overdue_at IS NULL) "
        f"OR (review_date < {p} AND flagged_stale_at IS NULL))"
    )


def raw_escalation_sql(backend: str, contact: str) -> str:
    """The floor of one escalation step (issue 17), by hand: one INSERT ... SELECT of every active
    commitment at least the step's days overdue on a desk that names the step's contact, skipping
    those already escalated (the unique key), as the sweep's idempotence asks."""
    p = "?" if backend == "sqlite" else "%s"
    column = "supervisor_id" if contact == "supervisor" else "head_id"
    return (
        f"INSERT INTO escalation (commitment_id, step, days_overdue, contact, recipient_id, due_date, "
        f"escalated_at) SELECT c.id, {p}, {p}, '{contact}', d.{column}, c.due_date, {p} "
        f"FROM commitment c JOIN desk_policy d ON d.desk_id = c.desk_id "
        f"WHERE c.status IN ('open', 'in_progress') AND c.due_date <= {p} AND d.{column} IS NOT NULL "
        f"ON CONFLICT DO NOTHING"
    )


# The default ladder (tracker.escalation.DEFAULT_STEPS) as (step, days, contact).
RAW_LADDER = ((1, 7, "supervisor"), (2, 30, "head"))


def _child_sweep_raw(url: str, now: dt.datetime) -> dict[str, Any]:
    backend = make_url(url).get_backend_name()
    engine = make_engine(url)
    raw = engine.raw_connection()
    conn = raw.driver_connection
    assert conn is not None
    today = now.date()
    if backend == "sqlite":
        day: Any = today.isoformat()
        stamp: Any = now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    else:
        day, stamp = today, now
    sql = raw_sweep_sql(backend)
    cur = conn.cursor()
    started = time.perf_counter()
    if backend == "sqlite":
        cur.execute("BEGIN")
    cur.execute(sql, (day, stamp, day, stamp, day, day))
    rows = cur.rowcount
    for step, days, contact in RAW_LADDER:
        cutoff = today - dt.timedelta(days=days)
        cur.execute(
            raw_escalation_sql(backend, contact),
            (step, days, stamp, cutoff.isoformat() if backend == "sqlite" else cutoff),
        )
    conn.commit() if backend == "postgresql" else cur.execute("COMMIT")
    seconds = time.perf_counter() - started
    cur.close()
    raw.close()
    engine.dispose()
    return {"seconds": seconds, "rows": rows, "rss_mib": _max_rss_mib()}


def _digest_officer_ids(session: Any) -> tuple[list[int], list[int]]:
    """(every officer who gets digests, the plain officers among them) by id."""
    from sqlalchemy import select

    from tracker.models import DigestFrequency, Officer, Role

    rows = session.execute(
        select(Officer.id, Officer.role)
        .where(Officer.is_active.is_(True), Officer.digest_frequency != DigestFrequency.OFF)
        .order_by(Officer.id)
    ).all()
    return [r.id for r in rows], [r.id for r in rows if r.role == Role.OFFICER]


def _child_digests(url: str, now: dt.datetime) -> dict[str, Any]:
    """One officer's digest data (median over up to 20 officers; as the issue defines
    digest_one_ms: their overdue, due-soon, stale and waiting commitments read from the
    database), also written out (text and HTML) for the log; then every officer's digest, built
    and rendered as the digest job does it (one session, a transaction per digest), not sent."""
    from tracker.db import make_session_factory
    from tracker.digests import build_digest, digest_data, render_digest
    from tracker.models import Officer

    engine = make_engine(url)
    factory = make_session_factory(engine)
    base_url = "http://127.0.0.1:5000"
    with factory() as session:
        everyone, plain = _digest_officer_ids(session)
    one: list[float] = []
    one_rendered: list[float] = []
    for officer_id in plain[:: max(1, len(plain) // 20)][:20]:
        with factory() as session, session.begin():
            officer = session.get(Officer, officer_id)
            assert officer is not None
            started = time.perf_counter()
            data = digest_data(session, officer, now, base_url)
            read = time.perf_counter()
            render_digest(officer, data, base_url)
            one.append(read - started)
            one_rendered.append(time.perf_counter() - started)
    started = time.perf_counter()
    built = 0
    with factory() as session:
        with session.begin():
            officers = [session.get(Officer, officer_id) for officer_id in everyone]
        cache: dict[Any, Any] = {}
        for officer in officers:
            assert officer is not None
            with session.begin():
                built += build_digest(session, officer, now, base_url, cache=cache) is not None
    all_seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "one_ms": median(one) * 1000,
        "one_rendered_ms": median(one_rendered) * 1000,
        "all_seconds": all_seconds,
        "digests": built,
        "rss_mib": _max_rss_mib(),
    }


def raw_digest_sql(backend: str) -> str:
    """The floor: the digests' rows for every desk at once, by hand, in one SELECT.

    Each officer's digest lists their own and their desk's active commitments per section (the
    first 25 of each, with exact counts); owners belong to their desk here, so one pass that
    numbers each desk's rows per section gives every officer's lists. Names are joined for the
    kept rows only.
    """
    p = "?" if backend == "sqlite" else "%s"
    active = "c.status IN ('open', 'in_progress')"
    sections = (
        ("overdue", f"c.due_date < {p}", "c.due_date, c.id"),
        ("due_soon", f"c.due_date >= {p} AND c.due_date <= {p}", "c.due_date, c.id"),
        ("stale", f"c.review_date < {p}", "c.review_date, c.id"),
        ("waiting", "c.deadline_type = 'event' AND c.due_date IS NULL", "e.name, c.id"),
    )
    branches = " UNION ALL ".join(
        f"SELECT '{name}' AS section, c.id, c.desk_id, "
        f"row_number() OVER (PARTITION BY c.desk_id ORDER BY {order}) AS n, "
        f"count(*) OVER (PARTITION BY c.desk_id) AS total "
        f"FROM commitment c LEFT JOIN event e ON e.id = c.event_id WHERE {active} AND {condition}"
        for name, condition, order in sections
    )
    return (
        f"SELECT k.desk_id, k.section, k.n, k.total, c.id, c.action, c.status, c.due_date, "
        f"c.review_date, c.deadline_text, e.name, o.name, r.title, r.meeting_date "
        f"FROM ({branches}) k JOIN commitment c ON c.id = k.id "
        f"JOIN readout r ON r.id = c.readout_id LEFT JOIN event e ON e.id = c.event_id "
        f"LEFT JOIN officer o ON o.id = c.owner_id "
        f"WHERE k.n <= 25 ORDER BY k.desk_id, k.section, k.n"
    )


def _child_digests_raw(url: str, now: dt.datetime) -> dict[str, Any]:
    backend = make_url(url).get_backend_name()
    today = now.date()
    soon = today + dt.timedelta(days=7)
    params: tuple[Any, ...] = (today, today, soon, today)
    if backend == "sqlite":
        params = tuple(d.isoformat() for d in params)
    with raw_cursor(url) as cur:
        started = time.perf_counter()
        cur.execute(raw_digest_sql(backend), params)
        rows = cur.fetchall()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": len(rows), "rss_mib": _max_rss_mib()}


def _child_main(argv: list[str]) -> None:
    kind, url, *rest = argv
    now = dt.datetime.fromisoformat(rest[0]) if rest else BENCH_NOW
    handlers: dict[str, Callable[[str, dt.datetime], dict[str, Any]]] = {
        "sweep": _child_sweep,
        "sweep-raw": _child_sweep_raw,
        "digests": _child_digests,
        "digests-raw": _child_digests_raw,
    }
    print(json.dumps(handlers[kind](url, now)))


# --- measurements ----------------------------------------------------------------------------


@contextmanager
def raw_cursor(url: str) -> Iterator[Any]:
    """A DBAPI cursor in autocommit mode (SQLite: our engines turn pysqlite's own BEGINs off)."""
    engine = make_engine(url)
    raw = engine.raw_connection()
    conn = raw.driver_connection
    assert conn is not None
    if make_url(url).get_backend_name() == "postgresql":
        conn.autocommit = True
    cur = conn.cursor()
    try:
        yield cur
    finally:
        cur.close()
        raw.close()
        engine.dispose()


def reset_flags(url: str) -> None:
    """Undo a sweep (flags and history), outside any timing, so the next run is a first sweep too."""
    backend = make_url(url).get_backend_name()
    with raw_cursor(url) as cur:
        cur.execute(
            "UPDATE commitment SET flagged_overdue_at = NULL, flagged_stale_at = NULL "
            "WHERE flagged_overdue_at IS NOT NULL OR flagged_stale_at IS NOT NULL"
        )
        cur.execute("DELETE FROM status_change WHERE officer_id IS NULL")
        cur.execute("DELETE FROM escalation")
        if backend == "sqlite":
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            # Dead row versions from the previous run would otherwise slow the next one.
            cur.execute("VACUUM ANALYZE commitment")
            cur.execute("VACUUM ANALYZE status_change")
            cur.execute("VACUUM ANALYZE escalation")


def settle_after_sweep(url: str, log: Callable[[str], None]) -> None:
    """On PostgreSQL, what autovacuum does after the first sweep, before anyone reads digests.

    The sweep rewrites about 38 % of the commitment rows; autovacuum's default threshold is
    20 %, so by the morning's digests it has vacuumed and analysed the table. Servers with
    autovacuum off (as here) would otherwise have every index-only count visit the table.
    Both the digests and their hand-written baseline read the settled table.
    """
    if make_url(url).get_backend_name() != "postgresql":
        return
    with raw_cursor(url) as cur:
        cur.execute("SHOW autovacuum")
        autovacuum = cur.fetchone()[0]
        started = time.perf_counter()
        cur.execute("VACUUM ANALYZE commitment")
        cur.execute("VACUUM ANALYZE status_change")
    seconds = time.perf_counter() - started
    log(f"  after the sweep: VACUUM ANALYZE in {seconds:.1f} s (server autovacuum: {autovacuum})")


def warm_page_cache(db: BenchDatabase, log: Callable[[str], None]) -> None:
    """Read the readers' database once into the kernel's page cache, as on a server that has
    been serving it: this machine's kernel pages out file pages left idle for a minute (DAMON
    reclaim), however much memory is free, so the first reads after the load and the sweeps
    would time its disk instead. SQLite: the file itself; PostgreSQL: every table and index of
    the bench's database through pg_prewarm ('read'), when the server has it."""
    started = time.perf_counter()
    if db.backend == "sqlite":
        read = 0
        path = Path(make_url(db.url).database or "")
        for part in (path, path.with_name(path.name + "-wal")):
            if part.exists():
                with part.open("rb") as file:
                    while chunk := file.read(1 << 20):
                        read += len(chunk)
        log(f"  page cache: read {read / 2**20:.0f} MiB in {time.perf_counter() - started:.1f} s")
        return
    import psycopg

    try:
        with raw_cursor(db.url) as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cur.execute(
                "SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0) FROM pg_class c "
                "WHERE c.relkind IN ('r', 'i') AND c.relnamespace = current_schema()::regnamespace"
            )
            blocks = cur.fetchone()[0]
    except psycopg.Error as exc:  # an optional warm-up: the measurements go on without it
        log(f"  page cache: not warmed ({exc.__class__.__name__}: {exc})")
        return
    log(f"  page cache: read {blocks * 8 / 1024:.0f} MiB in {time.perf_counter() - started:.1f} s")


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


@dataclass
class Measurements:
    values: dict[str, Any] = field(default_factory=dict)
    rss: list[float] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)


def measure_sweep(
    db: BenchDatabase, copy: BenchDatabase, runs: int, out: Measurements, log: Callable[[str], None]
) -> None:
    now = BENCH_NOW.isoformat()
    sweep_times, raw_times = [], []
    for run in range(runs):
        reset_flags(db.url)
        result = run_child("sweep", db.url, now)
        sweep_times.append(result["seconds"])
        out.rss.append(result["rss_mib"])
        reset_flags(copy.url)
        raw = run_child("sweep-raw", copy.url, now)
        raw_times.append(raw["seconds"])
        log(
            f"  sweep run {run + 1}: {result['seconds']:.3f} s ({result['overdue']} overdue, "
            f"{result['stale']} stale flagged, {result['escalated']} escalated); raw UPDATE and "
            f"escalation INSERTs {raw['seconds']:.3f} s ({raw['rows']} rows flagged)"
        )
    out.values["sweep_s"] = round(median(sweep_times), 4)
    out.values["sweep_raw_s"] = round(median(raw_times), 4)
    out.values["sweep_ratio"] = round(median(sweep_times) / median(raw_times), 3)


def measure_digests(db: BenchDatabase, runs: int, out: Measurements, log: Callable[[str], None]) -> None:
    now = BENCH_NOW.isoformat()
    one, rendered, every, raw_times = [], [], [], []
    for run in range(runs):
        result = run_child("digests", db.url, now)
        raw = run_child("digests-raw", db.url, now)
        one.append(result["one_ms"])
        rendered.append(result["one_rendered_ms"])
        every.append(result["all_seconds"])
        out.rss.append(result["rss_mib"])
        raw_times.append(raw["seconds"])
        log(
            f"  digests run {run + 1}: one {result['one_ms']:.2f} ms ({result['one_rendered_ms']:.2f} ms "
            f"written out too); all {result['all_seconds']:.3f} s "
            f"({result['digests']} digests); raw SELECT {raw['seconds']:.3f} s ({raw['rows']} rows)"
        )
    log(f"  one digest written out (data, text and HTML bodies): median {median(rendered):.2f} ms")
    out.values["digest_one_ms"] = round(median(one), 3)
    out.values["digests_all_s"] = round(median(every), 4)
    out.values["digests_raw_s"] = round(median(raw_times), 4)
    out.values["digests_ratio"] = round(median(every) / median(raw_times), 3)


def corpus_readouts() -> list[tuple[str, bytes, dt.date | None]]:
    """(file name, bytes, meeting date) of the dev corpus readouts, or of sample_data/ without it."""
    directory = CORPUS_DIR if CORPUS_DIR.is_dir() and any(CORPUS_DIR.glob("*.txt")) else SAMPLE_DIR
    found = []
    for path in sorted(directory.glob("*.txt")):
        meeting: dt.date | None = None
        labels = path.with_suffix(".json")
        if labels.exists():
            value = json.loads(labels.read_text(encoding="utf-8")).get("meeting_date")
            meeting = dt.date.fromisoformat(value) if value else None
        elif path.name.startswith("mofa-2018-06-06"):
            meeting = dt.date(2018, 6, 6)
        found.append((path.name, path.read_bytes(), meeting))
    return found


def measure_ingest(
    db: BenchDatabase, runs: int, per_run: int, out: Measurements, log: Callable[[str], None]
) -> None:
    """Readouts per second through read, extract, resolve deadlines and store, one transaction
    each, into the big database (so the duplicate check and the inserts meet a full table)."""
    from tracker.db import make_session_factory
    from tracker.deadlines import DeadlineSettings
    from tracker.extraction import read_document
    from tracker.models import Officer
    from tracker.services.errors import InvalidInput
    from tracker.services.readouts import ingest_text

    corpus = corpus_readouts()
    settings = DeadlineSettings()
    engine = make_engine(db.url)
    factory = make_session_factory(engine)
    copy_no = 0
    rates = []
    try:
        for run in range(runs):
            stored = refused = 0
            started = time.perf_counter()
            for i in range(per_run):
                name, data, meeting = corpus[i % len(corpus)]
                copy_no += 1
                text_ = read_document(data, name)
                # A new first line makes each copy a new readout to the duplicate check.
                head, _, rest = text_.partition("\n")
                text_ = f"{head} (bench copy {copy_no})\n{rest}"
                try:
                    with factory() as session, session.begin():
                        ingest_text(
                            session,
                            text_,
                            meeting_date=meeting,
                            source=name,
                            by=session.get(Officer, 1 + copy_no % 10),
                            now=BENCH_NOW,
                            settings=settings,
                        )
                    stored += 1
                except InvalidInput:
                    refused += 1
            seconds = time.perf_counter() - started
            rates.append(per_run / seconds)
            rate = per_run / seconds
            log(f"  ingest run {run + 1}: {rate:.0f} readouts/s ({stored} stored, {refused} refused)")
    finally:
        engine.dispose()
    out.values["ingest_per_s"] = round(median(rates), 1)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def web_server(url: str) -> Iterator[str]:
    """The web app under gunicorn (one worker per core, 8 threads in all) in a child process."""
    import urllib.request

    port = _free_port()
    env = dict(os.environ)
    env.update(
        TRACKER_DATABASE_URL=url,
        TRACKER_SECRET_KEY="bench-" + uuid.uuid4().hex,
        TRACKER_BASE_URL=f"http://127.0.0.1:{port}",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
    )
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port)]
    command += ["--workers", str(HTTP_WORKERS), "--threads", str(HTTP_CLIENTS // HTTP_WORKERS)]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the web server did not start:\n{_tail(errors)}") from None
                time.sleep(0.2)
        try:
            yield base
        except Exception as exc:
            raise RuntimeError(f"{exc}; the server said:\n{_tail(errors)}") from exc
    finally:
        errors.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(file: Any, size: int = 4000) -> str:
    file.seek(0)
    return str(file.read().decode("utf-8", errors="replace")[-size:])


def _p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _concurrent_gets(
    sessions: list[Any], path: str, per_client: int, headers: list[dict[str, str]] | None = None
) -> list[float]:
    """`per_client` GETs of `path` by each session at once, each in its own thread; latencies in ms."""
    from concurrent.futures import ThreadPoolExecutor

    def client(index: int) -> list[float]:
        session = sessions[index]
        extra = headers[index] if headers else {}
        times = []
        for _ in range(per_client):
            started = time.perf_counter()
            response = session.get(path, headers=extra, timeout=120)
            response.raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
        return times

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        return [t for times in pool.map(client, range(len(sessions))) for t in times]


def _login(base: str, email: str) -> Any:
    import re

    import requests

    session = requests.Session()
    page = session.get(base + "/login", timeout=60).text
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    data = {"email": email, "password": BENCH_PASSWORD}
    if match:
        data["csrf_token"] = match.group(1)
    response = session.post(base + "/login", data=data, timeout=60, allow_redirects=False)
    if response.status_code not in (302, 303):
        raise RuntimeError(f"bench login as {email} failed ({response.status_code})")
    session.base = base  # type: ignore[attr-defined]
    return session


class _BaseSession:
    """A requests.Session whose paths are relative to the server."""

    def __init__(self, session: Any, base: str) -> None:
        self.session = session
        self.base = base

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.session.get(self.base + path, **kwargs)


def measure_http(
    db: BenchDatabase, runs: int, per_client: int, out: Measurements, log: Callable[[str], None]
) -> None:
    """p95 latency of the dashboard (logged in) and of the API's first page (bearer token), with
    HTTP_CLIENTS clients at once against waitress."""
    import requests

    from tracker.db import make_session_factory
    from tracker.models import Officer
    from tracker.services.tokens import create_token

    engine = make_engine(db.url)
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        _everyone, plain = _digest_officer_ids(session)
        clients = plain[:HTTP_CLIENTS] or _everyone[:HTTP_CLIENTS]
        tokens = []
        for officer_id in clients:
            officer = session.get(Officer, officer_id)
            assert officer is not None
            tokens.append(create_token(session, officer, "api", "bench", BENCH_NOW)[1])
    engine.dispose()
    while len(clients) < HTTP_CLIENTS:
        clients.append(clients[len(clients) % len(clients)])
        tokens.append(tokens[len(tokens) % len(tokens)])
    dashboard, api = [], []
    with web_server(db.url) as base:
        browsers = [_BaseSession(_login(base, bench_email(officer_id)), base) for officer_id in clients]
        apis = [_BaseSession(requests.Session(), base) for _ in clients]
        auth = [{"Authorization": f"Bearer {token}"} for token in tokens]
        # Warm-up: first requests compile templates and fill caches. The API's first request per
        # token goes one at a time: it records the token's last use (a write), and on SQLite
        # eight such writes at once, each in a transaction that has already read, fail with
        # "database is locked" (reported to the API's owner); later uses within a minute do
        # not write.
        _concurrent_gets(browsers, "/", 1)
        for index in range(len(apis)):
            _concurrent_gets(apis[index : index + 1], "/api/v1/commitments", 1, auth[index : index + 1])
        for run in range(runs):
            d = _p95(_concurrent_gets(browsers, "/", per_client))
            a = _p95(_concurrent_gets(apis, "/api/v1/commitments", per_client, auth))
            dashboard.append(d)
            api.append(a)
            log(f"  http run {run + 1}: dashboard p95 {d:.1f} ms; API list p95 {a:.1f} ms")
    out.values["dashboard_p95_ms"] = round(median(dashboard), 1)
    out.values["api_list_p95_ms"] = round(median(api), 1)


def _followup_intel(url: str, runs: int, log: Callable[[str], None]) -> dict[str, float]:
    from benchmarks.followup_intel import measure_followup_intel

    return measure_followup_intel(url, runs, log)


def run_bench(
    size: int,
    officers: int,
    database_url: str | None,
    runs: int,
    log: Callable[[str], None],
    load_clients: int = 0,
    load_seconds: float = 60.0,
) -> dict[str, Any]:
    """Build the synthetic database, take every measurement, drop the database; the result keys
    (and the load test's, benchmarks.load.LOAD_KEYS, when `load_clients` is not 0)."""
    if size < COMMITMENTS_PER_READOUT or officers < 1:
        raise ValueError("--size must be at least 3 and --officers at least 1")
    db = create_database(database_url)
    copies: list[BenchDatabase] = []
    out = Measurements()
    try:
        log(f"database: {db.backend} ({_describe(db.url)})")
        migrate(db.url)
        loaded = load_synthetic(db.url, size, officers)
        log(
            f"loaded {loaded.commitments} commitments, {loaded.readouts} readouts, "
            f"{loaded.party_links} party links in {loaded.seconds:.1f} s "
            f"(indexes after the load: {loaded.index_seconds:.1f} s)"
        )
        # Three identical databases: the sweep's runs (each undone before the next), the
        # hand-written UPDATE's, and the one the readers measure, swept once as on a morning.
        # Sweeping and undoing again and again leaves PostgreSQL's indexes bloated with entries
        # no single morning's sweep would leave (every flagged row gets a new entry in each).
        raw = copy_database(db, database_url)
        copies.append(raw)
        morning = copy_database(db, database_url)
        copies.append(morning)
        measure_sweep(db, raw, runs, out, log)
        copies.remove(raw)
        raw.drop()
        swept = run_child("sweep", morning.url, BENCH_NOW.isoformat())
        out.rss.append(swept["rss_mib"])
        log(f"  the readers' copy swept once: {swept['seconds']:.3f} s (not a measurement)")
        settle_after_sweep(morning.url, log)
        for measure in (
            lambda: measure_digests(morning, runs, out, log),
            lambda: measure_http(morning, runs, 10, out, log),
            lambda: measure_ingest(morning, runs, 50, out, log),
            lambda: out.values.update(_followup_intel(morning.url, runs, log)),
            lambda: out.values.update(_load(morning.url, load_clients, load_seconds, log)),
        ):
            warm_page_cache(morning, log)
            measure()
    finally:
        for copy in copies:
            copy.drop()
        db.drop()
    result: dict[str, Any] = {"size": size, "officers": officers, "database": db.backend}
    for key in RESULT_KEYS[3:]:
        result[key] = out.values.get(key)
    result["peak_rss_mib"] = round(max(out.rss), 1) if out.rss else None
    if load_clients:
        from benchmarks.load import LOAD_KEYS

        result.update({key: out.values.get(key) for key in LOAD_KEYS})
    return result


def _load(url: str, clients: int, seconds: float, log: Callable[[str], None]) -> dict[str, Any]:
    """The load test (benchmarks/load.py) against gunicorn on `url`: eight officers logged in
    once (a login costs a scrypt hash, and the login limit would refuse 64 from one address in a
    minute) and their API tokens, shared by the clients as several tabs of one officer would."""
    if not clients:
        return {}
    import requests

    from benchmarks.load import SESSIONS, measure_load
    from tracker.db import make_session_factory
    from tracker.models import Officer
    from tracker.services.tokens import create_token

    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin():
        everyone, plain = _digest_officer_ids(session)
        officer_ids = (plain or everyone)[:SESSIONS]
        tokens = [
            create_token(session, session.get_one(Officer, officer_id), "api", "load test", BENCH_NOW)[1]
            for officer_id in officer_ids
        ]
    engine.dispose()
    with web_server(url) as base:
        logged_in = [_login(base, bench_email(officer_id)) for officer_id in officer_ids]
        # A token's first use records it (a write); one at a time, before the load.
        for token in tokens:
            requests.get(
                f"{base}/api/v1/commitments", headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
        return measure_load(base, logged_in, tokens, clients, seconds, log)


def _describe(url: str) -> str:
    parsed = make_url(url)
    return parsed.render_as_string(hide_password=True)


def missed_targets(result: dict[str, Any]) -> list[str]:
    """The targets the result does not meet (a missing figure counts as missed; the load test's
    only when it ran)."""
    from benchmarks.load import LOAD_TARGETS

    missed = []
    for key, kind, bound in TARGETS + (LOAD_TARGETS if "load_clients" in result else ()):
        value = result.get(key)
        if value is None or (kind == "max" and value > bound) or (kind == "min" and value < bound):
            missed.append(f"{key}={value} (target {'≤' if kind == 'max' else '≥'} {bound})")
    return missed


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _child_main(sys.argv[2:])
    else:
        sys.exit("usage: tracker bench (the child mode is internal)")
