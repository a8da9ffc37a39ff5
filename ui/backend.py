"""The one Dateline every browser session and API caller shares, and the server's startup state.

All work that touches the model or the index (asking, ingesting, deleting) runs one job at a
time under `Backend.lock`. The library already serialises the model, so this costs no
throughput, and it also covers what the library leaves to its caller: the lazy first load of
the model and the BM25 side's rebuild after the store changed are not safe to race.
Reads (sources, stats) and /healthz never take the lock, so they stay quick while answering.
"""
from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from qa import Answer, Dateline, Event, Filters, UserError

log = logging.getLogger("dateline.ui")


@dataclass
class Status:
    """What the status line says; `state` is starting | ingesting | ready | error."""

    state: str = "starting"
    message: str = "Starting…"

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def settled(self) -> bool:
        """Startup is over, well or badly: the page stops polling."""
        return self.state in ("ready", "error")


class Backend:
    def __init__(self, app: Dateline):
        self.app = app
        self.lock = threading.Lock()
        self.status = Status()

    # --- startup --------------------------------------------------------------------------------
    def start(self, corpus: str | None) -> threading.Thread:
        """Prepare in the background so the page and /healthz answer while the corpus loads."""
        thread = threading.Thread(target=self._prepare, args=(corpus,), name="dateline-startup", daemon=True)
        thread.start()
        return thread

    def _prepare(self, corpus: str | None) -> None:
        try:
            with self.lock:
                if corpus and not self.app.sources():
                    self._ingest_corpus(corpus)
                self._set("starting", "Loading the model…")
                self.app.warm_up()  # the first question should not pay for loading the model
            self._set("ready", self._ready_message())
        except UserError as exc:
            self._set("error", f"Startup failed: {exc}")
        except Exception:  # the server keeps running; the terminal gets the details
            log.exception("startup failed")
            self._set("error", "Startup failed (details in the server log).")

    def _ingest_corpus(self, corpus: str) -> None:
        """First start on an empty store: read the bundled corpus, with progress on both screens."""
        self._set("ingesting", f"First start: reading the bundled articles from {Path(corpus).name}/…")

        def progress(report, current: str) -> None:
            self._set("ingesting", f"First start: reading the bundled articles… {report.read} read "
                                   f"(latest: {current.rsplit('/', 1)[-1]})")

        report = self.app.ingest([corpus], progress=progress)
        print(f"dateline: bundled corpus ingested: {report.summary()}", file=sys.stderr, flush=True)
        for path, reason in report.failed:
            print(f"dateline:   failed: {path}: {reason}", file=sys.stderr, flush=True)

    def _ready_message(self) -> str:
        stats = self.app.stats()
        return f"Ready: {stats['articles']} articles, {stats['chunks']} passages."

    def _set(self, state: str, message: str) -> None:
        if message != self.status.message:
            print(f"dateline: {message}", file=sys.stderr, flush=True)
        self.status = Status(state, message)

    # --- questions ------------------------------------------------------------------------------
    def ask_stream(self, question: str, *, filters: Filters = Filters(), k: int | None = None,
                   history: list[dict] | None = None) -> Iterator[Event]:
        with self.lock:
            yield from self.app.ask_stream(question, filters=filters, k=k, history=history)

    def ask(self, question: str, **kwargs) -> Answer:
        with self.lock:
            return self.app.ask(question, **kwargs)

    # --- articles -------------------------------------------------------------------------------
    def ingest(self, paths: list[Path], progress: Callable | None = None):
        with self.lock:
            report = self.app.ingest([str(p) for p in paths], progress=progress)
        self._refresh_ready_message()
        return report

    def delete(self, doc_id: str) -> int:
        with self.lock:
            removed = self.app.delete(doc_id)
        self._refresh_ready_message()
        return removed

    def _refresh_ready_message(self) -> None:
        if self.status.state == "ready":
            self._set("ready", self._ready_message())

    @property
    def uploads_dir(self) -> Path:
        return Path(self.app.settings.data_dir) / "uploads"

    def source_names(self) -> list[str]:
        return sorted({row["source"] for row in self.app.sources() if row["source"]})
