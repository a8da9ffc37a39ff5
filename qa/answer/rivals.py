"""What the other articles give where the cited sentence gives the answer — read without the model.

News repeats itself: wire copies, updates and rewrites carry the same sentence with another figure,
place or name ("…at Raymond James Stadium in Tampa, Florida…" / "…in Glendale, Arizona…"; "the
flood killed 12 people" / "killed 40 people"). So once an answer is checked, each other retrieved
article's sentences are aligned word by word with the cited sentence; where one matches it around
the answer (the words just before and after the answer agree, and RIVAL_CONTEXT of each sentence's
other content words, at least MIN_SHARED), the
words it has in the answer's place are that article's answer. Its evidence must meet the question's
pins and the value must be of the kind asked, as for the model's own answer. No verdict is asked
of anyone: the two values are compared (`agree.py`). An article whose sentence has the same value
supports the answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from qa.answer.agree import agree, amount, calendar_date
from qa.answer.evidence import Evidence
from qa.answer.kinds import DATE, fits
from qa.answer.text import STOPWORDS, content_terms, normalise, relevance, sentence_spans
from qa.answer.verify import Verified, bare_number

RIVAL_CONTEXT = 0.6  # share of the cited sentence's other content words another article's sentence must repeat
MIN_SHARED = 2  # and at least this many (and as much of the other sentence's): "released on <date>" is not enough
# Of the question's words the cited sentence holds, a sentence stating the answer in another article may
# lack this many (a synonym: "published" for "released") and still support it; lacking more, it names the
# same person or place about something else ("Health minister X defended the budget" for "Which minister
# announced the vaccine programme?").
SUPPORT_MISSING = 1
_TOKEN = re.compile(r"\w+(?:[.,'’]\w+)*|[^\w\s]")


@dataclass
class Reading:
    """The articles' answers to one question: the checked answer first, then each other article's."""

    answer: Verified
    supporters: list[Verified] = field(default_factory=list)  # other articles giving the same value
    rivals: list[Verified] = field(default_factory=list)  # other articles giving another value


def read_others(evidence: Evidence, answer: Verified, min_relevance: float, answered: frozenset[str] = frozenset()) -> Reading:
    """Each other article among the retrieved passages, read at the place of the checked answer.

    An on-topic sentence of another article (it holds `min_relevance` of the question's words, with
    the sentence before it, and all but SUPPORT_MISSING of those the cited sentence holds) that states
    the same value and meets the pins supports the answer and becomes one more
    sentence to align with (the articles may word the fact in two ways, and the model may cite
    either); then each remaining article's sentences are aligned with every such sentence, and the
    value found in the answer's place is that article's answer. A sentence too short to align on
    its own ("Director: Bryan Singer.") is tried again with the sentence before it, on both sides.
    Articles in `answered` (their answer is checked already) are not read."""
    reading = Reading(answer)
    if answer.start < 0:
        return reading
    sentences = {p: _sentences(hit.node.get_content()) for p, hit in enumerate(evidence.passages)}
    templates = [_stating(sentences[answer.passage], answer.start, answer.end, answer.answer)]
    addressed = content_terms(evidence.question) & content_terms(templates[0][3])
    on_point = lambda window: len(addressed - content_terms(window)) <= SUPPORT_MISSING  # noqa: E731
    seen = {evidence.doc_of(answer.passage), *answered}
    if answer.said_at:  # the sentence the model named, when a fuller one is cited: the others are read at it too,
        p, start, end = answer.said_at  # and it supports the answer as any other article's sentence would
        named = _stating(sentences[p], start, end, answer.answer)
        templates.append(named)
        if evidence.doc_of(p) not in seen and on_point(named[3]):
            reading.supporters.append(Verified(answer.answer, p, named[0], named[1]))
        seen.add(evidence.doc_of(p))
    for p in sentences if not bare_number(answer.answer) else ():  # articles that state the answer themselves
        if evidence.doc_of(p) in seen:
            continue
        for sentence in sentences[p]:
            if relevance(evidence.question, sentence[3]) >= min_relevance and _states(sentence[2], answer.answer) \
                    and on_point(sentence[3]) and evidence.check(p, sentence[2]).met:
                reading.supporters.append(Verified(answer.answer, p, sentence[0], sentence[1]))
                templates.append(sentence)
                seen.add(evidence.doc_of(p))
                break
    for p in sentences:  # the others, read where those sentences give the answer
        if evidence.doc_of(p) in seen:
            continue
        for start, end, text, window in sentences[p]:
            value = next(filter(None, (_value_at(t, answer.answer, (start, end, text, window)) for t in templates)), None)
            if value is None or not evidence.check(p, text).met:
                continue
            if agree(value, answer.answer):
                reading.supporters.append(Verified(answer.answer, p, start, end))
            elif fits(evidence.question, value) and _same_form(value, answer.answer):
                reading.rivals.append(Verified(value, p, start, end))
            else:
                continue
            seen.add(evidence.doc_of(p))
            break
    return reading


def _stating(sentences: list[tuple], start: int, end: int, answer: str) -> tuple:
    """The sentence of a cited span that states the answer (a line may join short sentences)."""
    within = [s for s in sentences if s[1] > start and s[0] < max(end, start + 1)]
    return next((s for s in within if _states(s[2], answer)), within[0])


def _sentences(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, sentence, the sentence with the one before it) for each sentence of a passage."""
    spans = sentence_spans(text)
    return [(a, b, text[a:b], text[spans[i - 1][0] if i else a:b]) for i, (a, b) in enumerate(spans)]


