"""Model-free: is the gold answer (or an alias) in the evidence lines the model reads? usage: GOLD HALF"""
import sys, re, unicodedata
sys.path.insert(0, 'evals/results/2026-12-02/session11-tune')
from prompts import evidence_for
from qa import Dateline
from qa.answer.evidence import messages
from evals.goldset import load_gold
def norm(s): 
    s=unicodedata.normalize('NFKD',s).lower()
    return " ".join(re.findall(r"[a-z0-9]+", s))
app=Dateline(); llm=app.llm._llm
hits=0; n=0; toks=[]; miss=[]
for it in load_gold(sys.argv[1], None, half=sys.argv[2]):
    if it.unanswerable: continue
    ev, asked, cmp = evidence_for(app, it.question)
    text=norm(" ".join(l.text for l in ev.lines))
    ok=any(norm(a) and norm(a) in text for a in [it.answer,*it.aliases])
    n+=1; hits+=ok
    if not ok: miss.append(it.id)
    toks.append(len(llm.tokenize(messages(ev, asked, per_article=cmp)[-1]['content'].encode(), add_bos=False)))
toks.sort()
print(f"answer in evidence {hits}/{n}; prompt median {toks[len(toks)//2]} p90 {toks[int(len(toks)*.9)]} max {toks[-1]}; missing {' '.join(miss)}")
