"""Load (issue #6, item 3): concurrent POST /api/ask on a real server while an ingest runs.

    python -m evals.bench_load [--requests 20] [--rows 300] [--out evals/results/bench_load.json]

1. Starts a Chroma server (`chroma run`, the launcher of tests/servers.py) and a real `qa serve`
   whose store is that server (ui/testing.py, the helper the API tests use); the server ingests
   corpus/ at start-up. One warm-up question loads the model (not counted).
2. Then, at the same moment: N threads POST /api/ask — a fixed mix of seed questions whose
   answers have been right in every measured run (the fund deadline, twice as often as the
   others; Trump's envoy; the invasion year; the unanswerable fund value) — and this process
   ingests the first --rows rows of evals/data/bbc-news/test.csv into the same Chroma collection
   through the library (`Dateline.ingest`, a second instance with its own BM25 side index). So the
   served instance retrieves and answers while its store is being written.
   Meanwhile GET /api/sources is polled on the server (a read of the store that takes no lock).
3. Records each request's latency (sent → response), the wall time of all N, the ingest's report
   and time window, and the load average; `problems()` then checks every answer (HTTP 200; the
   right answer with a citation whose quote holds it, or "not found" — unless an unanswerable one is
   answered from a BBC row being ingested, which the seed gold cannot judge: listed in the summary
   instead), the ingest's counts, that
   the polls never failed or went backwards, and that the server lists the new articles.

The server answers one question at a time and the ingest is quick (about 14 s for 300 rows here),
so it usually ends while the first answers are still being written: the queued questions are
then retrieved from a store that grew under the served instance (its BM25 side index is rebuilt
from Chroma), and the polls are what reads the store during the writes.

Why a Chroma server: an embedded store belongs to the one process that opened it (the server),
and the page's upload path ingests under the same lock as answers, so only a store shared over
HTTP lets an ingest write while answers are being retrieved and written.

tests/test_load.py runs `run_load` and asserts `problems(result) == []`; this script writes the
numbers to --out. The packaged model answers one question at a time (requests queue), so N requests
take about N answers' time: latency is recorded, not judged.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import date
from pathlib import Path
from typing import Callable

import httpx

from evals.goldset import GoldItem, load_gold
from evals.metrics import accurate, percentile

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT / "evals" / "data" / "bbc-news" / "test.csv"
SEED = ROOT / "evals" / "gold" / "seed.jsonl"
MIX = ["seed-001", "seed-044", "seed-021", "seed-001", "seed-031"]  # asked in this order, cycled
REQUEST_TIMEOUT = 3600.0  # seconds: a queued question waits for every answer before it


def bbc_subset(target: Path, rows: int) -> Path:
    """The header and the first `rows` rows of the BBC test split, as a CSV of its own."""
    with open(BBC, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        kept = [next(reader)] + [row for _, row in zip(range(rows), reader)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)
    return target


def questions(n: int) -> list[GoldItem]:
    gold = {item.id: item for item in load_gold(SEED)}
    return [gold[MIX[i % len(MIX)]] for i in range(n)]


def machine() -> dict:
    ram_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_kb = int(line.split()[1])
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "ram_gib": round(ram_kb / 1024**2, 1), "platform": platform.platform(),
            "python": platform.python_version()}


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _servers():
    """tests/servers.py: the `chroma run` launcher the Chroma tests use."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests import servers

    return servers


def _ask(base: str, n: int, item: GoldItem, t0: float) -> dict:
    sent = time.perf_counter()
    try:
        response = httpx.post(f"{base}/api/ask", json={"question": item.question}, timeout=REQUEST_TIMEOUT)
        code = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {"error": response.text[:500]}
    except httpx.HTTPError as exc:
        code, body = 0, {"error": f"{type(exc).__name__}: {exc}"}
    done = time.perf_counter()
    citations = body.get("citations") or []
    return {"n": n, "id": item.id, "question": item.question, "status_code": code,
            "status": body.get("status", ""), "answer": body.get("answer", ""),
            "quotes": [c.get("quote", "") for c in citations], "docs": [c.get("doc_id", "") for c in citations],
            "error": body.get("error", ""),
            "latency_s": round(done - sent, 2), "sent_s": round(sent - t0, 2), "done_s": round(done - t0, 2),
            "answer_ms": (body.get("timings") or {}).get("total_ms"), "model": body.get("model", "")}


