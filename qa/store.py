"""The store: one Chroma collection (the source of truth) and a BM25 side index derived from it.

Chroma holds every chunk with its article's metadata; the per-article registry (content hash,
chunk count) is read back from those chunks, so there is no second ledger to drift. The BM25
index is persisted with a fingerprint of the chunk ids it was built from and rebuilt whenever
Chroma's ids differ — after a crash, an edit by another instance, or a server-side change.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from llama_index.core.schema import BaseNode, NodeWithScore
from llama_index.core.vector_stores.utils import metadata_dict_to_node

from qa.config import Settings
from qa.errors import EmbedderMismatchError, UserError

PAGE = 5000  # chunks per Chroma read, so large stores are read in bounded memory


def open_chroma_client(settings: Settings):
    """PersistentClient under the data dir, or HttpClient when QA_CHROMA_URL is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # connection refused, DNS, TLS…
            raise UserError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
        return client
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


@dataclass
class DocEntry:
    """What the store knows of one article, read back from its chunks."""

    doc_id: str
    sha256: str
    n_chunks: int
    title: str
    source: str
    date: str
    path: str
    chunk_ids: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        """One version only, with all its chunks: anything else is a crash leftover to repair."""
        return len(self.hashes) == 1 and len(self.chunk_ids) == self.n_chunks


class Store:
    def __init__(self, settings: Settings, embed_model, embedder_name: str):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        if len(settings.collection) < 3:
            raise UserError("QA_COLLECTION needs at least 3 characters (a Chroma rule)")
        self.settings = settings
        self.embed_model = embed_model
        self.client = open_chroma_client(settings)
        self.collection = self.client.get_or_create_collection(
            settings.collection,
            embedding_function=None,  # we embed; Chroma's default would download a model
            metadata={"embedder": embedder_name, "hnsw:space": "cosine"},
        )
        stored = (self.collection.metadata or {}).get("embedder")
        if stored and stored != embedder_name and self.collection.count() > 0:
            raise EmbedderMismatchError(
                f"collection {settings.collection!r} was built with embedder {stored!r}, "
                f"but {embedder_name!r} is configured; re-ingest into a new collection "
                f"(QA_COLLECTION) or delete {settings.chroma_dir} and ingest again"
            )
        self.vector_store = ChromaVectorStore(chroma_collection=self.collection)
        self.bm25 = BM25Side(settings.data_dir / "bm25" / settings.collection, self)

    # --- reading ---------------------------------------------------------------------------
    def iter_chunks(self, include: list[str]) -> Iterator[tuple[str, dict | None, str | None]]:
        offset = 0
        while True:
            page = self.collection.get(include=include, limit=PAGE, offset=offset)
            ids = page["ids"]
            metas = page.get("metadatas") or [None] * len(ids)
            docs = page.get("documents") or [None] * len(ids)
            yield from zip(ids, metas, docs)
            if len(ids) < PAGE:
                return
            offset += PAGE

    def chunk_ids(self) -> list[str]:
        return [cid for cid, _, _ in self.iter_chunks(include=[])]

    def registry(self) -> dict[str, DocEntry]:
        docs: dict[str, DocEntry] = {}
        for cid, meta, _ in self.iter_chunks(include=["metadatas"]):
            meta = meta or {}
            doc_id = str(meta.get("doc_id", ""))
            entry = docs.get(doc_id)
            if entry is None:
                entry = docs[doc_id] = DocEntry(
                    doc_id=doc_id,
                    sha256=str(meta.get("sha256", "")),
                    n_chunks=int(meta.get("n_chunks", 0)),
                    title=str(meta.get("title", "")),
                    source=str(meta.get("source", "")),
                    date=str(meta.get("date", "")),
                    path=str(meta.get("path", "")),
                )
            entry.chunk_ids.add(cid)
            entry.hashes.add(str(meta.get("sha256", "")))
        return docs

    def count(self) -> int:
        return self.collection.count()

    def nodes_by_id(self, ids: list[str]) -> list[BaseNode]:
        got = self.collection.get(ids=ids, include=["metadatas", "documents"])
        return [metadata_dict_to_node(m, text=d) for m, d in zip(got["metadatas"], got["documents"])]

    # --- writing ---------------------------------------------------------------------------
    def add_nodes(self, nodes: list[BaseNode]) -> None:
        texts = [n.get_content(metadata_mode="embed") for n in nodes]
        vectors = self.embed_model.get_text_embedding_batch(texts)
        for node, vector in zip(nodes, vectors):
            node.embedding = vector
        self.vector_store.add(nodes)

    def delete_ids(self, ids: list[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), PAGE):
            self.collection.delete(ids=ids[i : i + PAGE])

    def delete_doc(self, doc_id: str) -> int:
        ids = self.collection.get(where={"doc_id": doc_id}, include=[])["ids"]
        self.delete_ids(ids)
        return len(ids)


