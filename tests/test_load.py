"""Load (issue #6, item 3): 20 concurrent POST /api/ask on a real `qa serve` while an ingest runs.

The scenario, its numbers and its checks are evals/bench_load.py (`python -m evals.bench_load`
runs the same code and writes evals/results/bench_load.json): a `chroma run` server, `qa serve`
on it (started like the API tests' server), 20 questions with known answers from the seed set
sent at once while 300 BBC rows are ingested into the same collection through the library.
Every request must get HTTP 200 and its right answer with a citation (or "not found"), the ingest
must finish with counts that reconcile, and the server must then list the new articles.

The model answers one question at a time, so this takes about 20 answers' time (a few minutes on
a quiet 2-core machine, far longer on a busy one); latency is printed (-s), not asserted.
"""
from __future__ import annotations

import pytest

from evals.bench_load import problems, run_load, summary

pytestmark = pytest.mark.e2e


def test_twenty_concurrent_questions_while_an_ingest_runs(tmp_path, models_cache):
    result = run_load(tmp_path / "load", models_cache=models_cache, requests=20, rows=300)
    print("\n" + summary(result))
    found = problems(result)
    assert not found, "\n".join(found)
