"""Fast tests of the eval metrics and report on hand-made records (no model, no store)."""
from __future__ import annotations

import json

import pytest

from evals.goldset import GoldError, load_gold, parse_item
from evals.metrics import (accurate, citation_counts, cites_gold, conflict_sides, contradicts_pin, first_hit_rank,
                           norm_answer, norm_quote, percentile, says_not_found, score, summarise, summarise_by_type, token_f1)
from evals.report import markdown, write_report

DEADLINE = parse_item({"id": "q1", "question": "What deadline was set for the fund agreement?",
                       "answer": "April 26", "aliases": ["26 April"],
                       "evidence": [{"doc": "003", "quote": "finalising the agreement by April 26"}],
                       "type": "single", "unanswerable": False, "conflict": False})
NOPE = parse_item({"id": "q2", "question": "What is the fund worth?", "answer": "", "aliases": [],
                   "evidence": [], "type": "unanswerable", "unanswerable": True, "conflict": False})


# --- gold loading --------------------------------------------------------------------------------
def test_third_party_fields_are_accepted():
    item = parse_item({"question": "Who won?", "answers": ["Ann", "Ann Lee"], "evidence": ["a.txt"]}, 7)
    assert item.id == "line-7" and item.answer == "Ann" and item.aliases == ("Ann Lee",)
    assert item.evidence[0].doc == "a.txt" and item.evidence[0].quote == ""
    assert not item.unanswerable and item.type == "other"
    blank = parse_item({"id": "x", "question": "Who lost?", "answer": ""})
    assert blank.unanswerable and blank.type == "unanswerable"


def test_load_gold_rejects_duplicates_and_names_the_line(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "question": "Q?"}\n\n{"id": "a", "question": "R?"}\n')
    with pytest.raises(GoldError, match=r"g.jsonl:3: duplicate id"):
        load_gold(path)
    path.write_text('{"id": "a", "question": "Q?"}\n{"id": "b"}\n')
    with pytest.raises(GoldError, match=r"g.jsonl:2: missing 'question'"):
        load_gold(path)
    path.write_text('{"id": "a", "question": "Q?"}\n{"id": "b", "question": "R?"}\n')
    assert [i.id for i in load_gold(path, limit=1)] == ["a"]


# --- normalisation and answers --------------------------------------------------------------------
def test_normalisation():
    assert norm_quote("  Trump’s  “deal”\n") == "trump's \"deal\""
    assert norm_answer("The deal [1] was signed [2].") == "deal was signed"


def test_accuracy_is_whole_word_containment_of_answer_or_alias():
    assert accurate(DEADLINE, "By 26 April [1].", refused=False)
    assert accurate(DEADLINE, "The deadline is april 26 (Saturday) [1].", refused=False)
    assert not accurate(DEADLINE, "April 266 [1].", refused=False)
    assert not accurate(DEADLINE, "April 26 [1].", refused=True)  # a refusal is never a correct answer


def test_token_f1_takes_the_best_alias():
    assert token_f1(DEADLINE, "April 26 [1].", refused=False) == 1.0
    assert token_f1(DEADLINE, "by 26 April", refused=False) == pytest.approx(0.8)
    assert token_f1(DEADLINE, "May", refused=False) == 0.0


# --- retrieval ----------------------------------------------------------------------------------
def test_first_hit_rank_by_quote_or_by_doc():
    chunks = [("000", "nothing here"), ("003", "…aim of finalising  the agreement by April 26, he said")]
    assert first_hit_rank(DEADLINE, chunks) == 2
    assert first_hit_rank(DEADLINE, chunks[:1]) is None
    doc_only = parse_item({"id": "d", "question": "Q?", "answer": "x", "evidence": [{"doc": "000"}]})
    assert first_hit_rank(doc_only, chunks) == 1


# --- citations ----------------------------------------------------------------------------------
PASSAGE = {"n": 1, "doc_id": "003", "title": "US and Ukraine sign memorandum", "source": "", "date": "",
           "passage": "Both sides aim at  finalising the agreement by April 26, Svyrydenko said."}


