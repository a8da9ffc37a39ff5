"""How fast this machine reads a prompt with the packaged model: tokens per second for prompts of
1–800 tokens (best of 3), as the report block records before and after its runs, so that its
latencies can be read against the machine they ran on. usage: python -m evals.prompt_speed [GGUF]"""
from __future__ import annotations

import sys
import time
from pathlib import Path

SIZES = (1, 10, 50, 100, 200, 400, 800)


def main() -> None:
    from llama_cpp import Llama

    from qa.config import Settings
    from qa.models.packaged import packaged_gguf

    path = sys.argv[1] if len(sys.argv) > 1 else str(packaged_gguf(Settings())[0])  # as the app loads it
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    text = next(p for p in sorted(corpus.iterdir()) if p.is_file()).read_text() * 3
    llm = Llama(model_path=path, n_ctx=2048, n_threads=2, n_batch=512, flash_attn=True, verbose=False)
    tokens = llm.tokenize(text.encode())
    llm.eval(tokens[:60])  # warm up
    for n in SIZES:
        took = []
        for _ in range(3):
            llm.reset()
            start = time.perf_counter()
            llm.eval(tokens[:n])
            took.append(time.perf_counter() - start)
        print(n, f"{min(took):.2f}s", f"{n / min(took):.1f} tok/s", flush=True)


if __name__ == "__main__":
    main()
