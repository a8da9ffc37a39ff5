"""RSS and Atom feeds, read by feedparser: each entry is an article (title, link, date, and its content
or summary as text) keyed by the feed and its guid or link, so a re-read updates only what changed."""
from __future__ import annotations

from typing import Iterator

from qa.ingest.readers.base import Article, Origin, ReadFailure, squash
from qa.ingest.readers.html import visible_text
from qa.ingest.readers.text import fix, iso_date


def read_feed(data: bytes, origin: Origin) -> Iterator[Article | ReadFailure]:
    import feedparser

    feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not feed.entries:
        problem = feed.get("bozo_exception") or ("no entries" if feed.version else "not RSS or Atom")
        yield origin.failure(f"not a readable feed ({problem})")
        return
    source = squash(feed.feed.get("title", ""))
    for number, entry in enumerate(feed.entries, 1):
        html = next((c.value for c in entry.get("content", []) if c.get("value")), entry.get("summary", ""))
        text = visible_text(fix(html)) if html.strip() else ""
        key = entry.get("id") or entry.get("link")
        if not text or not key:
            yield origin.failure(f"entry {number}: no {'guid or link' if text else 'content or summary'}", f"#{number}")
            continue
        date = iso_date(entry.get("published") or entry.get("updated") or "")
        yield origin.article(text, squash(fix(entry.get("title", ""))), source, date,
                             {"url": entry.get("link", ""), "author": entry.get("author", "")}, key=key)