def test_a_citation_is_right_when_it_sends_the_reader_to_gold_evidence():
    assert cites_gold(DEADLINE, PASSAGE)  # gold document, holds the gold quote (spacing folded)
    by_alias = {**PASSAGE, "passage": "The deal is due by 26 April, she said."}
    assert cites_gold(DEADLINE, by_alias)  # holds an alias of the answer, not the quote
    assert not cites_gold(DEADLINE, {**PASSAGE, "passage": "Bessent signed the agreement remotely."})
    assert not cites_gold(DEADLINE, {**PASSAGE, "passage": "It is due by April 266."})  # whole words only
    assert not cites_gold(DEADLINE, {**PASSAGE, "doc_id": "000"})  # right words, but not a gold document
    assert not cites_gold(NOPE, {**PASSAGE, "doc_id": "000"})  # nothing to cite for an unanswerable item
    dated = parse_item({"id": "d", "question": "When was the TASS report dated?", "answer": "April 19, 2025",
                        "aliases": ["2025-04-19"], "evidence": [{"doc": "000", "quote": "WASHINGTON, April 19."}]})
    header = {"n": 1, "doc_id": "000", "title": "Rubio", "source": "TASS", "date": "2025-04-19",
              "passage": "Rubio spoke in Paris."}
    assert cites_gold(dated, header)  # the date shown above the passage is what the reader sees


def test_citation_counts_alce_style():
    other = {"n": 2, "doc_id": "000", "title": "", "source": "TASS", "date": "2025-04-19",
             "passage": "Rubio spoke in Paris about April 26."}
    sentences = [{"text": "The articles differ.", "citations": [1, 2]},  # lead-in: not a claim
                 {"text": "April 26 [1][2].", "citations": [1, 2]},  # [2] is not a gold document
                 {"text": "Rubio spoke in Paris [2].", "citations": [2]},
                 {"text": "Nobody knows [1].", "citations": [1]}]  # judged by the gold, not the sentence
    counts = citation_counts(DEADLINE, sentences, [PASSAGE, other])
    assert counts == {"citations": 4, "precise": 2, "claims": 3, "supported": 2}


# --- conflict items: both sides, each in its own words ----------------------------------------------
KYIV_OR_MOSCOW = parse_item({
    "id": "seed-040", "question": "According to the reports, were Washington's threats to walk away from the "
                                  "Ukraine talks directed at Kyiv or at Moscow?",
    "answer": "Kiev vs Moscow or Kyiv",
    "aliases": ["Kiev regime rather than Moscow", "Kiev", "Kyiv", "Moscow or Kyiv", "either side", "both sides"],
    "evidence": [{"doc": "000", "quote": "are directed against the Kiev regime rather than Moscow"},
                 {"doc": "003", "quote": "if Moscow or Kyiv made the process"}],
    "type": "conflict", "conflict": True})
AIMED_AT = parse_item({
    "id": "seed-039", "question": "Who was Rubio's warning aimed at according to the reports?",
    "answer": "the Ukrainians vs both sides",
    "aliases": ["Ukrainians", "Ukraine", "Kiev", "both sides", "either side", "Moscow or Kyiv"],
    "evidence": [{"doc": "000", "quote": "mostly aimed at the Ukrainians"}, {"doc": "003", "quote": "if either side"}],
    "type": "conflict", "conflict": True})

HOST = parse_item({"id": "h", "question": "Which city hosted the final?", "answer": "York vs New York",
                   "aliases": ["New Jersey"], "evidence": [{"doc": "a"}, {"doc": "b"}], "type": "conflict"})


def test_conflict_aliases_are_read_side_by_side():
    assert conflict_sides(KYIV_OR_MOSCOW) == [["Kiev", "Kiev regime rather than Moscow", "Kiev"],
                                              ["Moscow or Kyiv", "Kyiv", "Moscow or Kyiv", "either side", "both sides"]]
    assert conflict_sides(AIMED_AT) == [["the Ukrainians", "Ukrainians", "Ukraine", "Kiev"],
                                        ["both sides", "both sides", "either side", "Moscow or Kyiv"]]
    assert conflict_sides(DEADLINE) is None  # not a conflict item: plain alias matching