def run_load(workdir: Path, *, models_cache: Path | str | None = None, requests: int = 20, rows: int = 300,
             log: Callable[[str], None] = print) -> dict:
    """The whole scenario in `workdir` (servers, stores, logs); returns numbers and answers."""
    from qa import Dateline, load_settings
    from ui.testing import running_server

    workdir.mkdir(parents=True, exist_ok=True)
    source = bbc_subset(workdir / f"bbc{rows}.csv", rows)
    items = questions(requests)
    result: dict = {"date": date.today().isoformat(), "machine": machine(), "requests": requests,
                    "bbc_rows": rows, "questions": dict(Counter(item.id for item in items)),
                    "load_avg_before": load_avg()}
    serve_dir = workdir / "serve-data"
    with _servers().chroma_server(workdir / "chroma-server", workdir / "chroma.log") as chroma, \
            running_server(serve_dir, models_cache=Path(models_cache) if models_cache else None,
                           env={"QA_CHROMA_URL": chroma.base}, timeout=900) as base:
        writer = Dateline(load_settings(data_dir=workdir / "ingest-data", chroma_url=chroma.base,
                                        models_cache=models_cache or None))
        result["corpus_chunks"] = writer.store.count()  # opens the store now, so the ingest starts writing at once
        result["corpus_articles"] = len(writer.sources())
        log(f"load: servers up (chroma {chroma.base}, qa serve {base}); warm-up question …")
        warm = _ask(base, 0, items[0], time.perf_counter())
        result["warmup"] = {k: warm[k] for k in ("status_code", "status", "answer", "latency_s")}

        ingest: dict = {}

        def do_ingest() -> None:
            ingest["start"] = time.perf_counter()
            try:
                ingest["report"] = writer.ingest([str(source)])
            except Exception as exc:  # reported by problems(), not raised from the worker
                ingest["error"] = f"{type(exc).__name__}: {exc}"
            ingest["end"] = time.perf_counter()

        polls: list[tuple[float, int, int | None]] = []

        def poll_sources() -> None:
            """The served instance's reads of the store while it is written (no lock, no model)."""
            while "end" not in ingest:
                at = time.perf_counter() - t0
                try:
                    response = httpx.get(f"{base}/api/sources", timeout=120)
                    rows = len(response.json()) if response.status_code == 200 else None
                    polls.append((at, response.status_code, rows))
                except (httpx.HTTPError, ValueError):
                    polls.append((at, 0, None))
                time.sleep(0.5)

        log(f"load: {requests} concurrent questions while {rows} BBC rows are ingested …")
        samples: list[float] = []
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=requests + 2) as pool:
            ingesting = pool.submit(do_ingest)
            polling = pool.submit(poll_sources)
            futures = [pool.submit(_ask, base, n, item, t0) for n, item in enumerate(items, start=1)]
            pending = set(futures) | {ingesting, polling}
            while pending:  # sample the load average every 10 s, report progress every minute
                samples.append(os.getloadavg()[0])
                _, pending = wait(pending, timeout=10)
                if len(samples) % 6 == 0:
                    log(f"load: {sum(f.done() for f in futures)}/{requests} answered after "
                        f"{time.perf_counter() - t0:.0f} s")
            replies = [f.result() for f in futures]
            ingesting.result()
            polling.result()
        wall = time.perf_counter() - t0
        result["load_avg_after"] = load_avg()
        result["server_articles"] = len(httpx.get(f"{base}/api/sources", timeout=120).json())
        result["store_chunks"] = writer.store.count()

    log_text = (serve_dir / "serve.log").read_text(errors="replace") if (serve_dir / "serve.log").exists() else ""
    latencies = [r["latency_s"] for r in replies]
    computed = [r["answer_ms"] / 1000 for r in replies if r["answer_ms"] is not None]
    report = ingest.get("report")
    start, end = ingest.get("start", t0) - t0, ingest.get("end", t0) - t0
    result.update({
        "model": next((r["model"] for r in replies if r["model"]), ""),
        "wall_s": round(wall, 1),
        "latency_s": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
                      "max": round(max(latencies), 1), "min": round(min(latencies), 2)},
        # time the server spent on each answer itself; the rest of a request's latency is the queue
        "answer_compute_s": {"p50": percentile(computed, 50), "max": round(max(computed, default=0), 1)},
        "status_codes": {str(k): v for k, v in sorted(Counter(r["status_code"] for r in replies).items())},
        "statuses": dict(Counter(r["status"] for r in replies)),
        "load_avg_1min_during": {"mean": round(sum(samples) / len(samples), 2), "max": round(max(samples), 2)},
        "ingest": {"error": ingest.get("error", ""), "start_s": round(start, 2), "end_s": round(end, 2),
                   "seconds": round(end - start, 1),
                   **({"read": report.read, "added": len(report.added), "skipped": len(report.skipped),
                       "failed": len(report.failed), "chunks_written": report.chunks_written} if report else {})},
        "answered_during_ingest": sum(start <= r["done_s"] <= end for r in replies),
        # GET /api/sources on the served instance every 0.5 s until the ingest ended
        "sources_during_ingest": {"polls": len(polls), "errors": sum(code != 200 for _, code, _ in polls),
                                  "articles_seen": sorted({n for _, _, n in polls if n is not None}),
                                  "never_decreased": all(a[2] is None or b[2] is None or a[2] <= b[2]
                                                         for a, b in zip(polls, polls[1:]))},
        "pending_at_ingest_end": sum(r["done_s"] > end for r in replies),
        "server_tracebacks": log_text.count("Traceback"),
        "answers": replies,
    })
    return result


