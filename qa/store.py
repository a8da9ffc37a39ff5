"""The store: one Chroma collection (the source of truth) and a BM25 side index derived from it.

Chroma holds every chunk with its article's metadata; the per-article registry (content hash,
chunk count) is read back from those chunks, so there is no second ledger to drift. The BM25
index is persisted with a fingerprint of the chunk ids it was built from and rebuilt whenever
Chroma's ids differ — after a crash, an edit by another instance, or a server-side change. It
keeps per chunk only the id and the few fields filters and the registry need (not the text), so
hits are read back from Chroma and the registry can be answered without reading Chroma's metadata.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from llama_index.core.schema import BaseNode, MetadataMode, NodeWithScore
from llama_index.core.vector_stores.utils import metadata_dict_to_node

from qa.config import Settings
from qa.errors import EmbedderMismatchError, UserError

# Chunks per Chroma read, so large stores are read in bounded memory. Reading 100k chunks' metadata
# in pages of 5,000 left +550 MB in the embedded process (+0.8-1.1 GB in the HTTP client), in pages
# of 1,000 +250 MB (+0.1-0.3 GB), and was no slower.
PAGE = 1000
ID_PAGE = 100_000  # ids only: ~10 MB a read; each offset read rescans, 5,000 a page took 1.2 s at 100k

# BM25 tokenizing: llama-index's BM25Retriever defaults, so its query side matches our corpus side.
STEMMER, STOPWORDS, TOKEN_PATTERN = "english", "en", r"(?u)\b\w\w+\b"
# Chunk metadata the BM25 corpus keeps: what Filters.keep and DocEntry read.
LEAN_KEYS = ("doc_id", "sha256", "n_chunks", "title", "source", "date", "date_num", "path")
CORPUS_FORMAT = "lean-1"  # in the manifest: an index persisted in another format is rebuilt


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
    def iter_chunks(self, include: list[str], page_size: int = PAGE) -> Iterator[tuple[str, dict | None, str | None]]:
        offset = 0
        while True:
            page = self.collection.get(include=include, limit=page_size, offset=offset)
            ids = page["ids"]
            metas = page.get("metadatas") or [None] * len(ids)
            docs = page.get("documents") or [None] * len(ids)
            yield from zip(ids, metas, docs)
            if len(ids) < page_size:
                return
            offset += page_size

    def chunk_ids(self) -> list[str]:
        return [cid for cid, _, _ in self.iter_chunks(include=[], page_size=ID_PAGE)]

    def registry(self, from_chroma: bool = False) -> dict[str, DocEntry]:
        """Per-article entries: from the BM25 corpus when it was built from exactly Chroma's current
        ids (an id read instead of every chunk's metadata), else — or when asked — from Chroma."""
        corpus = None if from_chroma else self.bm25.current_corpus()
        if corpus is not None:
            rows = ((c["node_id"], c) for c in corpus)
        else:
            rows = ((cid, meta or {}) for cid, meta, _ in self.iter_chunks(include=["metadatas"]))
        docs: dict[str, DocEntry] = {}
        for cid, meta in rows:
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
        """The stored chunks in the order asked for; ids no longer in Chroma are left out."""
        if not ids:
            return []
        got = self.collection.get(ids=ids, include=["metadatas", "documents"])
        nodes = {cid: metadata_dict_to_node(m, text=d)
                 for cid, m, d in zip(got["ids"], got["metadatas"], got["documents"])}
        return [nodes[cid] for cid in ids if cid in nodes]

    # --- writing ---------------------------------------------------------------------------
    def add_nodes(self, nodes: list[BaseNode]) -> None:
        texts = [n.get_content(metadata_mode="embed") for n in nodes]
        vectors = self.embed_model.get_text_embedding_batch(texts)
        for node, vector in zip(nodes, vectors):
            node.embedding = vector
        with self.bm25.writing():
            self.vector_store.add(nodes)

    def delete_ids(self, ids: list[str]) -> None:
        ids = list(ids)
        with self.bm25.writing():
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
            ids = self.store.chunk_ids()
            if force or not self._adopt(ids):
                self._rebuild()

    def current_corpus(self) -> list[dict] | None:
        """The corpus if the index was built from exactly Chroma's current ids, else None. Never
        rebuilds: a caller in the middle of an ingest reads Chroma instead."""
        with self._lock:
            if not self._adopt(self.store.chunk_ids()):
                return None
            return self._bm25.corpus if self._bm25 is not None else []

    def _adopt(self, ids: list[str]) -> bool:
        """Use the index in memory, or the persisted one, if it was built from these ids."""
        fingerprint = self._fingerprint_of(ids)
        if fingerprint != self._fingerprint:
            manifest = self._manifest()
            if manifest.get("fingerprint") != fingerprint or manifest.get("corpus") != CORPUS_FORMAT:
                return False
            if not ids:
                self._bm25 = None
            else:
                from llama_index.retrievers.bm25 import BM25Retriever

                try:
                    import bm25s

                    index = bm25s.BM25.load(str(self.directory), load_corpus=True, mmap=False, show_progress=False)
                except Exception:  # damaged files: the caller rebuilds or reads Chroma
                    return False
                self._bm25 = BM25Retriever(existing_bm25=index)
            self._fingerprint = fingerprint
        self._count = len(ids)
        return True

    @contextmanager
    def writing(self):
        """Around every Chroma write of this process: no index may be built from a half-written
        state, and none persisted before the write stays valid. Else a process killed before its
        next sync could leave a manifest that matches again once the ids are back to the same set
        with other metadata (an article deleted, then ingested again from another path)."""
        with self._lock:
            (self.directory / "manifest.json").unlink(missing_ok=True)
            self._fingerprint = None
            yield

    def _rebuild(self) -> None:
        """Index Chroma page by page: per chunk only its tokens and a small corpus entry are kept
        (llama-index's own corpus holds the text and a JSON copy of each node: GBs at 100k chunks)."""
        import bm25s
        import Stemmer
        from llama_index.retrievers.bm25 import BM25Retriever

        corpus: list[dict] = []

        def embed_texts() -> Iterator[str]:
            for cid, meta, doc in self.store.iter_chunks(include=["metadatas", "documents"]):
                corpus.append(_corpus_entry(cid, meta or {}))
                # the text BM25Retriever would tokenize: the chunk with its embed metadata (title …)
                yield metadata_dict_to_node(meta, text=doc).get_content(metadata_mode=MetadataMode.EMBED)

        tokenizer = bm25s.tokenization.Tokenizer(
            splitter=TOKEN_PATTERN, stopwords=STOPWORDS, stemmer=Stemmer.Stemmer(STEMMER)
        )
        # allow_empty=False: a chunk without tokens stays empty, as with bm25s.tokenize
        token_ids = list(tokenizer.streaming_tokenize(embed_texts(), allow_empty=False))
        retriever = None
        if corpus:
            index = bm25s.BM25()
            index.index((token_ids, tokenizer.get_vocab_dict()), show_progress=False)
            index.corpus = corpus
            retriever = BM25Retriever(existing_bm25=index)
        self._bm25 = retriever  # queries keep the old index until here
        ids = [c["node_id"] for c in corpus]
        fingerprint = self._fingerprint_of(ids)  # of what was indexed, should Chroma change meanwhile
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.persist(str(tmp), show_progress=False)
        manifest = {"fingerprint": fingerprint, "chunks": len(ids), "corpus": CORPUS_FORMAT}
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)  # the manifest and the index appear together
        shutil.rmtree(old, ignore_errors=True)
        self._fingerprint, self._count = fingerprint, len(ids)

    @property
    def size(self) -> int:
        return len(self._bm25.corpus) if self._bm25 is not None else 0

    def node_ids(self) -> set[str]:
        return {c["node_id"] for c in self._bm25.corpus} if self._bm25 is not None else set()

    def retriever(self, top_k: int, keep=None) -> BM25Hits | None:
        """A BM25 retriever over the shared index; `keep(metadata) -> bool` filters chunks."""
        import Stemmer
        from llama_index.retrievers.bm25 import BM25Retriever

        if self._bm25 is None:
            return None
        mask = None
        if keep is not None:
            mask = [int(keep(c)) for c in self._bm25.corpus]
            if not any(mask):
                return None
        return BM25Hits(BM25Retriever(
            existing_bm25=self._bm25.bm25,
            similarity_top_k=min(top_k, self.size),
            corpus_weight_mask=mask,
            stemmer=Stemmer.Stemmer(STEMMER),
            token_pattern=TOKEN_PATTERN,
        ), self.store)


def _corpus_entry(chunk_id: str, meta: dict) -> dict:
    """The chunk id, the id-only node JSON BM25Retriever builds each hit from, and LEAN_KEYS."""
    return {"node_id": chunk_id, "_node_content": json.dumps({"id_": chunk_id}),
            **{k: meta[k] for k in LEAN_KEYS if k in meta}}


class BM25Hits:
    """BM25 hits as the full chunks from Chroma (one read per query), positive scores only: the
    corpus has no text, and BM25 pads with zero-score hits (masked-out chunks score zero too)."""

    def __init__(self, retriever, store: Store):
        self._retriever = retriever
        self._store = store

    def retrieve(self, query) -> list[NodeWithScore]:
        hits = [h for h in self._retriever.retrieve(query) if (h.score or 0) > 0]
        nodes = {n.node_id: n for n in self._store.nodes_by_id([h.node.node_id for h in hits])}
        return [NodeWithScore(node=nodes[h.node.node_id], score=h.score) for h in hits if h.node.node_id in nodes]

    async def aretrieve(self, query) -> list[NodeWithScore]:
        return self.retrieve(query)

    def __getattr__(self, name):
        return getattr(self._retriever, name)
