"""Checks for the BBC probe sets in evals/probes/.

Set 1 (bbc-probes.jsonl) is the tuning probe set; set 2 (bbc-probes-2.jsonl) is the held-out
probe set, written after rules were fitted on set 1 and never tuned on.

Run from the repository root:
    python evals/probes/check_probes.py            # both sets, plus the checks between them
    python evals/probes/check_probes.py 1          # set 1 only   (or: bbc-probes.jsonl)
    python evals/probes/check_probes.py 2          # set 2 only   (or: bbc-probes-2.jsonl)
Reads only the probe files, the gold set and the BBC CSVs; runs no model. Exits 1 on any failure.
"""
from __future__ import annotations

import collections
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from evals.goldset import load_gold  # noqa: E402
from evals.probes.checking import KEYS, check, finish  # noqa: E402
from evals.metrics import holds  # noqa: E402

HERE = Path(__file__).resolve().parent
# name -> (probe file, unanswerable-checks file, id prefix)
SETS = {
    "1": (HERE / "bbc-probes.jsonl", HERE / "bbc-probes-unanswerable-checks.json", "probe-bbc"),
    "2": (HERE / "bbc-probes-2.jsonl", HERE / "bbc-probes-2-unanswerable-checks.json", "probe2-bbc"),
}
GOLD = ROOT / "evals" / "gold" / "bbc.jsonl"
DATA = ROOT / "evals" / "data" / "bbc-news"

def shingles(text: str) -> set[str]:
    w = re.findall(r"\w+", text.lower())
    return {" ".join(w[i:i + 8]) for i in range(max(1, len(w) - 7))}


# --- data ------------------------------------------------------------------------------------
docs: dict[str, str] = {}
cat: dict[str, str] = {}
for name in ("train", "val", "test"):
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            docs[f"{name}.csv#{i}"] = row["text"]
            cat[f"{name}.csv#{i}"] = row["category"]
check(len(docs) == 2225, f"expected 2,225 BBC articles, found {len(docs)}")

sh = {d: shingles(t) for d, t in docs.items()}
index: dict[str, set[str]] = collections.defaultdict(set)
for d, s in sh.items():
    for x in s:
        index[x].add(d)


def near_dups(d: str) -> set[str]:
    shared = collections.Counter(e for x in sh[d] for e in index[x] if e != d)
    return {e for e, n in shared.items() if n / min(len(sh[d]), len(sh[e])) > 0.3}


gold_raw = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
gold_docs = {e["doc"] for g in gold_raw for e in g["evidence"]}
gold_ids = {g["id"] for g in gold_raw}
gold_questions = {g["question"].strip().lower() for g in gold_raw}


