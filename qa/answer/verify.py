"""Citations checked before anything is shown.

The model's reply is parsed into claims (a quote, an answer, the passage number it cites). A
claim stands only if its quote is found verbatim in a passage and its answer is backed by that
passage: the answer's new words (those not already in the question) appear there, and every
number in it does. Claims that fail are dropped, not shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.text import content_terms, normalise, numbers

REFUSAL = re.compile(
    r"not found|not (?:mentioned|specified|stated|provided|given|available|clear)|no information|"
    r"does not (?:say|mention|specify|state)|doesn't|cannot be determined|unknown|n/a|^not$|^none$",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"^\s*Quote\s*\[(?P<n>\d+)\]\s*:\s*(?P<quote>.+)$", re.IGNORECASE | re.MULTILINE)
_ANSWER = re.compile(r"^\s*Answer\s*:\s*(?P<answer>.+)$", re.IGNORECASE | re.MULTILINE)
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Claim:
    answer: str  # without [n] markers
    cited: int  # 1-based passage number the model gave
    quote: str = ""


@dataclass
class Verified:
    answer: str
    n: int  # the passage that supports it (1-based)
    quote_start: int  # span of the supporting text inside that passage
    quote_end: int


def parse(output: str) -> list[Claim]:
    """Claims in the model's reply; an explicit NOT FOUND gives none.

    Each "Answer:" line is paired with the quote it cites (or, failing that, the quote just
    before it), since small models sometimes list all quotes first and answer after.
    """
    quotes = [(m.start(), int(m.group("n")), _strip_quote(m.group("quote"))) for m in _QUOTE.finditer(output)]
    claims = []
    for m in _ANSWER.finditer(output):
        answer, markers = _strip_markers(m.group("answer"))
        before = [q for q in quotes if q[0] < m.start()]
        cited = markers[0] if markers else (before[-1][1] if before else 0)
        same = [q for q in quotes if q[1] == cited]
        quote = (same or before or [(0, cited, "")])[-1 if not same else 0][2]
        if not answer and 0 < len(quote.split()) <= 8:
            answer = quote  # the model put its short answer on the Quote line
        claims.append(Claim(answer=answer, cited=cited, quote=quote))
    return [c for c in claims if c.answer and c.cited and not REFUSAL.search(c.answer)]


def _strip_markers(text: str) -> tuple[str, list[int]]:
    markers = [int(x) for x in _MARKER.findall(text)]
    text = _MARKER.sub("", text.split("\n")[0]).strip().rstrip(".").strip()
    return text, markers


def _strip_quote(text: str) -> str:
    text = text.strip().split("\n")[0].strip()
    text = re.sub(r"\s*\[\d+\]\s*$", "", text)
    return text.strip().strip('"“”\'').strip().rstrip("…").rstrip(".").strip()


def _norm_with_map(text: str) -> tuple[str, list[int]]:
    """normalise(text) plus, for each output char, its index in text (to map spans back)."""
    out, index, space = [], [], False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        for c in normalise(ch) or ch:
            out.append(c)
            index.append(i)
    return "".join(out), index


def find_quote(quote: str, passage: str) -> tuple[int, int] | None:
    """Span of quote in passage, comparing folded case/quotes/spacing; None if not verbatim."""
    q = normalise(quote)
    if len(q) < 8:
        return None
    norm, index = _norm_with_map(passage)
    pieces = [p.strip() for p in re.split(r"\s*(?:\.\.\.|…|<…>)\s*", q) if p.strip()]
    start = end = None
    cursor = 0
    for piece in pieces:
        at = norm.find(piece, cursor)
        if at < 0:
            return None
        start = at if start is None else start
        end = at + len(piece)
        cursor = end
    return index[start], index[end - 1] + 1


def supports(answer: str, question: str, evidence: str) -> bool:
    """Does the evidence back the answer's new content (words not just echoed from the question)?"""
    novel = content_terms(answer) - content_terms(question)
    if not novel:
        return False
    held = content_terms(evidence)
    if not numbers(answer) <= numbers(evidence):
        return False
    return len(novel & held) / len(novel) >= 0.75


def verify(claim: Claim, question: str, passages: list[str]) -> Verified | None:
    """The claim as shown to the reader, or None when its citation does not hold."""
    order = [claim.cited - 1] + [i for i in range(len(passages)) if i != claim.cited - 1]
    order = [i for i in order if 0 <= i < len(passages)]
    if claim.quote:
        for i in order:  # the quote may sit in another passage than the one cited
            span = find_quote(claim.quote, passages[i])
            if span and supports(claim.answer, question, passages[i]):
                if not supports(claim.answer, question, passages[i][span[0] : span[1]]):
                    span = best_sentence(claim.answer, question, passages[i])
                return Verified(claim.answer, i + 1, *span)
        return None
    if order and order[0] == claim.cited - 1 and supports(claim.answer, question, passages[order[0]]):
        return Verified(claim.answer, claim.cited, *best_sentence(claim.answer, question, passages[order[0]]))
    return None


def best_sentence(answer: str, question: str, passage: str) -> tuple[int, int]:
    """Span of the passage sentence holding most of the answer's new words: what to highlight
    when the model quoted a neighbouring sentence instead of the one that states the answer."""
    novel = content_terms(answer) - content_terms(question)
    best, best_score = (0, len(passage)), -1.0
    for m in re.finditer(r"[^.!?]+(?:[.!?]+[\"”’']?|$)", passage):
        sentence = m.group(0)
        score = len(novel & content_terms(sentence)) + 0.1 * len(content_terms(question) & content_terms(sentence))
        if sentence.strip() and score > best_score:
            lead = len(sentence) - len(sentence.lstrip())
            best, best_score = (m.start() + lead, m.end()), score
    return best
