"""Re-score a report's records with this tree's metrics (the independent citation metric)."""
import json, sys
from evals.goldset import load_gold
from evals.metrics import score, summarise
rep = json.load(open(sys.argv[1])); gold = {i.id: i for i in load_gold(sys.argv[2], None)}
out = []
for r in rep["records"]["dateline"]:
    item = gold[r["id"]]
    chunks = [(c["doc_id"], c["text"]) for c in r["retrieved"]]
    s = score(item, status=r["status"], answer=r["answer"], chunks=chunks, sentences=r["sentences"], citations=r["citations"])
    out.append({**r, **s, "timings": r["timings"], "error": r.get("error", "")})
m = summarise(out)
print({k: m[k] for k in ("accuracy", "citation_precision", "refusal_recall", "false_refusal_rate") if k in m})
