"""Fuzzing the JSON API with hypothesis: arbitrary bodies, uploads and headers at the two
endpoints that write (POST /api/v1/readouts, PATCH /api/v1/commitments/<id>).

Whatever comes in: never a 500 (only the API's own 4xx problem documents), and a refused request
leaves no row behind — what every table holds is counted before and after each request, from a
connection of its own (so only committed data counts).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from tests.api.conftest import World
from tests.world import DESKS_AND_DATED, Recipe
from tracker.db import make_engine
from tracker.models import Base, Commitment

# Tables a request may touch as a side effect without writing data (a token's last use).
BOOKKEEPING = {"api_token", "job_lease"}
PHRASES = [
    "Japan-France Meeting\n\nOn June 6, 2018, the two ministers met.\n\n",
    "1. Japan will send an economic mission to France by July 1, 2018.\n",
    "2. The two sides agreed to hold the next dialogue ahead of the G7 Summit.\n",
    "\u202eevil\u202c \u200b<script>alert(1)</script> =cmd|' /C calc'!A0\n",
]
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=60)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
readout_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PHRASES), st.text(max_size=60)), max_size=6).map("".join),
)
dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12), st.integers(), st.none())
readout_bodies = st.one_of(
    st.fixed_dictionaries(
        {"text": st.one_of(readout_text, json_values)},
        optional={
            "meeting_date": dates,
            "title": st.one_of(st.text(max_size=400), json_values),
            "publisher": st.text(max_size=50),
            "source": st.text(max_size=50),
            "extra": json_values,
        },
    ),
    json_values,
)
patch_bodies = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "note": st.one_of(st.text(max_size=80), json_values),
            "status": st.one_of(
                st.sampled_from(["open", "in_progress", "done", "dropped", "DONE", ""]), json_values
            ),
            "due_date": dates,
            "owner": st.one_of(
                st.sampled_from(["desk@example.org", "gone@example.org", "nobody@x"]), json_values
            ),
            "version": json_values,
        },
    ),
    json_values,
)


# Rows are counted from a connection of their own: each test gets a committed world of its own.
pytestmark = [pytest.mark.committed, pytest.mark.slow]


@pytest.fixture
def world_recipe() -> Recipe:
    return DESKS_AND_DATED  # the API tests' world


@pytest.fixture
def fuzz_world(world: World) -> Iterator[tuple[World, Engine]]:
    counter = make_engine(world.url)
    yield world, counter
    counter.dispose()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
            if t.name not in BOOKKEEPING
        }


def _version(engine: Engine, cid: int) -> int | None:
    with engine.connect() as conn:
        return conn.scalar(select(Commitment.version).where(Commitment.id == cid))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["json", "multipart", "raw"]),
    body=readout_bodies,
    upload=st.one_of(st.binary(max_size=1500), readout_text.map(lambda t: t.encode("utf-8"))),
    filename=st.one_of(
        st.sampled_from(["a.txt", "b.html", "c.docx", "d.pdf", "e", ""]), st.text(max_size=20)
    ),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]
    ),
    dry_run=st.sampled_from([None, "1", "true", "0", "maybe"]),
)
def test_posting_readouts_never_fails_with_500_and_a_refusal_stores_nothing(
    fuzz_world: tuple[World, Engine],
    kind: str,
    body: Any,
    upload: bytes,
    filename: str,
    content_type: str,
    dry_run: str | None,
) -> None:
    world, counter = fuzz_world
    before = _counts(counter)
    kwargs: dict[str, Any] = {"query_string": {"dry_run": dry_run} if dry_run is not None else {}}
    if kind == "json":
        kwargs["json"] = body
    elif kind == "multipart":
        fields = body if isinstance(body, dict) else {}
        kwargs["data"] = {
            **{k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items() if k != "text"},
            "file": (io.BytesIO(upload), filename),
        }
        kwargs["content_type"] = "multipart/form-data"
    else:
        kwargs["data"] = upload
        kwargs["content_type"] = content_type
    response = world.call("POST", "/api/v1/readouts", **kwargs)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    after = _counts(counter)
    if response.status_code == 201:
        assert after["readout"] == before["readout"] + 1
    else:
        assert response.mimetype in ("application/json", "application/problem+json")
        assert after == before, f"{response.status_code} left rows behind"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=patch_bodies,
    raw=st.one_of(st.none(), st.binary(max_size=200)),
    # Any header value a client can send (the test client, like HTTP, refuses line breaks).
    if_match=st.one_of(
        st.none(),
        st.just("current"),
        st.text(st.characters(exclude_characters="\r\n"), max_size=20),
        st.integers().map(lambda n: f'"{n}"'),
    ),
    who=st.sampled_from(["desk", "other", "supervisor", "gone"]),
    which=st.integers(min_value=0, max_value=3),
)
def test_patching_a_commitment_never_fails_with_500_and_a_refusal_changes_nothing(
    fuzz_world: tuple[World, Engine], body: Any, raw: bytes | None, if_match: str | None, who: str, which: int
) -> None:
    world, counter = fuzz_world
    cid = world.ids["seed_commitments"][which % len(world.ids["seed_commitments"])]
    version = _version(counter, cid)
    headers = {}
    if if_match is not None:
        headers["If-Match"] = f'"{version}"' if if_match == "current" else if_match
    before = _counts(counter)
    if raw is None:
        response = world.call("PATCH", f"/api/v1/commitments/{cid}", who=who, headers=headers, json=body)
    else:
        response = world.call(
            "PATCH",
            f"/api/v1/commitments/{cid}",
            who=who,
            headers=headers,
            data=raw,
            content_type="application/json",
        )
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code == 200:
        assert _version(counter, cid) == (version or 0) + 1
    else:
        assert response.mimetype == "application/problem+json"
        assert _version(counter, cid) == version
        assert _counts(counter) == before, f"{response.status_code} left rows behind"
