import json, sys, os, statistics as st
from qa import Dateline
import qa.answer.evidence as E
from qa.answer.evidence import select, messages
from qa.answer.constraints import extract
store, gold, half = sys.argv[1], sys.argv[2], sys.argv[3]
app = Dateline(data_dir=store)
L = app.llm._llm
ids = set(json.load(open("evals/gold/splits.json"))["sets"][half]["tune"])
rows = [json.loads(l) for l in open(gold)]
rows = [r for r in rows if r["id"] in ids and not r.get("unanswerable")]
hits = [(r, app.retrieve(r["question"])) for r in rows]
n = lambda s: len(L.tokenize(s.encode(), add_bos=False))
for rule in [0, 2, 3, 4]:
    E.STOP_COVERED = rule
    toks, found, lines = [], 0, []
    for r, passages in hits:
        ev = select(r["question"], extract(r["question"]), passages, max_lines=5, max_chars=700)
        text = " ".join(l.text for l in ev.lines).lower()
        found += any(a.lower() in text for a in [r["answer"], *r.get("aliases", [])] if a)
        toks.append(n(messages(ev)[-1]["content"])); lines.append(len(ev.lines))
    toks.sort()
    print(half, "rule", rule, "answer-in-evidence", found, "/", len(rows), "tokens p50", toks[len(toks)//2], "p90", toks[int(len(toks)*0.9)], "max", toks[-1], "lines mean", round(st.mean(lines),2), flush=True)
