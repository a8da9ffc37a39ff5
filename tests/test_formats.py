"""The formats news arrives in beyond plain files: realistic HTML pages (an article with all the
usual clutter, a live blog, an AMP page), PDF, RSS/Atom feeds, and pages and feeds fetched from a
real http.server on 127.0.0.1; and one identity per origin in the store (no model is loaded)."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsfiles import NEWS, news_server, pdf_bytes
from qa.ingest.chunking import chunk_article
from qa.ingest.readers import Article, ReadFailure, dateline_length, read_sources
from qa.ingest.readers.text import parse_dateline
from ui.uploads import save_uploads

TASS = "000_c2d1f9452d830162"


def read(*sources, **kw) -> tuple[list[Article], list[ReadFailure]]:
    items = list(read_sources(sources, **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadFailure)]


def only(source, **kw) -> Article:
    articles, failures = read(source, **kw)
    assert not failures and len(articles) == 1, (articles, failures)
    return articles[0]


def assert_clean(article: Article, kept: list[str], boilerplate: list[str]) -> None:
    """Every chunk the store would hold is free of the page's clutter and carries its metadata."""
    chunks = chunk_article(article, chunk_size=128)
    stored = "\n".join(c.text for c in chunks)
    assert [k for k in kept if k not in stored] == []
    assert [b for b in boilerplate if b in stored] == []
    assert {(c.metadata["title"], c.metadata["source"], c.metadata["date"]) for c in chunks} == {
        (article.title, article.source, article.date)}


# ---- HTML pages: trafilatura + htmldate -------------------------------------------------------


def test_news_article_page_keeps_the_story_and_drops_the_clutter():
    a = only(NEWS / "article.html")
    assert (a.doc_id, a.title, a.source) == ("article", "Port Ellis harbour authority approves £48m sea wall",
                                             "Coastal Herald")
    assert a.date == "2025-03-14"  # published, not the modified date (2025-03-15) the page also gives
    assert a.extra == {"url": "https://www.coastalherald.example/news/port-ellis-sea-wall", "author": "Megan Hollis"}
    assert_clean(a, kept=["approved a £48m sea wall", "built in 1931", "forcing 140 households",
                          "pay £30m of the cost", "costed at £35m in 2023", "once the tender closes."],
                 boilerplate=["cookies", "Accept all", "Subscribe today", "Search the Herald", "Holiday cottages",
                              "Advertisement", "save up to £300", "Morning Briefing", "Sign me up", "Related stories",
                              "Government opens £500m", "lifeboat crew", "harbourwatcher", "white elephant",
                              "beach will stay open", "Most read", "pasty award", "Hearing aids", "Share on",
                              "All rights reserved", "Privacy policy", "gtag", "dataLayer", "min-height"])


def test_live_blog_keeps_every_update():
    a = only(NEWS / "liveblog.html")
    assert (a.title, a.source, a.date) == ("Storm Brenna live: ferries cancelled as 94mph gusts hit the coast",
                                           "Northern Daily", "2025-01-21")
    assert_clean(a, kept=["passengers booked on cancelled sailings can travel free of charge on Wednesday",
                          "Forty-one schools", "a gust of 94mph at Capel Point lighthouse",
                          "Rail services between Brenton and Capel are suspended."],
                 boilerplate=["212 partners", "I agree", "Traffic and travel", "Load more updates",
                              "Turn on notifications", "double glazing", "Power has been off", "Stay safe everyone",
                              "How storms get their names", "© Northern Daily"])


def test_amp_page():
    a = only(NEWS / "amp.html")
    assert (a.title, a.source, a.date) == ("Valley Rail orders 12 battery trains", "Midlands Courier", "2024-11-05")
    assert a.extra["url"] == "https://www.midlandscourier.example/business/valley-rail-battery-trains"
    assert_clean(a, kept=["ordered 12 battery-electric trains", "will cost £96m",
                          "journey times would fall by six minutes", "depot jobs in Coalbrook would be kept."],
                 boilerplate=["Puzzles and crosswords", "Menu", "uses cookies", "OK, got it", "broadband",
                              "You may also like", "Bus fares frozen", "UA-000000-1", "amp-start", "About AMP pages"])


