"""Quality gate (e2e, real packaged models): the seed gold set must stay above evals/floors.json.

Floors were set from a measured run (measured value minus a small margin, rounded down) and
sit beside the measured values in floors.json. Raise a floor when the system improves; never
lower one to make this pass. Also: a made-up corpus and question set the project has never
seen runs through `qa eval` without code changes.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "evals" / "gold" / "seed.jsonl"
CORPUS = ROOT / "corpus"
FLOORS = ROOT / "evals" / "floors.json"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    from evals.report import write_report
    from evals.runner import run_eval

    report = run_eval(SEED, CORPUS, progress=False)
    write_report(report, tmp_path_factory.mktemp("seed-report"))  # the report writer runs on real data too
    return report


def test_seed_set_meets_floors(seed_report):
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["metrics"]
    measured = seed_report["metrics"]["dateline"]["overall"]
    assert measured["errors"] == 0, [r["error"] for r in seed_report["records"]["dateline"] if r["error"]]
    assert measured["n"] == floors["questions"]["measured"], "seed set changed: re-measure the floors"
    below = {name: (measured[name], spec["floor"]) for name, spec in floors.items()
             if name != "questions" and (measured[name] is None or measured[name] < spec["floor"])}
    assert not below, f"below floor (measured, floor): {below}"


def test_third_party_set_runs_unchanged(tmp_path):
    """A corpus and gold file in the documented format, with the lenient variants, run as-is."""
    from qa.cli import main

    corpus = tmp_path / "articles"
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
    gold = tmp_path / "gold.jsonl"
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
    out = tmp_path / "report"

    assert main(["eval", "--gold", str(gold), "--corpus", str(corpus), "--out", str(out)]) == 0

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    records = report["records"]["dateline"]
    assert [r["id"] for r in records] == ["t1", "t2", "t3"]
    assert report["ingest"]["articles"] == 2 and not report["warnings"]
    assert all(r["status"] in ("answered", "conflict", "not_found") for r in records)
    assert report["metrics"]["dateline"]["overall"]["hit@5"] == 1.0  # both evidence docs retrievable
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | Dateline |" in md and "## Failures" in md
    assert (out / "metrics_by_type.png").stat().st_size > 0 and (out / "latency.png").stat().st_size > 0