@pytest.mark.parametrize("item, answer, right", [
    (KYIV_OR_MOSCOW, "Kyiv or Moscow [1][2].", False),  # echoes the question: every alias word is in it
    (KYIV_OR_MOSCOW, "The articles differ. The Kiev regime rather than Moscow [1].", False),  # one side only
    (KYIV_OR_MOSCOW, "The articles differ. The Kiev regime [1]. Either side [2].", True),
    (AIMED_AT, "Ukraine [1]. Ukraine [2].", False),  # one side's word twice is not both sides
    (AIMED_AT, "The articles differ. At the Ukrainians [1]. At both sides [2].", True),
    (AIMED_AT, "Kiev [1]; at Moscow or Kyiv, either side [2].", True),
    (HOST, "New York [1][2].", False),  # "York" is shown only inside the other side's phrase
    (HOST, "York [1]. New Jersey [2].", True),
])
def test_a_conflict_answer_needs_both_sides_in_words_the_question_lacks(item, answer, right):
    assert accurate(item, answer, refused=False) is right


# --- refusals of free text ---------------------------------------------------------------------
@pytest.mark.parametrize("text,refused", [
    ("", True), ("The context does not mention the fund's value.", True),
    ("I cannot find that in the context.", True), ("There is no information about it.", True),
    ("The deadline is April 26.", False), ("Rubio did not mention Russia.", False),
])
def test_baseline_refusal_text(text, refused):
    assert says_not_found(text) is refused


# --- records and summaries -------------------------------------------------------------------------
def record(item, status, answer, chunks=(), sentences=None, citations=None, ms=1000.0):
    rec = {"id": item.id, "type": item.type, "question": item.question, "expected": item.answer,
           "unanswerable": item.unanswerable, "conflict": item.conflict, "status": status, "answer": answer,
           "error": "", "retrieved": [{"doc_id": d, "text": t} for d, t in chunks],
           "timings": {"retrieval_ms": ms / 10, "first_token_ms": ms / 2, "total_ms": ms}}
    rec.update(score(item, status=status, answer=answer, chunks=list(chunks), sentences=sentences,
                     citations=citations))
    return rec


def hand_made() -> list[dict]:
    hit = [("x", "other text"), ("003", "finalising the agreement by April 26")]
    good = record(DEADLINE, "answered", "April 26 [1].", hit,
                  [{"text": "April 26 [1].", "citations": [1]}], [PASSAGE], ms=2000)
    wrong = record(DEADLINE, "not_found", "Not found in the articles.", [], ms=500)
    refused = record(NOPE, "not_found", "Not found in the articles.", ms=300)
    return [good, wrong, refused]


def test_score_fields():
    good, wrong, refused = hand_made()
    assert good["rank"] == 2 and good["accurate"] and good["correct"] and good["cites"]["precise"] == 1
    assert wrong["refused"] and not wrong["correct"] and wrong["cites"] is None
    assert refused["correct"] and refused["accurate"] is None and refused["rank"] is None


def test_summarise():
    m = summarise(hand_made())
    assert m["n"] == 3 and m["errors"] == 0
    assert m["accuracy"] == 0.5 and m["correct"] == pytest.approx(0.6667)
    assert m["hit@1"] == 0.0 and m["hit@3"] == 0.5 and m["mrr@10"] == 0.25
    assert m["citation_precision"] == 1.0 and m["citation_recall"] == 1.0
    assert m["refusal_precision"] == 0.5 and m["refusal_recall"] == 1.0 and m["false_refusal_rate"] == 0.5
    assert m["conflict_rate"] is None  # no conflict questions: n/a, not 0
    assert m["total_ms_p50"] == 500.0 and m["total_ms_p95"] == pytest.approx(1850.0)
    by_type = summarise_by_type(hand_made())
    assert list(by_type) == ["single", "unanswerable"] and by_type["unanswerable"]["accuracy"] is None


def test_percentile_matches_numpy_default():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10], 95) == 10
    assert percentile([], 50) is None


def test_system_without_citations_has_na_citation_metrics():
    rec = record(DEADLINE, "answered", "It is April 26.", citations=None)
    assert rec["cites"] is None and summarise([rec])["citation_precision"] is None


