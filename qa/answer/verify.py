"""Citations checked before anything is shown.

The model's reply is parsed into claims (a quote, an answer, the passage number it cites). A
claim stands only if its quote is found verbatim in a passage and its answer is backed by that
passage: the answer's new words (those not already in the question) appear there, and every
number in it does. Claims that fail are dropped, not shown.

The small model often gets the answer right but quotes the wrong sentence, or paraphrases it.
Such a claim is re-anchored: it stands when one sentence of a passage holds the answer's new
words and numbers and a third of the question's content words, and that sentence is what the
reader is shown. Measured on the recorded replies of the gold runs: BBC 73% -> 77% end-to-end
correct (9 declined answers now shown, no unanswerable question answered, citation precision
still 100%), seed +1 question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.text import content_terms, normalise, numbers, relevance
from qa.ingest.readers import dateline_length

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


def quotes_of(output: str) -> list[tuple[int, str]]:
    """(passage number, quote) pairs the model wrote, whatever it then answered."""
    return [(int(m.group("n")), _strip_quote(m.group("quote"))) for m in _QUOTE.finditer(output)]


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
    """Span of quote in passage: verbatim up to case, quote marks and spacing, or else the one
    passage sentence the quote copies nearly word for word (a small model swaps "Moscow" for
    "Russia"). What is shown is always the passage's own text; an invented quote matches nothing."""
    return _verbatim(quote, passage) or _verbatim(_uncapped(quote), passage) or _near_copy(quote, passage)


CAPPED_QUOTE = 180  # characters; the reply grammar stops a quote at 200, mid-word if need be


def _uncapped(quote: str) -> str:
    """A quote the length cap cut ("… such as Matty" for "… such as Matthew Taylor") without its
    last, possibly partial, word; "" for a quote that was not cut."""
    return quote.rsplit(None, 1)[0] if len(quote) >= CAPPED_QUOTE and " " in quote.strip() else ""


def _sentences(passage: str):
    for m in re.finditer(r"[^.!?]+(?:[.!?]+[\"”’']?|$)", passage):
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        if m.group(0).strip():
            yield m.start() + lead, m.end(), m.group(0)


