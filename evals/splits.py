"""Tune on one half, report on the other: the fixed split of every gold set into two halves.

A rule or threshold chosen by reading a gold set's failures is fitted to that set, so its score
on that set says little about new questions. Each set is therefore split once into a *tune* half
(read its failures, fit rules to it) and a *report* half (README numbers, CI floors), recorded in
evals/gold/splits.json, which `load_gold(path, half=...)` reads.

The rule, deterministic and independent of line order: within each question type, ids taken in
order of sha256(id) go one at a time to the half holding fewer of that type; a tie goes to the
half with fewer questions overall, then to "tune". Each half so holds its share of every type
(±1) and of the whole set (±1). Ids already recorded keep their half, so adding questions to a
set never moves one from tune to report. rgb-conflict is rgb's questions over another corpus,
so it takes rgb's split.

    python -m evals.splits            # check splits.json against the gold files; exit 1 on a problem
    python -m evals.splits --write    # place ids not yet recorded (recorded ones stay) and write it
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from evals.goldset import GOLD_DIR, SPLITS_FILE, GoldItem, load_gold

SHARED = {"rgb-conflict": "rgb"}  # set -> the set whose split it takes (same question ids)
HALF_NAMES = ("tune", "report")
ABOUT = ("Fixed tune/report halves of each gold set (made by evals/splits.py, rule in its docstring "
         "and in evals/gold/README.md): tune on the tune half, quote numbers and set CI floors on the "
         "report half. Check with `python -m evals.splits`; never move an id between halves.")


def assign(items: list[GoldItem], recorded: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """{"tune": ids, "report": ids} in file order: recorded ids keep their half, new ones are placed."""
    ids = {item.id for item in items}
    half_of = {i: h for h in HALF_NAMES for i in (recorded or {}).get(h, []) if i in ids}
    per_type = {h: Counter() for h in HALF_NAMES}
    for item in items:
        if item.id in half_of:
            per_type[half_of[item.id]][item.type] += 1
    for kind in sorted({item.type for item in items}):
        new = sorted((item.id for item in items if item.type == kind and item.id not in half_of), key=_hash)
        for item_id in new:
            half = min(HALF_NAMES, key=lambda h: (per_type[h][kind], sum(per_type[h].values()), HALF_NAMES.index(h)))
            half_of[item_id] = half
            per_type[half][kind] += 1
    return {h: [item.id for item in items if half_of[item.id] == h] for h in HALF_NAMES}


def _hash(item_id: str) -> str:
    return hashlib.sha256(item_id.encode("utf-8")).hexdigest()


def problems(items: list[GoldItem], split: dict[str, list[str]]) -> list[str]:
    """What is wrong with one set's split: ids in no half, in both, unknown, or types unbalanced."""
    found = []
    tune, report = set(split.get("tune", [])), set(split.get("report", []))
    ids = [item.id for item in items]
    if both := sorted(tune & report):
        found.append(f"in both halves: {both}")
    if unplaced := [i for i in ids if i not in tune | report]:
        found.append(f"in no half: {unplaced}")
    if unknown := sorted((tune | report) - set(ids)):
        found.append(f"not in the gold file: {unknown}")
    for kind in sorted({item.type for item in items}):
        counts = [sum(1 for item in items if item.type == kind and item.id in half) for half in (tune, report)]
        if abs(counts[0] - counts[1]) > 1:
            found.append(f"type {kind!r} unbalanced: tune {counts[0]}, report {counts[1]}")
    return found


def build(gold_dir: Path, recorded: dict[str, dict]) -> dict[str, dict]:
    """The split of every gold set in ``gold_dir``, extending ``recorded`` ({set: split})."""
    sets = {path.stem: load_gold(path) for path in sorted(gold_dir.glob("*.jsonl"))}
    table = {name: assign(items, recorded.get(name)) for name, items in sets.items() if name not in SHARED}
    for name, source in SHARED.items():
        if name in sets:
            table[name] = table[source]
    return {name: table[name] for name in sets}


def check(gold_dir: Path) -> list[str]:
    """Every problem of the recorded splits, each naming its set; [] when all is well."""
    path = gold_dir / SPLITS_FILE
    if not path.exists():
        return [f"{path} is missing: run `python -m evals.splits --write`"]
    recorded = json.loads(path.read_text(encoding="utf-8")).get("sets", {})
    found = []
    for gold in sorted(gold_dir.glob("*.jsonl")):
        split = recorded.get(gold.stem)
        if split is None:
            found.append(f"{gold.stem}: no split recorded")
            continue
        found += [f"{gold.stem}: {p}" for p in problems(load_gold(gold), split)]
        source = SHARED.get(gold.stem)
        if source and recorded.get(source) != split:
            found.append(f"{gold.stem}: split differs from {source}'s, whose questions it shares")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold-dir", type=Path, default=GOLD_DIR)
    parser.add_argument("--write", action="store_true", help="place new ids and write splits.json")
    args = parser.parse_args(argv)
    path = args.gold_dir / SPLITS_FILE
    if args.write:
        recorded = json.loads(path.read_text(encoding="utf-8")).get("sets", {}) if path.exists() else {}
        table = build(args.gold_dir, recorded)
        path.write_text(json.dumps({"about": ABOUT, "sets": table}, indent=1) + "\n", encoding="utf-8")
        for name, split in table.items():
            print(f"{name}: tune {len(split['tune'])}, report {len(split['report'])}")
    found = check(args.gold_dir)
    for problem in found:
        print(f"splits: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
