"""Recurring events end to end with the real packaged model: two articles about one cup final in
different years. Asked about a year they do not cover, Dateline says so and names the near miss;
asked about a year they cover, it answers from that year's article, not the other's."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

ARTICLES = {
    "kestrel-2021.txt": "Berg takes the Kestrel Cup\n\nAnna Berg of the Harbour club won the 2021 Kestrel Cup final "
                        "in Leeds, beating Ola Lind in three sets. It was her first title.\n",
    "kestrel-2022.txt": "Lind wins the Kestrel Cup\n\nOla Lind of the Moor club won the 2022 Kestrel Cup final "
                        "in York on Sunday. It was his first title.\n",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory, models_cache):
    from qa import Dateline, load_settings

    corpus = tmp_path_factory.mktemp("kestrel")
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    app = Dateline(load_settings(data_dir=tmp_path_factory.mktemp("kestrel-data"), models_cache=models_cache))
    assert len(app.ingest([str(corpus)]).added) == 2
    return app


def test_a_year_the_articles_do_not_cover_is_an_honest_near_miss(app):
    answer = app.ask("Who won the Kestrel Cup final in 2019?")
    assert answer.status == "not_found", answer.answer
    assert answer.near_miss and answer.near_miss["asked"] == "2019", answer.to_dict()
    assert answer.answer.startswith("Not found for 2019 in the articles;") and answer.answer.endswith("[1].")
    quote = answer.citations[0].quote
    assert answer.near_miss["given"] in quote and answer.near_miss["given"] in ("2021", "2022")
    assert answer.to_dict()["near_miss"] == answer.near_miss  # what `qa ask --json` prints


@pytest.mark.parametrize("year, winner, loser", [("2021", "Anna Berg", "Ola Lind"), ("2022", "Ola Lind", "Anna Berg")])
def test_a_covered_year_is_answered_from_that_years_article(app, year, winner, loser):
    answer = app.ask(f"Who won the Kestrel Cup final in {year}?")
    assert answer.status == "answered", (answer.answer, answer.raw_output, answer.dropped)
    assert winner in answer.answer and loser not in answer.answer
    assert year in answer.citations[0].quote
