"""Fault cases of the new formats (issue #17), beside the whole-tree suite in test_faults.py (whose
inputs in tests/faultgen.py include broken PDFs and a feed with a malformed entry): one bad PDF,
feed entry or URL gives one clear line and never stops the batch, and the store stays consistent.
URLs are served by a real http.server on 127.0.0.1; no model is loaded."""
from __future__ import annotations

import subprocess
import sys
import time

from newsfiles import NEWS, news_server, pdf_bytes
from qa.ingest.readers import Article, ReadFailure, read_sources
from servers import dead_port


def test_broken_pdfs_are_reported_and_the_batch_goes_on(make_app, tmp_path):
    good = pdf_bytes([["Budget vote", "The council approved the budget on Tuesday."]])
    (tmp_path / "a_truncated.pdf").write_bytes(good[: len(good) // 2])
    (tmp_path / "b_header_only.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "c_scan.pdf").write_bytes(pdf_bytes([[]]))
    (tmp_path / "d_good.pdf").write_bytes(good)
    (tmp_path / "e_note.txt").write_text("A plain note about the budget vote.")
    app = make_app()
    report = app.ingest([tmp_path])
    assert report.added == ["d_good", "e_note"]
    reasons = {path.rsplit("/", 1)[-1]: reason for path, reason in report.failed}
    assert reasons["a_truncated.pdf"].startswith("broken PDF (")
    assert reasons["b_header_only.pdf"].startswith("broken PDF (")
    assert reasons["c_scan.pdf"].startswith("PDF without a text layer")
    assert {r["doc_id"] for r in app.sources()} == {"d_good", "e_note"}
    app.store.bm25.sync()
    assert app.store.bm25.node_ids() == set(app.store.chunk_ids())


def test_a_malformed_feed_entry_fails_alone(make_app, tmp_path):
    feed = (NEWS / "feed.xml").read_text(encoding="utf-8").replace(  # also: an unescaped & (not well-formed XML)
        "<title>Valley bus route 7", "<title>Valley bus route 7 & 8")
    (tmp_path / "news.rss").write_text(feed, encoding="utf-8")
    app = make_app()
    report = app.ingest([tmp_path / "news.rss"])
    assert sorted(report.added) == ["news.rss#lakeside-2025-0410-bus", "news.rss#lakeside-2025-0412-library"]
    assert report.failed == [((tmp_path / "news.rss").as_posix() + "#3", "entry 3: no content or summary")]


def test_url_that_times_out():
    with news_server() as base:
        started = time.monotonic()
        items = list(read_sources([f"{base}/slow", f"{base}/article.html"], timeout_s=1))
        took = time.monotonic() - started
    [failure, article] = items
    assert failure == ReadFailure(f"{base}/slow", "timed out after 1 s")
    assert isinstance(article, Article) and article.source == "Coastal Herald"  # the next URL is still read
    assert took < 2.5  # the /slow server would have answered after 3 s


def test_url_that_redirects_to_a_file_is_not_followed():
    with news_server() as base:
        [failure] = read_sources([f"{base}/to-file"])
    assert failure == ReadFailure(f"{base}/to-file", "redirected to file:///etc/passwd: only http(s) URLs are read")


def test_other_url_failures_each_give_one_line():
    with news_server(routes={"/big": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 5000 + b"</p>")}) as base:
        got = {f.path: f.reason for f in read_sources(
            [f"{base}/loop", f"{base}/missing.html", f"{base}/big", "ftp://127.0.0.1/feed.xml",
             f"http://127.0.0.1:{dead_port()}/rss"], max_bytes=4000)}
    assert got.pop(f"{base}/loop") == "more than 5 redirects"
    assert got.pop(f"{base}/missing.html") == "HTTP 404 File not found"
    assert got.pop(f"{base}/big") == "larger than 4 KB limit"
    assert got.pop("ftp://127.0.0.1/feed.xml") == "only http(s) URLs are read"
    [(_, refused)] = got.items()
    assert refused.startswith("could not fetch it (ConnectError:")


def test_cli_prints_one_line_per_failing_url(tmp_path):
    with news_server() as base:
        run = subprocess.run([sys.executable, "-m", "qa.cli", "--data-dir", str(tmp_path / "data"), "ingest", "-q",
                              f"{base}/article.html", f"{base}/to-file", f"{base}/missing.html"],
                             capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "added 1, updated 0, unchanged 0, skipped 0, failed 2, pruned 0"
    assert lines[1:] == [f"  failed: {base}/to-file: redirected to file:///etc/passwd: only http(s) URLs are read",
                         f"  failed: {base}/missing.html: HTTP 404 File not found"]