def check_set(probes: Path, checks_path: Path, prefix: str) -> dict:
    """Check one probe set; return its ids, questions and articles for the checks between sets."""
    tag = probes.name
    # --- format ------------------------------------------------------------------------------
    lines = [line for line in probes.read_text(encoding="utf-8").splitlines() if line.strip()]
    raw = [json.loads(line) for line in lines]
    items = load_gold(probes)  # the project's own loader must accept the file
    check(len(items) == len(raw), f"{tag}: loader and raw line counts differ")
    for line, r in zip(lines, raw):
        check(list(r) == KEYS, f"{r.get('id')}: keys {list(r)} != {KEYS}")
        check(line == json.dumps(r, ensure_ascii=False), f"{r['id']}: line not written as json.dumps(ensure_ascii=False)")
        check(r["conflict"] is False, f"{r['id']}: conflict must be false")
        check(r["id"] not in gold_ids, f"{r['id']}: id collides with the gold set")
        check(r["question"].strip().lower() not in gold_questions, f"{r['id']}: question copied from the gold set")
    ids = [r["id"] for r in raw]
    check(len(ids) == len(set(ids)), f"{tag}: duplicate ids")

    unans = [r for r in raw if r["unanswerable"]]
    singles = [r for r in raw if not r["unanswerable"]]
    check([r["id"] for r in unans] == [f"{prefix}-u{i:02d}" for i in range(1, 41)],
          f"{tag}: unanswerable ids are not {prefix}-u01..u40")
    check([r["id"] for r in singles] == [f"{prefix}-a{i:02d}" for i in range(1, 21)],
          f"{tag}: single ids are not {prefix}-a01..a20")
    for r in unans:
        check(r["type"] == "unanswerable" and r["answer"] == "" and r["aliases"] == [] and r["evidence"] == [],
              f"{r['id']}: unanswerable fields wrong")
    for r in singles:
        check(r["type"] == "single" and r["answer"] and len(r["evidence"]) == 1, f"{r['id']}: single fields wrong")

    # --- unanswerable items: every article naming the entity was read by hand -----------------
    checks = json.loads(checks_path.read_text(encoding="utf-8"))
    check(sorted(checks) == sorted(r["id"] for r in unans), f"{tag}: checks file does not cover exactly the unanswerable ids")
    articles: dict[str, str] = {}  # item id -> the one article it is about
    read_total = 0
    for r in unans:
        c = checks.get(r["id"], {})
        doc = c.get("doc", "")
        check(doc in docs, f"{r['id']}: unknown doc {doc!r}")
        articles[r["id"]] = doc
        pats = [re.compile(r"(?<!\w)" + re.escape(t), re.I) for t in c.get("terms", [])]
        mentions = sorted(d for d in docs if any(p.search(docs[d]) for p in pats))
        check(doc in mentions, f"{r['id']}: its article does not mention its own entity terms")
        check(mentions == sorted(c.get("read", [])),
              f"{r['id']}: articles mentioning {c.get('terms')} changed from those read: {sorted(set(mentions) ^ set(c.get('read', [])))}")
        read_total += len(mentions)

    # --- single items: quote and answer checks -------------------------------------------------
    for r in singles:
        ev = r["evidence"][0]
        doc, quote = ev["doc"], ev["quote"]
        articles[r["id"]] = doc
        check(doc in docs, f"{r['id']}: unknown doc {doc!r}")
        text = docs.get(doc, "")
        check(quote in text, f"{r['id']}: quote not a substring of {doc}")
        check(quote.isascii(), f"{r['id']}: quote not ASCII")
        check(4 <= len(quote.split()) <= 20, f"{r['id']}: quote has {len(quote.split())} words")
        check("\n" not in quote and "\r" not in quote, f"{r['id']}: quote crosses a line break")
        check(not re.search(r"[.!?]\s+[A-Z\"]", quote), f"{r['id']}: quote spans more than one sentence")
        holders = [d for d, t in docs.items() if quote in t]
        check(holders == [doc], f"{r['id']}: quote found in {holders}, not exactly its own article")
        answers = [r["answer"], *r["aliases"]]
        check(any(holds(text, a) for a in answers), f"{r['id']}: answer/alias not in the evidence article")
        check(any(holds(quote, a) for a in answers) or holds(text, r["answer"]),
              f"{r['id']}: answer not in quote nor article")

    # --- articles: apart from the gold set, one article per question --------------------------
    used = list(articles.values())
    check(len(used) == len(set(used)), f"{tag}: articles reused: {[d for d, n in collections.Counter(used).items() if n > 1]}")
    for qid, doc in articles.items():
        if doc not in docs:
            continue
        check(doc not in gold_docs, f"{qid}: {doc} is a gold evidence article")
        nd = near_dups(doc)
        check(not (nd & gold_docs), f"{qid}: {doc} is a near-duplicate of gold evidence {sorted(nd & gold_docs)}")
        check(not nd, f"{qid}: {doc} has near-duplicates {sorted(nd)}")

    # --- report --------------------------------------------------------------------------------
    table = collections.Counter((cat[articles[r["id"]]], r["type"]) for r in raw if articles.get(r["id"]) in cat)
    cats = sorted({c for c, _ in table})
    print(f"{probes.relative_to(ROOT)}: {len(raw)} questions "
          f"({len(unans)} unanswerable, {len(singles)} single), {len(set(used))} distinct articles")
    print(f"{'category':<14}{'unanswerable':>14}{'single':>8}{'total':>7}")
    for c in cats:
        u, s = table[(c, 'unanswerable')], table[(c, 'single')]
        print(f"{c:<14}{u:>14}{s:>8}{u + s:>7}")
    kinds = collections.Counter(c.get("kind") for c in checks.values() if c.get("kind"))
    if kinds:
        print("unanswerable kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda x: -x[1])))
    print(f"unanswerable: {read_total} article readings recorded ({sum(len(c['read']) > 1 for c in checks.values())} "
          f"items whose entity appears in more than one article)\n")
    return {"ids": set(ids), "questions": {r["question"].strip().lower() for r in raw}, "articles": set(used)}


def pick(args: list[str]) -> list[str]:
    if not args:
        return sorted(SETS)
    chosen = []
    for a in args:
        key = next((k for k, (p, _, _) in SETS.items() if a in (k, p.name, str(p))
                    or Path(a).resolve() == p), None)
        if key is None:
            sys.exit(f"unknown probe set {a!r}; use one of {sorted(SETS)} or a file name")
        chosen.append(key)
    return chosen


chosen = pick(sys.argv[1:])
seen = {k: check_set(*SETS[k]) for k in chosen}

# --- between the sets: the held-out set shares nothing with the tuning set ----------------------
if len(seen) > 1:
    keys = sorted(seen)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            sa, sb = seen[a], seen[b]
            check(not (sa["ids"] & sb["ids"]), f"sets {a} and {b} share ids {sorted(sa['ids'] & sb['ids'])}")
            check(not (sa["articles"] & sb["articles"]),
                  f"sets {a} and {b} share articles {sorted(sa['articles'] & sb['articles'])}")
            check(not (sa["questions"] & sb["questions"]), f"sets {a} and {b} share questions")
            close = sorted((x, y) for x in sa["articles"] if x in docs for y in near_dups(x) & sb["articles"])
            check(not close, f"sets {a} and {b} have near-duplicate articles {close}")
            print(f"sets {a} and {b}: no shared ids, articles or questions, no near-duplicate articles between them"
                  if not (sa["ids"] & sb["ids"] or sa["articles"] & sb["articles"] or close) else
                  f"sets {a} and {b}: overlap found")

finish()
