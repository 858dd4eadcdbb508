"""Fixtures for the web app: the populated world (tests/world.py: one officer per role on two
desks, the sample readout, SQLite and PostgreSQL, the clock fixed), its app, and test clients
logged in by role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.world import EU_DESK, NA_DESK, NOW, ROLES, World, csrf_token, log_in

__all__ = ["EU_DESK", "NA_DESK", "NOW", "ROLES", "World", "csrf_token", "log_in", "page_token"]


@pytest.fixture
def app(world: World) -> Flask:
    return world.app


@pytest.fixture
def client_for(world: World) -> Callable[[str], FlaskClient]:
    """A test client logged in as the officer with that role key (see ROLES)."""

    def make(key: str) -> FlaskClient:
        return world.logged_in(world.emails[key])

    return make


def page_token(client: FlaskClient, path: str) -> str:
    """The CSRF token from the form on `path`."""
    response = client.get(path)
    assert response.status_code == 200, path
    return csrf_token(response.get_data(as_text=True))
