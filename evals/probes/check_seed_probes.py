"""Checks for the seed tuning probe set (evals/probes/seed-probes.jsonl).

Run from the repository root:  python evals/probes/check_seed_probes.py
Reads only the probe file, the gold sets and the two corpus articles; runs no model. Exits 1 on any failure.
"""
from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from evals.goldset import load_gold  # noqa: E402
from evals.probes.checking import KEYS, check, finish  # noqa: E402
from evals.metrics import conflict_sides, holds  # noqa: E402

PROBES = Path(__file__).resolve().parent / "seed-probes.jsonl"
DOCS = {d: (ROOT / "corpus" / f"{d}.txt").read_text(encoding="utf-8")
        for d in ("000_c2d1f9452d830162", "003_d38dc76a4702d5f4")}
WANT = {"multi": 16, "conflict": 6, "single": 10, "unanswerable": 8}

gold_ids: set[str] = set()
gold_questions: set[str] = set()
for f in (ROOT / "evals" / "gold").glob("*.jsonl"):
    for line in f.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            gold_ids.add(g["id"])
            gold_questions.add(g["question"].strip().lower())

lines = [line for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]
raw = [json.loads(line) for line in lines]
items = {i.id: i for i in load_gold(PROBES)}  # the project's own loader must accept the file
check(len(items) == len(raw), "loader and raw line counts differ")
check([r["id"] for r in raw] == [f"probe-seed-{n:03d}" for n in range(1, len(raw) + 1)], "ids are not probe-seed-001..")
check(collections.Counter(r["type"] for r in raw) == collections.Counter(WANT), "type counts differ from the brief")

for line, r in zip(lines, raw):
    i = r["id"]
    check(list(r) == KEYS, f"{i}: keys {list(r)}")
    check(line == json.dumps(r, ensure_ascii=False), f"{i}: line not written as json.dumps(ensure_ascii=False)")
    check(i not in gold_ids and r["question"].strip().lower() not in gold_questions, f"{i}: clashes with a gold item")
    check(r["unanswerable"] == (r["type"] == "unanswerable"), f"{i}: unanswerable flag")
    check(r["conflict"] == (r["type"] == "conflict"), f"{i}: conflict flag")
    if r["type"] == "unanswerable":
        check(r["answer"] == "" and r["aliases"] == [] and r["evidence"] == [], f"{i}: unanswerable fields")
        continue
    answers = [r["answer"], *r["aliases"]]
    for e in r["evidence"]:
        quote, text = e["quote"], DOCS.get(e["doc"], "")
        check(text.count(quote) == 1, f"{i}: quote not a (unique) substring of {e['doc']}: {quote!r}")
        check(4 <= len(quote.split()) <= 20, f"{i}: quote has {len(quote.split())} words")
        check("\n" not in quote and "date 2025" not in quote, f"{i}: quote crosses a line or holds the date token")
        check(not re.search(r"[.!?][\"'”’]?\s+[A-Z\"“‘]", quote), f"{i}: quote spans more than one sentence")
    docs = {e["doc"] for e in r["evidence"]}
    if r["type"] == "multi":
        # agreeing items: the answer or an alias is in each article's quote
        check(docs == set(DOCS), f"{i}: multi item needs a quote from each article")
        for d in docs:
            quotes = [e["quote"] for e in r["evidence"] if e["doc"] == d]
            check(any(holds(q, a) for q in quotes for a in answers), f"{i}: no answer/alias in the {d} quote")
    elif r["type"] == "conflict":
        check(docs == set(DOCS), f"{i}: conflict item needs evidence from each article")
        sides = conflict_sides(items[i])
        check(bool(sides), f"{i}: answer is not 'X vs Y'")
        for side in sides or []:
            check(any(holds(e["quote"], a) for e in r["evidence"] for a in side), f"{i}: side {side[0]!r} in no quote")
    else:
        check(len(r["evidence"]) == 1, f"{i}: single item needs one quote")
        check(any(holds(e["quote"], a) for e in r["evidence"] for a in answers), f"{i}: answer/alias not in the quote")

print(f"{PROBES.relative_to(ROOT)}: {len(raw)} questions {dict(collections.Counter(r['type'] for r in raw))}")
finish()
