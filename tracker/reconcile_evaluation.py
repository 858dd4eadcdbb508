"""How well two readouts of one meeting are aligned, against hand-labelled pairs (corpus/pairs).

A pair file (`<name>.json`) names two readout texts (`a`, `b`: paths relative to the file), the
link's `kind`, the undertakings both report (`aligned`: quote in a, quote in b) and those only one
reports (`only_a`, `only_b`). Two measurements per pair set:
- **gold commitments**: the labelled quotes are aligned, so the figure is the aligner's alone;
- **extracted**: each text goes through extraction and the commitments it finds are aligned, as
  an officer would see it; a predicted pair is right when its quotes overlap a labelled pair's.
Precision = right pairs / pairs proposed; recall = right pairs / labelled pairs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.alignment import ENGLISH_METHOD, THRESHOLD, Item, Pair, align
from tracker.deadlines import DeadlineSettings
from tracker.extraction import extract
from tracker.extraction.language import detect_language
from tracker.extraction.types import ExtractedReadout

Span = tuple[int, int]


@dataclass
class Counts:
    proposed: int = 0
    right: int = 0
    labelled: int = 0

    def add(self, other: Counts) -> None:
        self.proposed += other.proposed
        self.right += other.right
        self.labelled += other.labelled

    @property
    def precision(self) -> float:
        return self.right / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "proposed": self.proposed,
            "right": self.right,
            "labelled": self.labelled,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
        }


@dataclass
class PairResult:
    name: str
    kind: str
    gold: Counts
    extracted: Counts
    wrong: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LabelledPair:
    name: str
    kind: str
    text_a: str
    text_b: str
    aligned: list[tuple[Span, Span]]
    only_a: list[Span]
    only_b: list[Span]


def _span(text: str, quote: str, where: str) -> Span:
    start = text.find(quote)
    if start < 0:
        raise ValueError(f"{where}: the quote {quote[:60]!r} is not in the text")
    return start, start + len(quote)


def load_pairs(directory: Path) -> list[LabelledPair]:
    """Every labelled pair in `directory` (files with a `kind`), in name order."""
    pairs = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "kind" not in data:
            continue
        text_a = (path.parent / data["a"]).read_text(encoding="utf-8")
        text_b = (path.parent / data["b"]).read_text(encoding="utf-8")
        name = path.stem
        pairs.append(
            LabelledPair(
                name,
                data["kind"],
                text_a,
                text_b,
                [(_span(text_a, p["a"], name), _span(text_b, p["b"], name)) for p in data["aligned"]],
                [_span(text_a, q, name) for q in data.get("only_a", [])],
                [_span(text_b, q, name) for q in data.get("only_b", [])],
            )
        )
    return pairs


def _extract(text: str) -> ExtractedReadout:
    return extract(text, None, DeadlineSettings(), language=detect_language(text))


def items_of(extracted: ExtractedReadout, spans: Iterable[Span] | None = None) -> list[Item]:
    """Alignment items for the extracted commitments, or for labelled `spans` placed in the
    extracted points (the point that holds the span's start)."""
    text = extracted.text
    items: list[Item] = []
    if spans is None:
        for point in extracted.points:
            for rank, c in enumerate(point.commitments):
                items.append(
                    Item(
                        len(items),
                        c.quote,
                        text[point.start : point.end],
                        point.order,
                        rank,
                        extracted.language,
                        frozenset(c.parties),
                        c.deadline.type,
                    )
                )
        return items
    ranks: dict[int, int] = {}
    for start, end in sorted(spans):
        holder = next((p for p in extracted.points if p.start <= start < p.end), None)
        order = holder.order if holder else 0
        context = text[holder.start : holder.end] if holder else text[start:end]
        rank = ranks.get(order, 0)
        ranks[order] = rank + 1
        items.append(Item(len(items), text[start:end], context, order, rank, extracted.language))
    return items


def _span_of(item: Item, text: str) -> Span:
    start = text.find(item.quote)
    return start, start + len(item.quote)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score(pairs: list[Pair], labelled: LabelledPair, wrong: list[str], mode: str) -> Counts:
    counts = Counts(proposed=len(pairs), labelled=len(labelled.aligned))
    matched: set[int] = set()
    for pair in pairs:
        sa, sb = _span_of(pair.a, labelled.text_a), _span_of(pair.b, labelled.text_b)
        hit = next(
            (
                k
                for k, (ga, gb) in enumerate(labelled.aligned)
                if k not in matched and _overlaps(sa, ga) and _overlaps(sb, gb)
            ),
            None,
        )
        if hit is None:
            wrong.append(f"{labelled.name} [{mode}] wrong: {pair.a.quote[:50]!r} ~ {pair.b.quote[:50]!r}")
        else:
            matched.add(hit)
            counts.right += 1
    for k, (ga, gb) in enumerate(labelled.aligned):
        if k not in matched:
            wrong.append(
                f"{labelled.name} [{mode}] missed: {labelled.text_a[ga[0] : ga[1]][:50]!r} ~ "
                f"{labelled.text_b[gb[0] : gb[1]][:50]!r}"
            )
    return counts


def evaluate_pair(
    labelled: LabelledPair, *, english: str | None = None, threshold: float | None = None
) -> PairResult:
    """Both measurements for one labelled pair."""
    ex_a, ex_b = _extract(labelled.text_a), _extract(labelled.text_b)
    translation = labelled.kind == "translation"
    wrong: list[str] = []
    gold_a = items_of(ex_a, [a for a, _ in labelled.aligned] + labelled.only_a)
    gold_b = items_of(ex_b, [b for _, b in labelled.aligned] + labelled.only_b)
    options: dict[str, Any] = {"translation": translation, "english": english}
    if threshold is not None:
        options["threshold"] = threshold
    gold = _score(align(gold_a, gold_b, **options), labelled, wrong, "gold")
    extracted = _score(align(items_of(ex_a), items_of(ex_b), **options), labelled, wrong, "extracted")
    return PairResult(labelled.name, labelled.kind, gold, extracted, wrong)


def evaluate(
    directory: Path, *, english: str | None = None, threshold: float | None = None
) -> dict[str, Any]:
    """Precision and recall per kind of pair, both measurements, with the misses listed."""
    results = [evaluate_pair(p, english=english, threshold=threshold) for p in load_pairs(directory)]
    by_kind: dict[str, dict[str, Counts]] = {}
    for r in results:
        totals = by_kind.setdefault(r.kind, {"gold": Counts(), "extracted": Counts()})
        totals["gold"].add(r.gold)
        totals["extracted"].add(r.extracted)
    return {
        "english_similarity": english or ENGLISH_METHOD,
        "threshold": threshold if threshold is not None else THRESHOLD,
        "pairs": len(results),
        "by_kind": {
            kind: {mode: c.to_dict() for mode, c in modes.items()}
            | {"pairs": sum(r.kind == kind for r in results)}
            for kind, modes in sorted(by_kind.items())
        },
        "per_pair": [
            {"name": r.name, "kind": r.kind, "gold": r.gold.to_dict(), "extracted": r.extracted.to_dict()}
            for r in results
        ],
        "errors": [w for r in results for w in r.wrong],
    }


def format_table(result: dict[str, Any]) -> str:
    """The figures as a short table, then every wrong or missed pair."""
    lines = [
        f"{result['pairs']} labelled pairs; English compared by {result['english_similarity']}, "
        f"threshold {result['threshold']}",
        f"{'kind':<12} {'commitments':<12} {'P':>6} {'R':>6}  (n)",
    ]
    for kind, modes in result["by_kind"].items():
        for mode in ("gold", "extracted"):
            c = modes[mode]
            lines.append(
                f"{kind:<12} {mode:<12} {c['precision']:>6.3f} {c['recall']:>6.3f}  "
                f"({c['right']} right of {c['proposed']} proposed, {c['labelled']} labelled; "
                f"{modes['pairs']} pairs)"
            )
    if result["errors"]:
        lines.append("")
        lines.extend(result["errors"])
    return "\n".join(lines)
