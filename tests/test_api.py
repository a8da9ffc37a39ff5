"""The HTTP API end to end: a real `qa serve` over the bundled corpus with the real default models.

Also the page's pure helpers (safe upload names, escaping of article text), which need no server.
"""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from ui import render
from ui.testing import running_server
from ui.uploads import safe_name, save_uploads

pytestmark = [pytest.mark.e2e]

DEADLINE = "What deadline was set for the fund agreement?"
NO_ANSWER = "What is the total dollar value of the investment fund?"
ANSWER_TIMEOUT = 900  # seconds: answers queue behind each other on a 2-core machine
TOKEN = "s3cret-test-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory, models_cache) -> str:
    with running_server(tmp_path_factory.mktemp("api-data"), models_cache=models_cache) as base:
        yield base


def ask(base: str, question: str, **fields) -> httpx.Response:
    return httpx.post(f"{base}/api/ask", json={"question": question, **fields}, timeout=ANSWER_TIMEOUT)


# --- the server --------------------------------------------------------------------------------
def test_healthz(server):
    response = httpx.get(f"{server}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_sources_lists_the_bundled_articles(server):
    rows = httpx.get(f"{server}/api/sources", timeout=30).json()
    assert len(rows) == 2
    assert {"doc_id", "title", "source", "date", "chunks", "path", "complete"} <= set(rows[0])


def test_answer_cites_the_deadline(server):
    response = ask(server, DEADLINE)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "answered"
    assert "April 26" in answer["answer"]
    assert any("April 26" in c["quote"] for c in answer["citations"]), answer["citations"]


def test_unanswerable_question_is_not_found(server):
    response = ask(server, NO_ANSWER)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "not_found"


def test_user_errors_are_400_with_a_message(server):
    empty = ask(server, "   ")
    assert empty.status_code == 400 and empty.json()["error"]
    bad_date = ask(server, DEADLINE, since="19 April")
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["error"]
    malformed = httpx.post(f"{server}/api/ask", json={"k": "many"}, timeout=30)
    assert malformed.status_code == 400 and "question" in malformed.json()["error"]


def test_five_concurrent_askers_all_get_answers_while_healthz_stays_quick(server):
    with ThreadPoolExecutor(max_workers=5) as pool:
        futures = [pool.submit(ask, server, DEADLINE) for _ in range(5)]
        time.sleep(2)  # the model is busy now
        started = time.monotonic()
        health = httpx.get(f"{server}/healthz", timeout=10)
        health_seconds = time.monotonic() - started
        responses = [f.result() for f in futures]
    assert health.status_code == 200 and health_seconds < 2.0
    assert [r.status_code for r in responses] == [200] * 5, [r.text[:200] for r in responses]
    assert all("April 26" in r.json()["answer"] for r in responses)


# --- token auth (a second server, started with QA_AUTH_TOKEN) -----------------------------------
@pytest.fixture(scope="module")
def auth_server(tmp_path_factory, models_cache) -> str:
    with running_server(tmp_path_factory.mktemp("auth-data"), models_cache=models_cache,
                        auth_token=TOKEN) as base:
        yield base


def test_token_auth(auth_server):
    sources = f"{auth_server}/api/sources"
    assert httpx.get(sources, timeout=30).status_code == 401
    assert httpx.get(sources, headers={"Authorization": "Bearer wrong"}, timeout=30).status_code == 401
    assert httpx.post(f"{auth_server}/api/ask", json={"question": DEADLINE}, timeout=30).status_code == 401
    right = httpx.get(sources, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert right.status_code == 200 and len(right.json()) == 2
    assert httpx.get(f"{auth_server}/healthz", timeout=10).status_code == 200  # probes stay open


def test_page_needs_the_token_as_password(auth_server):
    assert httpx.get(f"{auth_server}/config", timeout=30).status_code == 401
    with httpx.Client(base_url=auth_server, timeout=30) as client:
        wrong = client.post("/login", data={"username": "dateline", "password": "nope"})
        assert wrong.status_code >= 400
        right = client.post("/login", data={"username": "dateline", "password": TOKEN})
        assert right.status_code == 200
        assert client.get("/config").status_code == 200


# --- pure helpers: upload names and escaping ----------------------------------------------------
@pytest.mark.parametrize("raw", ["../evil.txt", "a/../../evil.txt", "/etc/passwd.txt", "C:\\x\\evil.txt",
                                 "..\\evil.txt", "evil.exe", "noext", ""])
def test_unsafe_or_unaccepted_upload_names_are_rejected(raw):
    with pytest.raises(Exception) as info:
        safe_name(raw)
    assert type(info.value).__name__ == "UserError"


def test_upload_names_keep_only_a_safe_basename():
    assert re.fullmatch(r"My_Report_final-[0-9a-f]{8}\.txt", safe_name("My Report (final).TXT"))
    assert safe_name("sub/dir/news.jsonl") == "news.jsonl"
    assert re.fullmatch(r"hidden-[0-9a-f]{8}\.md", safe_name(".hidden.md"))


def test_uploads_enforce_size_count_and_stay_in_the_folder(tmp_path):
    folder = tmp_path / "uploads"
    small, big = tmp_path / "a.txt", tmp_path / "b.txt"
    small.write_text("The Riverton bridge reopened on 3 March 2025.")
    big.write_text("x" * 2000)
    saved, rejected = save_uploads([("a.txt", small), ("b.txt", big), ("../c.txt", small)], folder,
                                   max_bytes=1000, max_files=5)
    assert saved == [folder / "a.txt"] and [p.parent for p in saved] == [folder]
    assert [name for name, _ in rejected] == ["b.txt", "../c.txt"]
    assert sorted(p.name for p in Path(folder).iterdir()) == ["a.txt"]
    with pytest.raises(Exception, match="at most 2 files"):
        save_uploads([("a.txt", small)] * 3, folder, max_bytes=1000, max_files=2)


def test_article_text_is_escaped_and_the_quote_marked():
    evil = '<img src=x onerror="alert(1)"> deadline April 26 <script>alert(2)</script> ${x} {{y}}'
    source = {"n": 1, "doc_id": "d<1>", "title": "<b>t</b>", "source": "S", "date": "2025-04-19",
              "passage": evil, "quote_start": evil.index("deadline"), "quote_end": evil.index(" <script>")}
    answer = {"question": "q<x>", "status": "answered", "answer": "April 26 <i>x</i> [1].",
              "sentences": [{"text": "April 26 <i>x</i> [1] [7].", "citations": [1], "supported": True}],
              "citations": [source], "related": [], "dates": [], "standalone_question": "<u>q</u>",
              "timings": {"total_ms": 1200}}
    html = render.answer_html(answer, 3) + render.sources_html(answer, 3)
    assert "<img" not in html and "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "${" not in html and "{{" not in html
    assert "<mark>deadline April 26</mark>" in html
    assert 'href="#src-3-1"' in html and 'id="src-3-1"' in html
    assert "[7]" in html and "#src-3-7" not in html  # only real citations become links
    assert "Asked as: &lt;u&gt;q&lt;/u&gt;" in html


def test_not_found_and_conflict_get_their_own_badges():
    not_found = render.answer_html({"status": "not_found", "answer": "Not found in the articles.",
                                    "related": [{"n": 1, "passage": "p"}]}, 1)
    conflict = render.answer_html({"status": "conflict", "answer": "The articles differ.",
                                   "sentences": [{"text": "The articles differ.", "citations": []}],
                                   "citations": []}, 1)
    assert "dl-badge-notfound" in not_found and render.NOT_FOUND_LABEL in not_found
    assert "dl-badge-conflict" in conflict and render.CONFLICT_LABEL in conflict