def test_html_fragment_falls_back_to_all_visible_text(tmp_path):
    """No article structure for trafilatura to find: the page is read whole, scripts and nav excepted."""
    p = tmp_path / "note.html"
    p.write_text("<nav>Home</nav><p>Short note: the meeting moved to <a href='/x'>Hall B</a>.</p>"
                 "<script>track()</script><p>Bring your badge.</p>")
    a = only(p)
    assert a.text == "Short note: the meeting moved to Hall B.\n\nBring your badge."
    assert a.title == "Short note: the meeting moved to Hall B."


# ---- PDF: pypdf -------------------------------------------------------------------------------


def test_pdf_text_title_and_dateline(tmp_path):
    lines = ["Northgate council report", "NORTHGATE, June 2, 2025 (Northgate Council) - The Riverside footbridge",
             "will cost £7.4m and open in October 2026."]
    appendix = ["Appendix: (costs) in detail."]
    (tmp_path / "titled.pdf").write_bytes(pdf_bytes([lines, appendix], title="Riverside footbridge"))
    (tmp_path / "untitled.pdf").write_bytes(pdf_bytes([lines]))
    titled, untitled = read(tmp_path)[0]
    assert (titled.doc_id, titled.title, titled.source, titled.date) == (
        "titled", "Riverside footbridge", "Northgate Council", "2025-06-02")
    assert "will cost £7.4m and open in October 2026." in titled.text
    assert titled.text.endswith("Appendix: (costs) in detail.")  # page two, after a blank line
    assert untitled.title == "Northgate council report"  # no metadata title: the first line


def test_pdf_without_text_layer_is_reported_not_stored_empty(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes([[], [], []]))
    articles, [failure] = read(tmp_path / "scan.pdf")
    assert not articles
    assert failure.reason == "PDF without a text layer (3 page(s) of images?): run OCR on it first"


# ---- feeds: feedparser ------------------------------------------------------------------------


def test_feed_file_entries_are_articles():
    articles, failures = read(NEWS / "feed.xml")
    library, bus = articles
    assert (library.doc_id, library.title, library.source, library.date) == (
        "feed.xml#lakeside-2025-0412-library", "Lakeside library to open on Sundays from May", "Lakeside Gazette",
        "2025-04-12")
    assert library.extra == {"url": "https://lakeside.example/news/library-sundays", "author": "Tom Avery"}
    assert "cost £62,000 a year" in library.text and "<p>" not in library.text  # content:encoded, as text
    assert library.text.count("\n\n") == 2  # its three paragraphs
    assert bus.date == "2025-04-10" and "£1.1m subsidy" in bus.text  # only a summary: it is the text
    assert [(Path(f.path).name, f.reason) for f in failures] == [("feed.xml#3", "entry 3: no content or summary")]


def test_feed_and_article_urls():
    with news_server() as base:
        articles, failures = read(f"{base}/feed.xml", f"{base}/article.html#comments", f"{base.upper()}/moved")
    library, bus, page, moved = articles
    assert library.doc_id == f"{base}/feed.xml#lakeside-2025-0412-library" and library.path == f"{base}/feed.xml"
    assert (page.doc_id, page.path) == (f"{base}/article.html", f"{base}/article.html")  # no #fragment
    assert (page.title, page.source, page.date) == ("Port Ellis harbour authority approves £48m sea wall",
                                                    "Coastal Herald", "2025-03-14")
    assert moved.doc_id == f"{base}/moved" and moved.sha256 == page.sha256  # the URL asked for, lower-cased host
    assert [f.path for f in failures] == [f"{base}/feed.xml#3"]


