"""Cost of a one-sentence answer against the short answer: same evidence, same model, reply tokens and time."""
import json, time, statistics
from qa import Dateline
from qa.answer.evidence import select, messages, grammar, SYSTEM
from qa.answer.constraints import extract
app = Dateline(data_dir="/tmp/tune-store-seed")
app.warm_up()
L = app.llm._llm
ids = set(json.load(open("evals/gold/splits.json"))["sets"]["seed"]["tune"])
items = [json.loads(l) for l in open("evals/gold/seed.jsonl")]
qs = [i["question"] for i in items if i["id"] in ids and not i.get("unanswerable") and not i.get("conflict")][:10]
SENT = SYSTEM.replace("Reply with the short answer (a few words), then the number of the sentence that states it, e.g.\nApril 26 [S2]",
                      "Reply with one short sentence that answers the question, then the number of the sentence that states it, e.g.\nThe lease is worth 1.2 billion euros [S2]")
assert SENT != SYSTEM
rows = []
for mode in ("short", "sentence"):
    for q in qs:
        ev = select(q, extract(q), app.retrieve(q), max_lines=5, max_chars=700)
        msgs = messages(ev)
        if mode == "sentence":
            msgs[0] = {"role": "system", "content": SENT}
            whole = {"1.2 billion euros [S2]": "The lease is worth 1.2 billion euros [S2]",
                     "Maersk, on Thursday [S1]": "Maersk signed the lease on Thursday [S1]"}
            msgs = [dict(m, content=whole.get(m["content"], m["content"])) if m["role"] == "assistant" else m for m in msgs]
            assert sum(m["content"] in whole.values() for m in msgs) == 2
        t0 = time.perf_counter(); first = None; out = ""
        for piece in app.llm.stream(msgs, 64 if mode == "sentence" else 48, grammar=grammar(ev) if mode == "short" else None):
            if first is None: first = time.perf_counter()
            out += piece
        t1 = time.perf_counter()
        n = len(L.tokenize(out.encode(), add_bos=False))
        rows.append((mode, n, t1 - first, t1 - t0, out))
        print(mode, n, f"{t1-first:.2f}s after first, {t1-t0:.2f}s total", repr(out[:100]))
for mode in ("short", "sentence"):
    r = [x for x in rows if x[0] == mode]
    print(mode, "reply tokens median", statistics.median(x[1] for x in r), "writing s median", round(statistics.median(x[2] for x in r), 2), "total s median", round(statistics.median(x[3] for x in r), 2))
