"""`tracker eval DIR`: extraction measured against hand-labelled readouts.

For every DIR/*.txt with a gold DIR/*.json beside it (the corpus schema in
../shared/corpus/README.md), extraction runs with the gold meeting date and the gold events as the
event registry, and is compared point by point. The JSON result has exactly the keys the issues
define: the figures, `missed_but_flagged` (the share of missed gold commitments whose words a flag
holds) and `flags_per_point` (what the flags cost an officer's attention), then `language`. The
per-readout rows are only printed in the table, and `--details` prints each miss, extra and wrong
field with its words, so that a person can tell a rule gap from a label dispute. Japanese quotes
are matched by their character bigrams, since Japanese writes no spaces between words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.deadlines import find_registered_event, resolve_due_date
from tracker.extraction import ExtractionError, extract
from tracker.extraction.language import DEFAULT_LANGUAGE, event_aliases
from tracker.extraction.types import ExtractedCommitment, ExtractedPoint, ExtractedReadout

KEYS = (
    "readouts",
    "segmentation_accuracy",
    "kind_accuracy",
    "commitment_precision",
    "commitment_recall",
    "commitment_f1",
    "parties_accuracy",
    "deadline_type_accuracy",
    "due_date_accuracy",
    "missed_but_flagged",
    "flags_per_point",
    # The language the readouts were read in ("en", "ja"; the most common one in a mixed directory).
    "language",
)
_WORD = re.compile(r"[a-z0-9]+")
# Japanese has no spaces between words: runs of kanji and kana count by their character bigrams,
# so "half the gold quote's words" means half its bigrams.
_CJK_RUN = re.compile(r"[\u3005\u3041-\u30ff\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Issue:
    """One disagreement with the gold labels, with the words it is about."""

    what: str  # segmentation | kind | missed | extra | parties | deadline
    point: int | None
    text: str
    got: str = ""
    gold: str = ""

    def line(self) -> str:
        where = f"point {self.point}" if self.point is not None else "readout"
        detail = f" got {self.got}; gold {self.gold}" if self.got or self.gold else ""
        return f"  {self.what:<12} {where}:{detail}\n      “{_short(self.text)}”"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Tally:
    """Counts for one readout (or the whole directory)."""

    readouts: int = 0
    segmentation_ok: int = 0
    kind_total: int = 0
    kind_ok: int = 0
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    parties_ok: int = 0
    type_ok: int = 0
    due_ok: int = 0
    points: int = 0
    flags: int = 0
    missed: int = 0
    missed_flagged: int = 0
    errors: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in (
            "readouts",
            "segmentation_ok",
            "kind_total",
            "kind_ok",
            "predicted",
            "gold",
            "matched",
            "parties_ok",
            "type_ok",
            "due_ok",
            "points",
            "flags",
            "missed",
            "missed_flagged",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)
        self.issues.extend(other.issues)

    def figures(self) -> dict[str, Any]:
        precision = _ratio(self.matched, self.predicted)
        recall = _ratio(self.matched, self.gold)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if self.predicted == 0 and self.gold == 0:
            precision = recall = f1 = 1.0
        return {
            "readouts": self.readouts,
            "segmentation_accuracy": _ratio(self.segmentation_ok, self.readouts),
            "kind_accuracy": _ratio(self.kind_ok, self.kind_total),
            "commitment_precision": precision,
            "commitment_recall": recall,
            "commitment_f1": f1,
            "parties_accuracy": _ratio(self.parties_ok, self.matched),
            "deadline_type_accuracy": _ratio(self.type_ok, self.matched),
            "due_date_accuracy": _ratio(self.due_ok, self.matched),
            "missed_but_flagged": _ratio(self.missed_flagged, self.missed),
            "flags_per_point": self.flags / self.points if self.points else 0.0,
        }


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKC", text).lower()
    words = set(_WORD.findall(folded))
    for run in _CJK_RUN.findall(folded):
        words.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return words


def quote_overlap(predicted: str, gold: str) -> float:
    """Share of the gold quote's words that the predicted quote also has."""
    gold_words = _words(gold)
    if not gold_words:
        return 0.0
    return len(gold_words & _words(predicted)) / len(gold_words)


