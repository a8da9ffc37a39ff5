"""The gold sets are data the quality gate trusts: every line parses, ids are unique, every
evidence document exists as the project's own reader names it, every evidence quote is verbatim
in its article, and every answer is in its evidence (so a hit@k miss is retrieval's fault and a
wrong answer the system's, never a typo in the gold).

Outside CI a missing gold file or article folder skips its check (a partial checkout); in CI
(CI=true) it fails, because there a missing file means the gate would check nothing.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from evals.goldset import CORPORA, GOLD_DIR, load_gold, parse_item
from evals.metrics import norm_answer
from evals.splits import SHARED
from qa.ingest.readers import Article, read_sources

TYPES = {"single", "multi", "conflict", "date", "unanswerable"}


@dataclass(frozen=True)
class Promise:
    """What a set's format promises beyond the common fields (evals/gold/README.md)."""
    quotes: bool  # every evidence item carries a verbatim quote (the hand-written sets)
    sides: bool  # each evidence passage of a conflict item states one side, in a spelling of `aliases` (RGB)


PROMISES = {"seed": Promise(quotes=True, sides=False), "bbc": Promise(quotes=True, sides=False),
            "rgb": Promise(quotes=False, sides=False), "rgb-conflict": Promise(quotes=False, sides=True)}
SETS = sorted(PROMISES)


def require(path: Path) -> Path:
    """``path``, or a skip (a failure in CI) when it is missing."""
    if not path.exists():
        message = f"missing: {path}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI must check every gold set)")
        pytest.skip(message)
    return path


def gold_file(name: str) -> Path:
    return require(GOLD_DIR / f"{name}.jsonl")


@lru_cache(maxsize=None)
def articles(name: str) -> dict[str, Article]:
    """Every article a set is written over, by the doc id the readers give it; a file the
    readers cannot read fails here with their reason, not later as a missing doc id."""
    found = list(read_sources([require(CORPORA[name])]))
    failures = [f for f in found if not isinstance(f, Article)]
    assert not failures, f"{len(failures)} unreadable file(s) in {CORPORA[name]}, e.g. {failures[0]}"
    return {a.doc_id: a for a in found}


def test_every_gold_file_is_a_known_set():
    """A new gold file must say what its format promises here, or none of the checks would cover it."""
    on_disk = sorted(p.stem for p in GOLD_DIR.glob("*.jsonl"))
    assert on_disk == SETS == sorted(CORPORA), "add the set to PROMISES here and to evals.goldset.CORPORA"


@pytest.mark.parametrize("name", SETS)
def test_every_line_is_a_complete_item(name):
    path = gold_file(name)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number}: blank line"
        raw = json.loads(line)
        for key in ("id", "question", "answer", "aliases", "evidence", "type", "unanswerable", "conflict"):
            assert key in raw, f"{path.name}:{number}: missing {key!r}"
        item = parse_item(raw, number)
        assert item.type in TYPES, f"{path.name}:{number}: unknown type {item.type!r}"
        assert item.unanswerable == (item.type == "unanswerable"), f"{path.name}:{number}"
        assert item.conflict == (item.type == "conflict"), f"{path.name}:{number}"
        if item.unanswerable:
            assert not item.answers and not item.evidence, f"{path.name}:{number}: unanswerable with an answer"
        else:
            assert item.answers and item.evidence, f"{path.name}:{number}: answerable without answer/evidence"
            assert all(e.doc for e in item.evidence), f"{path.name}:{number}: evidence without doc"
            if PROMISES[name].quotes:
                assert all(e.quote for e in item.evidence), f"{path.name}:{number}: evidence without quote"


def test_ids_unique_across_sets():
    """Except a set that asks another's questions over another corpus (rgb-conflict): same ids."""
    seen: dict[str, str] = {}
    for name in SETS:
        ids = [item.id for item in load_gold(gold_file(name))]  # load_gold rejects duplicates in a file
        if name in SHARED:
            assert ids == [item.id for item in load_gold(gold_file(SHARED[name]))], name
            continue
        for item_id in ids:
            assert item_id not in seen, f"{item_id} in both {seen[item_id]} and {name}"
            seen[item_id] = name


@pytest.mark.parametrize("name", SETS)
def test_evidence_docs_exist_and_quotes_are_verbatim(name):
    by_id = articles(name)
    problems = []
    for item in load_gold(gold_file(name)):
        for ev in item.evidence:
            article = by_id.get(ev.doc)
            if article is None:
                problems.append(f"{item.id}: no article with doc id {ev.doc!r} in {CORPORA[name]}")
            elif ev.quote not in article.text:
                problems.append(f"{item.id}: quote not verbatim in {ev.doc}: {ev.quote!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", SETS)
def test_answers_are_in_the_evidence_articles(name):
    """An answer (or alias) that is nowhere in its articles cannot be scored. Conflict answers
    are "X vs Y" summaries; where the format promises it (RGB), every evidence passage states
    one side in one of the item's spellings, compared as the scorer compares answers (case and
    punctuation folded), so either side given verbatim from a passage scores."""
    by_id = articles(name)
    problems = []
    for item in load_gold(gold_file(name)):
        if item.unanswerable:
            continue
        if item.conflict:
            if PROMISES[name].sides:
                spellings = [f" {norm_answer(a)} " for a in item.answers]
                problems += [f"{item.id}: {e.doc} states none of {item.aliases}" for e in item.evidence
                             if e.doc in by_id and not any(s in f" {norm_answer(by_id[e.doc].text)} " for s in spellings)]
            continue
        texts = [by_id[e.doc].text for e in item.evidence if e.doc in by_id]
        joined = " ".join(texts).lower()
        if not any(a.lower() in joined for a in item.answers):
            problems.append(f"{item.id}: none of {item.answers} in {[e.doc for e in item.evidence]}")
    assert not problems, "\n".join(problems)
