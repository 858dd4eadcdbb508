"""PostgreSQL restarts under the running app: requests during the outage get a clean 503 (a
problem document from the API, a friendly page elsewhere, no stack trace), and once the server
is back the pool recovers by itself and the next requests succeed.

The shared test server is never touched: this test makes a throwaway cluster of its own with
Debian's initdb and pg_ctl (run as the postgres user, in a temporary directory, on a free port,
its socket in that directory), stops and starts it twice, and removes it afterwards.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select, text

from tests.conftest import SEED_READOUT, migrate
from tests.factories import PASSWORD, ingest, make_officer
from tests.jobs.conftest import free_port
from tests.live_server import serve
from tests.web.conftest import csrf_token
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.models import Commitment, StatusChange, TokenKind
from tracker.services.tokens import create_token
from web import create_app

OUTAGES = 2
REQUESTS_PER_OUTAGE = 4


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class Cluster:
    """A PostgreSQL cluster of the test's own, owned and run by the postgres user."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        user = pwd.getpwnam("postgres")
        os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=120
        )

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def start(self) -> None:
        options = f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        # fast: connections are cut at once, as when the server or its host goes down.
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "stop",
                ],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bin_dir = _binaries()
    if bin_dir is None or shutil.which("runuser") is None:
        pytest.skip("needs Debian's PostgreSQL server binaries (/usr/lib/postgresql/*/bin) and runuser")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("needs the postgres system user to run a throwaway cluster")
    c = Cluster(bin_dir)
    try:
        c.init()
        c.start()
        yield c
    finally:
        c.remove()


@pytest.mark.slow
def test_requests_during_an_outage_get_503_and_the_pool_recovers(cluster: Cluster) -> None:
    admin = create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE tracker"))
    admin.dispose()
    url = cluster.url("tracker")
    migrate(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        officer = make_officer(session, email="desk@example.org", role="supervisor")
        token = create_token(
            session, officer, TokenKind.API, "outage", dt.datetime(2018, 6, 6, tzinfo=dt.UTC)
        )[1]
        readout = ingest(session, SEED_READOUT.read_text(encoding="utf-8"), dt.date(2018, 6, 6), by=officer)
        cid = min(c.id for p in readout.points for c in p.commitments)
    engine.dispose()

    app = create_app(Settings(database_url=url, secret_key="outage"))
    bearer = {"Authorization": f"Bearer {token}"}
    unavailable = 0
    try:
        with serve(app, threads=8) as base:
            web = requests.Session()
            form = csrf_token(web.get(f"{base}/login", timeout=30).text)
            logged_in = web.post(
                f"{base}/login",
                data={"email": "desk@example.org", "password": PASSWORD, "csrf_token": form},
                allow_redirects=False,
                timeout=30,
            )
            assert logged_in.status_code == 302

            def change(note: str) -> requests.Response:
                page = web.get(f"{base}/commitments/{cid}", timeout=30)
                version = page.text.split('name="version" value="')[1].split('"')[0]
                return web.post(
                    f"{base}/commitments/{cid}",
                    data={"csrf_token": csrf_token(page.text), "version": version, "note": note},
                    allow_redirects=False,
                    timeout=30,
                )

            assert web.get(f"{base}/", timeout=30).status_code == 200
            assert requests.get(f"{base}/api/v1/commitments", headers=bearer, timeout=30).status_code == 200
            assert change("before the outage").status_code == 302
            form = csrf_token(web.get(f"{base}/commitments/{cid}", timeout=30).text)

            for outage in range(OUTAGES):
                cluster.stop()
                for _ in range(REQUESTS_PER_OUTAGE):
                    page = web.get(f"{base}/commitments", timeout=30)
                    assert page.status_code == 503, page.text[:300]
                    assert "Temporarily unavailable" in page.text and "Traceback" not in page.text
                    assert page.headers["Retry-After"] == "30"
                    api = requests.get(f"{base}/api/v1/commitments", headers=bearer, timeout=30)
                    assert api.status_code == 503
                    assert api.headers["Content-Type"].startswith("application/problem+json")
                    assert api.json()["status"] == 503
                    post = web.post(
                        f"{base}/commitments/{cid}",
                        data={"csrf_token": form, "version": "1", "note": f"during outage {outage}"},
                        allow_redirects=False,
                        timeout=30,
                    )
                    assert post.status_code == 503
                    patch = requests.patch(
                        f"{base}/api/v1/commitments/{cid}",
                        headers={**bearer, "If-Match": '"1"'},
                        json={"note": f"during outage {outage}"},
                        timeout=30,
                    )
                    assert patch.status_code == 503
                    unavailable += 4
                cluster.start()
                # Back: the very next requests succeed (stale pooled connections are pinged and replaced).
                assert web.get(f"{base}/commitments", timeout=30).status_code == 200
                assert (
                    requests.get(f"{base}/api/v1/commitments", headers=bearer, timeout=30).status_code == 200
                )
                assert change(f"after outage {outage}").status_code == 302
    finally:
        app.extensions["tracker.engine"].dispose()

    assert unavailable == OUTAGES * REQUESTS_PER_OUTAGE * 4
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            notes = list(
                session.scalars(
                    select(StatusChange.note)
                    .where(StatusChange.commitment_id == cid)
                    .order_by(StatusChange.id)
                )
            )
            version = session.scalar(select(Commitment.version).where(Commitment.id == cid))
    finally:
        engine.dispose()
    # Nothing sent during an outage was half-written or replayed later.
    assert not [n for n in notes if n and n.startswith("during outage")]
    assert [n for n in notes if n and n.startswith(("before", "after"))] == [
        "before the outage",
        *(f"after outage {i}" for i in range(OUTAGES)),
    ]
    assert version == 1 + 1 + OUTAGES