def match_commitments(predicted: list[ExtractedCommitment], gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, gold index) sharing at least half the gold quote's words."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            score = quote_overlap(p.quote, g["quote"])
            if score >= 0.5:
                pairs.append((score, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    result = []
    for _score, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        result.append((i, j))
    return result


def _due(
    commitment: ExtractedCommitment, meeting_date: dt.date, registry: dict[str, dt.date]
) -> dt.date | None:
    spec = commitment.deadline
    event_date = None
    if spec.type == "event" and spec.event:
        found = find_registered_event(spec.event, registry, event_aliases(spec.event))
        event_date = found[1] if found else None
    return resolve_due_date(spec, meeting_date, event_date)


def evaluate_readout(readout: ExtractedReadout | None, gold: dict) -> Tally:
    """Compare one extracted readout with its gold labels."""
    tally = Tally(readouts=1)
    gold_points = gold.get("points", [])
    tally.gold = sum(len(p.get("commitments", [])) for p in gold_points)
    tally.kind_total = len(gold_points)
    if readout is None:
        tally.missed = tally.gold
        return tally
    predicted_points = {p.order: p for p in readout.points}
    tally.predicted = sum(len(p.commitments) for p in readout.points)
    tally.points = len(readout.points)
    tally.flags = sum(len(p.flags) for p in readout.points)
    if [p.order for p in readout.points] == [p["n"] for p in gold_points]:
        tally.segmentation_ok = 1
    else:
        tally.issues.append(
            Issue(
                "segmentation",
                None,
                " | ".join(_short(readout.text[p.start : p.end], 60) for p in readout.points),
                f"{len(readout.points)} points",
                f"{len(gold_points)} points",
            )
        )
    meeting_date = dt.date.fromisoformat(gold["meeting_date"])
    registry = {name: dt.date.fromisoformat(day) for name, day in (gold.get("events") or {}).items() if day}
    for gp in gold_points:
        pp = predicted_points.get(gp["n"])
        gold_commitments = gp.get("commitments", [])
        if pp is None:
            for gc in gold_commitments:
                tally.missed += 1
                flagged = _flagged(readout, None, gc["quote"])
                tally.missed_flagged += flagged
                tally.issues.append(
                    Issue("missed", gp["n"], gc["quote"], _miss_status(readout, flagged, gc["quote"]), "")
                )
            continue
        if pp.kind == gp["kind"]:
            tally.kind_ok += 1
        else:
            reason = f" ({pp.kind_note.reason})" if pp.kind_note else ""
            tally.issues.append(
                Issue("kind", gp["n"], readout.text[pp.start : pp.end], pp.kind + reason, gp["kind"])
            )
        pairs = match_commitments(pp.commitments, gold_commitments)
        for i, j in pairs:
            tally.matched += 1
            pc, gc = pp.commitments[i], gold_commitments[j]
            if set(pc.parties) == set(gc.get("parties", [])):
                tally.parties_ok += 1
            else:
                tally.issues.append(
                    Issue("parties", gp["n"], pc.quote, _names(pc.parties), _names(gc.get("parties", [])))
                )
            gd = gc.get("deadline") or {}
            type_ok = pc.deadline.type == gd.get("type", "none")
            if type_ok:
                tally.type_ok += 1
            due = _due(pc, meeting_date, registry)
            gold_due = dt.date.fromisoformat(gd["due"]) if gd.get("due") else None
            if due == gold_due:
                tally.due_ok += 1
            if not type_ok or due != gold_due:
                tally.issues.append(
                    Issue("deadline", gp["n"], pc.quote, _deadline_words(pc, due), _gold_deadline_words(gd))
                )
        matched_p = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for j, gc in enumerate(gold_commitments):
            if j in matched_g:
                continue
            tally.missed += 1
            flagged = _flagged(readout, pp, gc["quote"])
            tally.missed_flagged += flagged
            tally.issues.append(
                Issue(
                    "missed",
                    gp["n"],
                    gc["quote"],
                    _miss_status(readout, flagged, gc["quote"]),
                    _names(gc["parties"]),
                )
            )
        for i, pc in enumerate(pp.commitments):
            if i not in matched_p:
                tally.issues.append(Issue("extra", gp["n"], pc.quote, _names(pc.parties), ""))
    return tally


def _miss_status(readout: ExtractedReadout, flagged: bool, gold_quote: str) -> str:
    """How a missed gold commitment fared: flagged, extracted under another point's number (the
    points were cut otherwise), or lost."""
    if flagged:
        return "flagged"
    for p in readout.points:
        if any(quote_overlap(c.quote, gold_quote) >= 0.5 for c in p.commitments):
            return f"extracted under point {p.order} (points cut otherwise)"
    return "not flagged"


def _flagged(readout: ExtractedReadout, point: ExtractedPoint | None, gold_quote: str) -> bool:
    """Whether a flag holds at least half the gold quote's words (as a match would): a flag on the
    gold point, or on the point that holds the quote's words when the points were cut otherwise."""
    where = readout.text.find(gold_quote)
    points = [p for p in readout.points if p is point or p.start <= where < p.end]
    return any(quote_overlap(f.quote, gold_quote) >= 0.5 for p in points for f in p.flags)


def _names(parties: list[str]) -> str:
    return "[" + ", ".join(parties) + "]"


def _deadline_words(c: ExtractedCommitment, due: dt.date | None) -> str:
    spec = c.deadline
    words = f" {spec.text!r}" if spec.text else ""
    event = f" event {spec.event!r} {spec.relation}" if spec.event else ""
    return f"{spec.type}{words}{event} due {due.isoformat() if due else '-'}"


def _gold_deadline_words(gd: dict) -> str:
    words = f" {gd['text']!r}" if gd.get("text") else ""
    event = f" event {gd['event']!r} {gd.get('relation')}" if gd.get("event") else ""
    return f"{gd.get('type', 'none')}{words}{event} due {gd.get('due') or '-'}"


def _load(directory: Path) -> list[tuple[str, str, dict]]:
    pairs = []
    for txt in sorted(directory.glob("*.txt")):
        gold_path = txt.with_suffix(".json")
        if not gold_path.exists():
            continue
        pairs.append(
            (txt.stem, txt.read_text(encoding="utf-8"), json.loads(gold_path.read_text(encoding="utf-8")))
        )
    return pairs


def evaluate_rows(directory: Path) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any], Tally]]]:
    """Overall figures and one row per readout."""
    total = Tally()
    rows = []
    languages: Counter[str] = Counter()
    for name, text, gold in _load(Path(directory)):
        meeting_date = dt.date.fromisoformat(gold["meeting_date"]) if gold.get("meeting_date") else None
        error: str | None
        try:
            # The publisher is metadata the officer types at ingest (`tracker ingest --publisher`).
            readout: ExtractedReadout | None = extract(
                text, meeting_date=meeting_date, publisher=gold.get("publisher") or None
            )
        except ExtractionError as exc:
            readout = None
            error = f"{name}: {exc}"
        else:
            error = None
        if readout is not None:
            languages[readout.language] += 1
        tally = evaluate_readout(readout, gold)
        if error:
            tally.errors.append(error)
        total.add(tally)
        rows.append((name, tally.figures(), tally))
    figures = total.figures()
    figures["language"] = languages.most_common(1)[0][0] if languages else DEFAULT_LANGUAGE
    return figures, rows


