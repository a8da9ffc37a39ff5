"""Hybrid retrieval: Chroma dense + BM25, fused by reciprocal rank (llama-index pieces), then
ranked by the question's pins: a passage whose text, title or article date holds every year,
quarter, edition and name the question pins down comes before one that misses any (fusion order
kept among equals), since news archives hold the same event for every year; a missing name costs
half what a missing year does. A passage with a sentence that holds a value of the kind asked (a
date for a when-question) and meets the pins gains a little.

Filters (source, date range) go to Chroma as metadata filters and to BM25 as a corpus mask, so
both sides rank only the articles the user asked about.
"""
from __future__ import annotations

from dataclasses import dataclass

from llama_index.core import VectorStoreIndex
from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import QueryFusionRetriever, VectorIndexRetriever
from llama_index.core.schema import NodeWithScore
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

from qa.answer.constraints import extract
from qa.answer.evidence import reported_spans
from qa.answer.kinds import evident_in, evident_share
from qa.errors import UserError
from qa.store import Store


@dataclass(frozen=True)
class Filters:
    source: str = ""
    since: str = ""  # ISO date, inclusive
    until: str = ""
    doc_id: str = ""  # one article only (comparison mode asks each article on its own)

    @staticmethod
    def _num(value: str, flag: str) -> int:
        try:
            y, m, d = (int(x) for x in value.split("-"))
            return y * 10000 + m * 100 + d
        except ValueError as exc:
            raise UserError(f"{flag} takes a date as YYYY-MM-DD, got {value!r}") from exc

    def to_llama(self) -> MetadataFilters | None:
        filters = []
        if self.source:
            filters.append(MetadataFilter(key="source", value=self.source, operator=FilterOperator.EQ))
        if self.doc_id:
            filters.append(MetadataFilter(key="doc_id", value=self.doc_id, operator=FilterOperator.EQ))
        if self.since:
            filters.append(MetadataFilter(key="date_num", value=self._num(self.since, "--since"), operator=FilterOperator.GTE))
        if self.until:
            filters.append(MetadataFilter(key="date_num", value=self._num(self.until, "--until"), operator=FilterOperator.LTE))
        return MetadataFilters(filters=filters) if filters else None

    def keep(self, meta: dict) -> bool:
        if self.source and meta.get("source") != self.source:
            return False
        if self.doc_id and meta.get("doc_id") != self.doc_id:
            return False
        date_num = int(meta.get("date_num") or 0)
        if self.since and date_num < self._num(self.since, "--since"):
            return False
        if self.until and not (0 < date_num <= self._num(self.until, "--until")):
            return False
        return True

    @property
    def active(self) -> bool:
        return bool(self.source or self.since or self.until or self.doc_id)


class HybridRetriever:
    def __init__(self, store: Store):
        self.store = store
        self.index = VectorStoreIndex.from_vector_store(store.vector_store, embed_model=store.embed_model)

    def retrieve(self, question: str, top_k: int, candidates: int, filters: Filters = Filters()) -> list[NodeWithScore]:
        if self.store.count() == 0:
            return []
        self.store.bm25.ensure_current()
        dense = VectorIndexRetriever(
            index=self.index, similarity_top_k=candidates, filters=filters.to_llama()
        )
        sparse = self.store.bm25.retriever(candidates, keep=filters.keep if filters.active else None)
        if sparse is None:
            return by_pins(question, dense.retrieve(question))[:top_k]
        fused = QueryFusionRetriever(
            [dense, sparse],
            llm=MockLLM(),
            mode="reciprocal_rerank",
            num_queries=1,
            similarity_top_k=max(top_k, candidates),
            use_async=False,
        )
        return by_pins(question, fused.retrieve(question))[:top_k]


KIND_WEIGHT = 0.3  # a passage with a sentence that holds a value of the kind asked and meets the pins gains this much


def by_pins(question: str, hits: list[NodeWithScore]) -> list[NodeWithScore]:
    """Hits that hold more of the question's pins, and a value of the kind asked (a date for when,
    an amount for how much) in a sentence that meets the pins, first; a stable sort keeps the fused
    order among equals. The value must be in such a sentence: last year's results page that links to
    this year's event holds a date, but of last year, and is no answer to when this year's was (a date
    of another year than the question pins gains less, `evident_share`)."""
    pins = extract(question)

    def held(hit: NodeWithScore) -> float:
        meta, text = hit.node.metadata, hit.node.get_content()
        context, date = f"{text}\n{meta.get('title') or ''}", str(meta.get("date") or "")
        return pins.score(context, date) + KIND_WEIGHT * answers(text, context, date)

    def answers(text: str, context: str, date: str) -> float:
        """The best `evident_share` of a sentence of the passage that meets the pins."""
        best, spans = 0.0, reported_spans(text)  # not the dateline: it dates the article, no answer to when
        for a, b in spans if spans and evident_in(question, text[spans[0][0]:]) else ():
            share = evident_share(question, text[a:b], pins.years)
            if share > best and pins.check(text[a:b], context, date).met:
                best = share
                if best == 1.0:
                    break
        return best

    return sorted(hits, key=held, reverse=True)

