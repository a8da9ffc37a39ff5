"""Scale benchmark (not a test): 100k+ chunks in a Chroma server and in the embedded store.

    .venv/bin/python -m evals.bench_scale                       # >= 100,000 chunks (10 BBC copies)
    .venv/bin/python -m evals.bench_scale --chunks 5000         # quick check while developing
    .venv/bin/python -m evals.bench_scale --copies 3 --modes embedded --out /tmp/scale.json

Run it from the repository root. Data: the 2,225 BBC articles of evals/data/bbc-news written as
JSON Lines copies (`copy_000.jsonl`, …). Each row keeps the original doc id as its `id` and its
text starts with "[copy k] ", so every copy is a new article (new doc id, new content hash); only
the 100 exact duplicates inside the BBC set are skipped, once per copy, as in a plain BBC ingest.
The number of copies is chosen from the chunk count of one copy at the configured chunk size;
the last copy is partial when --chunks needs less than a whole one.

Each mode is measured by fresh worker processes that use only the public API
(`Dateline(load_settings(data_dir=…, chroma_url=…)).ingest(paths)` and `.retrieve(q)`):

* `server`: a `chroma run` server started here on a free port (tests/servers.py), its RSS (with
  any children) sampled by this process;
* `embedded`: chromadb's PersistentClient inside the Dateline process.

ingest worker: seconds, chunks/s, this process's RSS sampled every 0.2 s and read at 25/50/75/100%
of the articles, the BM25 side index build at the end of the ingest (time and memory).
no-op worker: the same ingest again in a fresh process (nothing changed: what `qa ingest` costs when
the articles are already stored), then the article registry from the BM25 side and read from Chroma.
query worker: opening the store (BM25 index load incl. the id fingerprint check, and its memory),
then dense (Chroma, top `candidates`), BM25 (top `candidates`) and fused hybrid retrieval
(`app.retrieve(q)`, top_k) timed per question, interleaved, over the questions of --gold; hit@3 of
the hybrid results (a gold quote inside a returned passage of any copy) as a sanity check.
Load averages and system CPU use are recorded around every phase: the reference machine is shared.
Targets (issue #7): retrieval p95 <= 100 ms at 100k chunks; ingest memory flat.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
MARKS = (25, 50, 75, 100)  # % of articles read at which RSS is reported


# --- memory sampling ---------------------------------------------------------------------------
def tree_rss_mb(pid: int) -> float:
    """RSS of a process and its children, MB (0 when it is gone)."""
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


class RssSampler:
    """Samples a process tree's RSS in a daemon thread: (wall time, MB) every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "RssSampler":
        self.samples.append((time.time(), tree_rss_mb(self.pid)))
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.samples.append((time.time(), tree_rss_mb(self.pid)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def now(self) -> float:
        mb = tree_rss_mb(self.pid)
        self.samples.append((time.time(), mb))
        return mb

    def peak(self, t0: float = 0.0, t1: float = math.inf) -> float:
        return max((mb for t, mb in list(self.samples) if t0 <= t <= t1), default=0.0)

    def at(self, t: float) -> float:
        """The last sample taken at or before wall time t."""
        before = [mb for ts, mb in list(self.samples) if ts <= t]
        return before[-1] if before else 0.0


def mb(x: float) -> float:
    return round(x, 1)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 1)


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def du_mb(path: Path) -> float:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, name))
            except OSError:
                pass
    return round(total / 2**20, 1)