class EvalResult(dict[str, Any]):
    """The overall figures (exactly the keys in KEYS, so `json.dumps` prints only those), carrying
    the per-readout rows as an attribute for `format_table`."""

    rows: list[tuple[str, dict[str, Any], Tally]]


def evaluate(directory: Path) -> dict[str, Any]:
    """The figures of `tracker eval DIR --json`: exactly the keys in KEYS."""
    figures, rows = evaluate_rows(directory)
    result = EvalResult({key: figures[key] for key in KEYS})
    result.rows = rows
    return result


def format_details(result: dict[str, Any]) -> str:
    """Per readout, each disagreement with the gold labels and its words (`tracker eval --details`)."""
    lines = []
    rows: list[tuple[str, dict[str, Any], Tally]] = list(getattr(result, "rows", []))
    for name, _figures, tally in rows:
        if not tally.issues and not tally.errors:
            continue
        lines.append(f"{name}:")
        lines.extend(f"  error: {e}" for e in tally.errors)
        lines.extend(issue.line() for issue in tally.issues)
    if not lines:
        lines.append("no disagreements with the gold labels")
    return "\n".join(lines)


def details_json(result: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The same disagreements as data, by readout (`tracker eval --json --details`)."""
    rows: list[tuple[str, dict[str, Any], Tally]] = list(getattr(result, "rows", []))
    return {
        name: [
            {"what": i.what, "point": i.point, "text": i.text, "got": i.got, "gold": i.gold}
            for i in tally.issues
        ]
        for name, _figures, tally in rows
        if tally.issues
    }


def format_table(result: dict[str, Any], directory: Path | None = None) -> str:
    """A row per readout and the overall figures (rows come with `evaluate`'s result)."""
    headers = ("readout", "seg", "kind", "P", "R", "F1", "parties", "type", "due")
    lines = []
    rows: list[tuple[str, dict[str, Any], Tally]] = list(getattr(result, "rows", []))
    if directory is not None and not rows:
        _figures, rows = evaluate_rows(directory)
    width = max([len(headers[0]), *(len(r[0]) for r in rows), len("overall")])
    lines.append(f"{headers[0]:<{width}}  " + "  ".join(f"{h:>7}" for h in headers[1:]))
    for name, figures, tally in rows:
        lines.append(_row(name, figures, width, tally))
    lines.append("-" * len(lines[0]))
    lines.append(_row("overall", result, width, None))
    lines.append(f"readouts: {result['readouts']}")
    lines.append(
        f"missed but flagged: {result['missed_but_flagged']:.2f}; "
        f"flags per point: {result['flags_per_point']:.2f}"
    )
    for _name, _figures, tally in rows:
        for error in tally.errors:
            lines.append(f"error: {error}")
    return "\n".join(lines)


def _row(name: str, figures: dict[str, Any], width: int, tally: Tally | None) -> str:
    seg = (
        ("ok" if tally.segmentation_ok else "FAIL")
        if tally is not None
        else f"{figures['segmentation_accuracy']:.2f}"
    )
    cells = [
        seg,
        f"{figures['kind_accuracy']:.2f}",
        f"{figures['commitment_precision']:.2f}",
        f"{figures['commitment_recall']:.2f}",
        f"{figures['commitment_f1']:.2f}",
        f"{figures['parties_accuracy']:.2f}",
        f"{figures['deadline_type_accuracy']:.2f}",
        f"{figures['due_date_accuracy']:.2f}",
    ]
    return f"{name:<{width}}  " + "  ".join(f"{c:>7}" for c in cells)
