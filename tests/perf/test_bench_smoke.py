"""`tracker bench --json` runs end to end on a tiny database and prints exactly the promised keys,
with the load test's too when it is asked for (a few clients for two seconds)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.harness import REPO_ROOT, RESULT_KEYS
from benchmarks.load import LOAD_KEYS


@pytest.mark.slow
def test_bench_json_prints_exactly_the_keys() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cli.main import main; main()",
            "bench",
            *("--size", "3000", "--officers", "20", "--runs", "1", "--json"),
            *("--load-clients", "6", "--load-seconds", "2"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout)
    assert list(result) == [*RESULT_KEYS, *LOAD_KEYS]
    assert result["size"] == 3000 and result["officers"] == 20 and result["database"] == "sqlite"
    assert all(isinstance(result[key], int | float) for key in (*RESULT_KEYS[3:], *LOAD_KEYS)), result
    # Six clients, each alternating the dashboard and the API's first page, all answered.
    assert result["load_clients"] == 6 and result["load_requests"] >= 12 and result["load_errors"] == 0, (
        result
    )
    assert result["load_p50_ms"] <= result["load_p95_ms"] <= result["load_p99_ms"], result
