"""The new formats end to end with the real packaged model: a news page and a feed fetched from a
real http.server on 127.0.0.1, and a PDF file, are ingested; questions about each get a cited
answer whose citation shows the article's own title, source and date."""
from __future__ import annotations

import pytest

from newsfiles import news_server, pdf_bytes

pytestmark = pytest.mark.e2e


def test_ingest_ask_cited_answer_for_a_page_a_feed_and_a_pdf(make_app, tmp_path):
    pdf = tmp_path / "footbridge.pdf"
    lines = ["Northgate council report", "NORTHGATE, June 2, 2025 (Northgate Council) - The Riverside footbridge will",
             "open in October 2026, the council said on Monday. It will cost £7.4m."]
    pdf.write_bytes(pdf_bytes([lines], title="Riverside footbridge"))
    app = make_app()
    with news_server() as base:
        report = app.ingest([f"{base}/article.html", f"{base}/feed.xml", pdf])
    page, bus = f"{base}/article.html", f"{base}/feed.xml#lakeside-2025-0410-bus"
    assert {page, bus, "footbridge"} <= set(report.added)

    cases = [
        ("How long will the new Port Ellis sea wall be?", "1.2 kilometres", page,
         ("Port Ellis harbour authority approves £48m sea wall", "Coastal Herald", "2025-03-14")),
        ("How often will bus route 7 run from June?", "20 minutes", bus,
         ("Valley bus route 7 to run every 20 minutes", "Lakeside Gazette", "2025-04-10")),
        ("When will the Riverside footbridge open?", "October 2026", "footbridge",
         ("Riverside footbridge", "Northgate Council", "2025-06-02")),
    ]
    for question, expected, doc_id, metadata in cases:
        answer = app.ask(question)
        assert answer.status == "answered" and expected in answer.answer, (question, answer.answer, answer.raw_output)
        [cited] = {c.doc_id: c for c in answer.citations}.values()
        assert cited.doc_id == doc_id and (cited.title, cited.source, cited.date) == metadata
        assert expected in cited.passage