def problems(result: dict) -> list[str]:
    """What went wrong, one line each; [] when every answer and the ingest are as expected."""
    gold = {item.id: item for item in load_gold(SEED)}
    found = []
    for r in result["answers"]:
        item, where = gold[r["id"]], f"request {r['n']} ({r['id']}: {r['question']!r})"
        if r["status_code"] != 200:
            found.append(f"{where}: HTTP {r['status_code']} {r['error']}")
        elif item.unanswerable:
            if r["status"] != "not_found" and not _from_new_rows(r):
                found.append(f"{where}: expected not_found, got {r['status']}: {r['answer']!r}")
        elif r["status"] != "answered" or not accurate(item, r["answer"], False):
            found.append(f"{where}: expected {item.answer!r}, got {r['status']}: {r['answer']!r}")
        elif not any(accurate(item, quote, False) for quote in r["quotes"]):
            found.append(f"{where}: no citation quotes {item.answer!r}: {r['quotes']}")
    ingest = result["ingest"]
    if ingest["error"] or "read" not in ingest:
        found.append(f"ingest failed: {ingest['error'] or 'did not finish'}")
    else:
        if ingest["read"] != result["bbc_rows"] or ingest["failed"] or \
                ingest["added"] + ingest["skipped"] != ingest["read"] or not ingest["added"]:
            found.append(f"ingest counts do not reconcile: {ingest}")
        if result["server_articles"] != result["corpus_articles"] + ingest["added"]:
            found.append(f"the server lists {result['server_articles']} articles, expected "
                         f"{result['corpus_articles']} + {ingest['added']}")
        if result["store_chunks"] != result["corpus_chunks"] + ingest["chunks_written"]:
            found.append(f"store holds {result['store_chunks']} chunks, expected "
                         f"{result['corpus_chunks']} + {ingest['chunks_written']}")
        if not result["pending_at_ingest_end"]:
            found.append("every answer was done before the ingest ended: nothing ran while it wrote")
        reads = result["sources_during_ingest"]
        if not reads["polls"] or reads["errors"] or not reads["never_decreased"]:
            found.append(f"the served instance's reads during the ingest went wrong: {reads}")
    if result["server_tracebacks"]:
        found.append(f"{result['server_tracebacks']} traceback(s) in the server log")
    return found


def seed_docs() -> set[str]:
    """Doc ids of the bundled articles (the seed set's corpus): their file names without extension."""
    return {path.stem for path in (ROOT / "corpus").iterdir() if path.is_file()}


def _from_new_rows(answer: dict) -> bool:
    """An answer citing only BBC rows being ingested: the seed gold, which says only that the seed
    articles do not state an unanswerable question's answer, cannot judge it."""
    docs = set(answer.get("docs") or [])
    return answer["status"] != "not_found" and bool(docs) and not docs & seed_docs()


def answered_from_new_rows(result: dict) -> list[str]:
    """Unanswerable seed questions answered from a BBC row being ingested (listed, not judged)."""
    gold = {item.id: item for item in load_gold(SEED)}
    return [f"{r['id']}: {r['answer']!r}" for r in result["answers"] if gold[r["id"]].unanswerable and _from_new_rows(r)]


def summary(result: dict) -> str:
    lat, ing = result["latency_s"], result["ingest"]
    load = result["load_avg_1min_during"]
    return (f"load: {result['requests']} concurrent /api/ask, HTTP {result['status_codes']}, {result['statuses']}; "
            f"latency p50 {lat['p50']} s, p95 {lat['p95']} s, max {lat['max']} s; wall {result['wall_s']} s; "
            f"answer itself p50 {result['answer_compute_s']['p50']} s; unanswerable seed questions answered from "
            f"the BBC rows: {answered_from_new_rows(result) or 'none'}\n"
            f"load: ingest of {result['bbc_rows']} BBC rows alongside: read {ing.get('read')}, added {ing.get('added')}, "
            f"skipped {ing.get('skipped')}, failed {ing.get('failed')}, {ing.get('chunks_written')} chunks in "
            f"{ing['seconds']} s (t={ing['start_s']}–{ing['end_s']} s; {result['answered_during_ingest']} answers "
            f"done during it, {result['pending_at_ingest_end']} still queued at its end; /api/sources polled "
            f"{result['sources_during_ingest']['polls']}× meanwhile, {result['sources_during_ingest']['errors']} "
            f"errors, article counts seen {result['sources_during_ingest']['articles_seen']}); "
            f"load average (1 min) during the run: mean {load['mean']}, max {load['max']} "
            f"({result['machine']['nproc']} CPUs; before: {result['load_avg_before']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rows", type=int, default=300, help="BBC rows ingested during the load")
    parser.add_argument("--out", default="evals/results/bench_load.json")
    parser.add_argument("--workdir", help="keep servers' data and logs here (default: a temporary folder)")
    args = parser.parse_args()

    models_cache = os.environ.get("QA_MODELS_CACHE") or None
    with tempfile.TemporaryDirectory(prefix="dateline-load-") as tmp:
        result = run_load(Path(args.workdir or tmp), models_cache=models_cache, requests=args.requests,
                          rows=args.rows, log=lambda m: print(m, flush=True))
    result["problems"] = problems(result)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(summary(result))
    for line in result["problems"]:
        print(f"PROBLEM: {line}")
    sys.exit(1 if result["problems"] else 0)


if __name__ == "__main__":
    main()
