import json, time, sys
import llama_cpp
from qa import Dateline
from qa.answer.evidence import select, messages, grammar
from qa.answer.constraints import extract
app = Dateline(data_dir="/tmp/st-seed")
app.warm_up()
L = app.llm._llm
mode = sys.argv[1]
ids = set(json.load(open("evals/gold/splits.json"))["sets"]["seed"]["tune"])
qs = [json.loads(l)["question"] for l in open("evals/gold/seed.jsonl") if json.loads(l)["id"] in ids][:12]
rows = []
for q in qs:
    passages = app.retrieve(q)
    ev = select(q, extract(q), passages, max_lines=5, max_chars=700)
    msgs = messages(ev)
    llama_cpp.llama_perf_context_reset(L._ctx.ctx)
    before = list(L._input_ids)
    t2 = time.perf_counter(); first = None; out = ""; n = 0
    for piece in app.llm.stream(msgs, 48, grammar=grammar(ev) if mode == "g" else None):
        if first is None: first = time.perf_counter()
        out += piece; n += 1
    t3 = time.perf_counter()
    p = llama_cpp.llama_perf_context(L._ctx.ctx)
    idsnow = list(L._input_ids); common = 0
    for a, b in zip(before, idsnow):
        if a != b: break
        common += 1
    rows.append((1000*(first-t2), 1000*(t3-t2), p.t_p_eval_ms, p.n_p_eval, p.t_eval_ms, p.n_eval))
    print(f"first {1000*(first-t2):.0f}ms all {1000*(t3-t2):.0f}ms | prompt {len(idsnow)} new {len(idsnow)-common} | p_eval {p.t_p_eval_ms:.0f}ms/{p.n_p_eval} eval {p.t_eval_ms:.0f}ms/{p.n_eval} | {out!r}", flush=True)
import statistics as st
print("median first", st.median(r[0] for r in rows), "p_eval", st.median(r[2] for r in rows), "all", st.median(r[1] for r in rows), "eval", st.median(r[4] for r in rows), "n_eval", st.median(r[5] for r in rows))