class BM25Side:
    """llama-index's BM25Retriever over the store's chunks, kept equal to Chroma by fingerprint."""

    def __init__(self, directory: Path, store: Store):
        self.directory = directory
        self.store = store
        self._bm25 = None
        self._fingerprint = None
        self._count = -1
        self._lock = threading.RLock()  # a query thread and an ingest may both ask for a sync

    @staticmethod
    def _fingerprint_of(ids: list[str]) -> str:
        return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()

    def _manifest(self) -> dict:
        try:
            return json.loads((self.directory / "manifest.json").read_text())
        except (OSError, ValueError):
            return {}

    def ensure_current(self) -> None:
        """Per-query check: a count change means another writer touched the store (a full id
        comparison runs at open and after every ingest or delete, see `sync`)."""
        if self._fingerprint is None or self.store.count() != self._count:
            self.sync()

    def sync(self, force: bool = False) -> None:
        """Load the persisted index if it matches Chroma's ids, else rebuild it from Chroma."""
        with self._lock:
            self._sync(force)

    def _sync(self, force: bool) -> None:
        from llama_index.retrievers.bm25 import BM25Retriever

        ids = self.store.chunk_ids()
        self._count = len(ids)
        current = self._fingerprint_of(ids)
        if not force and current == self._fingerprint:
            return
        if not force and self._manifest().get("fingerprint") == current:
            if current == self._fingerprint_of([]):
                self._bm25, self._fingerprint = None, current
                return
            try:
                import bm25s

                index = bm25s.BM25.load(str(self.directory), load_corpus=True, mmap=False, show_progress=False)
                self._bm25 = BM25Retriever(existing_bm25=index)
                self._fingerprint = current
                return
            except Exception:  # damaged files: fall through to a rebuild
                pass
        self._rebuild(current)

    def _rebuild(self, fingerprint: str) -> None:
        from llama_index.retrievers.bm25 import BM25Retriever

        nodes = [
            metadata_dict_to_node(meta, text=doc)
            for _, meta, doc in self.store.iter_chunks(include=["metadatas", "documents"])
        ]
        self._bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=10) if nodes else None
        if self._bm25 is not None:
            self._bm25.bm25.corpus = self._bm25.corpus  # as after a load, so retrievers can share it
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.persist(str(tmp), show_progress=False)
        (tmp / "manifest.json").write_text(json.dumps({"fingerprint": fingerprint, "chunks": len(nodes)}))
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)  # the manifest and the index appear together
        shutil.rmtree(old, ignore_errors=True)
        self._fingerprint = fingerprint

    @property
    def size(self) -> int:
        return len(self._bm25.corpus) if self._bm25 is not None else 0

    def node_ids(self) -> set[str]:
        return {c["node_id"] for c in self._bm25.corpus} if self._bm25 is not None else set()

    def retriever(self, top_k: int, keep=None):
        """A BM25 retriever over the shared index; `keep(metadata) -> bool` filters chunks."""
        from llama_index.retrievers.bm25 import BM25Retriever

        if self._bm25 is None:
            return None
        mask = None
        if keep is not None:
            mask = [int(keep(c)) for c in self._bm25.corpus]
            if not any(mask):
                return None
        return BM25Retriever(
            existing_bm25=self._bm25.bm25,
            similarity_top_k=min(top_k, self.size),
            corpus_weight_mask=mask,
        )


def drop_empty(nodes: list[NodeWithScore]) -> list[NodeWithScore]:
    """BM25 pads with zero-score hits (and masked-out chunks score zero)."""
    return [n for n in nodes if (n.score or 0) > 0]
