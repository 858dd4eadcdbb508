"""`tracker eval`: the dev corpus must stay above the targets; synthetic readouts stay perfect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from tracker.extraction.evaluation import KEYS, evaluate, format_table, match_commitments
from tracker.extraction.types import ExtractedCommitment

from .conftest import SYNTHETIC

CORPUS_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"

# Issue 15's targets on the dev set; `tracker eval ../shared/corpus/dev --json` must meet them.
TARGETS = {
    "segmentation_accuracy": 1.0,
    "kind_accuracy": 0.95,
    "commitment_f1": 0.95,
    "parties_accuracy": 0.95,
    "deadline_type_accuracy": 0.95,
    "due_date_accuracy": 0.90,
    # Every gold commitment is extracted or at least flagged.
    "missed_but_flagged": 1.0,
}
# Flags cost an officer's attention: at most one for every four points.
MAX_FLAGS_PER_POINT = 0.25


@pytest.mark.skipif(not CORPUS_DEV.is_dir(), reason=f"the shared corpus is not checked out at {CORPUS_DEV}")
def test_dev_corpus_meets_the_targets() -> None:
    result = CliRunner().invoke(main, ["eval", str(CORPUS_DEV), "--json"])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert tuple(figures) == KEYS
    assert figures["readouts"] >= 26
    below = {k: (figures[k], target) for k, target in TARGETS.items() if figures[k] < target}
    assert not below, f"below target (got, target): {below}"
    assert figures["flags_per_point"] <= MAX_FLAGS_PER_POINT


# The second English dev set (corpus/dev-extra: 26 readouts of 17 publishers, labelled apart from
# the code) at the figures its rules reached; written from one half and checked on the other, then
# the other way round (see the en2 commits).
CORPUS_DEV_EXTRA = Path(__file__).resolve().parents[2] / "corpus" / "dev-extra"
DEV_EXTRA_FIGURES = {
    "segmentation_accuracy": 1.0,
    "kind_accuracy": 1.0,
    "commitment_precision": 1.0,
    "commitment_recall": 1.0,
    "parties_accuracy": 1.0,
    "deadline_type_accuracy": 1.0,
    "due_date_accuracy": 1.0,
    "missed_but_flagged": 1.0,
}


@pytest.mark.skipif(not CORPUS_DEV_EXTRA.is_dir(), reason=f"no second dev set at {CORPUS_DEV_EXTRA}")
def test_second_dev_set_keeps_its_figures() -> None:
    result = CliRunner().invoke(main, ["eval", str(CORPUS_DEV_EXTRA), "--json"])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["readouts"] >= 26
    below = {k: (figures[k], floor) for k, floor in DEV_EXTRA_FIGURES.items() if figures[k] < floor}
    assert not below, f"below the figures reached (got, reached): {below}"
    assert figures["flags_per_point"] <= MAX_FLAGS_PER_POINT


# The third English dev set (corpus/dev-3: 27 readouts of 22 publishers) at the figures the
# branch `extract` reached with rules written from it (first measured untouched: segmentation 0.926,
# kind 0.745, F1 0.700, parties 0.80, type 0.714, due 0.714, missed_but_flagged 0.364). Its deadline
# figures stay low: the deadline grammar (tracker/deadlines.py) was outside that branch's area.
CORPUS_DEV_3 = Path(__file__).resolve().parents[2] / "corpus" / "dev-3"
DEV_3_FIGURES = {
    "segmentation_accuracy": 1.0,
    "kind_accuracy": 0.94,
    "commitment_precision": 0.96,
    "commitment_recall": 0.91,
    "commitment_f1": 0.93,
    "parties_accuracy": 0.88,
    "deadline_type_accuracy": 0.75,
    "due_date_accuracy": 0.75,
    "missed_but_flagged": 1.0,
}


@pytest.mark.skipif(not CORPUS_DEV_3.is_dir(), reason=f"no third dev set at {CORPUS_DEV_3}")
def test_third_dev_set_keeps_its_figures() -> None:
    result = CliRunner().invoke(main, ["eval", str(CORPUS_DEV_3), "--json"])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["readouts"] >= 27
    below = {k: (figures[k], floor) for k, floor in DEV_3_FIGURES.items() if figures[k] < floor}
    assert not below, f"below the figures reached (got, reached): {below}"
    assert figures["flags_per_point"] <= MAX_FLAGS_PER_POINT


def test_synthetic_readouts_are_extracted_exactly() -> None:
    """Each synthetic readout (tests/extraction/synthetic, made for these tests) pins down rules."""
    result = evaluate(SYNTHETIC)
    assert result["readouts"] == len(list(SYNTHETIC.glob("synthetic-*.txt")))
    assert result["language"] == "en"
    accuracy = KEYS[1 : KEYS.index("due_date_accuracy") + 1]
    assert {k: result[k] for k in accuracy} == dict.fromkeys(accuracy, 1.0)
    assert result["missed_but_flagged"] == 1.0


def test_json_output_has_exactly_the_keys() -> None:
    result = CliRunner().invoke(main, ["eval", str(SYNTHETIC), "--json"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert list(printed) == list(KEYS)


def test_table_lists_each_readout() -> None:
    result = evaluate(SYNTHETIC)
    table = format_table(result)  # as `tracker eval DIR` calls it
    assert "synthetic-01-mofa-sections" in table and "overall" in table
    assert json.loads(json.dumps(result)) == dict(result)
    assert list(json.loads(json.dumps(result))) == list(KEYS)


def test_matching_is_one_to_one_on_half_the_gold_words() -> None:
    gold = [
        {"quote": "they will continue conducting current measures"},
        {"quote": "they will share information"},
    ]
    predicted = [
        ExtractedCommitment(
            "They shared the view that they will continue conducting measures", 0, 1, "", ["Japan"]
        )
    ]
    assert match_commitments(predicted, gold) == [(0, 0)]
    assert match_commitments([], gold) == []


def _disputed_copy(tmp_path: Path) -> Path:
    """synthetic-02 with two labels changed: a commitment the rules do not find, and a kind."""
    name = "synthetic-02-uk-prose"
    (tmp_path / f"{name}.txt").write_text((SYNTHETIC / f"{name}.txt").read_text(encoding="utf-8"))
    gold = json.loads((SYNTHETIC / f"{name}.json").read_text(encoding="utf-8"))
    gold["points"][2] = {
        "n": 3,
        "kind": "commitment",
        "commitments": [
            {
                "quote": "The Foreign Secretary thanked Dr Jaishankar for India's support",
                "parties": ["United Kingdom"],
                "action": "thank",
                "deadline": {"type": "none", "text": None, "event": None, "relation": None, "due": None},
            }
        ],
    }
    (tmp_path / f"{name}.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_details_name_each_miss_and_wrong_kind_with_its_words(tmp_path: Path) -> None:
    directory = _disputed_copy(tmp_path)
    result = CliRunner().invoke(main, ["eval", str(directory), "--details"])
    assert result.exit_code == 0
    details = result.stdout.split("synthetic-02-uk-prose:", 1)[1]
    assert "missed       point 3" in details
    assert "kind         point 3: got protocol" in details and "gold commitment" in details
    assert "thanked Dr Jaishankar for India's support" in details
    assert "extra" not in details  # the other commitments still match


def test_json_details_keep_the_keys_first(tmp_path: Path) -> None:
    directory = _disputed_copy(tmp_path)
    result = CliRunner().invoke(main, ["eval", str(directory), "--json", "--details"])
    printed = json.loads(result.stdout)
    assert list(printed)[: len(KEYS)] == list(KEYS)
    issues = printed["details"]["synthetic-02-uk-prose"]
    assert {(i["what"], i["point"]) for i in issues} == {("missed", 3), ("kind", 3)}
    assert printed["commitment_recall"] == 2 / 3


def test_a_missed_commitment_that_was_flagged_counts_as_flagged(tmp_path: Path) -> None:
    """A sentence the labels call an undertaking and the rules do not ("it was important that ..."):
    missed, but flagged, so not lost."""
    text = (
        "Japan-Canada Foreign Ministers' Meeting\n\n"
        "On March 3, Foreign Minister Taro Kono held a meeting with the Honourable Chrystia Freeland, "
        "Minister of Foreign Affairs of Canada. The overview is as follows.\n"
        "1. Minister Kono stated that it was important that Japan and Canada continue to work together "
        "toward the success of the G7 Summit.\n"
        "2. Minister Freeland explained Canada's position on trade.\n"
    )
    quote = "Japan and Canada continue to work together toward the success of the G7 Summit"
    gold = {
        "id": "flagged",
        "publisher": "SYNTHETIC",
        "meeting_date": "2018-03-03",
        "events": {"G7 Summit": "2018-06-08"},
        "points": [
            {
                "n": 1,
                "kind": "commitment",
                "commitments": [
                    {
                        "quote": quote,
                        "parties": ["Japan", "Canada"],
                        "action": "work together",
                        "deadline": {
                            "type": "event",
                            "text": "toward the success of the G7 Summit",
                            "event": "G7 Summit",
                            "relation": "before",
                            "due": "2018-06-08",
                        },
                    }
                ],
            },
            {"n": 2, "kind": "exchange", "commitments": []},
        ],
    }
    (tmp_path / "flagged.txt").write_text(text, encoding="utf-8")
    (tmp_path / "flagged.json").write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate(tmp_path)
    assert result["commitment_recall"] == 0.0
    assert result["missed_but_flagged"] == 1.0
    assert result["flags_per_point"] == 0.5
    details = CliRunner().invoke(main, ["eval", str(tmp_path), "--details"]).stdout
    assert "missed       point 1: got flagged; gold [Japan, Canada]" in details
