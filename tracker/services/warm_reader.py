"""Imported once by the forkserver of the reading workers (tracker.isolation): reading a small
readout in each language loads what extraction otherwise loads lazily on first use (the
grammars, dateparser's data, MeCab's dictionary), so that every worker forked from it starts
warm. Each worker reads one document and exits, so without this every document paid ~0.75 s.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from tracker.deadlines import DeadlineSettings
from tracker.services.errors import InvalidInput
from tracker.services.readouts import read_and_extract

SAMPLES = (
    "Readout of the meeting\n\n1. Japan will provide support to Ukraine by the end of 2027.\n",
    "日米首脳会談\n\n1. 日本は2027年末までにウクライナへの支援を行う。\n",
)


def warm() -> None:
    """Read each sample once (a refusal is fine: the point is what reading loads)."""
    for sample in SAMPLES:
        with contextlib.suppress(InvalidInput):
            read_and_extract(None, None, sample, dt.date(2026, 12, 3), DeadlineSettings())


warm()
