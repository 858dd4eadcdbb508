"""Checks a labelled readout folder against the corpus schema (stdlib only).

Usage: python3 check.py DIR [DIR ...]   (e.g. corpus/heldout-ja ../shared/corpus/ja-dev)

It checks what a hand-labeller can get wrong without noticing: every quote and
deadline text is an exact substring of the readout, points are numbered 1..k,
kinds, deadline types and relations come from the allowed sets, dates are ISO,
and the deadline fields agree with each other and with the event registry.
It prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

KINDS = {"commitment", "position", "exchange", "protocol"}
TYPES = {"date", "event", "ongoing", "none"}
RELATIONS = {"before", "at", "after"}
LANGUAGES = {"ja", "en"}
# Canonical party names met so far; an unknown name is reported so that a
# spelling variant ("USA", "South Korea") cannot slip into the gold labels.
PARTIES = {
    "Japan",
    "United States",
    "Republic of Korea",
    "Australia",
    "India",
    "United Kingdom",
    "China",
    "Canada",
    "European Union",
    "France",
    "Germany",
    "Singapore",
    "Thailand",
    "Philippines",
    "Indonesia",
    "Viet Nam",
    "Italy",
}
REQUIRED = (
    "id",
    "source_url",
    "publisher",
    "title",
    "meeting_date",
    "meeting_date_basis",
    "events",
    "points",
)


def is_iso(value: object) -> bool:
    """True when value is a YYYY-MM-DD string naming a real date."""
    if not isinstance(value, str):
        return False
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def check_deadline(where: str, d: dict, text: str, events: dict) -> list[str]:
    """Problems with one commitment's deadline."""
    out: list[str] = []
    keys = {"type", "text", "event", "relation", "due"}
    if set(d) != keys:
        out.append(f"{where}: deadline keys {sorted(d)} != {sorted(keys)}")
        return out
    t = d["type"]
    if t not in TYPES:
        out.append(f"{where}: deadline type {t!r} not in {sorted(TYPES)}")
    if d["text"] is not None and (not isinstance(d["text"], str) or d["text"] not in text):
        out.append(f"{where}: deadline text {d['text']!r} is not a substring of the .txt")
    if d["due"] is not None and not is_iso(d["due"]):
        out.append(f"{where}: due {d['due']!r} is not an ISO date")
    if t in ("ongoing", "none"):
        for k in ("text", "event", "relation", "due"):
            if d[k] is not None:
                out.append(f"{where}: {t} deadline has {k}={d[k]!r} (must be null)")
    if t == "date":
        if d["due"] is None or d["text"] is None:
            out.append(f"{where}: date deadline needs text and due")
        if d["event"] is not None or d["relation"] is not None:
            out.append(f"{where}: date deadline has an event or relation")
    if t == "event":
        if d["relation"] not in RELATIONS:
            out.append(f"{where}: relation {d['relation']!r} not in {sorted(RELATIONS)}")
        if not d["event"] or d["text"] is None:
            out.append(f"{where}: event deadline needs event and text")
        elif d["event"] in events and d["relation"] in ("before", "at") and d["due"] != events[d["event"]]:
            registered = events[d["event"]]
            out.append(f"{where}: {d['relation']} {d['event']!r} due {d['due']} != event date {registered}")
    elif d["relation"] is not None:
        out.append(f"{where}: relation set on a {t} deadline")
    return out


def check_text(name: str, text: str) -> list[str]:
    """Problems with the text handling rules (trailing blanks, blank runs)."""
    out: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines, 1):
        if line != line.rstrip():
            out.append(f"{name}:{i}: trailing blank")
    if "\n\n\n" in text:
        out.append(f"{name}: a run of blank lines was not collapsed")
    return out


