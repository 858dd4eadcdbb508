"""Check a folder of labelled readouts against the shared corpus schema and rules.

Each readout is `<id>.txt` (title line, then the published body) and `<id>.json` (metadata and
gold labels), as described in `shared/corpus/README.md`. The checker catches the mistakes a
hand-labeller makes and a scorer would silently mis-count: a quote that is not in the text
(after a retyped apostrophe, say), points numbered out of order, a commitment under a point
whose kind is not `commitment`, a deadline whose fields contradict its type, an unparsable date.

Standard library only, so it runs with any Python 3.11 without the project's virtualenv:

    python3 corpus/check_corpus.py corpus/heldout-en ../shared/corpus/dev

It exits 1 if any readout has a problem, and prints one line per problem.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

KINDS = {"commitment", "position", "exchange", "protocol"}
DEADLINE_TYPES = {"date", "event", "ongoing", "none"}
RELATIONS = {"before", "at", "after"}
TOP_KEYS = (
    "id",
    "source_url",
    "publisher",
    "title",
    "meeting_date",
    "meeting_date_basis",
    "events",
    "points",
)
COMMITMENT_KEYS = ("quote", "parties", "action", "deadline")
DEADLINE_KEYS = ("type", "text", "event", "relation", "due")


def is_iso_date(value: object) -> bool:
    """Whether `value` is a string holding a calendar date in ISO form (YYYY-MM-DD)."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_deadline(deadline: Any, text: str, events: dict[str, Any], where: str) -> list[str]:
    """Problems with one commitment's deadline object."""
    if not isinstance(deadline, dict):
        return [f"{where}: deadline is not an object"]
    problems = [f"{where}: deadline lacks '{key}'" for key in DEADLINE_KEYS if key not in deadline]
    if problems:
        return problems
    kind = deadline["type"]
    if kind not in DEADLINE_TYPES:
        return [f"{where}: deadline type {kind!r} is not one of {sorted(DEADLINE_TYPES)}"]
    if deadline["due"] is not None and not is_iso_date(deadline["due"]):
        problems.append(f"{where}: due {deadline['due']!r} is neither an ISO date nor null")
    if deadline["relation"] is not None and deadline["relation"] not in RELATIONS:
        problems.append(f"{where}: relation {deadline['relation']!r} is not one of {sorted(RELATIONS)}")
    if deadline["text"] is not None and deadline["text"] not in text:
        problems.append(f"{where}: deadline text {deadline['text']!r} is not in the .txt")
    # The type decides which of the other fields may be filled; a mix means the label is
    # half-edited, and the scorer would compare a due date that the type says is absent.
    if kind in ("ongoing", "none"):
        filled = [key for key in ("text", "event", "relation", "due") if deadline[key] is not None]
        if filled:
            problems.append(f"{where}: a {kind!r} deadline has {', '.join(filled)} set")
    elif kind == "date":
        if deadline["text"] is None:
            problems.append(f"{where}: a 'date' deadline needs the words that give the time")
        if deadline["due"] is None:
            problems.append(f"{where}: a 'date' deadline needs a due date")
        if deadline["event"] is not None or deadline["relation"] is not None:
            problems.append(f"{where}: a 'date' deadline has an event or relation set")
    else:  # event
        if deadline["event"] is None or deadline["relation"] is None or deadline["text"] is None:
            problems.append(f"{where}: an 'event' deadline needs text, event and relation")
        elif deadline["event"] not in events:
            problems.append(f"{where}: event {deadline['event']!r} is not in the readout's events")
    return problems


def check_commitment(item: Any, text: str, events: dict[str, Any], where: str) -> list[str]:
    """Problems with one labelled commitment."""
    if not isinstance(item, dict):
        return [f"{where}: commitment is not an object"]
    problems = [f"{where}: commitment lacks '{key}'" for key in COMMITMENT_KEYS if key not in item]
    if problems:
        return problems
    quote = item["quote"]
    if not isinstance(quote, str) or not quote.strip():
        problems.append(f"{where}: empty quote")
    elif quote not in text:
        problems.append(f"{where}: quote is not an exact substring of the .txt: {quote[:70]!r}")
    parties = item["parties"]
    if not isinstance(parties, list) or not parties or not all(isinstance(x, str) and x for x in parties):
        problems.append(f"{where}: parties must be a non-empty list of names")
    elif len(set(parties)) != len(parties):
        problems.append(f"{where}: a party is listed twice")
    if not isinstance(item["action"], str) or not item["action"].strip():
        problems.append(f"{where}: empty action")
    problems += check_deadline(item["deadline"], text, events, where)
    return problems