# --- the data set ------------------------------------------------------------------------------
def write_dataset(target_dir: Path, bbc_dir: Path, chunk_size: int, chunk_overlap: int,
                  chunks: int | None, copies: int | None) -> dict:
    """Write BBC copies as JSONL until the estimated chunk count reaches `chunks` (or `copies`)."""
    import hashlib

    from qa.ingest.chunking import chunk_article
    from qa.ingest.readers import Article, read_sources

    articles = [a for a in read_sources([bbc_dir]) if isinstance(a, Article)]
    per_article, seen = [], set()  # chunks each row adds; an exact duplicate inside a copy adds 0
    for a in articles:
        text = f"[copy 0] {a.text}"
        if text in seen:
            per_article.append(0)
            continue
        seen.add(text)
        probe = replace(a, text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
        per_article.append(len(chunk_article(probe, chunk_size, chunk_overlap)))
    per_copy = sum(per_article)
    target_dir.mkdir(parents=True, exist_ok=True)
    rows = estimated = 0
    n_copies = copies if copies else math.ceil(chunks / per_copy)
    for k in range(n_copies):
        with open(target_dir / f"copy_{k:03d}.jsonl", "w", encoding="utf-8") as out:
            for a, n in zip(articles, per_article):
                if not copies and estimated >= chunks:
                    break
                row = {"id": a.doc_id, "text": f"[copy {k}] {a.text}", **a.extra}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows += 1
                estimated += n
    return {"source": str(bbc_dir.relative_to(ROOT)) if bbc_dir.is_relative_to(ROOT) else str(bbc_dir),
            "bbc_articles": len(articles), "bbc_unique_articles": sum(1 for n in per_article if n),
            "chunks_per_copy": per_copy, "copies": n_copies, "articles": rows,
            "estimated_chunks": estimated, "files": n_copies, "dataset_mb": du_mb(target_dir)}


# --- workers (fresh processes, public API only) ------------------------------------------------
def _open_app(args):
    from qa import Dateline, load_settings

    return Dateline(load_settings(data_dir=args.data_dir, chroma_url=args.chroma_url or ""))


def worker_ingest(args) -> dict:
    sampler = RssSampler(os.getpid()).start()
    app = _open_app(args)
    app.embedder, app.store  # embedder and Chroma connection load before the clock starts
    rss_open = sampler.now()

    bm25 = app.store.bm25  # instrumentation only: time the BM25 sync that ends every ingest
    bm25_window: list[float] = []
    original_sync = bm25.sync

    def timed_sync(*a, **kw):
        bm25_window.append(time.time())
        try:
            return original_sync(*a, **kw)
        finally:
            bm25_window.append(time.time())

    bm25.sync = timed_sync

    total = args.articles
    todo, marks = list(MARKS), {}
    next_print = [0.1]
    t0 = time.time()

    def progress(report, _item):
        done = report.read
        while todo and done >= total * todo[0] / 100:
            mark = todo.pop(0)
            marks[mark] = {"t": time.time(), "elapsed_s": round(time.time() - t0, 1), "articles": done,
                           "chunks_written": report.chunks_written, "rss_mb": mb(sampler.now())}
        if done >= total * next_print[0]:
            print(f"  [{args.mode}] {done}/{total} articles, {report.chunks_written} chunks written, "
                  f"{time.time() - t0:.0f} s, RSS {sampler.now():.0f} MB", file=sys.stderr, flush=True)
            next_print[0] += 0.1

    report = app.ingest([args.dataset], progress=progress)
    t1 = time.time()
    sampler.stop()
    chunks = app.store.count()
    seconds = t1 - t0
    read_end = marks[100]["t"] if 100 in marks else t1
    b0, b1 = (bm25_window[0], bm25_window[-1]) if bm25_window else (t1, t1)
    return {
        "articles_read": report.read, "added": len(report.added), "skipped": len(report.skipped),
        "failed": len(report.failed), "chunks_written": report.chunks_written, "chunks": chunks,
        "ingest_s": round(seconds, 1), "chunks_per_s": round(chunks / seconds, 1),
        "articles_per_s": round(report.read / seconds, 1),
        "t_start": t0, "t_end": t1, "t_read_end": read_end, "t_bm25": [b0, b1],
        "bm25_build_s": round(b1 - b0, 1),
        "rss_open_mb": mb(rss_open),
        "rss_marks": {str(k): {kk: vv for kk, vv in v.items()} for k, v in marks.items()},
        "peak_rss_streaming_mb": mb(sampler.peak(t0, read_end)),
        "peak_rss_bm25_build_mb": mb(sampler.peak(b0, b1 + 0.5)),
        "peak_rss_mb": mb(sampler.peak()),
        "rss_end_mb": mb(sampler.samples[-1][1]),
        "rss_timeline": [(round(t - t0, 1), mb(m)) for t, m in sampler.samples[::max(1, len(sampler.samples) // 200)]],
    }


def worker_noop(args) -> dict:
    """A fresh process re-ingests the unchanged data set (as `qa ingest` would), then reads the registry."""
    sampler = RssSampler(os.getpid()).start()
    app = _open_app(args)
    app.embedder, app.store
    t = time.perf_counter()
    report = app.ingest([args.dataset])
    noop_s = time.perf_counter() - t
    assert not report.changed, "a re-ingest of unchanged articles changed the store"
    timed = {}
    for name, kwargs in (("registry_s", {}), ("registry_chroma_s", {"from_chroma": True})):
        t = time.perf_counter()
        articles = len(app.store.registry(**kwargs))
        timed[name] = round(time.perf_counter() - t, 2)
    sampler.stop()
    return {"noop_reingest_s": round(noop_s, 1), "unchanged": len(report.unchanged), "articles": articles,
            **timed, "peak_rss_mb": mb(sampler.peak())}


def worker_query(args) -> dict:
    from llama_index.core.retrievers import VectorIndexRetriever

    from evals.goldset import load_gold
    from evals.metrics import first_hit_rank

    sampler = RssSampler(os.getpid()).start()
    app = _open_app(args)
    app.embedder, app.store
    settings = app.settings
    rss_open = sampler.now()

    t = time.perf_counter()
    n_ids = len(app.store.chunk_ids())  # the id read behind every BM25 fingerprint check
    ids_s = time.perf_counter() - t

    bm25 = app.store.bm25
    rebuilt = []
    original_rebuild = bm25._rebuild  # instrumentation only: did the load fall back to a rebuild?
    bm25._rebuild = lambda *a, **kw: (rebuilt.append(1), original_rebuild(*a, **kw))[1]
    rss_before_bm25 = sampler.now()
    t = time.perf_counter()
    bm25.sync()  # load the persisted index (fingerprint of Chroma's ids, then bm25s.load)
    bm25_load_s = time.perf_counter() - t
    rss_after_bm25 = sampler.now()

    items = load_gold(args.gold)[: args.questions]
    index = app.retriever.index
    dense = VectorIndexRetriever(index=index, similarity_top_k=settings.candidates)

    def run_bm25(q):
        bm25.ensure_current()
        return bm25.retriever(settings.candidates).retrieve(q)  # incl. reading the hits from Chroma

    runs = {"dense": dense.retrieve, "bm25": run_bm25, "hybrid": app.retrieve}
    for fn in runs.values():  # warm: first Chroma query, first BM25 scoring
        fn(items[0].question)
    times = {name: [] for name in runs}
    hits, scored = 0, 0
    t_q0 = time.time()
    for item in items:  # interleaved, so load from other processes hits all three alike
        for name, fn in runs.items():
            t = time.perf_counter()
            got = fn(item.question)
            times[name].append((time.perf_counter() - t) * 1000)
            if name == "hybrid" and not item.unanswerable and item.evidence:
                scored += 1
                chunks = [(h.node.metadata.get("doc_id", "").split("#", 1)[-1], h.node.get_content())
                          for h in got]
                rank = first_hit_rank(item, chunks)
                hits += bool(rank and rank <= 3)
    t_q1 = time.time()
    sampler.stop()
    out = {
        "chunks": app.store.count(), "chunk_ids_read_s": round(ids_s, 2), "chunk_ids": n_ids,
        "bm25_load_s": round(bm25_load_s, 2), "bm25_rebuilt_on_load": bool(rebuilt),
        "bm25_chunks": bm25.size,
        "rss_open_mb": mb(rss_open), "rss_before_bm25_mb": mb(rss_before_bm25),
        "rss_after_bm25_mb": mb(rss_after_bm25), "bm25_rss_mb": mb(rss_after_bm25 - rss_before_bm25),
        "peak_rss_mb": mb(sampler.peak()), "rss_end_mb": mb(sampler.samples[-1][1]),
        "questions": len(items), "hybrid_hit@3": round(hits / scored, 3) if scored else None,
        "hybrid_hit_questions": scored, "t_start": t_q0, "t_end": t_q1,
        "candidates": settings.candidates, "top_k": settings.top_k,
    }
    for name, values in times.items():
        out[f"{name}_p50_ms"] = pct(values, 0.5)
        out[f"{name}_p95_ms"] = pct(values, 0.95)
        out[f"{name}_max_ms"] = round(max(values), 1)
    return out


# --- the parent: data, servers, phases --------------------------------------------------------
def run_worker(kind: str, mode: str, common: list[str], out: Path) -> tuple[dict, dict]:
    """One worker process; returns its result and the machine's load around it."""
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    before = load_avg()
    psutil.cpu_percent(None)
    started = time.time()
    subprocess.run([sys.executable, "-m", "evals.bench_scale", "--worker", kind, "--mode", mode,
                    *common, "--worker-out", str(out)], check=True, cwd=ROOT, env=env)
    phase = {"load_before": before, "load_after": load_avg(),
             "system_cpu_percent": round(psutil.cpu_percent(None), 1),
             "wall_s": round(time.time() - started, 1)}
    return json.loads(out.read_text()), phase


def bench_mode(mode: str, work: Path, dataset: Path, info: dict, args) -> dict:
    from tests.servers import chroma_server

    data_dir = work / f"{mode}-data"
    server = sampler = None
    common = ["--dataset", str(dataset), "--data-dir", str(data_dir), "--articles", str(info["articles"]),
              "--gold", args.gold, "--questions", str(args.questions)]
    result: dict = {"mode": mode}
    try:
        if mode == "server":
            server = chroma_server(work / "chroma-server", work / "chroma-server.log").start()
            sampler = RssSampler(server.proc.pid, 0.5).start()
            common += ["--chroma-url", server.base]
            result["server"] = {"command": " ".join(server.argv), "rss_idle_mb": mb(sampler.now())}
        print(f"[{mode}] ingest of {info['articles']} articles …", flush=True)
        ingest, phase = run_worker("ingest", mode, common, work / f"{mode}-ingest.json")
        result["ingest"], result["ingest_phase"] = ingest, phase
        rss = {k: v["rss_mb"] for k, v in ingest["rss_marks"].items()}
        if "25" in rss and "100" in rss:  # flat = no growth with the number of articles read
            ingest["rss_growth_25_to_100_mb"] = mb(rss["100"] - rss["25"])
        print(f"[{mode}] ingest: {json.dumps({k: v for k, v in ingest.items() if k != 'rss_timeline'})}",
              flush=True)
        if sampler is not None:
            srv = result["server"]
            srv["rss_marks_mb"] = {k: mb(sampler.at(v["t"])) for k, v in ingest["rss_marks"].items()}
            srv["rss_growth_25_to_100_mb"] = mb(srv["rss_marks_mb"]["100"] - srv["rss_marks_mb"]["25"])
            srv["peak_rss_ingest_mb"] = mb(sampler.peak(ingest["t_start"], ingest["t_end"]))
            srv["rss_after_ingest_mb"] = mb(sampler.now())
        print(f"[{mode}] no-op re-ingest …", flush=True)
        result["noop"], result["noop_phase"] = run_worker("noop", mode, common, work / f"{mode}-noop.json")
        print(f"[{mode}] no-op: {json.dumps(result['noop'])}", flush=True)
        print(f"[{mode}] retrieval …", flush=True)
        query, phase = run_worker("query", mode, common, work / f"{mode}-query.json")
        result["query"], result["query_phase"] = query, phase
        print(f"[{mode}] retrieval: {json.dumps(query)}", flush=True)
        if sampler is not None:
            srv = result["server"]
            srv["peak_rss_query_mb"] = mb(sampler.peak(query["t_start"], query["t_end"]))
            srv["peak_rss_mb"] = mb(sampler.peak())
            srv["rss_timeline"] = [(round(t - ingest["t_start"], 1), mb(m))
                                   for t, m in sampler.samples[::max(1, len(sampler.samples) // 200)]]
    finally:
        if sampler is not None:
            sampler.stop()
        if server is not None:
            server.stop()
    store_dir = work / "chroma-server" if mode == "server" else data_dir / "chroma"
    result["disk_mb"] = {"chroma": du_mb(store_dir), "bm25": du_mb(data_dir / "bm25")}
    return result


def machine() -> dict:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    except OSError:
        pass
    import chromadb

    return {"nproc": len(os.sched_getaffinity(0)), "cpus": os.cpu_count(), "cpu": cpu,
            "ram_gib": round(psutil.virtual_memory().total / 2**30, 1), "platform": platform.platform(),
            "python": platform.python_version(), "chromadb": chromadb.__version__}


def summary_rows(result: dict) -> list[tuple[str, ...]]:
    modes = result["modes"]
    names = list(modes)

    def row(label, fn):
        cells = []
        for name in names:
            try:
                cells.append(str(fn(modes[name])))
            except (KeyError, TypeError):
                cells.append("")
        return (label, *cells)

    def marks(m, key="rss_mb"):
        return " / ".join(f"{m['ingest']['rss_marks'][str(k)][key]:.0f}" for k in MARKS)

    return [
        ("measure", *[f"{n} ({'`chroma run` server' if n == 'server' else 'PersistentClient'})" for n in names]),
        row("chunks (articles)", lambda m: f"{m['ingest']['chunks']:,} ({m['ingest']['added']:,} added, "
                                           f"{m['ingest']['skipped']} duplicates skipped)"),
        row("ingest", lambda m: f"{m['ingest']['ingest_s']:.0f} s, {m['ingest']['chunks_per_s']:.0f} chunks/s "
                                f"({m['ingest']['articles_per_s']:.0f} articles/s)"),
        row("… of which BM25 build at the end", lambda m: f"{m['ingest']['bm25_build_s']:.0f} s"),
        row("Dateline RSS at 25 / 50 / 75 / 100% of articles (MB)", marks),
        row("Dateline peak RSS: streaming / during BM25 build (MB)",
            lambda m: f"{m['ingest']['peak_rss_streaming_mb']:.0f} / {m['ingest']['peak_rss_bm25_build_mb']:.0f}"),
        row("Chroma server RSS at 25 / 50 / 75 / 100% (MB)",
            lambda m: " / ".join(f"{m['server']['rss_marks_mb'][str(k)]:.0f}" for k in MARKS)),
        row("Chroma server peak RSS: ingest / queries (MB)",
            lambda m: f"{m['server']['peak_rss_ingest_mb']:.0f} / {m['server']['peak_rss_query_mb']:.0f}"),
        row("no-op re-ingest, fresh process (peak RSS)",
            lambda m: f"{m['noop']['noop_reingest_s']:.1f} s ({m['noop']['peak_rss_mb']:.0f} MB)"),
        row("article registry: from the BM25 side / read from Chroma",
            lambda m: f"{m['noop']['registry_s']:.2f} s / {m['noop']['registry_chroma_s']:.1f} s"),
        row("BM25 index load at open (incl. id fingerprint)",
            lambda m: f"{m['query']['bm25_load_s']:.1f} s, +{m['query']['bm25_rss_mb']:.0f} MB RSS"),
        row("Dateline RSS when serving queries (MB)", lambda m: f"{m['query']['peak_rss_mb']:.0f}"),
        row("dense retrieval p50 / p95", lambda m: f"{m['query']['dense_p50_ms']} / {m['query']['dense_p95_ms']} ms"),
        row("BM25 retrieval p50 / p95", lambda m: f"{m['query']['bm25_p50_ms']} / {m['query']['bm25_p95_ms']} ms"),
        row("hybrid `app.retrieve` p50 / p95",
            lambda m: f"**{m['query']['hybrid_p50_ms']} / {m['query']['hybrid_p95_ms']} ms**"),
        row("hybrid hit@3 (sanity)", lambda m: f"{m['query']['hybrid_hit@3']:.3f}"),
        row("store on disk: Chroma / BM25 (MB)", lambda m: f"{m['disk_mb']['chroma']:.0f} / {m['disk_mb']['bm25']:.0f}"),
        row("load average before → after ingest",
            lambda m: f"{m['ingest_phase']['load_before'][0]} → {m['ingest_phase']['load_after'][0]} "
                      f"(CPU {m['ingest_phase']['system_cpu_percent']:.0f}% busy)"),
        row("load average before → after queries",
            lambda m: f"{m['query_phase']['load_before'][0]} → {m['query_phase']['load_after'][0]} "
                      f"(CPU {m['query_phase']['system_cpu_percent']:.0f}% busy)"),
    ]


def markdown(result: dict) -> str:
    rows = summary_rows(result)
    lines = ["| " + " | ".join(rows[0]) + " |", "|---|" + "---:|" * (len(rows[0]) - 1)]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    m = result["machine"]
    chunks = max(r["ingest"]["chunks"] for r in result["modes"].values())
    head = (f"Scale benchmark, {result['date']}: {chunks:,} chunks "
            f"({result['dataset']['copies']} copies of the BBC set), {m['nproc']} cores, {m['ram_gib']} GiB RAM, "
            f"load average {result['load_before'][0]} before, {result['load_after'][0]} after.\n\n")
    return head + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--chunks", type=int, default=100_000, help="target chunk count (default 100000)")
    size.add_argument("--copies", type=int, help="whole BBC copies instead of a chunk target")
    parser.add_argument("--modes", default="server,embedded")
    parser.add_argument("--bbc", default="evals/data/bbc-news")
    parser.add_argument("--gold", default="evals/gold/bbc.jsonl")
    parser.add_argument("--questions", type=int, default=205)
    parser.add_argument("--out", default="evals/results/bench_scale.json")
    parser.add_argument("--workdir", help="keep data, stores and logs here (default: a temp dir, removed)")
    # worker side (internal)
    parser.add_argument("--worker", choices=["ingest", "noop", "query"], help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--chroma-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        out = {"ingest": worker_ingest, "noop": worker_noop, "query": worker_query}[args.worker](args)
        Path(args.worker_out).write_text(json.dumps(out))
        return

    from qa import load_settings

    settings = load_settings()
    result = {"date": date.today().isoformat(), "machine": machine(), "load_before": load_avg(),
              "settings": {"chunk_size": settings.chunk_size, "chunk_overlap": settings.chunk_overlap,
                           "embedder": settings.embedder, "candidates": settings.candidates,
                           "top_k": settings.top_k},
              "command": "python -m evals.bench_scale " + " ".join(sys.argv[1:])}
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="dateline-scale-"))
    try:
        t = time.perf_counter()
        info = write_dataset(work / "dataset", (ROOT / args.bbc).resolve(), settings.chunk_size,
                             settings.chunk_overlap, None if args.copies else args.chunks, args.copies)
        info["write_s"] = round(time.perf_counter() - t, 1)
        result["dataset"] = info
        print(f"dataset: {json.dumps(info)}", flush=True)
        result["modes"] = {}
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            result["modes"][mode] = bench_mode(mode, work, work / "dataset", info, args)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    result["load_after"] = load_avg()
    p95 = {m: r["query"]["hybrid_p95_ms"] for m, r in result["modes"].items()}
    result["targets"] = {"retrieval_p95_le_100ms": {m: v <= 100 for m, v in p95.items()}}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    table = markdown(result)
    out.with_suffix(".md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