def check_readout(path: Path) -> list[str]:
    """Problems with one <id>.json and its .txt."""
    out: list[str] = []
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{name}: cannot read JSON: {exc}"]
    txt_path = path.with_suffix(".txt")
    if not txt_path.exists():
        return [f"{name}: no {txt_path.name}"]
    text = txt_path.read_text(encoding="utf-8")
    out += check_text(txt_path.name, text)
    for key in REQUIRED:
        if key not in data:
            out.append(f"{name}: missing {key}")
    if out and any("missing" in o for o in out):
        return out
    if data["id"] != path.stem:
        out.append(f"{name}: id {data['id']!r} does not match the file name")
    if data["title"] != text.split("\n", 1)[0]:
        out.append(f"{name}: title {data['title']!r} is not the .txt's first line")
    if data.get("language", "en") not in LANGUAGES:
        out.append(f"{name}: language {data.get('language')!r}")
    if data.get("language") == "ja":
        if "english_url" not in data:
            out.append(f"{name}: a ja readout needs english_url (null when none)")
        en = path.with_name(path.stem + ".en.txt")
        if en.exists() and not data.get("english_url"):
            out.append(f"{name}: {en.name} exists but english_url is null")
    if not is_iso(data["meeting_date"]):
        out.append(f"{name}: meeting_date {data['meeting_date']!r} is not ISO")
    basis = data["meeting_date_basis"]
    if not (basis == "stated" or (isinstance(basis, str) and basis.startswith("inferred:"))):
        out.append(f"{name}: meeting_date_basis {basis!r}")
    events = data["events"]
    if not isinstance(events, dict):
        out.append(f"{name}: events is not an object")
        events = {}
    for ev, day in events.items():
        if not is_iso(day):
            out.append(f"{name}: event {ev!r} date {day!r} is not ISO")
    points = data["points"]
    if [p.get("n") for p in points] != list(range(1, len(points) + 1)):
        out.append(f"{name}: points are not numbered 1..{len(points)}")
    for p in points:
        where = f"{name} point {p.get('n')}"
        if p.get("kind") not in KINDS:
            out.append(f"{where}: kind {p.get('kind')!r} not in {sorted(KINDS)}")
        cs = p.get("commitments")
        if not isinstance(cs, list):
            out.append(f"{where}: commitments is not a list")
            continue
        if (p.get("kind") == "commitment") != bool(cs):
            out.append(f"{where}: kind {p.get('kind')} with {len(cs)} commitments")
        for j, c in enumerate(cs, 1):
            cw = f"{where} c{j}"
            quote = c.get("quote")
            if not isinstance(quote, str) or not quote or quote not in text:
                out.append(f"{cw}: quote {quote!r} is not a substring of the .txt")
            parties = c.get("parties")
            if not isinstance(parties, list) or not parties:
                out.append(f"{cw}: parties must be a non-empty list")
            else:
                for party in parties:
                    if party not in PARTIES:
                        out.append(f"{cw}: party {party!r} is not a canonical name")
                if len(set(parties)) != len(parties):
                    out.append(f"{cw}: a party is listed twice")
            if not isinstance(c.get("action"), str) or not c["action"].strip():
                out.append(f"{cw}: action missing")
            if not isinstance(c.get("deadline"), dict):
                out.append(f"{cw}: deadline missing")
            else:
                out += check_deadline(cw, c["deadline"], text, events)
    return out


def main(argv: list[str]) -> int:
    """Check every <id>.json in the folders given; print problems and a summary."""
    if not argv:
        print(__doc__)
        return 2
    problems: list[str] = []
    for folder in map(Path, argv):
        files = sorted(f for f in folder.glob("*.json"))
        if not files:
            problems.append(f"{folder}: no readouts")
        n_points = n_commitments = 0
        for f in files:
            found = check_readout(f)
            problems += found
            if not found:
                data = json.loads(f.read_text(encoding="utf-8"))
                n_points += len(data["points"])
                n_commitments += sum(len(p["commitments"]) for p in data["points"])
        print(f"{folder}: {len(files)} readouts, {n_points} points, {n_commitments} commitments checked")
    for line in problems:
        print(line)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
