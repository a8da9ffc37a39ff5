"""Incremental ingest: read → compare content hashes → chunk → embed → upsert → drop stale.

Every step is safe to interrupt. Chunk ids are deterministic (doc id + content hash + index), a
changed article's new chunks are written before its old ones are deleted, and the registry is
read back from Chroma itself (or from the BM25 side only when it was built from exactly Chroma's
current ids), so a re-run after a crash repairs half-written articles and ends in the same store
as a clean ingest.

One identity per origin: an article's doc id comes from where it was read (a file's path under the
folder given, a normalised URL, a feed and an entry's guid). Reading the same origin again updates
its article; an article from another origin whose doc id is already held by a stored article that
still exists (an upload named like a corpus file, `news.txt` from a second folder) is stored beside
it under `<doc id>@<hash of its path>` and never replaces it.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from qa.config import Settings
from qa.ingest.chunking import chunk_article
from qa.ingest.readers import Article, ReadFailure, read_sources, web
from qa.store import Store

BATCH_CHUNKS = 512  # chunks embedded and written together


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    pruned: list[str] = field(default_factory=list)
    chunks_written: int = 0

    @property
    def read(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged) + len(self.skipped) + len(self.failed)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.pruned)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"skipped {len(self.skipped)}, failed {len(self.failed)}, pruned {len(self.pruned)}"
        )

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": len(self.unchanged),
            "skipped": [{"doc_id": d, "reason": r} for d, r in self.skipped],
            "failed": [{"path": p, "reason": r} for p, r in self.failed],
            "pruned": self.pruned,
            "chunks_written": self.chunks_written,
        }


def _under(path: str, roots: list[str]) -> bool:
    """Whether a stored article came from one of these sources (a URL, or a file under a folder)."""
    return any(path == root or (not web.is_url(root) and Path(root) in Path(path).parents) for root in roots)


def _alive(path: str) -> bool:
    return web.is_url(path) or os.path.exists(path)


def _own_identity(article: Article, registry: dict) -> Article:
    """The article under a doc id of its own: one held by a live article of another origin gets
    this origin's hash appended, and keeps it (see the module docstring)."""
    own = f"{article.doc_id}@{hashlib.sha256(article.path.encode()).hexdigest()[:8]}"
    held = registry.get(article.doc_id)
    if own in registry or (held and held.path != article.path and _alive(held.path)):
        return dataclasses.replace(article, doc_id=own)
    return article


def ingest(
    store: Store,
    sources: Iterable[str | os.PathLike],
    settings: Settings,
    *,
    prune: bool = False,
    progress: Callable[[IngestReport, str], None] | None = None,
) -> IngestReport:
    sources = [os.fspath(s) for s in sources]
    roots = [web.normalise(s) if web.is_url(s) else Path(s).resolve().as_posix() for s in sources]
    registry = store.registry(from_chroma=prune)  # pruning deletes by stored path: read it from the source
    report = IngestReport()
    seen_ids: set[str] = set()
    seen_hashes: dict[str, str] = {}
    live_hashes = {e.sha256: e.doc_id for e in registry.values() if e.complete and _alive(e.path)}
    pending: list[tuple[Article, list, set[str]]] = []  # article, its nodes, stale chunk ids

    def flush() -> None:
        nodes = [n for _, article_nodes, _ in pending for n in article_nodes]
        if nodes:
            store.add_nodes(nodes)  # new chunks first …
        stale = [cid for _, _, old in pending for cid in old]
        if stale:
            store.delete_ids(stale)  # … then the old version goes
        report.chunks_written += len(nodes)
        pending.clear()

    for item in read_sources(sources, max_bytes=settings.max_file_bytes):
        if isinstance(item, ReadFailure):
            report.failed.append((item.path, item.reason))
            if progress:
                progress(report, item.path)
            continue
        article = item if item.doc_id in seen_ids else _own_identity(item, registry)
        entry = registry.get(article.doc_id)
        kept = False  # only a stored article's content can make a later one a duplicate
        if article.doc_id in seen_ids:
            report.skipped.append((article.doc_id, "same doc id read twice in this run"))
        elif entry and entry.complete and entry.sha256 == article.sha256:
            report.unchanged.append(article.doc_id)
            kept = True
        elif (twin := seen_hashes.get(article.sha256) or live_hashes.get(article.sha256)) and twin != article.doc_id:
            report.skipped.append((article.doc_id, f"duplicate of {twin} (same content)"))
        else:
            nodes = chunk_article(article, settings.chunk_size, settings.chunk_overlap)
            if not nodes:
                report.failed.append((article.path, f"{article.doc_id}: no text to index"))
            else:
                new_ids = {n.node_id for n in nodes}
                stale = (entry.chunk_ids - new_ids) if entry else set()
                pending.append((article, nodes, stale))
                (report.updated if entry else report.added).append(article.doc_id)
                kept = True
                if sum(len(n) for _, n, _ in pending) >= BATCH_CHUNKS:
                    flush()
        seen_ids.add(article.doc_id)
        if kept:
            seen_hashes.setdefault(article.sha256, article.doc_id)
        if progress:
            progress(report, article.doc_id)
    flush()

    if prune:  # not under a source that could not be read at all (a feed URL that is down)
        live_roots = [root for root in roots if root not in {path for path, _ in report.failed}]
        for doc_id, entry in registry.items():
            if doc_id not in seen_ids and _under(entry.path, live_roots):
                store.delete_ids(sorted(entry.chunk_ids))
                report.pruned.append(doc_id)
    store.bm25.sync()
    return report
