"""Model-free: RGB questions whose top retrieved passage is not gold; what ranks first and where gold is."""
import sys, json
from qa import Dateline
from qa.answer.constraints import extract
from qa.answer.kinds import evident_in
from evals.goldset import load_gold
from evals.metrics import first_hit_rank
app = Dateline()
items = load_gold(sys.argv[1], None, half=sys.argv[2])
hits1 = 0
for it in items:
    got = app.retrieve(it.question, k=10)
    chunks = [(str(h.node.metadata.get("doc_id")), h.node.get_content()) for h in got]
    rank = first_hit_rank(it, chunks)
    hits1 += rank == 1
    if rank != 1 and "-q" not in sys.argv:
        pins = extract(it.question)
        print("=====", it.id, it.question, "| gold rank", rank, "| pins", pins)
        for i, h in enumerate(got[:max(2, rank or 3)]):
            meta = h.node.metadata
            sc = pins.score(f"{h.node.get_content()}\n{meta.get('title','')}", str(meta.get('date','')))
            print(f"  {i+1}. {'GOLD' if i+1==rank else '    '} pins={sc:.2f} kind={evident_in(it.question, h.node.get_content())} date={meta.get('date')} | {h.node.get_content()[:150]!r}")
print("hit@1", hits1, "/", len(items))
