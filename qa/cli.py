"""`qa`: ingest articles, ask questions, serve the page, run evals — a thin shell over qa.Dateline.

User errors print one line and exit 2; an interrupted ingest exits 130 and a re-run finishes it.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _app(args):
    from qa import Dateline, load_settings

    settings = load_settings(getattr(args, "config", None), data_dir=getattr(args, "data_dir", None))
    return Dateline(settings)


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    app = _app(args)
    paths = args.paths or [str(BUNDLED_CORPUS)]
    bar = tqdm(unit=" articles", desc="ingest", disable=args.quiet or None, file=sys.stderr)

    def progress(report, current):
        bar.update(1)
        bar.set_postfix_str(current[-40:], refresh=False)

    report = app.ingest(paths, prune=args.prune, progress=progress)
    bar.close()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.summary())
        for path, reason in report.failed:
            print(f"  failed: {path}: {reason}")
        for doc_id, reason in report.skipped:
            print(f"  skipped: {doc_id}: {reason}")
    return 1 if report.failed and not (report.added or report.updated or report.unchanged) else 0


def _print_answer(answer) -> None:
    print()
    if answer.standalone_question:
        print(f"(asked as: {answer.standalone_question})")
    label = {"not_found": "NOT FOUND", "conflict": "THE ARTICLES DISAGREE"}.get(answer.status)
    if label:
        print(f"[{label}]")
    print(answer.answer)
    if answer.citations:
        print("\nSources:")
        for src in answer.citations:
            meta = ", ".join(x for x in (src.source, src.date) if x)
            print(f"[{src.n}] {src.title}" + (f" ({meta})" if meta else "") + f" — {src.doc_id}")
            print(f'    "{src.quote or src.passage}"')
    if answer.related:
        print("\nRelated passages (none answers the question):")
        for src in answer.related:
            print(f"  - {src.title} [{src.doc_id}]: {src.passage[:160]}…")
    for d in answer.dates:
        print(f"  date: '{d['expression']}' = {d['date']} (from the article's date)")


def cmd_ask(args) -> int:
    from qa import Filters

    app = _app(args)
    filters = Filters(source=args.source or "", since=args.since or "", until=args.until or "")
    answer = None
    live = sys.stderr.isatty() and not args.json  # progress on a terminal only, erased before the answer
    for event in app.ask_stream(args.question, filters=filters, k=args.k):
        if event.kind == "sources" and live:
            sys.stderr.write("Reading:\n" + "".join(f"  [{s.n}] {s.title[:70]} — {s.quote[:90]}\n" for s in event.sources))
            sys.stderr.write("checking…")
            sys.stderr.flush()
        elif event.kind == "answer":
            answer = event.answer
    if live:
        sys.stderr.write("\r\x1b[K\n")
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_answer(answer)
    return 0


def cmd_sources(args) -> int:
    rows = _app(args).sources()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        flag = "" if r["complete"] else "  (incomplete: re-run ingest)"
        print(f"{r['doc_id']}\t{r['source'] or '-'}\t{r['date'] or '-'}\t{r['chunks']} chunks\t{r['title']}{flag}")
    print(f"{len(rows)} articles")
    return 0


def cmd_delete(args) -> int:
    removed = _app(args).delete(args.doc_id)
    print(f"deleted {args.doc_id} ({removed} chunks)")
    return 0


def cmd_doctor(args) -> int:
    from qa.models.packaged import PRESETS, packaged_status

    app = _app(args)
    s = app.settings
    print("settings:")
    for key, value in s.public_dump().items():
        print(f"  {key} = {value}")
    print("models:")
    for name, preset in PRESETS.items():
        print(f"  llm preset {name}: {packaged_status(preset, s.models_dir)}")
    ok = True
    try:
        print(f"  embedder: {app.embedder.model_name} (loaded offline)")
        print(f"store: {s.chroma_url or s.chroma_dir} collection {s.collection!r}: "
              f"{app.store.count()} chunks, {len(app.store.registry())} articles")
        app.store.bm25.sync()
        print(f"bm25: {app.store.bm25.size} chunks, in step with Chroma")
    except Exception as exc:  # doctor reports, it does not crash
        ok = False
        print(f"  PROBLEM: {exc}")
    return 0 if ok else 1


def cmd_serve(args) -> int:
    from ui.app import serve

    app = _app(args)
    serve(app, host=args.host or app.settings.host, port=args.port or app.settings.port,
          corpus=str(BUNDLED_CORPUS))
    return 0


def cmd_eval(args) -> int:
    from evals.runner import main as eval_main

    return eval_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Dateline: offline, cited answers over news articles.")
    parser.add_argument("--data-dir", help="store and model cache folder (env QA_DATA_DIR)")
    parser.add_argument("--config", help="TOML settings file (env QA_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read articles into the store (incremental: unchanged ones are skipped)",
                       description="Formats: .txt .md .html .csv .jsonl .pdf and RSS/Atom feeds (.xml .rss .atom). "
                                   "An http(s) URL is fetched (20 s timeout, at most 5 redirects, QA_MAX_FILE_BYTES) "
                                   "and read as a page, a PDF or a feed; each feed entry is one article.")
    p.add_argument("paths", nargs="*", help="files, folders, or http(s) URLs of pages and feeds "
                                            "(default: the bundled corpus)")
    p.add_argument("--prune", action="store_true", help="remove stored articles no longer in these paths")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer a question with cited, verified sentences")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer as JSON (schema in README)")
    p.add_argument("--source", help="only articles from this source, e.g. TASS")
    p.add_argument("--since", help="only articles dated on or after YYYY-MM-DD")
    p.add_argument("--until", help="only articles dated on or before YYYY-MM-DD")
    p.add_argument("-k", type=int, help="passages given to the model (default QA_TOP_K)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("sources", help="list stored articles")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("delete", help="remove one article by doc id")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("doctor", help="check settings, model files and the store")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("serve", help="open the chat page and HTTP API")
    p.add_argument("--host", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="run a gold question set and write a report")
    p.add_argument("--gold", required=True, help="gold set (JSONL, format in evals/gold/README.md)")
    p.add_argument("--corpus", required=True, help="articles the questions are about")
    p.add_argument("--out", default="report", help="report folder")
    p.add_argument("--half", choices=("all", "tune", "report"), default="all",
                   help="questions of one half of the split in evals/gold/splits.json (README numbers: report)")
    p.add_argument("--limit", type=int, help="first N questions only (of the chosen half)")
    p.add_argument("--baseline", action="store_true", help="also run a stock llama-index pipeline")
    p.add_argument("--config", default=argparse.SUPPRESS, help="TOML settings to evaluate (as qa --config)")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from qa.errors import UserError

    try:
        return args.func(args)
    except UserError as exc:
        print(f"qa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nqa: interrupted; run the same command again to finish (nothing is lost)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
