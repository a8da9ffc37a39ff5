"""The one public entry point: the CLI, the page, the HTTP API and the evals all go through it.

Models load lazily (a `qa sources` never loads the LLM) and live on the service object, not in
globals, so tests and the eval runner can open several stores side by side.
"""
from __future__ import annotations

import threading
import time
from contextlib import closing
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from qa.answer.compose import Answer, Source, compose, not_found, source_of
from qa.answer.constraints import extract
from qa.answer.crosscheck import asks_across_articles, for_one_article, leading_articles, on_its_topic
from qa.answer.evidence import Evidence, finished_reply, grammar, messages, select
from qa.answer.followup import standalone
from qa.answer.text import relevance
from qa.config import Settings, load_settings
from qa.errors import UserError
from qa.ingest.pipeline import IngestReport, ingest
from qa.retrieve import Filters, HybridRetriever


@dataclass
class Event:
    """A streamed step of an answer. kind "sources": retrieval is done and `sources` are the passages
    the model reads, each with its best sentence marked (shown at once, before the model writes);
    "checking": the model has begun its reply (its unverified text is never shown); "answer": final."""

    kind: str
    answer: Answer | None = None
    sources: list[Source] = field(default_factory=list)


class Dateline:
    def __init__(self, settings: Settings | None = None, **overrides):
        self.settings = settings or load_settings(**overrides)
        self._embedder = None
        self._store = None
        self._retriever = None
        self._llm = None
        self._loading = threading.RLock()  # parts load once even when threads race to first use
        self._writing = threading.Lock()  # one ingest/delete at a time per service

    # --- parts, loaded on first use ----------------------------------------------------------
    @property
    def embedder(self):
        with self._loading:
            if self._embedder is None:
                from qa.models.embedders import build_embedder

                self._embedder = build_embedder(self.settings)
        return self._embedder

    @property
    def store(self):
        with self._loading:
            if self._store is None:
                from qa.store import Store

                self._store = Store(self.settings, self.embedder, self.embedder.model_name)
        return self._store

    @property
    def retriever(self) -> HybridRetriever:
        with self._loading:
            if self._retriever is None:
                self._retriever = HybridRetriever(self.store)
        return self._retriever

    def warm_up(self) -> None:
        """Load the embedder, store and model now, and let the model read the fixed instructions once
        (llama.cpp keeps that prefix cached): a server does this at start, not on the first question."""
        self.retriever
        for _ in self.llm.stream(messages(Evidence("?", extract(""), [])), max_tokens=1):
            pass

    @property
    def llm(self):
        with self._loading:
            if self._llm is None:
                from qa.models.llm import build_llm

                self._llm = build_llm(self.settings)
        return self._llm

    # --- articles ------------------------------------------------------------------------------
    def ingest(self, paths: Iterable, *, prune: bool = False,
               progress: Callable[[IngestReport, str], None] | None = None) -> IngestReport:
        with self._writing:
            return ingest(self.store, paths, self.settings, prune=prune, progress=progress)

    def delete(self, doc_id: str) -> int:
        with self._writing:
            removed = self.store.delete_doc(doc_id)
            if not removed:
                raise UserError(f"no article with doc id {doc_id!r} (see `qa sources`)")
            self.store.bm25.sync()
        return removed

    def sources(self) -> list[dict]:
        rows = []
        for entry in sorted(self.store.registry().values(), key=lambda e: e.doc_id):
            rows.append({"doc_id": entry.doc_id, "title": entry.title, "source": entry.source,
                         "date": entry.date, "chunks": len(entry.chunk_ids), "path": entry.path,
                         "complete": entry.complete})
        return rows

    def stats(self) -> dict:
        s = self.settings
        return {
            "store": s.chroma_url or str(s.chroma_dir),
            "collection": s.collection,
            "chunks": self.store.count(),
            "articles": len(self.store.registry()),
            "embedder": self.embedder.model_name,
            "llm": self.llm_description(),
        }

    def llm_description(self) -> str:
        s = self.settings
        if s.llm == "packaged":
            from qa.models.packaged import PRESETS

            return f"{PRESETS[s.model_preset].name} (packaged, llama.cpp)"
        return {"gguf": s.gguf_path, "openai": f"{s.llm_model} @ {s.llm_url}",
                "ollama": f"ollama {s.llm_model}"}.get(s.llm, s.llm)

    # --- questions -----------------------------------------------------------------------------
    def retrieve(self, question: str, filters: Filters = Filters(), k: int | None = None):
        return self.retriever.retrieve(question, k or self.settings.top_k, self.settings.candidates, filters)

    def standalone(self, question: str, history: list[dict] | None) -> str:
        """A follow-up made to stand alone: a pronoun read as the entity last asked or answered about,
        without the model (see followup.py); the question unchanged when it needs no rewriting."""
        return standalone(question, history or [])

    def ask_stream(self, question: str, *, filters: Filters = Filters(), k: int | None = None,
                   history: list[dict] | None = None) -> Iterator[Event]:
        question = (question or "").strip()
        if not question:
            raise UserError("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise UserError(f"the question is longer than {self.settings.max_question_chars} characters")
        started = time.perf_counter()
        asked = self.standalone(question, history)
        passages = self.retrieve(asked, filters, k)
        groups = self.per_article(asked, filters, k) if asks_across_articles(asked) else []
        if groups:  # comparison mode: both articles' sentences, one answer line per article, each must
            # answer (offered NOT FOUND the model refused both lines of most seed comparison questions;
            # verification does the refusing)
            passages = [hit for group in groups for hit in group]
        topic = on_its_topic(asked) if groups else asked  # what the evidence is chosen and checked by
        evidence = select(topic, extract(asked), passages, per_article=bool(groups),
                          max_lines=self.settings.evidence_lines, max_chars=self.settings.evidence_chars)
        timings = {"retrieval_ms": round((time.perf_counter() - started) * 1000, 1)}
        extra = {"standalone_question": asked if asked != question else "", "model": self.llm_description(),
                 "retrieved": [{"chunk_id": p.node.node_id, "doc_id": p.node.metadata.get("doc_id"),
                                "score": p.score} for p in passages]}
        yield Event("sources", sources=shown_sources(evidence))
        if self._best_relevance(topic, passages) < self.settings.min_relevance or not evidence.lines:
            timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)  # nothing on topic: no model call
            yield Event("answer", answer=not_found(question, passages, timings=timings, **extra))
            return
        output = ""
        prompt = messages(evidence, for_one_article(asked) if groups else asked, per_article=bool(groups))
        with closing(self.llm.stream(prompt, self.settings.max_answer_tokens,
                                     grammar=grammar(evidence, per_article=bool(groups),
                                                     refusal=self._may_refuse() and not groups))) as reply:
            for piece in reply:
                if not output:
                    timings["first_token_ms"] = round((time.perf_counter() - started) * 1000, 1)
                    yield Event("checking")
                output += piece
                if whole := finished_reply(evidence, output, per_article=bool(groups)):
                    output = whole  # the rest is fixed: no more passes of the model
                    break
        timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        answer = compose(evidence, output, min_relevance=self.settings.min_relevance, compare=bool(groups),
                         timings=timings, **extra)
        answer.question = question
        yield Event("answer", answer=answer)

    def per_article(self, question: str, filters: Filters = Filters(), k: int | None = None) -> list[list]:
        """Comparison mode's passages: the two leading articles' own best passages, when both are on topic."""
        wide = self.retrieve(question, filters, max(10, k or self.settings.top_k))
        groups = []
        for doc_id in leading_articles(wide):
            group = self.retrieve(question, replace(filters, doc_id=doc_id), max(k or 0, self.settings.compare_k))
            if self._best_relevance(on_its_topic(question), group) >= self.settings.min_relevance:
                groups.append(group)
        return groups if len(groups) == 2 else []

    @staticmethod
    def _best_relevance(question: str, passages) -> float:
        return max((relevance(question, p.node.get_content(metadata_mode="embed")) for p in passages), default=0.0)

    def _may_refuse(self) -> bool:
        """The 0.5B preset is not offered NOT FOUND (it took it for 52 of 54 seed questions):
        verification does its refusing."""
        if self.settings.llm == "packaged":
            from qa.models.packaged import PRESETS

            return not PRESETS[self.settings.model_preset].no_refusal
        return True

    def ask(self, question: str, **kwargs) -> Answer:
        final = None
        for event in self.ask_stream(question, **kwargs):
            if event.kind == "answer":
                final = event.answer
        return final


def shown_sources(evidence: Evidence) -> list[Source]:
    """The passages the model reads from, numbered as the reader will see them, each with the first
    of its sentences shown to the model marked: what the page and the CLI show while the model
    writes. A passage none of whose sentences is shown is left out (comparison mode reads
    compare_k passages per article for checking, but the model sees a few sentences)."""
    sources = []
    for i, hit in enumerate(evidence.passages):
        lines = [line for line in evidence.lines if line.passage == i]
        if not lines and evidence.lines:
            continue
        span = (lines[0].start, lines[0].end) if lines else (-1, -1)
        sources.append(source_of(len(sources) + 1, hit, span))
    return sources
