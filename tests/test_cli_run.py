"""`tracker run` as a real process: SIGTERM stops its web server and its scheduler too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.jobs.conftest import free_port


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    # A zombie has finished: only its exit status waits to be collected.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


@pytest.mark.slow
def test_sigterm_stops_the_web_server_and_the_scheduler(fresh_database_url: str) -> None:
    port = free_port()
    env = dict(os.environ, TRACKER_DATABASE_URL=fresh_database_url)
    run = subprocess.Popen(
        [sys.executable, "-m", "cli", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    try:
        assert _wait_for(lambda: not _port_free(port), 60), "the web server listens"
        assert _wait_for(lambda: len(_children(run.pid)) == 2, 30), "a web server and a scheduler"
        children = _children(run.pid)

        run.send_signal(signal.SIGTERM)
        run.wait(timeout=30)

        assert _wait_for(lambda: not any(_alive(c) for c in children), 15), "both children stopped"
        assert _wait_for(lambda: _port_free(port), 5), "the port is free again"
    finally:
        # Whatever failed above, leave no process of this test behind.
        for pid in [*children, run.pid]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        run.wait(timeout=10)
