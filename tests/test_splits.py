"""The tune/report split: recorded once, every question in exactly one half, each half with its
share of every question type, and `load_gold(half=...)` selecting exactly that half."""
from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from evals.goldset import CORPORA, GOLD_DIR, SPLITS_FILE, GoldError, load_gold, parse_item
from evals.splits import SHARED, assign, build, check, problems

RECORDED = json.loads((GOLD_DIR / SPLITS_FILE).read_text(encoding="utf-8"))["sets"]
SETS = sorted(p.stem for p in GOLD_DIR.glob("*.jsonl"))


def test_every_gold_set_has_a_recorded_split_without_problems():
    assert set(RECORDED) == set(SETS) == set(CORPORA)
    assert check(GOLD_DIR) == []


@pytest.mark.parametrize("name", SETS)
def test_halves_partition_the_set_balanced_by_type(name):
    items = load_gold(GOLD_DIR / f"{name}.jsonl")
    tune, report = RECORDED[name]["tune"], RECORDED[name]["report"]
    ids = [item.id for item in items]
    assert sorted(tune + report) == sorted(ids), "every id in exactly one half"
    assert not set(tune) & set(report)
    assert abs(len(tune) - len(report)) <= 1
    for kind, n in Counter(item.type for item in items).items():
        in_tune = sum(1 for item in items if item.type == kind and item.id in set(tune))
        assert abs(in_tune - (n - in_tune)) <= 1, f"{name}: type {kind}: tune {in_tune} of {n}"


def test_recorded_split_is_what_the_rule_gives():
    """splits.json is up to date: re-running the rule over it changes nothing, and from scratch
    it gives the same halves (no id was moved by hand)."""
    assert build(GOLD_DIR, RECORDED) == RECORDED
    assert build(GOLD_DIR, {}) == RECORDED


def test_shared_sets_take_the_same_split():
    for name, source in SHARED.items():
        assert RECORDED[name] == RECORDED[source]


def _items(types: str, start: int = 0) -> list:
    return [parse_item({"id": f"q{i:03d}", "question": f"question {i}?", "answer": "x", "type": t}, i)
            for i, t in enumerate(types.split(), start=start)]


def test_rule_ignores_file_order_and_keeps_recorded_ids_when_a_set_grows():
    items = _items("single " * 9 + "date " * 3 + "unanswerable " * 5)
    split = assign(items)
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    assert {h: set(ids) for h, ids in assign(shuffled).items()} == {h: set(ids) for h, ids in split.items()}
    assert problems(items, split) == []

    grown = items + _items("date " * 3 + "single " * 11 + "multi", start=len(items))
    extended = assign(grown, split)
    for half in ("tune", "report"):
        assert set(split[half]) <= set(extended[half]), "a recorded id moved"
    assert problems(grown, extended) == []


def test_problems_name_unplaced_doubled_unknown_and_unbalanced_ids():
    items = _items("single single single single")
    found = problems(items, {"tune": ["q000", "q001", "q002", "zzz"], "report": ["q002"]})
    assert any("both halves: ['q002']" in p for p in found)
    assert any("no half: ['q003']" in p for p in found)
    assert any("not in the gold file: ['zzz']" in p for p in found)
    assert any("'single' unbalanced: tune 3, report 1" in p for p in found)


def test_load_gold_selects_a_half(tmp_path):
    seed = GOLD_DIR / "seed.jsonl"
    tune, report = load_gold(seed, half="tune"), load_gold(seed, half="report")
    assert [i.id for i in report] == RECORDED["seed"]["report"]
    assert [i.id for i in tune] == RECORDED["seed"]["tune"]
    assert [i.id for i in load_gold(seed, limit=3, half="report")] == RECORDED["seed"]["report"][:3]
    with pytest.raises(GoldError, match="unknown half"):
        load_gold(seed, half="train")

    gold = tmp_path / "mine.jsonl"
    gold.write_text('{"id": "a", "question": "A?"}\n{"id": "b", "question": "B?"}\n', encoding="utf-8")
    assert len(load_gold(gold)) == 2  # a set without a split still loads whole
    with pytest.raises(GoldError, match="no split recorded for mine.jsonl"):
        load_gold(gold, half="report")
    (tmp_path / SPLITS_FILE).write_text(json.dumps({"sets": {"mine": {"tune": ["a"], "report": []}}}))
    with pytest.raises(GoldError, match=r"1 question\(s\) of .* in no half of the split \(b\)"):
        load_gold(gold, half="tune")  # a question added after the split is never silently dropped
