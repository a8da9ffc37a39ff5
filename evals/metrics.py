"""Scoring one answer against its gold item, then summarising many.

Pure functions over plain data (no model, no store), so every summary number can be
re-derived from the per-question records in report.json and unit-tested on hand-made records. The text helpers here are
deliberately our own and not qa.answer.text: an evaluator that shared the system's
normalisation or support check would inherit its mistakes and grade itself.

Data flow: gold item + what the system returned -> ``score`` -> a per-question record ->
``summarise`` (all questions, and per question type) -> the report.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from evals.goldset import GoldItem

KS = (1, 3, 5, 10)

# --- text normalisation ---------------------------------------------------------------------
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "″": '"', "′": "'", "\u00a0": " "})
_MARKER = re.compile(r"\s*\[\d+\]")


def norm_quote(text: str) -> str:
    """For verbatim comparisons (gold quote in a chunk): case, curly quotes and spacing folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return re.sub(r"\s+", " ", text).strip()


def strip_markers(text: str) -> str:
    """Answer text without the [n] citation markers."""
    return _MARKER.sub("", text or "")


def norm_answer(text: str) -> str:
    """SQuAD-style answer normalisation: lowercase, no punctuation, no articles, single spaces."""
    text = norm_quote(strip_markers(text))
    text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(w for w in text.split() if w not in ("a", "an", "the"))


# --- retrieval -------------------------------------------------------------------------------
def first_hit_rank(item: GoldItem, chunks: list[tuple[str, str]]) -> int | None:
    """1-based rank of the first retrieved (doc_id, text) chunk holding gold evidence, else None.

    A chunk is a hit when it contains a gold quote, or, for evidence given without a quote,
    when it comes from a gold document.
    """
    quotes = [norm_quote(e.quote) for e in item.evidence if e.quote.strip()]
    docs = {e.doc for e in item.evidence if not e.quote.strip()}
    for rank, (doc_id, text) in enumerate(chunks, start=1):
        held = norm_quote(text)
        if any(q in held for q in quotes) or (doc_id in docs):
            return rank
    return None


# --- answers ---------------------------------------------------------------------------------
def accurate(item: GoldItem, answer_text: str, refused: bool) -> bool:
    """A normalised gold answer or alias appears, as whole words, in the normalised answer."""
    if refused:
        return False
    given = f" {norm_answer(answer_text)} "
    return any(f" {g} " in given for g in map(norm_answer, item.answers) if g)


def token_f1(item: GoldItem, answer_text: str, refused: bool) -> float:
    """SQuAD token F1 against the answer and each alias; the best one counts."""
    if refused:
        return 0.0
    given = norm_answer(answer_text).split()
    best = 0.0
    for gold in item.answers:
        want = norm_answer(gold).split()
        common = sum((Counter(given) & Counter(want)).values())
        if common:
            p, r = common / len(given), common / len(want)
            best = max(best, 2 * p * r / (p + r))
    return best


# --- citations (ALCE-style, approximated lexically) ---------------------------------------------
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before under
    between through during without within is are was were be been being am do does did has have had
    will would shall should can could may might must it its this that these those there here he she
    they them his her their we our you your i me my who whom whose which what when where why how
    than then so such not no nor only also just very too more most much many some any each every
    all both either other another own same said says say according s t""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
# The conflict lead-in ("The articles differ.") states a relation between the cited passages
# that no single passage can hold; the conflict metric judges it, not the citation metrics.
NON_CLAIM = re.compile(r"^(?:the )?(?:articles|reports|sources) (?:differ|disagree)\W*$")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({w: str(10 * i) for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})


def _words(text: str) -> list[str]:
    """Words, with number words as digits: "three diplomats" holds the claim "3"."""
    return [_NUMBER_WORDS.get(w, w) for w in _WORD.findall(norm_quote(text))]


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if w not in _STOP}


def numbers_in(text: str) -> set[str]:
    return {w.replace(",", "") for w in _words(text) if any(c.isdigit() for c in w)}


def supports(source: str, sentence: str, threshold: float = 0.75) -> bool:
    """Does the source text hold the sentence: >= threshold of its content words, every number?"""
    sentence = strip_markers(sentence)
    wanted = content_words(sentence)
    if not wanted:
        return False
    if not numbers_in(sentence) <= numbers_in(source):
        return False
    return len(wanted & content_words(source)) / len(wanted) >= threshold


def source_text(citation: dict) -> str:
    """What a reader sees for a citation: the passage and the header (title, source, date)."""
    return " ".join(str(citation.get(k) or "") for k in ("title", "source", "date", "passage"))


def citation_counts(sentences: list[dict], citations: list[dict]) -> dict:
    """Precise citations / all citations, and sentences with >= 1 supporting citation / claims."""
    by_n = {c.get("n"): c for c in citations}
    counts = {"citations": 0, "precise": 0, "claims": 0, "supported": 0}
    for sentence in sentences:
        text = strip_markers(sentence.get("text", "")).strip()
        if not text or NON_CLAIM.match(norm_quote(text)):
            continue
        counts["claims"] += 1
        held = [supports(source_text(by_n[n]), text) for n in sentence.get("citations") or [] if n in by_n]
        counts["citations"] += len(held)
        counts["precise"] += sum(held)
        counts["supported"] += any(held)
    return counts


