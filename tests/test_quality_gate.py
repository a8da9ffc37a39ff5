"""Quality gate (e2e, real packaged models): the seed set's report half must stay within
evals/floors.json.

CI runs the report half only (27 of 54 questions, half the time): it is the half no rule was
fitted to (evals/gold/README.md). Floors were set from a measured run (measured value minus a
small margin, rounded down; ceilings for lower-is-better rates) and sit beside the measured
values in floors.json. Raise a floor when the system improves; never lower one to make this pass.
Also: a made-up corpus and question set the project has never seen runs through `qa eval`
without code changes, and its easy questions are answered, or refused, as they must be.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "evals" / "gold" / "seed.jsonl"
CORPUS = ROOT / "corpus"
FLOORS = ROOT / "evals" / "floors.json"
HALF = "report"


def gate() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8"))["halves"][HALF]


def out_of_bounds(measured: dict, metrics: dict) -> dict:
    """{name: (measured, bound)} for every metric under its floor or over its ceiling (None is out)."""
    found = {}
    for name, spec in metrics.items():
        value = measured[name]
        if "floor" in spec and (value is None or value < spec["floor"]):
            found[name] = (value, f">= {spec['floor']}")
        if "ceiling" in spec and (value is None or value > spec["ceiling"]):
            found[name] = (value, f"<= {spec['ceiling']}")
    return found


def test_floors_file_fits_the_report_half():
    """Fast: the gated half's size and metric names match what the eval produces, and every
    metric has a bound, so a changed split or a typo fails here and not after a model run."""
    from evals.goldset import load_gold
    from evals.metrics import summarise

    spec = gate()
    assert spec["questions"] == len(load_gold(SEED, half=HALF)), "seed set or split changed: re-measure the floors"
    assert set(spec["metrics"]) <= set(summarise([])), "unknown metric name"
    assert all({"floor", "ceiling"} & set(bound) for bound in spec["metrics"].values())
    assert out_of_bounds({"accuracy": 0.5, "false_refusal_rate": 0.9, "mrr@10": None},
                         {"accuracy": {"floor": 0.78}, "false_refusal_rate": {"ceiling": 0.12},
                          "mrr@10": {"floor": 0.82}}).keys() == {"accuracy", "false_refusal_rate", "mrr@10"}


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    from evals.report import write_report
    from evals.runner import run_eval

    report = run_eval(SEED, CORPUS, half=HALF, progress=False)
    out = tmp_path_factory.mktemp("seed-report")
    write_report(report, out)  # the report writer runs on real data too
    report["markdown"] = (out / "report.md").read_text(encoding="utf-8")
    return report


@pytest.mark.e2e
def test_seed_report_half_meets_floors(seed_report):
    spec = gate()
    measured = seed_report["metrics"]["dateline"]["overall"]
    assert seed_report["half"] == HALF and f"seed.jsonl, {HALF} half" in seed_report["markdown"]
    assert measured["errors"] == 0, [r["error"] for r in seed_report["records"]["dateline"] if r["error"]]
    assert measured["n"] == spec["questions"], "seed set or split changed: re-measure the floors"
    off = out_of_bounds(measured, spec["metrics"])
    assert not off, f"out of bounds (measured, bound): {off}"


@pytest.fixture(scope="module")
def third_party(tmp_path_factory) -> dict:
    """A corpus and gold file in the documented format, with the lenient variants, run as-is
    through `qa eval`; returns the report folder's report.json with the folder as "out"."""
    from qa.cli import main

    root = tmp_path_factory.mktemp("third-party")
    corpus = root / "articles"
    corpus.mkdir()
    (corpus / "lighthouse.txt").write_text(
        "Harbourview lighthouse to reopen\n\n"
        "The Harbourview Lighthouse Trust said on Tuesday that restoring the old lighthouse will cost "
        "2.4 million euros. The work is to be finished by the end of September, the trust's chair, "
        "Marta Quinlan, told reporters.\n", encoding="utf-8")
    (corpus / "ferry.md").write_text(
        "---\ntitle: Island ferry adds night crossing\nsource: Coast Herald\ndate: 2024-03-02\n---\n"
        "The Saltmarsh ferry company will add a night crossing to Gull Island from May. The new "
        "vessel, named Petrel, carries up to 140 passengers.\n", encoding="utf-8")
    gold = root / "gold.jsonl"
    lines = [
        {"id": "t1", "question": "How much will restoring the Harbourview lighthouse cost?",
         "answer": "2.4 million euros", "aliases": ["2.4 million"],
         "evidence": [{"doc": "lighthouse", "quote": "will cost 2.4 million euros"}], "type": "single",
         "unanswerable": False, "conflict": False},
        {"id": "t2", "question": "What is the name of the Saltmarsh ferry company's new vessel?",
         "answers": ["Petrel"], "evidence": [{"doc": "ferry"}]},  # `answers`, doc-only evidence
        {"id": "t3", "question": "How many lighthouse keepers does the Harbourview Lighthouse Trust employ?",
         "answer": "", "unanswerable": True},
    ]
    gold.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = root / "report"

    assert main(["eval", "--gold", str(gold), "--corpus", str(corpus), "--out", str(out)]) == 0
    return {**json.loads((out / "report.json").read_text(encoding="utf-8")), "out": out}


@pytest.mark.e2e
def test_third_party_set_runs_unchanged(third_party):
    records = {r["id"]: r for r in third_party["records"]["dateline"]}
    assert list(records) == ["t1", "t2", "t3"] and third_party["half"] == "all"
    assert third_party["ingest"]["articles"] == 2 and not third_party["warnings"]
    # hit@1, not hit@5: with two one-chunk articles every top 5 holds both, whatever the ranking
    assert records["t1"]["rank"] == 1 and records["t2"]["rank"] == 1
    for answerable in ("t1", "t2"):  # one fact, stated once, named in the question
        assert records[answerable]["status"] == "answered" and records[answerable]["accurate"], records[answerable]
    md = (third_party["out"] / "report.md").read_text(encoding="utf-8")
    assert "| metric | Dateline |" in md and "## Failures" in md
    assert all((third_party["out"] / png).stat().st_size > 0 for png in ("metrics_by_type.png", "latency.png"))


@pytest.mark.e2e
def test_third_party_unanswerable_is_refused(third_party):
    t3 = next(r for r in third_party["records"]["dateline"] if r["id"] == "t3")
    assert t3["status"] == "not_found", t3  # neither article says anything about keepers
