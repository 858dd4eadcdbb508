"""Japanese extraction speed beside English, measured in the same run (issue 16: ≥ 100 readouts/s).

Not a timed test (machines differ); run it by hand:

    .venv/bin/python benchmarks/ja_extraction_bench.py [JA_CORPUS_DIR] [EN_CORPUS_DIR]

Each readout goes through the whole pipeline (language detection, every stage, deadline
resolution against its gold event registry). The Japanese caches (the normalised shadow text,
the analyser's tokens) are emptied before every readout, so repeating a small corpus measures
cold readouts, as fresh ones would be.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from tracker.deadlines import find_registered_event, resolve_due_date
from tracker.extraction import extract
from tracker.extraction.ja.text import shadow, tokens

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
Item = tuple[str, dt.date | None, dict[str, dt.date]]


def _load(directory: Path) -> list[Item]:
    items = []
    for txt in sorted(directory.glob("*.txt")):
        gold_path = txt.with_suffix(".json")
        if txt.name.endswith(".en.txt") or not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        meeting = dt.date.fromisoformat(gold["meeting_date"]) if gold.get("meeting_date") else None
        registry = {k: dt.date.fromisoformat(v) for k, v in (gold.get("events") or {}).items() if v}
        items.append((txt.read_text(encoding="utf-8"), meeting, registry))
    return items


def _run_one(text: str, meeting: dt.date | None, registry: dict[str, dt.date]) -> None:
    shadow.cache_clear()
    tokens.cache_clear()
    readout = extract(text, meeting_date=meeting)
    day = meeting or readout.meeting_date or dt.date(2000, 1, 1)
    for commitment in readout.commitments:
        found = find_registered_event(commitment.deadline.event or "", registry)
        resolve_due_date(commitment.deadline, day, found[1] if found else None)


def _rate(items: list[Item], seconds: float = 3.0) -> tuple[float, float]:
    """Readouts per second of wall time and per second of this process's CPU time.

    On a shared machine the wall-clock figure falls with the load of other processes; the CPU
    figure is what one core gives when it is free (the two agree on an idle machine).
    """
    for item in items:  # warm up: regex compilation, the country tables, the analyser's dictionary
        _run_one(*item)
    done = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        for item in items:
            _run_one(*item)
        done += len(items)
    return done / (time.perf_counter() - start), done / max(time.process_time() - cpu_start, 1e-9)


def main(argv: list[str]) -> int:
    ja_dir = Path(argv[1]) if len(argv) > 1 else CORPUS / "ja-dev"
    en_dir = Path(argv[2]) if len(argv) > 2 else CORPUS / "dev"
    ja, en = _load(ja_dir), _load(en_dir)
    if not ja or not en:
        print(f"no readouts in {ja_dir if not ja else en_dir}")
        return 1
    ja_rate, ja_cpu = _rate(ja)
    en_rate, en_cpu = _rate(en)
    print(f"japanese: {ja_rate:.0f} readouts/s, {ja_cpu:.0f} per CPU-second ({len(ja)} readouts, {ja_dir})")
    print(f"english:  {en_rate:.0f} readouts/s, {en_cpu:.0f} per CPU-second ({len(en)} readouts, {en_dir})")
    print(f"ratio japanese/english: {ja_rate / en_rate:.2f} (CPU: {ja_cpu / en_cpu:.2f})")
    print("target: japanese >= 100 readouts/s:", "met" if ja_rate >= 100 else "NOT MET", end="")
    load = os.getloadavg()[0]
    print(f" (per CPU-second: {'met' if ja_cpu >= 100 else 'NOT MET'}; load average {load:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
