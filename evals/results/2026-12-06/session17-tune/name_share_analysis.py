import json, sys
from qa.answer.constraints import names
from qa.answer.text import content_terms
from qa.answer.kinds import kind_of
def share(q, s):
    asked = {t for t in content_terms(q) - set(names(q)) if not any(ch.isdigit() for ch in t)}
    return (len(asked & content_terms(s)) / len(asked)) if asked else 1.0, len(asked)
rows=[]
for f in sys.argv[1:]:
    d=json.load(open(f))
    for r in d['records']['dateline']:
        if r['status']!='answered' or not r['citations'] or r['type'] in ('multi','conflict'): continue
        k=kind_of(r['question'])
        if k in ('amount','count'): continue
        sh,n=max(share(r['question'], c['quote']) for c in r['citations'][:1])
        rows.append((round(sh,2), r['correct'], k, r['id'], r['question'][:80], r['answer'][:50], r['citations'][0]['quote'][:100]))
rows.sort()
for x in rows: print(x[:4], '|', x[4], '|', x[5], '|', x[6]) if x[0] < 0.45 else None
import collections
for th in (0.2, 0.25, 1/3, 0.4):
    lost=[x for x in rows if x[0]<=th]
    print(f"th {th:.2f}: refused right {sum(x[1] for x in lost)}, refused wrong {sum(not x[1] for x in lost)} of {len(rows)} answered ({sum(x[1] for x in rows)} right)")
