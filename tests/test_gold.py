"""The gold sets are data the quality gate trusts: every line parses, ids are unique, and every
evidence quote is verbatim in its article as the project's own reader sees it (so a hit@k miss
is retrieval's fault, never a typo in the gold)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from evals.goldset import load_gold, parse_item
from qa.ingest.readers import Article, read_sources

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "evals" / "gold"
SOURCES = [ROOT / "corpus", ROOT / "evals" / "data" / "bbc-news"]
GOLD_FILES = sorted(GOLD_DIR.glob("*.jsonl"))
TYPES = {"single", "multi", "conflict", "date", "unanswerable"}


@lru_cache(maxsize=1)
def articles() -> dict[str, Article]:
    """Every article of the bundled corpus and the BBC data, by doc id."""
    found = [a for src in SOURCES if src.exists() for a in read_sources([src]) if isinstance(a, Article)]
    return {a.doc_id: a for a in found}


def test_gold_files_exist():
    if not GOLD_FILES:
        pytest.skip(f"no gold sets in {GOLD_DIR} yet (they are written by hand; see README there)")
    assert (GOLD_DIR / "seed.jsonl").exists(), "the quality gate needs evals/gold/seed.jsonl"


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_every_line_is_a_complete_item(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number}: blank line"
        raw = json.loads(line)
        for key in ("id", "question", "answer", "aliases", "evidence", "type", "unanswerable", "conflict"):
            assert key in raw, f"{path.name}:{number}: missing {key!r}"
        item = parse_item(raw, number)
        assert item.type in TYPES, f"{path.name}:{number}: unknown type {item.type!r}"
        assert item.unanswerable == (item.type == "unanswerable"), f"{path.name}:{number}"
        if item.unanswerable:
            assert not item.answers and not item.evidence, f"{path.name}:{number}: unanswerable with an answer"
        else:
            assert item.answers and item.evidence, f"{path.name}:{number}: answerable without answer/evidence"
            assert all(e.doc and e.quote for e in item.evidence), f"{path.name}:{number}: evidence without quote"


def test_ids_unique_across_sets():
    seen: dict[str, str] = {}
    for path in GOLD_FILES:
        for item in load_gold(path):  # load_gold itself rejects duplicates within a file
            assert item.id not in seen, f"{item.id} in both {seen[item.id]} and {path.name}"
            seen[item.id] = path.name


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_quotes_verbatim_in_their_articles(path):
    missing_sources = [str(s) for s in SOURCES if not s.exists()]
    if missing_sources:
        pytest.skip(f"article sources not present: {missing_sources}")
    by_id = articles()
    problems = []
    for item in load_gold(path):
        for ev in item.evidence:
            article = by_id.get(ev.doc)
            if article is None:
                problems.append(f"{item.id}: no article with doc id {ev.doc!r}")
            elif ev.quote not in article.text:
                problems.append(f"{item.id}: quote not verbatim in {ev.doc}: {ev.quote!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_answers_are_in_the_evidence_articles(path):
    """An answerable item whose answer (or an alias) is nowhere in its articles cannot be scored."""
    if not all(s.exists() for s in SOURCES):
        pytest.skip("article sources not present")
    by_id = articles()
    problems = []
    for item in load_gold(path):
        if item.unanswerable or item.conflict:  # conflict answers are "X vs Y" summaries
            continue
        texts = " ".join(by_id[e.doc].text.lower() for e in item.evidence if e.doc in by_id)
        if not any(a.lower() in texts for a in item.answers):
            problems.append(f"{item.id}: none of {item.answers} in {[e.doc for e in item.evidence]}")
    assert not problems, "\n".join(problems)
