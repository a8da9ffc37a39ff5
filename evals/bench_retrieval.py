"""Retrieval benchmark: embedders and chunk sizes compared on gold sets (no LLM involved).

    python -m evals.bench_retrieval --embedders wordllama,minilm --chunk-sizes 64,96,160 \
        --set seed --set evals/gold/bbc.jsonl=evals/data/bbc-news --halves tune,report

A set is one of the project's gold sets by name (seed, bbc, rgb, rgb-conflict: evals.goldset.CORPORA
says which articles each is over) or GOLD=CORPUS. For every (embedder, chunk size) it builds a
fresh store per corpus through the public API, times the ingest, and scores hit@1/3/5/10 and
MRR@10 of the fused retrieval on the answerable questions of each requested half of the recorded
split (evals/gold/splits.json). A hit is a chunk holding a gold quote, or, for evidence given
without quotes (rgb), any chunk of a gold document; for rgb-conflict that includes the
counterfactual passages. Results go to stdout as a Markdown table and to --out as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from evals.goldset import CORPORA, GOLD_DIR, load_gold
from evals.metrics import first_hit_rank


def score_retrieval(app, gold_path: str, half: str = "all") -> dict:
    items = [i for i in load_gold(gold_path, half=half) if not i.unanswerable and i.evidence]
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


def resolve_set(spec: str) -> tuple[str, str]:
    """A project set's name, or GOLD=CORPUS, to (gold path, corpus path)."""
    if "=" in spec:
        gold, corpus = spec.split("=", 1)
        return gold, corpus
    if spec not in CORPORA:
        raise SystemExit(f"bench_retrieval: unknown set {spec!r}: use GOLD=CORPUS or one of {', '.join(CORPORA)}")
    return str(GOLD_DIR / f"{spec}.jsonl"), str(CORPORA[spec])


def run(embedders: list[str], chunk_sizes: list[int], sets: list[tuple[str, str]],
        halves: list[str] = ("all",)) -> list[dict]:
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
                    store = {"articles": len(report.added), "chunks": app.store.count(),
                             "ingest_s": round(seconds, 1), "articles_per_s": round(len(report.added) / seconds, 1)}
                    for half in halves:  # one store, scored per half
                        row = {"embedder": embedder, "chunk_size": size, "gold": Path(gold).name, "half": half,
                               **store, **score_retrieval(app, gold, half)}
                        rows.append(row)
                        print(json.dumps(row), flush=True)
    return rows


def markdown(rows: list[dict]) -> str:
    keys = ["embedder", "chunk_size", "gold", "half", "questions", "chunks", "hit@1", "hit@3", "hit@5", "hit@10", "mrr@10",
            "articles_per_s", "retrieval_p95_ms"]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedders", default="wordllama")
    parser.add_argument("--chunk-sizes", default="96")
    parser.add_argument("--set", action="append", required=True,
                        help=f"a project set ({', '.join(CORPORA)}) or GOLD=CORPUS")
    parser.add_argument("--halves", default="all", help="comma-separated: all, tune, report")
    parser.add_argument("--out", default="evals/results/retrieval.json")
    args = parser.parse_args()
    sets = [resolve_set(s) for s in args.set]
    rows = run(args.embedders.split(","), [int(x) for x in args.chunk_sizes.split(",")], sets, args.halves.split(","))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"date": date.today().isoformat(), "commit": commit(), "machine": {
        "cpus": os.cpu_count(), "platform": platform.platform()}, "rows": rows}, indent=2))
    print(markdown(rows))


def commit() -> str:
    """The checked-out commit (with "+dirty" for local changes): retrieval code changes often."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=Path(__file__).parent).stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    return head + ("+dirty" if head and git("status", "--porcelain", "--untracked-files=no") else "") or "unknown"


if __name__ == "__main__":
    main()