def _value_at(template: tuple, answer: str, other: tuple) -> str | None:
    """What `other` (a sentence) gives where `template` gives the answer: sentence against sentence,
    else each with the sentence before it (the value must still lie in `other`'s own sentence)."""
    value = value_in_place(template[2], answer, other[2])
    if value is None and template[3] != template[2] and other[3] != other[2]:
        found = _in_place(template[3], answer, other[3])
        if found and found[0] >= len(other[3]) - len(other[2]):
            value = other[3][found[0]:found[1]]
    return value


def value_in_place(cited: str, answer: str, other: str) -> str | None:
    """The words `other` has where `cited` has `answer`, when `other` is the same sentence around
    them: the words just before and after the answer match, and RIVAL_CONTEXT of each sentence's
    other content words (at least MIN_SHARED). None when the sentences are not the same or the
    answer is not written in `cited`."""
    found = _in_place(cited, answer, other)
    return other[found[0]:found[1]] if found else None


def _in_place(cited: str, answer: str, other: str) -> tuple[int, int] | None:
    """Where `other` gives what `cited` gives at the answer. An answer written twice ("Athens 2004
    Olympic Games … held in Athens") must find one value at both places: "12 people died and 12
    were injured" against "40 died and 12 were injured" is no reading of which 12 is meant."""
    a_tokens, b_tokens = _tokens(cited), _tokens(other)
    spans = _locate(cited, a_tokens, answer)
    if not spans:  # before aligning: most sentences read do not hold the answer
        return None
    a_words, b_words = [normalise(t.group(0)) for t in a_tokens], [normalise(t.group(0)) for t in b_tokens]
    matcher = SequenceMatcher(None, a_words, b_words, autojunk=False)
    to_other: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_other[block.a + k] = block.b + k
    found = [_aligned(span, a_words, b_words, b_tokens, to_other) for span in spans]
    if None in found or len({normalise(other[a:b]) for a, b in found}) > 1:
        return None
    return found[0]


def _aligned(span: tuple[int, int], a_words: list[str], b_words: list[str], b_tokens: list[re.Match],
             to_other: dict[int, int]) -> tuple[int, int] | None:
    first, last = span  # the answer is a_words[first:last]
    before = to_other.get(first - 1, -1) if first else -1
    after = to_other.get(last, len(b_words)) if last < len(a_words) else len(b_words)
    if (first and (first - 1) not in to_other) or (last < len(a_words) and last not in to_other) or after <= before + 1:
        return None
    if after - before - 1 > 2 * (last - first) + 4:  # not a value in the same place: a different clause
        return None
    # the same sentence around the value: most content words of each are the other's
    mine = [i for i, w in enumerate(a_words) if not first <= i < last and _carries_meaning(w)]
    theirs = [j for j, w in enumerate(b_words) if not before < j < after and _carries_meaning(w)]
    shared = set(to_other.values())
    kept = sum(1 for i in mine if i in to_other)
    if kept < MIN_SHARED or kept / len(mine) < RIVAL_CONTEXT or sum(j in shared for j in theirs) / len(theirs) < RIVAL_CONTEXT:
        return None
    return b_tokens[before + 1].start(), b_tokens[after - 1].end()


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _locate(text: str, tokens: list[re.Match], answer: str) -> list[tuple[int, int]]:
    """The token spans of `text` that give the answer: its words as written, else the one date of
    the text that has the answer's value ("January 5, 2020" is written "5 January 2020")."""
    words, part = [normalise(t.group(0)) for t in tokens], [normalise(t.group(0)) for t in _TOKEN.finditer(answer)]
    places = [i for i in range(len(words) - len(part) + 1) if part and words[i:i + len(part)] == part]
    if places:
        return [(i, i + len(part)) for i in places]
    found = [m for m in DATE.finditer(text) if agree(m.group(0), answer)] if calendar_date(answer) else []
    if len(found) != 1:
        return []
    inside = [i for i, t in enumerate(tokens) if t.start() >= found[0].start() and t.end() <= found[0].end()]
    return [(inside[0], inside[-1] + 1)] if inside else []


def _carries_meaning(word: str) -> bool:
    return word.isalnum() and word not in STOPWORDS


def _same_form(value: str, answer: str) -> bool:
    """A rival is compared only in the answer's own form: a calendar date with a calendar date, an
    amount with an amount ("Sunday" or "2021-02-07" is not compared with "February 7, 2021", nor "a
    dozen" with "12 people": agree cannot tell them apart)."""
    if calendar_date(answer):
        return bool(calendar_date(value))
    if amount(answer):
        return bool(amount(value))
    return True


def _states(sentence: str, answer: str) -> bool:
    return bool(_locate(sentence, _tokens(sentence), answer))
