"""How well each supporting sentence (another article stating the checked answer) addresses the
question, against the cited sentence itself (model-free): usage
supporters.py GOLD HALF RECORDS.json  (QA_DATA_DIR: a store holding the set's corpus)."""
import json, sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../2026-12-02/session11-tune"))
from prompts import evidence_for
from qa import Dateline
from qa.answer import rivals, compose as compose_mod
from qa.answer.text import relevance, content_terms
from evals.goldset import load_gold

app = Dateline()
items = {i.id: i for i in load_gold(sys.argv[1], None, half=sys.argv[2])}
recs = json.load(open(sys.argv[3]))["records"]["dateline"]
real = rivals.read_others
current = {}

def spy(evidence, answer, min_relevance, answered=frozenset()):
    reading = real(evidence, answer, min_relevance, answered)
    def rel(v):
        text = evidence.passages[v.passage].node.get_content()
        spans = rivals._sentences(text)
        s = next((s for s in spans if s[0] <= v.start < s[1]), None)
        return (round(relevance(evidence.question, s[3]), 2), round(relevance(evidence.question, s[2]), 2), sorted(content_terms(evidence.question) - content_terms(s[3])), s[2][:160]) if s else None
    gold = {e.doc for e in current["item"].evidence}
    for v in reading.supporters:
        print(f"  {current['item'].id} {evidence.question}\n    cited {rel(answer)} {evidence.doc_of(answer.passage) in gold}"
              f"\n    supporter {rel(v)} {evidence.doc_of(v.passage) in gold}")
    return reading

compose_mod.read_others = spy
for r in recs:
    if "first_token_ms" not in r["timings"]:
        continue
    current["item"] = items[r["id"]]
    ev, asked, compare = evidence_for(app, current["item"].question)
    compose_mod.compose(ev, r["raw_output"], min_relevance=app.settings.min_relevance, compare=compare)