def test_reingesting_a_feed_url_adds_only_new_or_changed_entries(make_app, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    feed = (NEWS / "feed.xml").read_text(encoding="utf-8")
    (site / "rss").write_text(feed, encoding="utf-8")
    app = make_app()
    with news_server(site, {}) as base:
        url = f"{base}/rss"
        first = app.ingest([url])
        new = ("<item><title>Ferry fares frozen</title><guid>lakeside-new</guid>"
               "<description>Fares on the Lakeside ferry stay at £2.40 until 2026.</description></item><item>")
        (site / "rss").write_text(feed.replace("£62,000 a year", "£64,500 a year").replace("<item>", new, 1),
                                  encoding="utf-8")
        second = app.ingest([url])
    entry = f"{url}#lakeside-2025-04"
    assert sorted(first.added) == [f"{entry}10-bus", f"{entry}12-library"] and len(first.failed) == 1
    assert (second.added, second.updated, second.unchanged) == ([f"{url}#lakeside-new"], [f"{entry}12-library"],
                                                                [f"{entry}10-bus"])
    assert {r["doc_id"]: r["source"] for r in app.sources()} == {f"{entry}10-bus": "Lakeside Gazette",
                                                                 f"{entry}12-library": "Lakeside Gazette",
                                                                 f"{url}#lakeside-new": "Lakeside Gazette"}


# ---- one identity per origin ------------------------------------------------------------------


def test_an_upload_named_like_a_stored_article_does_not_replace_it(make_app, corpus_copy, tmp_path):
    app = make_app()
    app.ingest([corpus_copy])
    tass = {r["doc_id"]: r for r in app.sources()}[TASS]
    sent = tmp_path / "sent.txt"
    sent.write_text("Harbour news\n\nThe harbour reopened on Monday after repairs costing £2m.\n")
    uploads = Path(app.settings.data_dir) / "uploads"
    [saved], _ = save_uploads([(f"{TASS}.txt", sent)], uploads, max_bytes=10_000, max_files=5)

    report = app.ingest([saved])
    [upload_id] = report.added
    assert upload_id.startswith(f"{TASS}@") and not report.updated  # beside the stored article, not over it
    rows = {r["doc_id"]: r for r in app.sources()}
    assert rows[TASS] == tass and rows[upload_id]["title"] == "Harbour news"

    sent.write_text("Harbour news\n\nThe harbour reopened on Tuesday after repairs costing £3m.\n")
    save_uploads([(f"{TASS}.txt", sent)], uploads, max_bytes=10_000, max_files=5)
    again = app.ingest([saved])  # the same upload again: its own article is updated
    assert again.updated == [upload_id] and not again.added
    assert sorted(app.ingest([corpus_copy]).unchanged) == [TASS, "003_d38dc76a4702d5f4"]


def test_same_file_name_in_two_folders_keeps_both(make_app, tmp_path):
    for folder, text in (("a", "Alpha council approved the budget."), ("b", "Beta council rejected the budget.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "news.txt").write_text(text)
    app = make_app()
    assert app.ingest([tmp_path / "a"]).added == ["news"]
    [other] = app.ingest([tmp_path / "b"]).added
    assert other.startswith("news@")
    assert app.ingest([tmp_path / "a"]).unchanged == ["news"] and app.ingest([tmp_path / "b"]).unchanged == [other]
    assert len(app.sources()) == 2


# ---- dates and datelines: dateparser ----------------------------------------------------------


@pytest.mark.parametrize("text, source, date, length", [
    ("WASHINGTON, April 19. /TASS/. Washington’s threats", "TASS", "", 30),
    ("LONDON, March 3, 2024 (Reuters) - Stocks rose", "Reuters", "2024-03-03", 34),
    ("KYIV, Ukraine, Jan. 5, 2024 (AP) — The", "AP", "2024-01-05", 35),
    ("Washington, Sept. 9 (AFP) - Talks", "AFP", "", 28),
    ("Apple Inc (AAPL) rose 3% on Monday", "", "", 0),
    ("The minister said (Reuters) that", "", "", 0),
    ("Jun 16, 2015 ... Xenoblade Chronicles X was released", "", "2015-06-16", 17),  # a web snippet's date stamp
    ("16 June 2015 - The panel", "", "2015-06-16", 15),
    ("May 5, 2020 was the day", "", "", 0),  # a date in the sentence, not set off: no stamp
    ("3 days ago ... Athens", "", "", 0),
])
def test_datelines(text, source, date, length):
    dateline = parse_dateline(text)
    assert (dateline.source, dateline.date, dateline.end) == (source, date, length)
    assert dateline_length(text) == length


def test_a_web_snippets_date_stamp_dates_the_article_and_is_no_sentence(tmp_path):
    path = tmp_path / "snippet.txt"
    path.write_text("Jun 16, 2015 ... Xenoblade Chronicles X was released in Japan on April 29. The panel of "
                    "four reviewers at Famitsu ...", encoding="utf-8")
    article = only(path)
    assert article.date == "2015-06-16"
    assert dateline_length(article.text) == len("Jun 16, 2015 ... ")