def check_readout(json_path: Path) -> list[str]:
    """Problems with one `<id>.json` and its `.txt`."""
    name = json_path.name
    try:
        label = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{name}: unreadable JSON ({exc})"]
    if not isinstance(label, dict):
        return [f"{name}: top level is not an object"]
    problems = [f"{name}: lacks '{key}'" for key in TOP_KEYS if key not in label]
    if problems:
        return problems
    if label["id"] != json_path.stem:
        problems.append(f"{name}: id {label['id']!r} differs from the file name")
    txt_path = json_path.with_suffix(".txt")
    if not txt_path.is_file():
        return [*problems, f"{name}: no {txt_path.name} beside it"]
    text = txt_path.read_text(encoding="utf-8")
    if text.split("\n", 1)[0] != label["title"]:
        problems.append(f"{name}: title differs from the first line of the .txt")
    if not is_iso_date(label["meeting_date"]):
        problems.append(f"{name}: meeting_date {label['meeting_date']!r} is not an ISO date")
    basis = label["meeting_date_basis"]
    if not isinstance(basis, str) or not (basis == "stated" or basis.startswith("inferred: ")):
        problems.append(f"{name}: meeting_date_basis must be 'stated' or 'inferred: <why>'")
    events = label["events"]
    if not isinstance(events, dict):
        return [*problems, f"{name}: events is not an object"]
    problems += [
        f"{name}: event {event!r} has a date that is not ISO: {day!r}"
        for event, day in events.items()
        if not is_iso_date(day)
    ]
    points = label["points"]
    if not isinstance(points, list) or not points:
        return [*problems, f"{name}: points must be a non-empty list"]
    for index, point in enumerate(points, start=1):
        where = f"{name} point {index}"
        if not isinstance(point, dict):
            problems.append(f"{where}: not an object")
            continue
        if point.get("n") != index:
            problems.append(f"{where}: numbered {point.get('n')!r}, expected {index}")
        kind = point.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
        if "note" in point and not isinstance(point["note"], str):
            problems.append(f"{where}: note is not a string")
        commitments = point.get("commitments")
        if not isinstance(commitments, list):
            problems.append(f"{where}: commitments is not a list")
            continue
        # Precedence puts a point with any undertaking under 'commitment', so the two must agree
        # both ways: commitments elsewhere, or a commitment point with nothing in it, is a slip.
        if kind == "commitment" and not commitments:
            problems.append(f"{where}: a commitment point with no commitments")
        if kind != "commitment" and commitments:
            problems.append(f"{where}: commitments under a {kind!r} point")
        for number, item in enumerate(commitments, start=1):
            problems += check_commitment(item, text, events, f"{where} commitment {number}")
    return problems


def check_folder(folder: Path) -> tuple[int, list[str]]:
    """Check every readout in `folder`; return how many were checked and the problems."""
    problems: list[str] = []
    json_paths = sorted(folder.glob("*.json"))
    for json_path in json_paths:
        problems += check_readout(json_path)
    for txt_path in sorted(folder.glob("*.txt")):
        # A Japanese folder keeps English counterparts as <id>.en.txt beside <id>.txt.
        if not txt_path.name.endswith(".en.txt") and not txt_path.with_suffix(".json").is_file():
            problems.append(f"{txt_path.name}: no labels beside it")
    return len(json_paths), problems


def main(argv: list[str] | None = None) -> int:
    """Check the folders named on the command line; 0 when all readouts pass."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders of <id>.txt + <id>.json")
    args = parser.parse_args(argv)
    failed = False
    for folder in args.folders:
        if not folder.is_dir():
            print(f"{folder}: not a folder")
            failed = True
            continue
        count, problems = check_folder(folder)
        for problem in problems:
            print(f"{folder}/{problem}")
        print(f"{folder}: {count} readouts, {len(problems)} problems")
        failed = failed or bool(problems) or count == 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
