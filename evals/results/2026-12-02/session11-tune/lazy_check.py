"""Same replies with the stock grammar sampler and the greedy-first one, and per-token time."""
import time, sys
from llama_cpp import Llama, LlamaGrammar
from qa.models.llm import _greedy_grammar_llama
P="/tmp/rgbstore/models/cc324af070c2ecbf.gguf"
kw=dict(model_path=P, n_ctx=2048, n_threads=2, n_batch=512, flash_attn=True, verbose=False)
cases=[("Write the numbers from one to twelve in words.", 'root ::= [^\\n\\[]{1,200}'),
       ("Sentences:\n[S1] The lease is worth 1.2 billion euros.\n[S2] Maersk signed it on Thursday.\n\nQuestion: Who signed the lease?", 'root ::= answer " [S" ("1" | "2") "]" | "NOT FOUND"\nanswer ::= [^\\n\\[]{1,60}\n'),
       ("Say hello [S1] then stop.", 'root ::= answer " [S" ("1" | "2") "]" | "NOT FOUND"\nanswer ::= [^\\n\\[]{1,60}\n'),
       ("Reply NOT FOUND.", 'root ::= answer " [S" ("1" | "2") "]" | "NOT FOUND"\nanswer ::= [^\\n\\[]{1,60}\n')]
out={}
for name, cls in (("stock", Llama), ("greedy", _greedy_grammar_llama())):
    L=cls(**kw); res=[]
    for q,g in cases*2:
        msgs=[{"role":"user","content":q}]
        t=time.perf_counter(); r=L.create_chat_completion(messages=msgs, max_tokens=60, temperature=0.0, top_k=1, grammar=LlamaGrammar.from_string(g, verbose=False))
        res.append((r["choices"][0]["message"]["content"], r["usage"]["completion_tokens"], time.perf_counter()-t))
    out[name]=res; del L
for a,b in zip(out["stock"], out["greedy"]):
    print(a[0]==b[0], repr(a[0][:50]), repr(b[0][:50]), a[1], f"{a[2]:.2f}s {b[2]:.2f}s")
