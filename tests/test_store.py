"""Incremental ingest, delete, prune and crash repair against a real Chroma store (no LLM).

Every test runs twice: on the embedded store and on a real Chroma server (`chroma run`, the
`server` variant, marked e2e), where every read and write crosses HTTP.
"""
from __future__ import annotations

import pytest

from qa.errors import EmbedderMismatchError, UserError
from servers import store_modes

pytestmark = pytest.mark.parametrize("store_mode", store_modes())

TASS = "000_c2d1f9452d830162"
OTHER = "003_d38dc76a4702d5f4"


def _chroma_doc_ids(app) -> list[str]:
    metas = app.store.collection.get(include=["metadatas"])["metadatas"]
    return sorted(m["doc_id"] for m in metas)


def _bm25_doc_ids(app) -> set[str]:
    app.store.bm25.sync()
    return {cid.split("::")[0] for cid in app.store.bm25.node_ids()}


def test_ingest_is_incremental(make_app, corpus_copy, store_mode):
    app = make_app()
    first = app.ingest([corpus_copy])
    assert sorted(first.added) == [TASS, OTHER] and not first.failed
    assert app.settings.chroma_dir.exists() == (store_mode == "embedded")  # the server keeps its own files
    chunks = app.store.count()
    assert chunks == first.chunks_written > 2

    again = app.ingest([corpus_copy])
    assert again.added == [] and again.updated == [] and sorted(again.unchanged) == [TASS, OTHER]
    assert app.store.count() == chunks

    old_ids = app.store.registry()[OTHER].chunk_ids
    path = corpus_copy / f"{OTHER}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing sentence about the fund.\n", encoding="utf-8")
    edited = app.ingest([corpus_copy])
    assert edited.updated == [OTHER] and edited.unchanged == [TASS]
    registry = app.store.registry()
    assert all(e.complete for e in registry.values())  # old chunks of the edited article are gone
    assert not old_ids & set(app.store.chunk_ids())
    assert any("new closing sentence" in n.get_content() for n in app.store.nodes_by_id(sorted(registry[OTHER].chunk_ids)))
    app.store.bm25.sync()
    assert app.store.bm25.node_ids() == set(app.store.chunk_ids())  # and from BM25


def test_metadata_from_dateline(make_app, corpus_copy):
    app = make_app()
    app.ingest([corpus_copy])
    rows = {r["doc_id"]: r for r in app.sources()}
    assert rows[TASS]["source"] == "TASS" and rows[TASS]["date"] == "2025-04-19"
    assert rows[OTHER]["date"] == ""


def test_delete_removes_from_chroma_and_bm25(make_app, corpus_copy):
    app = make_app()
    app.ingest([corpus_copy])
    assert TASS in _bm25_doc_ids(app)
    removed = app.delete(TASS)
    assert removed > 0
    assert TASS not in _chroma_doc_ids(app)
    assert _bm25_doc_ids(app) == {OTHER}
    with pytest.raises(UserError):
        app.delete(TASS)


def test_prune_removes_articles_gone_from_sources(make_app, corpus_copy):
    app = make_app()
    app.ingest([corpus_copy])
    (corpus_copy / f"{TASS}.txt").unlink()
    report = app.ingest([corpus_copy], prune=True)
    assert report.pruned == [TASS]
    assert set(_chroma_doc_ids(app)) == {OTHER} and _bm25_doc_ids(app) == {OTHER}


