import time, sys, os
from llama_cpp import Llama
path = sys.argv[1] if len(sys.argv) > 1 else "/root/dlmodels/cc324af070c2ecbf.gguf"  # the joined packaged GGUF
text = open("corpus/" + sorted(os.listdir("corpus"))[0]).read()*3
L = Llama(model_path=path, n_ctx=2048, n_threads=2, n_batch=512, flash_attn=True, verbose=False)
toks = L.tokenize(text.encode())
L.eval(toks[:60])
for n in (1, 10, 50, 100, 200, 400, 800):
    ts = []
    for rep in range(3):
        L.reset(); 
        t = time.perf_counter(); L.eval(toks[:n]); ts.append(time.perf_counter() - t)
    print(n, f"{min(ts):.2f}s", f"{n/min(ts):.1f} tok/s", flush=True)
