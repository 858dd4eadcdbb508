"""schemathesis against the running API: a real server (waitress) on a fresh database with seeded
data and a token, driven by schemathesis's own CLI with every check it has.

Passes when no response is a 5xx and every response conforms to the OpenAPI document (status
codes, content types, headers, bodies), authentication cannot be skipped, and undeclared
methods get 405. The figures of the run are printed (see with `pytest -s`) and kept in the
assertion message.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import World
from tests.live_server import serve

# Examples per operation in the fuzzing phase (the coverage and stateful phases do not depend on
# it). 25 on every `make test` (about 1,500 cases per backend with the other phases, against 2,135
# with 50, which made it the suite's longest test); set the variable higher to explore longer.
MAX_EXAMPLES = int(os.environ.get("TRACKER_SCHEMATHESIS_MAX_EXAMPLES", "25"))
# A fixed seed makes a failure reproducible in CI; set the variable to explore other inputs.
SEED = os.environ.get("TRACKER_SCHEMATHESIS_SEED", "20180606")

# Where the default expectations of two checks do not fit HTTP as this API (rightly) uses it.
# Each exception is narrow: one check, the operations it concerns, the statuses and why.
CONFIG = f"""
headers = {{ Authorization = "Bearer ${{TRACKER_TEST_API_TOKEN}}" }}
workers = 1
seed = {SEED}
generation.max-examples = {MAX_EXAMPLES}

# PATCH requires If-Match; RFC 6585 names its absence 428 Precondition Required.
[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]

# A cursor is opaque: a string the API did not give out is a 400, however well-formed.
[[operations]]
include-name = ["GET /api/v1/commitments", "GET /api/v1/readouts"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404"]

# A well-formed If-Match that names an old version is 412 (that is the point of it), and an
# owner must be the email of an existing officer (422): neither is expressible in JSON Schema.
[[operations]]
include-name = "PATCH /api/v1/commitments/{{commitment_id}}"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "412", "422"]

# Any string is a valid `text`, but only a readout with points can be stored (422).
[[operations]]
include-name = "POST /api/v1/readouts"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Issue 17: two readouts link only when they are of one meeting, and progress is accepted only where
# the readout reports on that commitment (422 otherwise); an old expect_version is 412.
[[operations]]
include-name = ["POST /api/v1/readouts/{{readout_id}}/links", "POST /api/v1/readouts/{{readout_id}}/progress"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "412", "422"]

# Issue 19: only an admin or a supervisor changes who may see a readout (403), the desks must
# exist and include the caller's own (422); none is expressible in JSON Schema.
[[operations]]
include-name = "PUT /api/v1/readouts/{{readout_id}}/restriction"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]

# Issue 17: an extension is asked only of an active commitment with a due date, for a later date,
# while no other request waits; a request is decided once (422 otherwise). None is JSON Schema.
[[operations]]
include-name = [
    "POST /api/v1/commitments/{{commitment_id}}/extensions",
    "POST /api/v1/extensions/{{request_id}}/decision",
]
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "412", "422"]

# Issue 19: a supervisor decides a proposed event date (the token's officer is not one: 403),
# once, and approves it only while the event's date is still the one it was proposed against (422).
[[operations]]
include-name = "POST /api/v1/event-date-proposals/{{proposal_id}}/decision"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]
"""


@pytest.fixture
def live_api(world: World) -> Iterator[tuple[str, World]]:
    with serve(world.app, threads=4) as base:
        yield base, world


def _figure(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    return int(match.group(1)) if match else 0


@pytest.mark.slow
@pytest.mark.committed  # a real server: its threads open connections of their own
def test_schemathesis_finds_no_failures(live_api: tuple[str, World], tmp_path: Path) -> None:
    base, world = live_api
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    st = Path(sys.executable).with_name("st")
    env = {
        **os.environ,
        # The token goes through the environment, not the command line (visible in `ps`).
        "TRACKER_TEST_API_TOKEN": world.tokens["desk"],
        "NO_COLOR": "1",
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [str(st), "--config-file", str(config), "run", f"{base}/api/v1/openapi.json", "--no-shrink"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = result.stdout + result.stderr
    figures = {
        "operations": _figure(r"Tested: (\d+)", output),
        "generated": _figure(r"(\d+) generated", output),
        "failures": _figure(r"found (\d+) unique failures", output),
    }
    print(f"schemathesis: {figures}")
    assert world.tokens["desk"] not in output, "schemathesis printed the token"
    assert result.returncode == 0, f"{figures}\n{output[-20000:]}"
    operations = _operations(world)
    assert operations >= 9, "the operations come from the API's own document"
    assert figures["operations"] == operations and figures["generated"] > operations * 10, (
        f"{figures}\n{output[-3000:]}"
    )


def _operations(world: World) -> int:
    """How many operations the API's OpenAPI document describes (each one must be tested)."""
    document = world.app.test_client().get("/api/v1/openapi.json").get_json()
    return sum(
        1
        for item in document["paths"].values()
        for method in item
        if method in ("get", "post", "put", "patch")
    )
