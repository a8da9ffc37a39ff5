"""Speed and memory benchmark (not a test): ingest, no-op re-ingest, retrieval, answers.

    python -m evals.bench [--corpus evals/data/bbc-news] [--answers 20] [--out evals/results/bench.json]

1. full ingest of --corpus into a fresh store: seconds, articles/s, peak RSS of this process;
2. the same ingest again (nothing changed): seconds;
3. retrieval latency p50/p95 over the questions of --retrieval-gold on that store;
4. answer latency p50/p95 (first token, whole answer) over the first --answers questions of
   --answer-gold on a store of --answer-corpus, with the configured (default: packaged) model.
Targets on the 2-core reference machine: BBC ingest <= 90 s, no-op <= 3 s, retrieval p95 <= 100 ms,
answer p95 <= 8 s.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from evals.goldset import load_gold


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 1)


def bench_ingest(app, corpus: str) -> dict:
    t0 = time.perf_counter()
    first = app.ingest([corpus])
    full = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = app.ingest([corpus])
    noop = time.perf_counter() - t0
    assert not again.changed, "a re-ingest of unchanged articles changed the store"
    return {"articles": first.read, "added": len(first.added), "skipped": len(first.skipped),
            "failed": len(first.failed), "chunks": app.store.count(), "ingest_s": round(full, 1),
            "articles_per_s": round(first.read / full, 1), "peak_rss_mb": round(_peak_rss_mb()),
            "noop_reingest_s": round(noop, 2)}


def bench_retrieval(app, gold: str) -> dict:
    questions = [item.question for item in load_gold(gold)]
    app.retrieve(questions[0])  # warm caches (BM25 load, first Chroma query)
    times = []
    for q in questions:
        t0 = time.perf_counter()
        app.retrieve(q)
        times.append((time.perf_counter() - t0) * 1000)
    return {"retrieval_questions": len(times), "retrieval_p50_ms": _pct(times, 0.5),
            "retrieval_p95_ms": _pct(times, 0.95)}


def bench_answers(app, gold: str, n: int) -> dict:
    items = load_gold(gold, limit=n)
    app.ask(items[0].question)  # the first answer loads the model; measured separately below
    totals, firsts, refused_fast = [], [], 0
    for item in items:
        answer = app.ask(item.question)
        totals.append(answer.timings["total_ms"] / 1000)
        if "first_token_ms" in answer.timings:
            firsts.append(answer.timings["first_token_ms"] / 1000)
        else:
            refused_fast += 1
    return {"answer_questions": len(totals), "answer_p50_s": _pct(totals, 0.5), "answer_p95_s": _pct(totals, 0.95),
            "first_token_p50_s": _pct(firsts, 0.5) if firsts else None,
            "first_token_p95_s": _pct(firsts, 0.95) if firsts else None,
            "refused_before_model": refused_fast, "model": app.llm_description()}


def main() -> None:
    from qa import Dateline, load_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="evals/data/bbc-news")
    parser.add_argument("--retrieval-gold", default="evals/gold/bbc.jsonl")
    parser.add_argument("--answer-gold", default="evals/gold/seed.jsonl")
    parser.add_argument("--answer-corpus", default="corpus")
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--out", default="evals/results/bench.json")
    args = parser.parse_args()

    result = {"date": date.today().isoformat(),
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}}
    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
        app = Dateline(load_settings(data_dir=tmp))
        result["embedder"] = app.embedder.model_name
        result.update(bench_ingest(app, args.corpus))
        result.update(bench_retrieval(app, args.retrieval_gold))
        print(json.dumps(result, indent=2), flush=True)
    if args.answers:
        with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
            app = Dateline(load_settings(data_dir=tmp, models_cache=os.environ.get("QA_MODELS_CACHE") or None))
            app.ingest([args.answer_corpus])
            result.update(bench_answers(app, args.answer_gold, args.answers))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
