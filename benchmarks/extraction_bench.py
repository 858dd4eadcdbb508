"""Extraction speed: readouts per second over a corpus, and the time for a 1 MB text.

Not a timed test (machines differ); run it by hand:

    .venv/bin/python benchmarks/extraction_bench.py [CORPUS_DIR]

Targets from issue #3: at least 200 readouts per second through extraction and deadline
resolution, and under one second for a 1 MB text.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from tracker.deadlines import find_registered_event, resolve_due_date
from tracker.extraction import extract

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"


def _load(directory: Path) -> list[tuple[str, dt.date | None, dict[str, dt.date]]]:
    items = []
    for txt in sorted(directory.glob("*.txt")):
        gold_path = txt.with_suffix(".json")
        meeting, registry = None, {}
        if gold_path.exists():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            meeting = dt.date.fromisoformat(gold["meeting_date"]) if gold.get("meeting_date") else None
            registry = {k: dt.date.fromisoformat(v) for k, v in (gold.get("events") or {}).items() if v}
        items.append((txt.read_text(encoding="utf-8"), meeting, registry))
    return items


def _run_one(text: str, meeting: dt.date | None, registry: dict[str, dt.date]) -> int:
    readout = extract(text, meeting_date=meeting)
    day = meeting or readout.meeting_date or dt.date(2000, 1, 1)
    resolved = 0
    for commitment in readout.commitments:
        found = find_registered_event(commitment.deadline.event or "", registry)
        resolve_due_date(commitment.deadline, day, found[1] if found else None)
        resolved += 1
    return resolved


def main(argv: list[str]) -> int:
    directory = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    items = _load(directory)
    if not items:
        print(f"no readouts in {directory}")
        return 1
    for text, meeting, registry in items:  # warm caches (regex compilation, country table)
        _run_one(text, meeting, registry)
    rounds = max(1, 2000 // len(items))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text, meeting, registry in items:
            _run_one(text, meeting, registry)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    count = rounds * len(items)
    print(f"corpus: {directory} ({len(items)} readouts, {count} runs)")
    # CPU time is shown too: on a shared machine the wall clock also measures the neighbours.
    print(f"readouts per second: {count / elapsed:,.0f} wall, {count / cpu:,.0f} CPU (target >= 200)")

    body = "\n\n".join(text for text, _m, _r in items)
    big = body
    while len(big.encode("utf-8")) < 1_000_000:
        big += "\n\n" + body
    big = big.encode("utf-8")[:1_000_000].decode("utf-8", errors="ignore")
    start, cpu = time.perf_counter(), time.process_time()
    readout = extract(big, meeting_date=dt.date(2020, 1, 1))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"1 MB text: {elapsed:.3f} s wall, {cpu:.3f} s CPU (target < 1 s); {len(readout.points)} points, "
        f"{len(readout.commitments)} commitments"
    )
    # Worst case: the same megabyte as one paragraph (no line breaks), so one point holds it all.
    flat = big.replace("\n", " ")
    start, cpu = time.perf_counter(), time.process_time()
    readout = extract(flat, meeting_date=dt.date(2020, 1, 1))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"1 MB as a single paragraph: {elapsed:.3f} s wall, {cpu:.3f} s CPU; "
        f"{len(readout.commitments)} commitments"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
