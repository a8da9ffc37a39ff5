"""Fast tests of the eval metrics and report on hand-made records (no model, no store)."""
from __future__ import annotations

import json

import pytest

from evals.goldset import GoldError, load_gold, parse_item
from evals.metrics import (accurate, citation_counts, first_hit_rank, norm_answer, norm_quote, percentile,
                           says_not_found, score, summarise, summarise_by_type, supports, token_f1)
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
PASSAGE = {"n": 1, "title": "US and Ukraine sign memorandum", "source": "", "date": "",
           "passage": "Both sides aim at finalising the agreement by April 26, Svyrydenko said."}


def test_support_needs_most_content_words_and_every_number():
    assert supports(PASSAGE["passage"], "The agreement is due by April 26.")
    assert not supports(PASSAGE["passage"], "The agreement is due by April 27.")  # number must match
    assert not supports(PASSAGE["passage"], "Bessent signed the fund agreement remotely.")
    assert supports("three European diplomats felt so", "3 [1].")  # number words count as numbers
    assert not supports("three European diplomats felt so", "4 [1].")


def test_citation_counts_alce_style():
    other = {"n": 2, "title": "", "source": "TASS", "date": "2025-04-19", "passage": "Rubio spoke in Paris."}
    sentences = [{"text": "The articles differ.", "citations": [1, 2]},  # lead-in: not a claim
                 {"text": "April 26 [1][2].", "citations": [1, 2]},
                 {"text": "TASS: Rubio spoke in Paris [2].", "citations": [2]},  # source is in the header
                 {"text": "Nobody knows [1].", "citations": [1]}]
    counts = citation_counts(sentences, [PASSAGE, other])
    assert counts == {"citations": 4, "precise": 2, "claims": 3, "supported": 2}


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
