"""Articles → small, sentence-whole chunks that can be shown verbatim as citations.

llama-index's SentenceSplitter does the splitting; we then locate every chunk in the article so
the stored passage is an exact slice of the source (what the reader sees is what was written).
The embedder also sees the article's title, source and date, so "the TASS report" or "April"
can match a chunk whose own words do not say so.
"""
from __future__ import annotations

from functools import lru_cache

from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from qa.ingest.readers import Article

# Metadata every chunk carries; Chroma needs scalar values, so missing ones are "".
CHUNK_KEYS = ("doc_id", "title", "source", "date", "path", "sha256", "chunk_index", "n_chunks")
EMBED_KEYS = ("title", "source", "date")


@lru_cache(maxsize=4)
def _splitter(chunk_size: int, chunk_overlap: int) -> SentenceSplitter:
    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)


def _verbatim_spans(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Character spans of each piece in text; a piece the splitter reflowed falls back to a
    span covering its first and last words, so the stored passage is still a true slice."""
    spans, cursor = [], 0
    for piece in pieces:
        start = text.find(piece, cursor)
        if start < 0:
            words = piece.split()
            start = text.find(words[0], cursor)
            end = text.find(words[-1], max(start, 0)) + len(words[-1])
            if start < 0 or end < start:
                continue
        else:
            end = start + len(piece)
        spans.append((start, end))
        cursor = max(cursor, start + 1)
    return spans


def chunk_id(article: Article, index: int) -> str:
    """Deterministic ids: re-running an ingest overwrites instead of duplicating, and the
    content hash in the id makes a changed article's chunks distinct from its old ones."""
    return f"{article.doc_id}::{article.sha256[:12]}::{index}"


def chunk_article(article: Article, chunk_size: int, chunk_overlap: int = 0) -> list[TextNode]:
    pieces = [p for p in _splitter(chunk_size, chunk_overlap).split_text(article.text) if p.strip()]
    spans = _verbatim_spans(article.text, pieces)
    base = {
        "doc_id": article.doc_id,
        "title": article.title,
        "source": article.source,
        "date": article.date,
        "date_num": int(article.date.replace("-", "")) if article.date else 0,  # for range filters
        "path": article.path,
        "sha256": article.sha256,
        "n_chunks": len(spans),
        **{f"x_{k}": str(v) for k, v in article.extra.items()},
    }
    nodes = []
    for index, (start, end) in enumerate(spans):
        node = TextNode(
            id_=chunk_id(article, index),
            text=article.text[start:end],
            metadata={**base, "chunk_index": index, "start": start, "end": end},
        )
        # ref_doc_id = doc_id: llama-index writes it into Chroma's doc_id/document_id fields
        node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=article.doc_id)
        node.excluded_embed_metadata_keys = [k for k in node.metadata if k not in EMBED_KEYS]
        node.excluded_llm_metadata_keys = list(node.metadata)
        nodes.append(node)
    return nodes
