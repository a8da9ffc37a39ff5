"""What the other articles give where the cited sentence gives the answer — read without the model.

News repeats itself: wire copies, updates and rewrites carry the same sentence with another figure,
place or name ("…at Raymond James Stadium in Tampa, Florida…" / "…in Glendale, Arizona…"; "the
flood killed 12 people" / "killed 40 people"). So once an answer is checked, each other retrieved
article's sentences are aligned word by word with the cited sentence; where one matches it around
the answer (the words just before and after the answer agree, and RIVAL_CONTEXT of the rest), the
words it has in the answer's place are that article's answer. Its evidence must meet the question's
pins and the value must be of the kind asked, as for the model's own answer. No verdict is asked
of anyone: the two values are compared (`agree.py`). An article whose sentence has the same value
supports the answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from qa.answer.agree import agree
from qa.answer.evidence import Evidence
from qa.answer.kinds import fits
from qa.answer.text import normalise, sentence_spans
from qa.answer.verify import Verified

RIVAL_CONTEXT = 0.6  # share of the cited sentence's other words another article's sentence must repeat
_TOKEN = re.compile(r"\w+(?:[.,'’]\w+)*|[^\w\s]")


@dataclass
class Reading:
    """The articles' answers to one question: the checked answer first, then each other article's."""

    answer: Verified
    supporters: list[Verified] = field(default_factory=list)  # other articles giving the same value
    rivals: list[Verified] = field(default_factory=list)  # other articles giving another value


def read_others(evidence: Evidence, answer: Verified) -> Reading:
    """Each other article among the retrieved passages, read at the place of the checked answer."""
    reading = Reading(answer)
    if answer.start < 0:
        return reading
    cited = evidence.passages[answer.passage].node.get_content()[answer.start:answer.end]
    seen = {evidence.doc_of(answer.passage)}
    for p, hit in enumerate(evidence.passages):
        doc = evidence.doc_of(p)
        if doc in seen:
            continue
        text = hit.node.get_content()
        for start, end in sentence_spans(text):
            value = value_in_place(cited, answer.answer, text[start:end])
            if value is None or not evidence.check(p, text[start:end]).met:
                continue
            found = Verified(value, p, start, end)
            if agree(value, answer.answer):
                reading.supporters.append(found)
            elif fits(evidence.question, value):
                reading.rivals.append(found)
            else:
                continue
            seen.add(doc)
            break
    return reading


def value_in_place(cited: str, answer: str, other: str) -> str | None:
    """The words `other` has where `cited` has `answer`, when `other` is the same sentence around
    them: the words just before and after the answer match, and RIVAL_CONTEXT of the rest. None
    when the sentences are not the same or the answer is not written in `cited`."""
    a_tokens, b_tokens = _tokens(cited), _tokens(other)
    a_words, b_words = [normalise(t.group(0)) for t in a_tokens], [normalise(t.group(0)) for t in b_tokens]
    span = _find(a_words, [normalise(t.group(0)) for t in _TOKEN.finditer(answer)])
    if span is None:
        return None
    first, last = span  # the answer is a_words[first:last]
    matcher = SequenceMatcher(None, a_words, b_words, autojunk=False)
    to_other: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_other[block.a + k] = block.b + k
    context = len(a_words) - (last - first)
    kept = sum(1 for i in to_other if not first <= i < last)
    if not context or kept / context < RIVAL_CONTEXT:
        return None
    before = to_other.get(first - 1, -1) if first else -1
    after = to_other.get(last, len(b_words)) if last < len(a_words) else len(b_words)
    if (first and (first - 1) not in to_other) or (last < len(a_words) and last not in to_other) or after <= before + 1:
        return None
    if after - before - 1 > 2 * (last - first) + 4:  # not a value in the same place: a different clause
        return None
    return other[b_tokens[before + 1].start():b_tokens[after - 1].end()]


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _find(words: list[str], part: list[str]) -> tuple[int, int] | None:
    for i in range(len(words) - len(part) + 1):
        if part and words[i:i + len(part)] == part:
            return i, i + len(part)
    return None
