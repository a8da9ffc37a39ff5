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
def holds(text: str, phrase: str) -> bool:
    """The normalised phrase appears in the normalised text as whole words."""
    phrase = norm_answer(phrase)
    return bool(phrase) and f" {phrase} " in f" {norm_answer(text)} "


def accurate(item: GoldItem, answer_text: str, refused: bool) -> bool:
    """A normalised gold answer or alias appears, as whole words, in the normalised answer; for a
    conflict item written "X vs Y", each side must be given in words of its own (`shows_both_sides`)."""
    if refused:
        return False
    sides = conflict_sides(item)
    if sides:
        return shows_both_sides(item.question, sides, answer_text)
    return any(holds(answer_text, g) for g in item.answers)


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


# --- conflict items: both sides, each in words the question does not already hold ---------------
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before under
    between through during without within is are was were be been being am do does did has have had
    will would shall should can could might must it its this that these those there here he she
    they them his her their we our you your i me my who whom whose which what when where why how
    than then so such only also just very too more most much many some any each every
    all both either other another own same said says say according s t""".split()
)  # "not", "no", "nor", "never" stay: "not Russia" differs from "Russia" by its negation; "may" stays,
# a month: "May 5, 2020" and "January 5, 2020" differ by it
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(norm_quote(text)) if w not in _STOP}


def conflict_sides(item: GoldItem) -> list[list[str]] | None:
    """The phrases that state each side of a conflict item's "X vs Y" answer, or None.

    Side i is its part of the answer plus the aliases that go with it. The gold sets list aliases
    side by side, X's first: an alias sharing content words with exactly one side's part of the
    answer anchors there, and every other alias joins the anchor before it (or, at the top of the
    list, the first anchor after it).
    """
    parts = [p.strip() for p in item.answer.split(" vs ")]
    if not item.conflict or len(parts) != 2 or not all(parts):
        return None
    sides = [[p] for p in parts]
    anchors = []
    for alias in item.aliases:
        shared = [i for i, p in enumerate(parts) if norm_answer(alias) == norm_answer(p)
                  or content_words(alias) & content_words(p)]
        anchors.append(shared[0] if len(shared) == 1 else None)
    for n, alias in enumerate(item.aliases):
        before = [a for a in anchors[:n + 1] if a is not None]
        after = [a for a in anchors[n:] if a is not None]
        side = before[-1] if before else after[0] if after else None
        if side is not None:
            sides[side].append(alias)
    return sides


def shows_both_sides(question: str, sides: list[list[str]], answer_text: str) -> bool:
    """Each side is shown by a phrase whose key terms (content words the question does not hold) are
    all in the answer, and neither side's phrase by the other's words alone: an answer that echoes
    the question ("Kyiv or Moscow?" -> "Kyiv or Moscow"), or gives one side, is wrong."""
    asked, given = content_words(question), content_words(strip_markers(answer_text))
    shown = [[keys for keys in (content_words(p) - asked for p in phrases) if keys and keys <= given]
             for phrases in sides]
    return any(not (a <= b or b <= a) for a in shown[0] for b in shown[1])


# --- citations (ALCE-style, judged against the gold evidence) ----------------------------------
# The conflict lead-in ("The articles differ.") states a relation between the cited passages
# that no single passage can hold; the conflict metric judges it, not the citation metrics.
NON_CLAIM = re.compile(r"^(?:the )?(?:articles|reports|sources) (?:differ|disagree)\W*$")


def source_text(citation: dict) -> str:
    """What a reader sees for a citation: the header (title, source, date) and the passage."""
    return " ".join(str(citation.get(k) or "") for k in ("title", "source", "date", "passage"))


def cites_gold(item: GoldItem, citation: dict) -> bool:
    """A citation is right when its passage comes from a gold evidence document and holds one of
    that document's gold quotes, the gold answer or an alias (or a side of an "X vs Y" answer).

    Judged from the gold alone: it says nothing of whether the cited sentence is what the answer
    claims, only that the reader is sent to the evidence the gold set names.
    """
    doc = citation.get("doc_id")
    if doc not in {e.doc for e in item.evidence}:
        return False
    quotes = [e.quote for e in item.evidence if e.doc == doc and e.quote.strip()]
    sides = [phrase for side in conflict_sides(item) or [] for phrase in side]
    return any(holds(source_text(citation), phrase) for phrase in [*quotes, *item.answers, *sides])


def reads_both_sides(item: GoldItem, chunks: list[tuple[str, str]]) -> bool | None:
    """For a conflict item: do the passages read hold both sides, each in a passage of its own
    (so a reader of those passages could see the disagreement)? None for other items."""
    sides = conflict_sides(item)
    if not sides:
        return None
    holders = [{i for i, (_, text) in enumerate(chunks) if any(holds(text, phrase) for phrase in side)} for side in sides]
    return any(a != b for a in holders[0] for b in holders[1])


def citation_counts(item: GoldItem, sentences: list[dict], citations: list[dict]) -> dict:
    """Right citations / all citations, and claim sentences with >= 1 right citation / claims."""
    by_n = {c.get("n"): c for c in citations}
    counts = {"citations": 0, "precise": 0, "claims": 0, "supported": 0}
    for sentence in sentences:
        text = strip_markers(sentence.get("text", "")).strip()
        if not text or NON_CLAIM.match(norm_quote(text)):
            continue
        counts["claims"] += 1
        right = [cites_gold(item, by_n[n]) for n in sentence.get("citations") or [] if n in by_n]
        counts["citations"] += len(right)
        counts["precise"] += sum(right)
        counts["supported"] += any(right)
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
        "both_sides_read": reads_both_sides(item, chunks),
        "contradicts_pin": None,
    }
    judged = item.evidence or item.unanswerable  # citations of an unanswerable item are all wrong
    if citations is not None and status in ("answered", "conflict") and judged:
        record["cites"] = citation_counts(item, sentences or [], citations)
    if citations is not None and status in ("answered", "conflict"):
        record["contradicts_pin"] = contradicts_pin(item.question, citations)
    record["correct"] = refused if item.unanswerable else bool(record["accurate"])
    return record


# --- the question's year and quarter against the evidence cited ------------------------------
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_QUARTER = re.compile(r"\bq([1-4])\b|\b(first|second|third|fourth)[\s-]+quarter\b", re.IGNORECASE)
_NTH = {"first": "1", "second": "2", "third": "3", "fourth": "4"}


def _pinned(text: str) -> dict[str, set[str]]:
    quarters = {m.group(1) or _NTH[m.group(2).lower()] for m in _QUARTER.finditer(text)}
    return {"year": set(_YEAR.findall(text)), "quarter": quarters}


def contradicts_pin(question: str, citations: list[dict]) -> bool:
    """Does a cited sentence speak of another year or quarter than the one the question names?
    For a question naming one year (or quarter): some citation's sentence and title give years
    (quarters) and none is the one asked. A sentence giving no year is no contradiction."""
    asked = _pinned(question)
    for kind, values in asked.items():
        if len(values) != 1:
            continue
        for cited in citations:
            said = _pinned(f"{cited.get('quote', '')} {cited.get('title', '')}")[kind]
            if said and not said & values:
                return True
    return False


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
    both_read = [r for r in conflicts if r.get("both_sides_read")]
    out["conflicts_both_sides_read"] = len(both_read)  # the denominator of the next rate
    out["conflict_rate_both_sides_read"] = _ratio(sum(r["status"] == "conflict" for r in both_read), len(both_read))
    out["answers_contradicting_pins"] = sum(bool(r.get("contradicts_pin")) for r in records)
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
