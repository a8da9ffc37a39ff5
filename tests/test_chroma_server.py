"""The store against a real Chroma server (QA_CHROMA_URL): `chroma run`, shipped with chromadb.

Same store code as the embedded PersistentClient, but every read and write crosses HTTP. Covers
ingest / retrieve / re-ingest / delete, a server restart (data persists, a new instance's BM25
side index agrees with Chroma, and it answers the deadline question with a citation — the one
model call here), two instances with separate data dirs sharing one server (each
sees the other's writes and rebuilds its BM25 index when the fingerprint moves), and a dead URL.
The store tests (tests/test_store.py) and the bad-input fault suite (tests/test_faults.py) also
run against a Chroma server: their `server` variants (`servers.store_modes()`, conftest `store_for`).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import Dateline, load_settings
from qa.errors import UserError
from servers import chroma_server, dead_port

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TASS = "000_c2d1f9452d830162"
OTHER = "003_d38dc76a4702d5f4"
DEADLINE = "What deadline was set for the fund agreement?"
DEADLINE_QUOTE = "finalising the agreement by April 26"


@pytest.fixture
def chroma(tmp_path):
    with chroma_server(tmp_path / "chroma-server", tmp_path / "chroma.log") as server:
        yield server


def remote_app(server, data_dir: Path, models_cache: Path) -> Dateline:
    return Dateline(load_settings(data_dir=data_dir, chroma_url=server.base, models_cache=models_cache))


def finds_deadline(hits) -> bool:
    return any(DEADLINE_QUOTE in h.node.get_content() for h in hits)


def doc_ids(app: Dateline) -> set[str]:
    return {row["doc_id"] for row in app.sources()}


def bm25_agrees(app: Dateline) -> bool:
    app.store.bm25.sync()
    return app.store.bm25.node_ids() == set(app.store.chunk_ids())


def spy_rebuilds(app: Dateline) -> list[str]:
    """Record the fingerprints this instance's BM25 side index is rebuilt for."""
    bm25 = app.store.bm25
    calls: list[str] = []
    original = bm25._rebuild

    def rebuild() -> None:
        original()
        calls.append(bm25._fingerprint)  # of the ids it indexed

    bm25._rebuild = rebuild
    return calls


def test_ingest_retrieve_reingest_delete(chroma, tmp_path, models_cache):
    app = remote_app(chroma, tmp_path / "data", models_cache)
    assert app.store.client.get_settings().chroma_api_impl.endswith("FastAPI")  # an HTTP client
    first = app.ingest([CORPUS])
    assert sorted(first.added) == [TASS, OTHER] and not first.failed
    chunks = app.store.count()
    assert chunks == first.chunks_written > 2
    assert not app.settings.chroma_dir.exists()  # nothing embedded on our side …
    assert (chroma.log.parent / "chroma-server" / "chroma.sqlite3").exists()  # … it is on the server
    assert app.stats()["store"] == chroma.base and app.stats()["chunks"] == chunks

    assert finds_deadline(app.retrieve(DEADLINE))

    again = app.ingest([CORPUS])
    assert again.added == [] and again.updated == [] and sorted(again.unchanged) == [TASS, OTHER]
    assert app.store.count() == chunks

    removed = app.delete(TASS)
    assert removed > 0 and app.store.count() == chunks - removed
    assert doc_ids(app) == {OTHER}
    assert not app.store.collection.get(where={"doc_id": TASS}, include=[])["ids"]
    assert {cid.split("::")[0] for cid in app.store.bm25.node_ids()} == {OTHER}
    assert all(h.node.metadata["doc_id"] == OTHER for h in app.retrieve("Rubio Trump patience Ukraine talks"))
    assert bm25_agrees(app)