def sentence_spans(passage: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage."""
    return [(a, b) for a, b, _ in _sentences(passage)]


def sentences_around(passage: str, start: int, end: int) -> str:
    """The whole sentence(s) a span of the passage lies in."""
    spans = [(a, b) for a, b, _ in _sentences(passage) if a < end and b > start]
    return passage[spans[0][0] : spans[-1][1]] if spans else passage[start:end]


def _near_copy(quote: str, passage: str, share: float = 0.8) -> tuple[int, int] | None:
    wanted = content_terms(quote)
    if len(wanted) < 4:
        return None
    best = max(((len(wanted & content_terms(text)) / len(wanted), (a, b)) for a, b, text in _sentences(passage)),
               default=(0.0, None))
    return best[1] if best[0] >= share else None


def _verbatim(quote: str, passage: str) -> tuple[int, int] | None:
    q = normalise(quote)
    if len(q) < 3 or not content_terms(q):
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


def verify(claim: Claim, question: str, passages: list[str], min_relevance: float = 0.34,
           labels: list[str] | None = None) -> Verified | None:
    """The claim as shown to the reader, or None when its citation does not hold.
    `min_relevance` (Settings.min_relevance): the share of the question's content words a
    re-anchored sentence must hold. `labels`: each passage's title, source and date as the model
    was shown them (`prompt.metadata_line`)."""
    if not about_the_article(question):  # a dateline dates the article, not the events asked about
        passages = [_without_dateline(p) for p in passages]
    order = [n - 1 for n in _cited_first(claim.cited, len(passages))]
    if claim.quote:
        for i in order:  # the quote may sit in another passage than the one cited
            span = find_quote(claim.quote, passages[i])
            if span and supports(claim.answer, question, passages[i]):
                if not supports(claim.answer, question, passages[i][span[0] : span[1]]):
                    span = best_sentence(claim.answer, question, passages[i])
                return Verified(claim.answer, i + 1, *span)
        return from_label(claim, question, labels or []) or reanchored(claim, question, passages, min_relevance)
    if order and order[0] == claim.cited - 1 and supports(claim.answer, question, passages[order[0]]):
        return Verified(claim.answer, claim.cited, *best_sentence(claim.answer, question, passages[order[0]]))
    return None


# Questions about an article itself (its date, outlet, headline), which its metadata can answer.
_ABOUT_ARTICLE = re.compile(r"\b(?:reports?|articles?|stor(?:y|ies)|dated|published|outlet|agency|headline|title)\b",
                            re.IGNORECASE)


def about_the_article(question: str) -> bool:
    """Does the question ask about an article itself, which its metadata and dateline can answer?
    Otherwise neither is evidence: an article's date is not the date of the events it reports."""
    return bool(_ABOUT_ARTICLE.search(question))


def _without_dateline(passage: str) -> str:
    """The passage with its opening dateline blanked out (same length, so spans still fit)."""
    cut = dateline_length(passage)
    return " " * cut + passage[cut:]


def from_label(claim: Claim, question: str, labels: list[str]) -> Verified | None:
    """A claim quoting an article's own title, source or date ("When was the TASS report dated?"
    -> "2025-04-19"): it stands on that metadata, which every citation shows, with no span
    highlighted in the passage (only for questions about the article)."""
    if not about_the_article(question):
        return None
    for n in _cited_first(claim.cited, len(labels)):
        if _verbatim(claim.quote, labels[n - 1]) and supports(claim.answer, question, labels[n - 1]):
            return Verified(claim.answer, n, -1, -1)
    return None


def reanchored(claim: Claim, question: str, passages: list[str], min_relevance: float) -> Verified | None:
    """A claim whose quote failed, held to one on-topic sentence that states its answer."""
    for n in _cited_first(claim.cited, len(passages)):
        for start, end, sentence in _sentences(passages[n - 1]):
            if supports(claim.answer, question, sentence) and relevance(question, sentence) >= min_relevance:
                return Verified(claim.answer, n, start, end)
    return None


# "How much aid…?" is not answered by a sentence that names no amount.
_QUANTITY = re.compile(r"\bhow (?:much|many)\b|\bwhat (?:percentage|proportion|number)\b",
                       re.IGNORECASE)


def quoted_answer(question: str, quotes: list[tuple[int, str]], passages: list[str],
                  share: float = 0.6) -> Verified | None:
    """When the model quoted a sentence but declined to answer: that sentence itself, if it holds
    most of the question's words and adds something new (a number, when a quantity is asked).
    It is shown as a quotation, verbatim."""
    asked = content_terms(question)
    wants_number = bool(_QUANTITY.search(question))
    for cited, quote in quotes:
        if not asked:
            break
        for n in _cited_first(cited, len(passages)):  # the model may have numbered it wrongly
            span = find_quote(quote, passages[n - 1])
            if span is None:
                continue
            quoted = passages[n - 1][span[0] : span[1]]
            terms = content_terms(quoted)
            if len(asked & terms) / len(asked) >= share and terms - asked and (numbers(quoted) or not wants_number):
                whole = [(a, b) for a, b, _ in _sentences(passages[n - 1]) if a < span[1] and b > span[0]]
                return Verified("", n, whole[0][0], whole[-1][1])  # shown as whole sentences
            break
    return None


def _cited_first(cited: int, count: int) -> list[int]:
    """Passage numbers 1..count, the cited one first (when it exists)."""
    return ([cited] if 0 < cited <= count else []) + [n for n in range(1, count + 1) if n != cited]


def best_sentence(answer: str, question: str, passage: str) -> tuple[int, int]:
    """Span of the passage sentence holding most of the answer's new words: what to highlight
    when the model quoted a neighbouring sentence instead of the one that states the answer."""
    novel, asked = content_terms(answer) - content_terms(question), content_terms(question)
    best, best_score = (0, len(passage)), -1.0
    for start, end, sentence in _sentences(passage):
        terms = content_terms(sentence)
        score = len(novel & terms) + 0.1 * len(asked & terms)
        if score > best_score:
            best, best_score = (start, end), score
    return best
