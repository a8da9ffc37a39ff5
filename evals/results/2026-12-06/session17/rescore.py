"""Re-score recorded eval reports against the gold as it is now (model-free): usage
rescore.py GOLD REPORT.json [REPORT.json ...]. Prints, per report and pipeline, the README metrics.
Used after the evidence audit of this session: the records of session 16's report block are
scored again on the audited gold, for every pipeline in them, so the systems compare on one gold.
The records keep only the first 160 characters of each retrieved passage, so hit@k and "both sides
read" are re-judged only where the gold names evidence by document (RGB); for the quote-based sets
the reports' own values stand (they were scored on the audited gold when the block ran)."""
import json
import sys

from evals.goldset import load_gold
from evals.metrics import score, summarise

gold = {i.id: i for i in load_gold(sys.argv[1], None)}
by_doc = not any(e.quote.strip() for item in gold.values() for e in item.evidence)
KEYS = ("correct", "accuracy", "refusal_recall", "citation_precision", "spurious_conflict_rate",
        *(("hit@1", "mrr@10") if by_doc else ()))
for path in sys.argv[2:]:
    report = json.load(open(path))
    for pipeline, records in report["records"].items():
        out = []
        for r in records:
            chunks = [(c["doc_id"], c["text"]) for c in r["retrieved"]]
            s = score(gold[r["id"]], status=r["status"], answer=r["answer"], chunks=chunks, sentences=r.get("sentences") or [],
                      citations=r.get("citations") or [])
            out.append({**r, **s})
        m = summarise(out)
        print(path.split("/")[-1], pipeline, {k: round(m[k], 3) for k in KEYS if isinstance(m.get(k), float)})