# --- report ---------------------------------------------------------------------------------------
def test_report_files(tmp_path):
    records = hand_made()
    baseline = [record(DEADLINE, "answered", "April 26", ms=900), record(DEADLINE, "answered", "May 1", ms=800),
                record(NOPE, "not_found", "Not mentioned | at all", ms=700)]
    report = {"date": "2025-01-01T00:00:00+00:00", "duration_s": 3.2, "gold": "g.jsonl", "corpus": "c",
              "limit": None, "baseline": True, "model": "m", "embedder": "e",
              "config": {"top_k": 4, "chunk_size": 96}, "machine": {"cpu_count": 2, "platform": "linux"},
              "ingest": {"articles": 2, "chunks": 9, "failed": [], "skipped": []}, "warnings": [],
              "metrics": {s: {"overall": summarise(r), "by_type": summarise_by_type(r)}
                          for s, r in (("dateline", records), ("baseline", baseline))},
              "records": {"dateline": records, "baseline": baseline}}
    paths = write_report(report, tmp_path / "out")
    assert sorted(p.name for p in paths) == ["latency.png", "metrics_by_type.png", "report.json", "report.md"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert json.loads((tmp_path / "out" / "report.json").read_text())["metrics"]["dateline"]["overall"]["n"] == 3
    md = markdown(report)
    assert "| metric | Dateline | baseline (stock llama-index) |" in md
    assert "| answer accuracy (answerable) | 50.0% | 50.0% |" in md
    assert "| citation precision | 100.0% | n/a |" in md
    table = [line for line in md.splitlines() if line.startswith("|")]
    widths = {line.replace("\\|", "").count("|") for line in table[:3]}
    assert len(widths) == 1  # header, rule and rows have the same number of cells
    assert "## Failures (1 of 3)" in md and "**NOT FOUND**" in md


def test_eval_takes_a_config_file_after_the_subcommand_too():
    from qa.cli import build_parser

    args = build_parser().parse_args(["eval", "--gold", "g.jsonl", "--corpus", "c", "--config", "small.toml"])
    assert args.config == "small.toml"
    args = build_parser().parse_args(["--config", "base.toml", "eval", "--gold", "g.jsonl", "--corpus", "c"])
    assert args.config == "base.toml"


def test_a_conflict_counts_as_read_only_when_both_sides_are_among_the_passages_read():
    from evals.metrics import reads_both_sides

    assert reads_both_sides(HOST, [("a", "The final was played in York."), ("b", "It was held in New York.")])
    assert not reads_both_sides(HOST, [("a", "The final was played in York."), ("c", "York hosted it again.")])
    assert reads_both_sides(DEADLINE, [("a", "April 26")]) is None  # not a conflict item


def test_a_date_side_differs_by_its_month():
    may = parse_item({"id": "m", "question": "When did the awards take place?", "answer": "January 5 2020 vs May 5, 2020",
                      "aliases": [], "evidence": [{"doc": "a"}], "type": "conflict"})
    assert accurate(may, "The articles differ. January 5, 2020 [1]. May 5, 2020 [2].", False)
    assert not accurate(may, "January 5, 2020 [1].", False)


def test_an_answer_citing_another_year_or_quarter_than_asked_is_counted():
    asked = "Who won the women's singles U.S. Open in 2019?"
    assert contradicts_pin(asked, [{"quote": "Naomi Osaka won the 2018 U.S. Open.", "title": ""}])
    assert not contradicts_pin(asked, [{"quote": "Bianca Andreescu won the 2019 U.S. Open.", "title": ""}])
    assert not contradicts_pin(asked, [{"quote": "Bianca Andreescu won the final.", "title": "US Open 2019"}])
    assert not contradicts_pin(asked, [{"quote": "Andreescu won in 2019, a year after Osaka won in 2018.", "title": ""}])
    assert not contradicts_pin(asked, [{"quote": "Andreescu won the final.", "title": ""}])  # no year: no contradiction
    assert contradicts_pin("What was Tesla's revenue in Q1 2021?", [{"quote": "Second-quarter 2021 revenue was $12 billion; "
                                                                              "Q2 2021 set a record.", "title": ""}])
    assert not contradicts_pin("Who won the World Cup?", [{"quote": "France won in 2018.", "title": ""}])
