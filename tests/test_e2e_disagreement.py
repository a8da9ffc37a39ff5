"""Disagreement end to end with the real packaged model: two reports of one flood toll, and two
reports reading a minister's ultimatum differently.

Dated two days apart the toll reports are an update (the latest first, then what it replaced);
dated the same day they disagree (both sides, both cited, no winner picked). One model call per
question: the other report's figure is read at the place of the checked answer (qa/answer/rivals.py).
Asked whom the ultimatum was aimed at, one report singles out the unions and the other puts every
side alike: the reports differ, and the flag cites the "either side" sentence."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

REPORTS = {
    "herald": ("Riverton Herald", "Floods kill 12 in Riverton",
               "The floods in Riverton have killed 12 people, the regional emergency service said on Thursday. "
               "Rescue teams are still searching the lower town."),
    "post": ("Valley Post", "Riverton flood toll rises",
             "The floods in Riverton have killed 40 people, the regional emergency service said on Saturday. "
             "More than 300 homes were damaged."),
}
QUESTION = "How many people have the floods in Riverton killed?"


def _app(tmp_path_factory, models_cache, dates):
    from qa import Dateline, load_settings

    corpus = tmp_path_factory.mktemp("riverton")
    for (name, (source, title, body)), date in zip(REPORTS.items(), dates):
        (corpus / f"{name}.md").write_text(f"---\ntitle: {title}\nsource: {source}\ndate: {date}\n---\n\n{body}\n",
                                           encoding="utf-8")
    app = Dateline(load_settings(data_dir=tmp_path_factory.mktemp("riverton-data"), models_cache=models_cache))
    assert len(app.ingest([str(corpus)]).added) == 2
    return app


def test_two_dated_reports_of_a_rising_toll_are_an_update_latest_first(tmp_path_factory, models_cache):
    answer = _app(tmp_path_factory, models_cache, ["2025-04-03", "2025-04-05"]).ask(QUESTION)
    assert answer.status == "answered", (answer.answer, answer.raw_output, answer.dropped)
    assert re.match(r"As of 2025-04-05: 40( people)? \[\d\]\. Earlier, on 2025-04-03: 12( people)? \[\d\]\.$", answer.answer), \
        answer.answer
    quotes = {c.source: c.quote for c in answer.citations}
    assert "40 people" in quotes["Valley Post"] and "12 people" in quotes["Riverton Herald"], quotes


def test_two_same_day_reports_with_different_tolls_disagree(tmp_path_factory, models_cache):
    answer = _app(tmp_path_factory, models_cache, ["2025-04-05", "2025-04-05"]).ask(QUESTION)
    assert answer.status == "conflict", (answer.answer, answer.raw_output, answer.dropped)
    assert answer.answer.startswith("The articles differ."), answer.answer
    assert re.search(r"Riverton Herald: 12( people)? \[", answer.answer), answer.answer
    assert re.search(r"Valley Post: 40( people)? \[", answer.answer), answer.answer
    assert answer.to_dict()["conflict"] is True  # what `qa ask --json` and the page read


ULTIMATUM = {
    "courier": ("Harbour Courier", "Minister's ultimatum aimed at unions",
                "The transport minister's ultimatum to end the rail strike was aimed at the unions rather than the "
                "train operators, two officials said on Friday. The unions have held six days of strikes."),
    "gazette": ("Evening Gazette", "Minister threatens to quit rail talks",
                "The transport minister warned on Friday that the government would walk away from the rail talks if "
                "either side continued to block a settlement. The minister's ultimatum followed six days of strikes."),
}


def test_reports_singling_out_a_side_and_putting_every_side_alike_differ(tmp_path_factory, models_cache):
    from qa import Dateline, load_settings

    corpus = tmp_path_factory.mktemp("ultimatum")
    for name, (source, title, body) in ULTIMATUM.items():
        (corpus / f"{name}.md").write_text(f"---\ntitle: {title}\nsource: {source}\ndate: 2025-06-06\n---\n\n{body}\n",
                                           encoding="utf-8")
    app = Dateline(load_settings(data_dir=tmp_path_factory.mktemp("ultimatum-data"), models_cache=models_cache))
    assert len(app.ingest([str(corpus)]).added) == 2
    answer = app.ask("Whom was the transport minister's ultimatum aimed at, according to the reports?")
    assert answer.status == "conflict", (answer.answer, answer.raw_output, answer.dropped)
    quotes = {c.source: c.quote for c in answer.citations}
    assert "either side" in quotes["Evening Gazette"], quotes
    assert "rather than" in quotes["Harbour Courier"], quotes
