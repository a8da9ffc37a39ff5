import time
from llama_cpp import Llama, LlamaGrammar
L = Llama(model_path="/tmp/rgbstore/models/cc324af070c2ecbf.gguf", n_ctx=2048, n_threads=2, n_batch=512, flash_attn=True, verbose=False)
msgs=[{"role":"user","content":"Write the numbers from one to forty in words, separated by spaces."}]
g = LlamaGrammar.from_string('root ::= [^\\n\\[]{1,400}', verbose=False)
for name, gr in (("none", None), ("grammar", g), ("none", None), ("grammar", g)):
    L.create_chat_completion(messages=msgs, max_tokens=1, temperature=0.0, top_k=1)  # prefix cached
    t=time.perf_counter(); first=None; n=0
    for part in L.create_chat_completion(messages=msgs, max_tokens=40, temperature=0.0, top_k=1, stream=True, grammar=gr):
        if part["choices"][0]["delta"].get("content"):
            n+=1
            if first is None: first=time.perf_counter()
    end=time.perf_counter()
    print(name, n, f"per token after first: {(end-first)/(n-1)*1000:.1f} ms")
