"""What every reader yields, and the origin that gives each item its doc id and content hash."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from qa.answer.text import sentence_spans


@dataclass(frozen=True)
class Article:
    doc_id: str  # stable id of its origin: see Origin
    text: str  # clean body: NFC, \n line ends, leading `date YYYY-MM-DD` token removed
    title: str
    source: str  # "TASS", "Reuters", a csv/jsonl field, a site or feed name; "" if unknown
    date: str  # ISO "YYYY-MM-DD" or "" if unknown
    path: str  # absolute posix path of the file, or the normalised URL, it came from
    sha256: str  # hex sha256 of `text` (utf-8): content hash for incremental ingest
    # hash=False keeps Article hashable although a dict is not.
    extra: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ReadFailure:
    path: str  # the file or URL; a bad row "file.csv#12" (row index), "file.jsonl:7" (1-based line)
    reason: str  # one human sentence


class Unreadable(Exception):
    """A problem with a whole file or URL; its message is the ReadFailure reason."""


@dataclass(frozen=True)
class Origin:
    """Where items come from. Doc ids derive from it: a file's path relative to the folder it was
    ingested from (without suffix for one article, `train.csv#12` for a row or a feed entry), or
    the normalised URL of a page or feed (`https://site/rss#<guid>` for an entry)."""

    name: str  # "sub/news.csv" or "https://site/rss"
    path: str  # absolute posix path, or the URL: Article.path and where failures point
    is_url: bool = False

    def article(self, text: str, title: str, source: str, date: str, extra: dict[str, str] | None = None,
                key: str | None = None) -> Article:
        """The one place an Article is built, so sha256 always matches the final text."""
        stem, dot, suffix = self.name.rpartition(".")
        whole = stem if dot and "/" not in suffix and not self.is_url else self.name
        doc_id = whole if key is None else f"{self.name}#{key}"
        return Article(doc_id=doc_id, text=text, title=title or first_sentence(text), source=source,
                       date=date, path=self.path, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                       extra={k: v for k, v in (extra or {}).items() if v})

    def failure(self, reason: str, where: str = "") -> ReadFailure:
        return ReadFailure(self.path + where, reason)


def first_sentence(text: str, limit: int = 100) -> str:
    """A fallback title: the first sentence (or line), cut at a word boundary with "…"."""
    text = text.strip().split("\n", 1)[0]
    spans = sentence_spans(text)  # the one sentence splitter (qa/answer/text.py)
    sentence = squash(text[: spans[0][1]] if spans else text)
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–—") + "…"


def squash(text: str) -> str:
    """Collapse runs of whitespace (source layout, titles) to single spaces."""
    return " ".join(text.split())


def human_size(n: int) -> str:
    """Human size for messages: "20 MB", "52.4 MB", "12 bytes"."""
    for unit, size in (("MB", 1_000_000), ("KB", 1_000)):
        if n >= size:
            return f"{round(n / size, 1):g} {unit}"
    return f"{n} bytes"