# --- refusals of a system without a NOT FOUND status (the baseline) -----------------------------
REFUSAL_TEXT = re.compile(
    r"\b(?:can ?not|can't|could ?not|couldn't|unable to|do(?:es)? not|don't|doesn't)\s+"
    r"(?:find|determine|answer|know|provide|say|mention|specify|contain|state|include)|"
    r"\bno (?:information|mention|details?|data|answer)\b|\bnot (?:mentioned|specified|stated|provided|"
    r"given|available|found|included|disclosed)\b|\bnot enough (?:information|context)\b|"
    r"\b(?:is|are) unknown\b|\bempty response\b",
    re.IGNORECASE,
)


def says_not_found(text: str) -> bool:
    """A free-text answer that declines (or is empty) counts as a refusal."""
    return not (text or "").strip() or bool(REFUSAL_TEXT.search(text))


# --- one question ----------------------------------------------------------------------------
def score(item: GoldItem, *, status: str, answer: str, chunks: list[tuple[str, str]],
          sentences: list[dict] | None = None, citations: list[dict] | None = None) -> dict:
    """The scored fields of one question's record.

    ``status`` is answered | conflict | not_found | error; ``chunks`` the retrieved (doc_id, text)
    best first; ``sentences``/``citations`` as in Answer.to_dict(), or None for a system that
    does not cite (its citation metrics are then n/a, not zero).
    """
    refused = status == "not_found"
    record = {
        "refused": refused,
        "rank": first_hit_rank(item, chunks) if item.evidence else None,
        "has_evidence": bool(item.evidence),
        "accurate": None if item.unanswerable else accurate(item, answer, refused or status == "error"),
        "f1": None if item.unanswerable else round(token_f1(item, answer, refused or status == "error"), 4),
        "cites": None,
    }
    if citations is not None and status in ("answered", "conflict"):
        record["cites"] = citation_counts(sentences or [], citations)
    record["correct"] = refused if item.unanswerable else bool(record["accurate"])
    return record


# --- many questions --------------------------------------------------------------------------
def _mean(values) -> float | None:
    values = [float(v) for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for no values."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    pos = (len(values) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return round(values[lo] + (values[hi] - values[lo]) * (pos - lo), 1)


def summarise(records: list[dict]) -> dict:
    """All metrics over a list of scored records (one system); None where undefined."""
    n = len(records)
    answerable = [r for r in records if not r["unanswerable"]]
    unanswerable = [r for r in records if r["unanswerable"]]
    with_evidence = [r for r in records if r["has_evidence"]]
    refused = [r for r in records if r["refused"]]
    cited = [r["cites"] for r in records if r.get("cites") is not None]
    conflicts = [r for r in records if r["conflict"]]
    out = {"n": n, "errors": sum(1 for r in records if r["status"] == "error")}
    out["correct"] = _mean(r["correct"] for r in records)
    out["accuracy"] = _mean(r["accurate"] for r in answerable)
    out["f1"] = _mean(r["f1"] for r in answerable)
    for k in KS:
        out[f"hit@{k}"] = _mean(r["rank"] is not None and r["rank"] <= k for r in with_evidence)
    out["mrr@10"] = _mean(1 / r["rank"] if r["rank"] and r["rank"] <= 10 else 0 for r in with_evidence)
    # ALCE averages per answer; answers whose claims carry no citation have precision n/a.
    out["citation_precision"] = _mean(c["precise"] / c["citations"] for c in cited if c["citations"])
    out["citation_recall"] = _mean(c["supported"] / c["claims"] for c in cited if c["claims"])
    out["refusal_precision"] = _ratio(sum(r["unanswerable"] for r in refused), len(refused))
    out["refusal_recall"] = _ratio(sum(r["refused"] for r in unanswerable), len(unanswerable))
    out["false_refusal_rate"] = _ratio(sum(r["refused"] for r in answerable), len(answerable))
    out["conflict_rate"] = _ratio(sum(r["status"] == "conflict" for r in conflicts), len(conflicts))
    out["spurious_conflict_rate"] = _ratio(
        sum(r["status"] == "conflict" for r in records if not r["conflict"]), n - len(conflicts))
    for name in ("retrieval_ms", "first_token_ms", "total_ms"):
        times = [r["timings"].get(name) for r in records if r.get("timings")]
        out[f"{name}_p50"] = percentile(times, 50)
        out[f"{name}_p95"] = percentile(times, 95)
    return out


def summarise_by_type(records: list[dict]) -> dict[str, dict]:
    """summarise() per gold question type, types in first-seen order."""
    types = list(dict.fromkeys(r["type"] for r in records))
    return {t: summarise([r for r in records if r["type"] == t]) for t in types}


def is_failure(record: dict) -> bool:
    """Worth a line in the report: wrong or wrongly refused, or a conflict left unflagged."""
    return not record["correct"] or (record["conflict"] and record["status"] != "conflict")
