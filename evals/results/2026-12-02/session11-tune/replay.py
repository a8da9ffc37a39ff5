"""Replay recorded model replies through this tree's answer path (model-free): usage
replay.py GOLD HALF RECORDS.json  (QA_DATA_DIR: a store holding the set's corpus).
Valid while the prompts are unchanged (the model's reply depends only on its prompt)."""
import json, sys
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
from prompts import evidence_for
from qa import Dateline
from qa.answer.compose import compose
from evals.goldset import load_gold
from evals.metrics import score, summarise

app = Dateline()
items = {i.id: i for i in load_gold(sys.argv[1], None, half=sys.argv[2])}
recs = json.load(open(sys.argv[3]))["records"]["dateline"]
out, changed = [], 0
for r in recs:
    item = items[r["id"]]
    if "first_token_ms" not in r["timings"]:  # refused before the model: unchanged by compose rules
        out.append(r); continue
    ev, asked, compare = evidence_for(app, item.question)
    a = compose(ev, r["raw_output"], min_relevance=app.settings.min_relevance, compare=compare).to_dict()
    chunks = [(c["doc_id"], c["text"]) for c in r["retrieved"]]
    s = score(item, status=a["status"], answer=a["answer"], chunks=chunks, sentences=a["sentences"], citations=a["citations"])
    new = {**r, **s, "status": a["status"], "answer": a["answer"], "rank": r["rank"], "both_sides_read": r["both_sides_read"]}
    if new["answer"] != r["answer"]:
        changed += 1
        print(f"  {r['id']}: {r.get('correct')} {r['answer'][:90]!r}\n     -> {new.get('correct')} {new['answer'][:90]!r}")
    out.append(new)
m = summarise(out)
keys = ("correct", "accuracy", "refusal_recall", "refusal_precision", "false_refusal_rate", "citation_precision",
        "conflict_rate", "conflict_rate_both_sides_read", "spurious_conflict_rate")
print("changed", changed, {k: (round(m[k], 3) if isinstance(m.get(k), float) else m.get(k)) for k in keys if k in m})
