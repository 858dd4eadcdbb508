"""How well progress is read from later readouts, against labelled pairs (corpus/progress).

A pair file names an earlier and a later readout text (paths relative to the file) and the
labelled matches: an earlier commitment's quote, the later readout's words that report on it,
and the outcome (done, progress, reaffirmed). Meeting dates come from `texts.json` beside the
texts, or from the labelled JSON beside a shared-corpus text.

Every later readout is matched against the commitments of its labelled earlier readout(s): the
figure the targets are set on. The same is measured against *every* text of the set that met
before it with the same parties ("every earlier readout"): there a proposal against an earlier
commitment that the labels do not pair with it counts as wrong even when the same undertaking
was made at several meetings, so that figure is a lower bound. Each comes in two measurements:
with the earlier readouts' commitments as extraction finds them ("extracted"), and with the
labelled quotes put in place of what extraction found there ("labelled").
A proposal is right when its earlier commitment and its later sentence overlap a labelled match
and the outcome is the labelled one; precision = right / proposed, recall = right / labelled.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.deadlines import DeadlineSettings
from tracker.extraction import extract
from tracker.extraction.language import detect_language
from tracker.extraction.types import ExtractedReadout
from tracker.meetings import traits
from tracker.progress import (
    DONE_THRESHOLD,
    THRESHOLD,
    Earlier,
    ProgressMatch,
    body_start,
    match_progress,
    sentences,
)

Span = tuple[int, int]


@dataclass
class Text:
    path: Path
    text: str
    meeting_date: dt.date
    publisher: str | None
    extracted: ExtractedReadout
    parties: frozenset[str]


@dataclass(frozen=True)
class Labelled:
    earlier: Path
    later: Path
    earlier_span: Span
    later_spans: tuple[Span, ...]  # any of these words of the later readout report on it
    outcome: str

    @property
    def later_span(self) -> Span:
        return self.later_spans[0]


@dataclass
class Result:
    proposed: int = 0
    right: int = 0
    right_any_outcome: int = 0
    labelled: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "proposed": self.proposed,
            "right": self.right,
            "right_any_outcome": self.right_any_outcome,
            "labelled": self.labelled,
            "precision": round(self.right / self.proposed, 3) if self.proposed else 1.0,
            "recall": round(self.right / self.labelled, 3) if self.labelled else 1.0,
        }


def _meta(path: Path) -> tuple[dt.date, str | None]:
    listing = path.parent.parent / "texts.json"
    if path.parent.name == "texts" and listing.exists():
        entry = json.loads(listing.read_text(encoding="utf-8"))[path.stem]
        return dt.date.fromisoformat(entry["meeting_date"]), entry.get("publisher")
    labels = path.with_name(path.name.replace(".en.txt", ".txt")).with_suffix(".json")
    data = json.loads(labels.read_text(encoding="utf-8"))
    return dt.date.fromisoformat(data["meeting_date"]), data.get("publisher")


def _load_text(path: Path) -> Text:
    text = path.read_text(encoding="utf-8")
    meeting, publisher = _meta(path)
    language = detect_language(text)
    extracted = extract(text, meeting, DeadlineSettings(), publisher=publisher, language=language)
    found = traits(text, extracted.title or "", language, publisher)
    parties = found.parties | {p for c in extracted.commitments for p in c.parties}
    return Text(path, text, meeting, publisher, extracted, frozenset(parties))


def _span(text: str, quote: str, where: Path) -> Span:
    at = text.find(quote)
    if at < 0:
        raise ValueError(f"{where.name}: {quote[:60]!r} is not in the text")
    return at, at + len(quote)


def load(directory: Path) -> tuple[dict[Path, Text], list[Labelled]]:
    """The texts of every pair in `directory` (each read once) and the labelled matches."""
    texts: dict[Path, Text] = {}
    labelled: list[Labelled] = []
    for pair in sorted(directory.glob("*.json")):
        data = json.loads(pair.read_text(encoding="utf-8"))
        if "earlier" not in data:
            continue
        earlier = (pair.parent / data["earlier"]).resolve()
        later = (pair.parent / data["later"]).resolve()
        for path in (earlier, later):
            if path not in texts:
                texts[path] = _load_text(path)
        for m in data["matches"]:
            labelled.append(
                Labelled(
                    earlier,
                    later,
                    _span(texts[earlier].text, m["earlier"], pair),
                    tuple(
                        _span(texts[later].text, words, pair)
                        for words in ([m["later"]] if isinstance(m["later"], str) else m["later"])
                    ),
                    m["class"],
                )
            )
    return texts, labelled


def _shares_parties(commitment_parties: frozenset[str], meeting: frozenset[str]) -> bool:
    if not commitment_parties:
        return False
    return len(commitment_parties & meeting) >= min(2, len(commitment_parties))


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(directory: Path, *, threshold: float | None = None) -> dict[str, Any]:
    """Precision and recall of progress proposals over the set, both measurements."""
    import tracker.progress as progress

    saved = (progress.THRESHOLD, progress.DONE_THRESHOLD)
    if threshold is not None:
        progress.THRESHOLD = threshold
    try:
        texts, labelled = load(directory)
        results = {
            f"{mode}{'' if per_pair else ', every earlier readout'}": _evaluate(
                texts, labelled, mode, per_pair
            )
            for per_pair in (True, False)
            for mode in ("labelled", "extracted")
        }
    finally:
        progress.THRESHOLD, progress.DONE_THRESHOLD = saved
    later_texts = {lab.later for lab in labelled}
    return {
        "pairs": len({(lab.earlier, lab.later) for lab in labelled}),
        "texts": len(texts),
        "later_readouts": len(later_texts),
        "threshold": threshold if threshold is not None else THRESHOLD,
        "done_threshold": DONE_THRESHOLD,
        "by_mode": {mode: r.to_dict() for mode, r in results.items()},
        "errors": [e for r in results.values() for e in r.errors],
    }


WIDTH = 400


def _evaluate(texts: dict[Path, Text], labelled: list[Labelled], mode: str, per_pair: bool) -> Result:
    result = Result(labelled=len(labelled))
    gold_by_earlier: dict[Path, list[Span]] = {}
    for lab in labelled:
        gold_by_earlier.setdefault(lab.earlier, []).append(lab.earlier_span)
    # Every commitment of every text, as (text, span, parties, language).
    pool: list[tuple[Text, Span, frozenset[str]]] = []
    for t in texts.values():
        found = [((c.start, c.end), frozenset(c.parties)) for c in t.extracted.commitments]
        if mode == "labelled":
            gold = sorted(set(gold_by_earlier.get(t.path, [])))
            found = [(s, p) for s, p in found if not any(_overlaps(s, g) for g in gold)]
            found += [(g, t.parties) for g in gold]
        pool.extend((t, span, parties) for span, parties in found)
    matched: set[int] = set()
    for later in sorted({lab.later for lab in labelled}):
        lt = texts[later]
        language = lt.extracted.language
        earlier: list[Earlier] = []
        where: dict[int, tuple[Text, Span]] = {}
        partners = {lab.earlier for lab in labelled if lab.later == later}
        for t, span, parties in pool:
            if t.meeting_date >= lt.meeting_date or t.extracted.language != language:
                continue
            if per_pair and t.path not in partners:
                continue
            # The earlier meeting was with the same counterpart (the tracker selects likewise).
            if not _shares_parties(t.parties, lt.parties):
                continue
            ref = len(where)
            where[ref] = (t, span)
            point = next((p for p in t.extracted.points if p.start <= span[0] < p.end), None)
            context = t.text[point.start : point.end] if point else ""
            earlier.append(Earlier(ref, t.text[span[0] : span[1]], parties, language, context))
        statements = sentences(lt.text, [(0, body_start(lt.text), len(lt.text))])
        proposals: list[ProgressMatch] = match_progress(
            earlier,
            statements,
            language=language,
            meeting_parties=lt.parties,
            title=lt.extracted.title or lt.text[: body_start(lt.text)],
        )
        result.proposed += len(proposals)
        for p in proposals:
            t, span = where[p.earlier.ref]
            sentence = (p.statement.start, p.statement.end)
            hit = next(
                (
                    k
                    for k, lab in enumerate(labelled)
                    if k not in matched
                    and lab.later == later
                    and lab.earlier == t.path
                    and _overlaps(lab.earlier_span, span)
                    and any(_overlaps(words, sentence) for words in lab.later_spans)
                ),
                None,
            )
            label = f"{later.stem} <- {t.path.stem} [{mode}{'' if per_pair else ' pool'}]"
            if hit is None:
                result.errors.append(
                    f"{label} wrong: {p.outcome.value} {p.score:.2f} {p.earlier.quote[:WIDTH]!r} ~ "
                    f"{p.statement.text[:WIDTH]!r}"
                )
                continue
            matched.add(hit)
            result.right_any_outcome += 1
            if labelled[hit].outcome == p.outcome.value:
                result.right += 1
            else:
                result.errors.append(
                    f"{label} outcome: {p.outcome.value} ({p.cue!r}) for labelled {labelled[hit].outcome}: "
                    f"{p.statement.text[:WIDTH]!r}"
                )
    for k, lab in enumerate(labelled):
        if k not in matched and lab.later in texts:
            lt, et = texts[lab.later], texts[lab.earlier]
            result.errors.append(
                f"{lab.later.stem} <- {lab.earlier.stem} [{mode}{'' if per_pair else ' pool'}] missed: "
                f"{et.text[lab.earlier_span[0] : lab.earlier_span[1]][:50]!r} ~ "
                f"{lt.text[lab.later_span[0] : lab.later_span[1]][:50]!r}"
            )
    return result


def format_table(result: dict[str, Any]) -> str:
    """The figures as a short table, then every wrong, misclassified or missed proposal."""
    lines = [
        f"{result['pairs']} labelled pairs, {result['texts']} readouts, "
        f"{result['later_readouts']} later readouts; "
        f"threshold {result['threshold']} (done {result['done_threshold']})",
        f"{'earlier commitments':<22} {'P':>6} {'R':>6}",
    ]
    for mode, r in result["by_mode"].items():
        lines.append(
            f"{mode:<22} {r['precision']:>6.3f} {r['recall']:>6.3f}  ({r['right']} right of {r['proposed']} "
            f"proposed, {r['labelled']} labelled; {r['right_any_outcome']} right ignoring the outcome)"
        )
    if result["errors"]:
        lines.append("")
        lines.extend(result["errors"])
    return "\n".join(lines)
