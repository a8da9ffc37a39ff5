"""HTML pages: trafilatura finds the main text (no navigation, cookie banners, ads, related links or
comments) and the title, site name and author; htmldate, inside it, the publication date. A page
where it finds no main text (a fragment, a bare paragraph) is read whole by html-text instead."""
from __future__ import annotations

from typing import Iterator

from qa.ingest.readers.base import Article, Origin, ReadFailure, Unreadable, squash

_DATES = {"original_date": True, "extensive_search": False}  # published, not updated; markup only
_HIDDEN = ["head", "nav", "header", "footer", "template", "noscript", "aside"]


def read_html(html: str, origin: Origin) -> Iterator[Article | ReadFailure]:
    import trafilatura

    url = origin.path if origin.is_url else None
    page = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True,
                                       include_comments=False, prune_xpath=["//template"],
                                       date_extraction_params=_DATES)
    body = paragraphs(page.text if page else "") or visible_text(html)
    if not body:
        yield origin.failure("no visible text in HTML")
        return
    meta = page or trafilatura.extract_metadata(html, default_url=url, date_config=_DATES)
    extra = {"url": meta.url or url or "", "author": meta.author or ""}
    yield origin.article(body, squash(meta.title or ""), meta.sitename or "", meta.date or "", extra)


def paragraphs(text: str) -> str:
    """One paragraph per line -> blank-line separated paragraphs, as in the other formats."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def visible_text(html: str) -> str:
    """All the text a browser would show outside navigation and footers, block by block."""
    import html_text
    import lxml.html
    from lxml_html_clean import Cleaner

    parser = lxml.html.HTMLParser(recover=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except lxml.etree.ParserError:  # nothing but comments or blanks
        return ""
    cleaner = Cleaner(scripts=True, javascript=True, comments=True, style=True, page_structure=False,
                      forms=False, kill_tags=_HIDDEN)
    text = paragraphs(html_text.extract_text(cleaner.clean_html(tree)))
    if not text and any("Excessive depth" in error.message for error in parser.error_log):
        raise Unreadable("no visible text within 255 levels of nesting (the HTML parser reads no deeper)")
    return text
