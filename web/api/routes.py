"""The API's blueprint with every view's routes on it: importing a view module adds its routes."""

from __future__ import annotations

from web.api import commitments, docs, events, links, readouts
from web.api.blueprint import bp

__all__ = ["bp", "commitments", "docs", "events", "links", "readouts"]
