"""The chat page in a real headless Chromium (Debian's /usr/bin/chromium, never `playwright install`).

One server and one page for the module; the tests run in order like one user's session: ask,
follow up, ask something the articles do not answer, upload an article and ask about it (last,
so the new article cannot change the other answers).
"""
from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ui.testing import running_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
MEASURED = Path(os.environ.get("DATELINE_BROWSER_TIMINGS", "/tmp/dateline-browser-timings.json"))  # a benchmark record, not a timed assertion
ANSWER_MS = 900_000  # answers queue on a 2-core machine; the first one also loads the model
UI_MS = 30_000

RIVERTON = ("Riverton bridge reopens after repairs\n\n"
            "The Riverton bridge reopened on 3 March 2025 after repairs costing 4.2 million dollars. "
            "The town council said the bridge had been closed for eight months.\n")
HOSTILE = '<img src=x onerror="window.__xss=1"> Lakeside ferry timetable changes <script>window.__xss=2</script>\n'


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI installs it with apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); not in CI, so skipping")
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def server(chromium_path, tmp_path_factory, models_cache) -> str:
    with running_server(tmp_path_factory.mktemp("browser-data"), models_cache=models_cache) as base:
        yield base


@pytest.fixture(scope="module")
def page(chromium_path, server):
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(server)
        tab.wait_for_selector("#dl-question textarea", timeout=UI_MS)
        yield tab
        browser.close()


def ask(page, question: str):
    """Type a question, press Ask, and return the new verified answer once it has replaced the draft."""
    page.get_by_role("tab", name="Chat").click()
    answers = page.locator("#dl-chat .dl-answer")
    before = answers.count()
    page.fill("#dl-question textarea", question)
    page.click("#dl-ask")
    expect(answers).to_have_count(before + 1, timeout=ANSWER_MS)
    return answers.nth(before)


def new_conversation(page) -> None:
    page.get_by_role("tab", name="Chat").click()
    page.click("#dl-clear")
    expect(page.locator("#dl-chat .dl-answer")).to_have_count(0, timeout=UI_MS)


def test_sources_show_at_once_then_the_answer_cites_the_marked_passage(page):
    page.fill("#dl-question textarea", "What deadline was set for the fund agreement?")
    started = time.perf_counter()
    page.click("#dl-ask")
    page.wait_for_selector("#dl-sources .dl-turn .dl-passage", timeout=UI_MS)  # the passages being read
    sources_ms = round((time.perf_counter() - started) * 1000)
    assert page.locator("#dl-chat .dl-answer").count() == 0  # shown before the model has answered
    answer = page.locator("#dl-chat .dl-answer").first
    expect(answer).to_contain_text("April 26", timeout=ANSWER_MS)
    answer_ms = round((time.perf_counter() - started) * 1000)
    expect(page.locator("#dl-chat .dl-draft")).to_have_count(0)  # the verified answer replaced "checking…"
    MEASURED.write_text(json.dumps({"sources_visible_ms": sources_ms, "answer_visible_ms": answer_ms,
                                    "measured": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                    "cpu_count": os.cpu_count()}, indent=2) + "\n")
    print(f"sources visible {sources_ms} ms after Ask, answer {answer_ms} ms")
    expect(page.locator("#dl-sources mark").filter(has_text="April 26")).to_have_count(1)
    link = answer.locator("a.dl-cite").first
    target = link.get_attribute("href")
    expect(page.locator(f"#dl-sources {target}")).to_be_visible()
    expect(page.locator("#dl-stats")).to_contain_text("embedder")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_follow_up_uses_the_conversation(page):
    answer = ask(page, "And who signed it?")
    expect(answer.locator(".dl-badge-error")).to_have_count(0)
    assert answer.inner_text().strip()
    expect(answer.locator(".dl-asked-as")).to_contain_text("Asked as:")


def test_question_without_answer_shows_the_not_found_badge(page):
    new_conversation(page)
    answer = ask(page, "What is the total dollar value of the investment fund?")
    expect(answer.locator(".dl-badge-notfound")).to_have_text("Not found in the articles")


def test_uploaded_article_can_be_asked_about(page, tmp_path):
    (tmp_path / "riverton.txt").write_text(RIVERTON, encoding="utf-8")
    (tmp_path / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#dl-upload input[type=file]").set_input_files(
        [str(tmp_path / "riverton.txt"), str(tmp_path / "hostile.txt")])
    expect(page.locator("#dl-upload-result")).to_contain_text("2 added", timeout=ANSWER_MS)
    expect(page.locator("#dl-articles")).to_contain_text("Riverton bridge")
    expect(page.locator("#dl-articles")).to_contain_text("<img src=x")  # shown as text, not run
    assert page.evaluate("window.__xss") is None

    new_conversation(page)
    answer = ask(page, "How much did the Riverton bridge repairs cost?")
    expect(answer).to_contain_text("4.2")
    expect(page.locator("#dl-sources mark").filter(has_text="4.2")).to_have_count(1)
