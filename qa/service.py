"""The one public entry point: the CLI, the page, the HTTP API and the evals all go through it.

Models load lazily (a `qa sources` never loads the LLM) and live on the service object, not in
globals, so tests and the eval runner can open several stores side by side.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator

from qa.answer.compose import Answer, compose, not_found
from qa.answer.crosscheck import asks_across_articles, for_one_article, leading_articles, other_article_passages, renumber
from qa.answer.prompt import QUOTE_FIRST_GRAMMAR, REPLY_GRAMMAR, build_messages
from qa.answer.text import relevance
from qa.config import Settings, load_settings
from qa.errors import UserError
from qa.ingest.pipeline import IngestReport, ingest
from qa.retrieve import Filters, HybridRetriever

REWRITE_SYSTEM = (
    "Rewrite the user's last question as one standalone question, using the conversation only to "
    "resolve words like 'it', 'they', 'that deal'. Reply with the question only."
)


@dataclass
class Event:
    """A streamed step of an answer: kind is "draft" (model text so far) or "answer" (final)."""

    kind: str
    text: str = ""
    answer: Answer | None = None


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
        """Load the embedder, store and model now (a server does this at start, not on the first question)."""
        self.retriever
        self.llm

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
        """A follow-up rewritten with the conversation into a question that stands alone."""
        if not history:
            return question
        turns = "\n".join(f"{t['role']}: {t['content']}" for t in history[-6:])
        messages = [{"role": "system", "content": REWRITE_SYSTEM},
                    {"role": "user", "content": f"Conversation:\n{turns}\n\nLast question: {question}"}]
        text = "".join(self.llm.stream(messages, max_tokens=64)).strip().split("\n")[0]
        return text.strip('" ') or question

    def ask_stream(self, question: str, *, filters: Filters = Filters(), k: int | None = None,
                   history: list[dict] | None = None) -> Iterator[Event]:
        question = (question or "").strip()
        if not question:
            raise UserError("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise UserError(f"the question is longer than {self.settings.max_question_chars} characters")
        started = time.perf_counter()
        asked = self.standalone(question, history)
        t0 = time.perf_counter()
        passages = self.retrieve(asked, filters, k)
        groups = self.per_article(asked, filters, k) if asks_across_articles(asked) else []
        if groups:  # comparison mode: the model reads each article on its own
            passages = [hit for group in groups for hit in group]
        timings = {"retrieval_ms": round((time.perf_counter() - t0) * 1000, 1)}
        extra = {"standalone_question": asked if asked != question else "", "model": self.llm_description(),
                 "retrieved": [{"chunk_id": p.node.node_id, "doc_id": p.node.metadata.get("doc_id"),
                                "score": p.score} for p in passages]}
        min_relevance = self.settings.min_relevance
        if self._best_relevance(asked, passages) < min_relevance:  # nothing on topic: refuse without the model
            timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
            yield Event("answer", answer=not_found(question, passages, timings=timings, **extra))
            return
        output = ""
        replies = self._replies(for_one_article(asked), groups, QUOTE_FIRST_GRAMMAR) if groups else self._drafts(asked, passages)
        for output in replies:
            timings.setdefault("first_token_ms", round((time.perf_counter() - started) * 1000, 1))
            yield Event("draft", text=output)
        second = ""
        if self.settings.second_opinion and not groups:  # does the other article agree?
            answer = compose(asked, passages, output, min_relevance=min_relevance)
            others = other_article_passages(asked, passages, {c.doc_id for c in answer.citations}, min_relevance)
            if answer.status == "answered" and others:
                for second in self._drafts(asked, [passages[i] for i in others]):
                    yield Event("draft", text=f"{output}\n{second}")
                second = renumber(second, others)
        timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        answer = compose(asked, passages, output, second_opinion=second, min_relevance=min_relevance,
                         compare=bool(groups), timings=timings, **extra)
        answer.question = question
        yield Event("answer", answer=answer)

    def per_article(self, question: str, filters: Filters = Filters(), k: int | None = None) -> list[list]:
        """Comparison mode's passages: the two leading articles' own best passages, when both are on topic."""
        wide = self.retrieve(question, filters, max(10, k or self.settings.top_k))
        groups = []
        for doc_id in leading_articles(wide):
            group = self.retrieve(question, replace(filters, doc_id=doc_id), k)
            if self._best_relevance(question, group) >= self.settings.min_relevance:
                groups.append(group)
        return groups if len(groups) == 2 else []

    @staticmethod
    def _best_relevance(question: str, passages) -> float:
        return max((relevance(question, p.node.get_content(metadata_mode="embed")) for p in passages), default=0.0)

    def _replies(self, question: str, groups: list[list], grammar: str) -> Iterator[str]:
        """The model's replies, one per group of passages, numbered as in the groups joined.
        Each must quote (no refusal branch): verification does the refusing, per article."""
        done: list[str] = []
        offset, last = 0, ""
        for group in groups:
            reply = ""
            for reply in self._drafts(question, group, grammar):
                last = "\n".join(done + [reply])
                yield last
            done.append(renumber(reply, list(range(offset, offset + len(group)))) if offset else reply)
            offset += len(group)
        if "\n".join(done) != last:
            yield "\n".join(done)

    def _reply_grammar(self) -> str:
        if self.settings.llm == "packaged":
            from qa.models.packaged import PRESETS

            if PRESETS[self.settings.model_preset].quote_first:
                return QUOTE_FIRST_GRAMMAR
        return REPLY_GRAMMAR

    def _drafts(self, question: str, passages, grammar: str = "") -> Iterator[str]:
        """The model's reply about these passages, growing piece by piece."""
        text = ""
        for piece in self.llm.stream(build_messages(question, passages), self.settings.max_answer_tokens,
                                     grammar=grammar or self._reply_grammar()):
            text += piece
            yield text

    def ask(self, question: str, **kwargs) -> Answer:
        final = None
        for event in self.ask_stream(question, **kwargs):
            if event.kind == "answer":
                final = event.answer
        return final