def test_crash_leftovers_are_repaired_on_rerun(make_app, corpus_copy):
    """Simulate a kill mid-write: half an article's chunks present, BM25 manifest stale."""
    app = make_app()
    app.ingest([corpus_copy])
    clean_ids = sorted(app.store.chunk_ids())
    entry = app.store.registry()[OTHER]
    app.store.delete_ids(sorted(entry.chunk_ids)[: len(entry.chunk_ids) // 2])
    assert not app.store.registry()[OTHER].complete

    fresh = make_app()  # a new process opening the same store
    report = fresh.ingest([corpus_copy])
    assert report.updated == [OTHER]
    assert sorted(fresh.store.chunk_ids()) == clean_ids
    assert fresh.store.bm25.node_ids() == set(clean_ids)


def test_bm25_rebuilds_when_chroma_changed_behind_its_back(make_app, corpus_copy):
    app = make_app()
    app.ingest([corpus_copy])
    victim = sorted(app.store.registry()[TASS].chunk_ids)
    app.store.collection.delete(ids=victim)  # e.g. another instance on the same server
    other = make_app()
    other.store.bm25.sync()
    assert other.store.bm25.node_ids() == set(other.store.chunk_ids())


def test_bad_files_are_reported_and_the_rest_ingested(make_app, corpus_copy):
    (corpus_copy / "empty.txt").write_text("   \n")
    (corpus_copy / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus_copy / "notes.pdf").write_bytes(b"%PDF-1.4")
    (corpus_copy / "twin.txt").write_text((corpus_copy / f"{TASS}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app()
    report = app.ingest([corpus_copy])
    assert sorted(report.added) == [TASS, OTHER]
    failed = {p.rsplit("/", 1)[-1]: reason for p, reason in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "notes.pdf"} and all(failed.values())
    assert report.skipped and "duplicate" in report.skipped[0][1]
    assert report.read == 6


def test_embedder_change_is_refused(make_app, corpus_copy):
    app = make_app()
    app.ingest([corpus_copy])
    app.store.collection.modify(metadata={"embedder": "some-other-embedder"})
    with pytest.raises(EmbedderMismatchError):
        make_app().store


def test_filters_restrict_retrieval(make_app, corpus_copy):
    from qa import Filters

    app = make_app()
    app.ingest([corpus_copy])
    hits = app.retrieve("Rubio warning", Filters(source="TASS"), k=5)
    assert hits and {h.node.metadata["doc_id"] for h in hits} == {TASS}
    hits = app.retrieve("Rubio warning", Filters(since="2025-04-01", until="2025-04-30"), k=5)
    assert {h.node.metadata["doc_id"] for h in hits} == {TASS}  # the undated article has no date to match
    assert app.retrieve("Rubio warning", Filters(since="2026-01-01"), k=5) == []
    other = next(row["doc_id"] for row in app.sources() if row["doc_id"] != TASS)
    hits = app.retrieve("Rubio warning", Filters(doc_id=other), k=5)  # comparison mode asks one article
    assert hits and {h.node.metadata["doc_id"] for h in hits} == {other}
    groups = app.per_article("Who was Rubio's warning aimed at according to the reports?")
    chunks = {row["doc_id"]: row["chunks"] for row in app.sources()}
    docs = [{h.node.metadata["doc_id"] for h in g} for g in groups]
    assert len(docs) == 2 and all(len(d) == 1 for d in docs) and docs[0] != docs[1]  # one article per group
    assert [len(g) for g in groups] == [min(app.settings.compare_k, chunks[next(iter(d))]) for d in docs]
    with pytest.raises(UserError):
        app.retrieve("x", Filters(since="April"), k=5)


def test_retrieval_finds_the_deadline_passage(make_app, corpus_copy):
    app = make_app()
    app.ingest([corpus_copy])
    hits = app.retrieve("What deadline was set for the fund agreement?", k=4)
    assert any("finalising the agreement by April 26" in h.node.get_content() for h in hits)


def test_lean_bm25_side_retrieves_what_stock_llama_index_does(make_app, corpus_copy):
    """The BM25 side keeps no text: its hits, read back from Chroma, and the fused results must be
    exactly those of llama-index's own BM25Retriever over full nodes (the code before the lean side)."""
    from llama_index.core.llms import MockLLM
    from llama_index.core.retrievers import QueryFusionRetriever, VectorIndexRetriever
    from llama_index.retrievers.bm25 import BM25Retriever

    from evals.goldset import load_gold
    from qa import Filters
    from qa.retrieve import by_pins

    app = make_app()
    app.ingest([corpus_copy])
    app.store.bm25.sync()
    nodes = app.store.nodes_by_id(app.store.chunk_ids())  # Chroma's order, as the side indexes them
    stock = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=len(nodes))

    class StockSparse:  # the stock retriever, zero scores dropped (what the hybrid used before)
        def __init__(self, top_k, mask):
            self.inner = BM25Retriever(existing_bm25=stock.bm25, similarity_top_k=top_k, corpus_weight_mask=mask)
            self.inner.corpus = stock.corpus

        def retrieve(self, query):
            return [h for h in self.inner.retrieve(query) if (h.score or 0) > 0]

    def same(got, want):
        assert [h.node.node_id for h in got] == [h.node.node_id for h in want]
        assert [h.score for h in got] == pytest.approx([h.score for h in want])
        assert [h.node.model_dump() for h in got] == [h.node.model_dump() for h in want]  # text, metadata, all

    questions = [item.question for item in load_gold("evals/gold/seed.jsonl")] + ["Rubio warning", "zzzz"]
    settings = app.settings
    candidates = min(settings.candidates, len(nodes))
    for filters in (Filters(), Filters(source="TASS"), Filters(since="2025-04-01")):
        mask = [int(filters.keep(c)) for c in stock.corpus] if filters.active else None
        for question in questions:
            sparse = app.store.bm25.retriever(len(nodes), keep=filters.keep if filters.active else None)
            same(sparse.retrieve(question) if sparse else [], StockSparse(len(nodes), mask).retrieve(question))
            dense = VectorIndexRetriever(index=app.retriever.index, similarity_top_k=settings.candidates,
                                         filters=filters.to_llama())
            before = QueryFusionRetriever([dense, StockSparse(candidates, mask)], llm=MockLLM(), mode="reciprocal_rerank",
                                          num_queries=1, similarity_top_k=max(settings.top_k, settings.candidates),
                                          use_async=False)
            same(app.retrieve(question, filters), by_pins(question, before.retrieve(question))[:settings.top_k])


def test_registry_from_the_bm25_side_only_while_it_matches_chroma(make_app, corpus_copy):
    app = make_app()
    app.ingest([corpus_copy])
    assert app.store.bm25.current_corpus() is not None
    assert app.store.registry() == app.store.registry(from_chroma=True)
    victim = sorted(app.store.registry()[TASS].chunk_ids)[:1]
    app.store.collection.delete(ids=victim)  # behind the side's back: it no longer matches
    assert app.store.bm25.current_corpus() is None
    assert not app.store.registry()[TASS].complete  # read from Chroma
    assert app.store.registry() == app.store.registry(from_chroma=True)


def test_a_write_invalidates_the_persisted_bm25_side(make_app, corpus_copy):
    """Killed between a write and the BM25 sync: the same ids stored again with other metadata must
    not be answered from the old side index (a fingerprint covers ids, not metadata)."""
    app = make_app()
    app.ingest([corpus_copy])
    nodes = app.store.nodes_by_id(sorted(app.store.registry()[TASS].chunk_ids))
    app.store.delete_ids([n.node_id for n in nodes])  # e.g. `qa delete`, killed before its sync
    for node in nodes:
        node.metadata["path"] = "/elsewhere/tass.txt"
    app.store.add_nodes(nodes)  # the same chunk ids are back, from another path
    fresh = make_app()
    assert fresh.store.registry()[TASS].path == "/elsewhere/tass.txt"
    fresh.store.bm25.sync()
    assert fresh.store.bm25.current_corpus() is not None
    assert fresh.store.registry()[TASS].path == "/elsewhere/tass.txt"