def test_data_survives_a_server_restart(chroma, tmp_path, models_cache):
    before = remote_app(chroma, tmp_path / "data", models_cache)
    assert len(before.ingest([CORPUS]).added) == 2
    ids = sorted(before.store.chunk_ids())
    sources = before.sources()

    old_pid = chroma.proc.pid
    chroma.restart()
    assert chroma.proc.pid != old_pid and chroma.alive

    after = remote_app(chroma, tmp_path / "data", models_cache)  # a new instance, new client
    assert after.sources() == sources
    assert sorted(after.store.chunk_ids()) == ids
    assert finds_deadline(after.retrieve(DEADLINE))
    after.store.bm25.sync()
    assert after.store.bm25.node_ids() == set(after.store.chunk_ids())

    # the one model call of the server tests: a cited answer from what the restarted server holds
    answer = after.ask(DEADLINE)
    assert answer.status == "answered" and "April 26" in answer.answer, answer.raw_output
    assert any(DEADLINE_QUOTE in c.passage and "April 26" in c.quote and c.chunk_id in ids
               for c in answer.citations), answer.to_dict()["citations"]

    # the instance opened before the restart reconnects by itself
    assert before.sources() == sources and finds_deadline(before.retrieve(DEADLINE))


def test_two_instances_share_one_server(chroma, tmp_path, models_cache):
    a = remote_app(chroma, tmp_path / "data-a", models_cache)
    b = remote_app(chroma, tmp_path / "data-b", models_cache)
    assert a.ingest([CORPUS / f"{TASS}.txt"]).added == [TASS]

    # b has no BM25 index of its own yet: it builds one from what a wrote
    b_rebuilds = spy_rebuilds(b)
    assert doc_ids(b) == {TASS}
    assert bm25_agrees(b) and len(b_rebuilds) == 1
    assert b.ingest([CORPUS / f"{OTHER}.txt"]).added == [OTHER]

    # a's persisted BM25 index no longer matches Chroma's ids: the next query rebuilds it
    a_rebuilds = spy_rebuilds(a)
    assert doc_ids(a) == {TASS, OTHER}
    assert finds_deadline(a.retrieve(DEADLINE))  # the passage b ingested, found by a
    assert len(a_rebuilds) == 1
    assert a.store.bm25.node_ids() == set(a.store.chunk_ids())
    sparse = a.store.bm25.retriever(10).retrieve(DEADLINE)
    assert finds_deadline(sparse)  # BM25 itself, not only the vectors, has b's chunks
    manifest = json.loads((a.store.bm25.directory / "manifest.json").read_text())
    assert manifest["fingerprint"] == a_rebuilds[0] and manifest["chunks"] == a.store.count()

    # nothing is re-embedded: each sees the other's article as already stored
    again = b.ingest([CORPUS])
    assert sorted(again.unchanged) == [TASS, OTHER] and again.added == []

    # a delete through b reaches a; a's next query drops the chunks from its BM25 index
    b.delete(TASS)
    assert doc_ids(a) == {OTHER}
    assert all(h.node.metadata["doc_id"] == OTHER for h in a.retrieve("Rubio Trump patience Ukraine talks"))
    assert len(a_rebuilds) == 2 and bm25_agrees(a)

    # and another process (the CLI, with a third data dir) sees the same store
    env = {**os.environ, "QA_DATA_DIR": str(tmp_path / "data-cli"), "QA_CHROMA_URL": chroma.base,
           "QA_MODELS_CACHE": str(models_cache)}
    done = subprocess.run([sys.executable, "-m", "qa.cli", "sources", "--json"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [row["doc_id"] for row in json.loads(done.stdout)] == [OTHER]


def test_unreachable_chroma_url_is_a_user_error(tmp_path, models_cache):
    url = f"http://127.0.0.1:{dead_port()}"
    app = Dateline(load_settings(data_dir=tmp_path / "data", chroma_url=url, models_cache=models_cache))
    with pytest.raises(UserError) as info:
        app.store
    assert url in str(info.value)
    assert not app.settings.chroma_dir.exists()  # no silent fallback to an embedded store
