"""Retrieval benchmark: embedders and chunk sizes compared on gold sets (no LLM involved).

    python -m evals.bench_retrieval --embedders wordllama,minilm --chunk-sizes 64,96,160 \
        --set evals/gold/seed.jsonl=corpus --set evals/gold/bbc.jsonl=evals/data/bbc-news

For every (embedder, chunk size) it builds a fresh store per corpus through the public API,
times the ingest, and scores hit@1/3/5/10 and MRR@10 of the fused retrieval on the answerable
questions. Results go to stdout as a Markdown table and to --out as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

from evals.goldset import load_gold
from evals.metrics import first_hit_rank


def score_retrieval(app, gold_path: str) -> dict:
    items = [i for i in load_gold(gold_path) if not i.unanswerable and i.evidence]
    ranks, latencies = [], []
    for item in items:
        t0 = time.perf_counter()
        hits = app.retrieve(item.question, k=10)
        latencies.append((time.perf_counter() - t0) * 1000)
        ranks.append(first_hit_rank(item, [(h.node.metadata.get("doc_id", ""), h.node.get_content()) for h in hits]))
    n = len(items)
    result = {f"hit@{k}": round(sum(1 for r in ranks if r and r <= k) / n, 3) for k in (1, 3, 5, 10)}
    result["mrr@10"] = round(sum(1 / r for r in ranks if r) / n, 3)
    result["questions"] = n
    latencies.sort()
    result["retrieval_p50_ms"] = round(latencies[n // 2], 1)
    result["retrieval_p95_ms"] = round(latencies[min(n - 1, int(n * 0.95))], 1)
    return result


def run(embedders: list[str], chunk_sizes: list[int], sets: list[tuple[str, str]]) -> list[dict]:
    from qa import Dateline, load_settings

    rows = []
    for embedder in embedders:
        for size in chunk_sizes:
            for gold, corpus in sets:
                with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
                    app = Dateline(load_settings(data_dir=tmp, embedder=embedder, chunk_size=size))
                    app.embedder  # load the model before timing the ingest
                    t0 = time.perf_counter()
                    report = app.ingest([corpus])
                    seconds = time.perf_counter() - t0
                    row = {"embedder": embedder, "chunk_size": size, "gold": Path(gold).name,
                           "articles": len(report.added), "chunks": app.store.count(),
                           "ingest_s": round(seconds, 1),
                           "articles_per_s": round(len(report.added) / seconds, 1),
                           **score_retrieval(app, gold)}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    return rows


def markdown(rows: list[dict]) -> str:
    keys = ["embedder", "chunk_size", "gold", "chunks", "hit@1", "hit@3", "hit@5", "hit@10", "mrr@10",
            "articles_per_s", "retrieval_p95_ms"]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedders", default="wordllama")
    parser.add_argument("--chunk-sizes", default="96")
    parser.add_argument("--set", action="append", required=True, help="GOLD=CORPUS")
    parser.add_argument("--out", default="evals/results/retrieval.json")
    args = parser.parse_args()
    sets = [tuple(s.split("=", 1)) for s in args.set]
    rows = run(args.embedders.split(","), [int(x) for x in args.chunk_sizes.split(",")], sets)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"date": date.today().isoformat(), "machine": {
        "cpus": os.cpu_count(), "platform": platform.platform()}, "rows": rows}, indent=2))
    print(markdown(rows))


if __name__ == "__main__":
    main()
