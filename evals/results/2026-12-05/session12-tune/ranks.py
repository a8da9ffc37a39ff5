"""Model-free: hit@1 / hit@3 / MRR@10 of app.retrieve on one half of a gold set, and each question's
first gold rank (to diff two retrieval rules). usage: ranks.py GOLD HALF [OUT.json]
(QA_DATA_DIR: a store holding the set's corpus; PYTHONPATH: the repository)."""
import json
import sys
import time

from evals.goldset import load_gold
from evals.metrics import first_hit_rank
from qa import Dateline

app = Dateline()
ranks, took = {}, []
for it in load_gold(sys.argv[1], None, half=sys.argv[2]):
    if not it.evidence:
        continue
    t = time.perf_counter()
    got = app.retrieve(it.question, k=10)
    took.append(time.perf_counter() - t)
    ranks[it.id] = first_hit_rank(it, [(str(h.node.metadata.get("doc_id")), h.node.get_content()) for h in got])
n = len(ranks)
took.sort()
print(f"{sys.argv[1]} {sys.argv[2]}: n={n} hit@1={sum(r == 1 for r in ranks.values()) / n:.2f} "
      f"hit@3={sum(bool(r) and r <= 3 for r in ranks.values()) / n:.2f} "
      f"mrr@10={sum(1 / r for r in ranks.values() if r) / n:.3f} p95={1000 * took[int(0.95 * (n - 1))]:.0f} ms")
if len(sys.argv) > 3:
    json.dump(ranks, open(sys.argv[3], "w"), indent=0)
