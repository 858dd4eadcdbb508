"""The JSON API's tests run on the populated world (tests/world.py) with a readout of dated
deadlines besides the sample one: officers of two desks, a supervisor, an admin, a deactivated
officer, an API token for each, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import TestResponse

from tests.world import API_BASE_URL, DESKS_AND_DATED, Recipe, World, dated_readout

__all__ = ["BASE_URL", "PROBLEM", "World", "assert_problem", "dated_readout"]

BASE_URL = API_BASE_URL
PROBLEM = "application/problem+json"


@pytest.fixture
def world_recipe() -> Recipe:
    return DESKS_AND_DATED


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with `status`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/docs#problem-")
    assert body["title"] and body["detail"]
    return body
