"""`qa eval`: a gold set through the public `Dateline` API, into a fresh store, to a report.

A thin shell over the library on purpose: questions go through `Dateline.ask` exactly as the
CLI and page send them, and retrieval is measured with `Dateline.retrieve`, so the numbers
describe the shipped pipeline and not a copy of it. Scoring lives in evals.metrics, writing
in evals.report.

Data flow: gold file (all of it, or one half of its recorded split) -> fresh store built from
--corpus -> per question: retrieve k=10, ask (and the stock llama-index baseline) -> scored
records -> metrics -> report files.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from evals.goldset import GoldError, GoldItem, load_gold
from evals.metrics import reads_both_sides, score, summarise, summarise_by_type

RETRIEVE_K = 10
SHORT = 160  # characters of a passage kept in per-question records


def main(args) -> int:
    """Entry point of `qa eval` (args from qa.cli); exit 1 when some question errored."""
    from evals.report import write_report
    from qa.errors import UserError

    try:
        report = run_eval(args.gold, args.corpus, limit=args.limit, half=args.half, baseline=args.baseline,
                          config=getattr(args, "config", None), data_dir=getattr(args, "data_dir", None),
                          partial=Path(args.out) / "records.partial.jsonl")
    except GoldError as exc:
        raise UserError(str(exc)) from exc
    paths = write_report(report, args.out)
    print(summary_line(report))
    for path in paths:
        print(f"  wrote {path}")
    return 1 if report["metrics"]["dateline"]["overall"]["errors"] else 0


def run_eval(gold: str | Path, corpus: str | Path, *, limit: int | None = None, half: str = "all",
             baseline: bool = False, config: str | None = None, data_dir: str | None = None,
             progress: bool = True, partial: Path | None = None, **overrides) -> dict:
    """Run a gold set over a corpus and return the whole report as a dict (see report.json).

    ``half``: "tune", "report" or "all" questions of the split recorded in evals/gold/splits.json.
    ``overrides`` are Settings fields (e.g. model_preset="small"), as for `load_settings`.
    ``partial``: each record is also appended there as it is made, so an interrupted long run
    keeps what it measured.
    """
    from tqdm import tqdm

    items = load_gold(gold, limit, half=half)
    started = time.perf_counter()
    with fresh_app(config, data_dir, **overrides) as app:
        ingested = ingest_corpus(app, corpus, progress)
        warnings = missing_docs(items, {row["doc_id"] for row in app.sources()})
        stock = _baseline(app) if baseline else None
        records: dict[str, list[dict]] = {"dateline": []}
        if stock:
            records["baseline"] = []
        if partial:
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text("")
        # One system at a time, not interleaved: both share the one llama.cpp model, and a stock
        # prompt between two Dateline questions would evict the instruction prefix llama.cpp keeps
        # cached, adding ~7 s of prompt reading per question that no real user pays.
        app.warm_up()  # as `qa serve` does at start: the first question does not pay for loading the model
        for name, ask in (("dateline", lambda item: ask_dateline(app, item)),
                          ("baseline", lambda item: ask_baseline(stock, item))):
            if name not in records:
                continue
            for item in tqdm(items, desc=f"eval {name}", unit=" q", file=sys.stderr, disable=not progress):
                records[name].append(ask(item))
                if partial:
                    with partial.open("a", encoding="utf-8") as f:
                        f.write(json.dumps({name: records[name][-1]}, ensure_ascii=False) + "\n")
        setup = describe(app, gold, corpus, limit, baseline)
    return {
        **setup,
        "half": half,
        "duration_s": round(time.perf_counter() - started, 1),
        "ingest": ingested,
        "warnings": warnings,
        "metrics": {name: {"overall": summarise(recs), "by_type": summarise_by_type(recs)}
                    for name, recs in records.items()},
        "records": records,
    }


# --- a fresh store ------------------------------------------------------------------------------
@contextmanager
def fresh_app(config: str | None, data_dir: str | None, **overrides):
    """A Dateline on a new temporary store (unique collection), removed afterwards.

    Only the configured model cache is shared, so the packaged GGUF is joined once and not per
    run. The store is always local: an eval must not write into, or be skewed by, a shared
    Chroma server.
    """
    from qa import Dateline, load_settings

    home = load_settings(config, data_dir=data_dir, **overrides)
    tmp = Path(tempfile.mkdtemp(prefix="dateline-eval-"))
    try:
        settings = load_settings(config, **{**overrides, "data_dir": tmp, "models_cache": home.models_dir,
                                            "chroma_url": "", "collection": f"eval-{uuid.uuid4().hex[:12]}"})
        yield Dateline(settings)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ingest_corpus(app, corpus: str | Path, progress: bool) -> dict:
    """Ingest with a progress bar; a corpus that yields no article at all is a user error."""
    from tqdm import tqdm

    from qa.errors import UserError

    bar = tqdm(desc="ingest", unit=" articles", file=sys.stderr, disable=not progress)
    report = app.ingest([str(corpus)], progress=lambda _report, _current: bar.update(1))
    bar.close()
    if not report.added:
        reasons = "; ".join(f"{p}: {r}" for p, r in report.failed[:3])
        raise UserError(f"no article could be read from {corpus}" + (f" ({reasons})" if reasons else ""))
    return {"articles": len(report.added), "chunks": report.chunks_written,
            "failed": [{"path": p, "reason": r} for p, r in report.failed],
            "skipped": [{"doc_id": d, "reason": r} for d, r in report.skipped]}


def missing_docs(items: list[GoldItem], stored: set[str]) -> list[str]:
    """Evidence documents the store does not hold: a gold set run on the wrong corpus scores 0."""
    missing = sorted({e.doc for item in items for e in item.evidence if e.doc and e.doc not in stored})
    if not missing:
        return []
    shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
    return [f"{len(missing)} evidence document(s) not in the corpus: {shown}"]


# --- one question -------------------------------------------------------------------------------
def ask_dateline(app, item: GoldItem) -> dict:
    """Retrieve k=10 (for hit@k/MRR), then ask as a user would; an exception is recorded, not raised."""
    from qa import Filters

    chunks: list[tuple[str, str]] = []
    texts: dict[str, tuple[str, str]] = {}
    try:
        hits = app.retrieve(item.question, Filters(), k=RETRIEVE_K)
        chunks = [(str(h.node.metadata.get("doc_id", "")), h.node.get_content()) for h in hits]
        texts = {h.node.node_id: chunk for h, chunk in zip(hits, chunks)}
        answer = app.ask(item.question).to_dict()
    except Exception as exc:  # one broken question must not lose a long run
        answer = {"status": "error", "answer": "", "error": f"{type(exc).__name__}: {exc}"}
    record = _record(item, answer, chunks)
    record["context"] = [r["doc_id"] for r in answer.get("retrieved", [])]  # passages the model saw
    record["citations"] = [{k: c.get(k) for k in ("n", "doc_id", "title", "source", "date", "quote", "passage")}
                           for c in answer.get("citations", [])]  # enough to re-score offline
    record["sentences"] = answer.get("sentences", [])
    record["raw_output"] = answer.get("raw_output", "")  # the model's reply, before verification
    record["dropped"] = answer.get("dropped", [])  # its claims that failed verification
    record.update(score(item, status=record["status"], answer=record["answer"], chunks=chunks,
                        sentences=answer.get("sentences"), citations=answer.get("citations", [])))
    read = [texts[r["chunk_id"]] for r in answer.get("retrieved", []) if r.get("chunk_id") in texts]
    record["both_sides_read"] = reads_both_sides(item, read)  # of the passages retrieved for the answer (read
    # for the model's sentences and for other articles' values), as far as the top-10 list holds them
    return record


def _baseline(app):
    from evals.baseline import Baseline

    return Baseline(app)


def ask_baseline(stock, item: GoldItem) -> dict:
    """The stock pipeline on the same question; it cites nothing, so citation metrics are n/a."""
    try:
        answer = stock.ask(item.question)
    except Exception as exc:
        answer = {"status": "error", "answer": "", "chunks": [], "error": f"{type(exc).__name__}: {exc}"}
    record = _record(item, answer, answer["chunks"])
    record.update(score(item, status=record["status"], answer=record["answer"], chunks=answer["chunks"]))
    return record


def _record(item: GoldItem, answer: dict, chunks: list[tuple[str, str]]) -> dict:
    """The gold side and the plain answer side of a per-question record."""
    return {
        "id": item.id, "type": item.type, "question": item.question, "expected": item.answer,
        "aliases": list(item.aliases), "unanswerable": item.unanswerable, "conflict": item.conflict,
        "status": answer.get("status", "error"), "answer": answer.get("answer", ""),
        "timings": answer.get("timings", {}), "error": answer.get("error", ""),
        "retrieved": [{"doc_id": d, "text": _short(t)} for d, t in chunks],
    }


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


# --- what was run, where ------------------------------------------------------------------------
def describe(app, gold, corpus, limit, baseline) -> dict:
    """Config, date and machine: enough to tell two reports' numbers apart."""
    machine = {"cpu_count": os.cpu_count(), "platform": platform.platform(),
               "processor": platform.processor() or platform.machine(), "python": platform.python_version()}
    try:
        import psutil

        machine["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "gold": str(gold), "corpus": str(corpus), "limit": limit, "baseline": baseline,
        "model": app.llm_description(), "embedder": app.embedder.model_name,
        "config": app.settings.public_dump(), "machine": machine,
    }


def summary_line(report: dict) -> str:
    m = report["metrics"]["dateline"]["overall"]

    def pct(key):
        return "n/a" if m[key] is None else f"{m[key]:.0%}"

    half = "" if report.get("half", "all") == "all" else f" ({report['half']} half)"
    return (f"{m['n']} questions{half} in {report['duration_s']:.0f}s: accuracy {pct('accuracy')}, "
            f"hit@5 {pct('hit@5')}, citation precision {pct('citation_precision')}, "
            f"refusal recall {pct('refusal_recall')}, errors {m['errors']}")
