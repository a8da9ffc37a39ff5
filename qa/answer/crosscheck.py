"""Questions about several articles, so a disagreement is not missed.

Comparison mode: a question that asks about "the reports" or "both articles" is answered from
the two leading articles together, in one model call: the sentences shown are shared evenly
between the two articles and the reply has one answer line per article (`evidence.py`).
`compose` then puts the two checked answers side by side: agreeing answers cite both, differing
ones are introduced with "The articles differ."; an article without a checked answer is shown
by its own best sentence, cited. Beyond values, two readings are told apart by their words: how
the reports put something (`asks_how_framed`), and whom they say it was aimed at — one report
naming or singling out a side, the other putting every side alike (`asks_whom_aimed`).
"""
from __future__ import annotations

import re

from llama_index.core.schema import NodeWithScore


# "the reports", "both articles", "the two accounts", "each story", "do the articles differ"
_ACROSS = re.compile(
    r"\b(?:the|these|two|all)\s+(?:two\s+)?(?:reports|articles|accounts|stories|sources)\b"
    r"|\b(?:both|each)\s+(?:of\s+the\s+)?(?:reports?|articles?|accounts?|stor(?:y|ies)|sources?)\b"
    r"|\bcompare\b|\bdiffer",
    re.IGNORECASE,
)


def asks_across_articles(question: str) -> bool:
    """Does the question ask what several articles say (so each should be asked on its own)?"""
    return bool(_ACROSS.search(question))


# The cue itself, cut from the question each article is asked on its own ("…, according to the
# reports?" -> "…?"), since a model shown one article refuses a question about several.
_CUE = re.compile(
    r",?\s*\b(?:according to|as (?:quoted|reported|described|told) in|in)\s+(?:both|each|all)?\s*"
    r"(?:of\s+)?(?:the|these)?\s*(?:two\s+)?(?:reports|articles|accounts|stories|sources)\b,?\s*",
    re.IGNORECASE,
)
_PLURAL_SUBJECT = re.compile(r"\b(do|did|are|were)\s+(?:both|the|these)\s+(?:two\s+)?(?:reports|articles|accounts|stories)\b",
                             re.IGNORECASE)


def for_one_article(question: str) -> str:
    """The question as put to one article: "How do the reports characterise X?" -> "How does the article characterise X?"."""
    text = _CUE.sub(" ", question).strip()
    singular = {"do": "does", "did": "did", "are": "is", "were": "was"}
    text = _PLURAL_SUBJECT.sub(lambda m: f"{singular[m.group(1).lower()]} the article", text)
    text = re.sub(r"\s+([?.,])", r"\1", re.sub(r"\s{2,}", " ", text))
    return text[:1].upper() + text[1:]


def on_its_topic(question: str) -> str:
    """The question without its words about the articles ("…, as quoted in both reports?" ->
    "…?"): what evidence is chosen and checked by, so that "quoted", "reports" or "two" (a
    number) do not count as topic words no article sentence holds."""
    text = _ACROSS.sub(" ", _CUE.sub(" ", question))
    return re.sub(r"\s+([?.,])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


# A question about how the reports put something ("How do the reports describe the conflict?", "What
# term do they use…", "What sources do they rely on…"): their wording is the answer, so two reports
# worded apart differ. Any other question is answered by a value, and differs only on values.
_FRAMING = re.compile(
    r"\bhow (?:do|does|did|are|is|was|were)\b[^?]{0,40}?\b(?:describ|portray|characteri[sz]|fram|label|present|depict|cast|"
    r"read|interpret|view|treat|refer|call|explain)\w*"
    r"|\bwhat (?:terms?|words?|labels?|language|phrases?|sources?|reasons?)\b[^?]*?\b(?:use|used|rely|relied|cite|cited|quote|quoted|"
    r"call|give|gave)\b",
    re.IGNORECASE,
)


def asks_how_framed(question: str) -> bool:
    """Does a question about the reports ask how they put it, rather than for a value?"""
    return bool(_FRAMING.search(question))


# Whom the reports say something was aimed at ("Who was the warning aimed at, according to the reports?",
# "…was Russia also a target?"): a reading of intent, on which two reports can part in kind — one
# singles a side out, the other puts every side alike. Not what it was for ("What were the talks
# aimed at?": a purpose, compared as any other answer).
_AIMED = re.compile(r"\b(?:aimed|directed|targeted|meant|intended)\s+(?:at|against|for)\b|\ba\s+target\b",
                    re.IGNORECASE)
# Every side alike, as a target or a condition: "…if either side continues to obstruct…", "aimed at both
# parties", "one of the two sides". Not a place ("both sides of the border") nor a subject ("Both sides
# rejected it", "leaders of all parties"): the words before say what the sides are to the sentence.
_EVERY_SIDE = re.compile(r"\b(?:at|against|to|if|warned|warning|on|for)\s+(?:either|both|each|all)\s+(?:of\s+the\s+)?"
                         r"(?:two\s+)?(?:sides?|parties|party)\b(?!\s+of\b)|\bone of the two (?:sides|parties)\b", re.IGNORECASE)
# One side singled out: "against the Kiev regime rather than Moscow", "…rather than the train operators" (a side
# set aside), "mostly aimed at the Ukrainians" — not "not mainly aimed at…", nor "rather than negotiate" (no side).
_ONE_SIDE = re.compile(r"\b(?:rather than|instead of)\s+(?:at\s+|against\s+)?(?:the\s+\w|[A-Z])"
                       r"|(?<!\bnot )\b(?:mostly|mainly|chiefly|primarily|largely)\s+(?:aimed|directed|targeted)\b")
# An answer naming more than one side ("Orban and Fico", "both sides") names no one side.
_SEVERAL = re.compile(r"\band\b|,|\bor\b|\bboth\b|\beither\b|\ball\b", re.IGNORECASE)


def asks_whom_aimed(question: str) -> bool:
    """Does a question about the reports ask whom they say something was aimed at?"""
    return bool(_AIMED.search(question)) and not re.match(r"\s*what\b", question, re.IGNORECASE)


def without_aim(question: str) -> str:
    """The question without its words of aiming ("aimed at", "a target"): what a report's sentence on
    the matter must share with it ("…if either side continues to obstruct…" says whom, not "aimed")."""
    return _AIMED.sub(" ", question)


def puts_every_side_alike(text: str) -> bool:
    """Does the text aim at (or warn) every side alike: "if either side continues to obstruct…"?"""
    return bool(_EVERY_SIDE.search(text))


def singles_one_side_out(text: str) -> bool:
    """Does the text single one side out ("…rather than Moscow"), and not also put every side alike?"""
    return bool(_ONE_SIDE.search(text)) and not puts_every_side_alike(text)


def names_one_side(answer: str) -> bool:
    """Is a checked answer one side ("the Ukrainians"), not several or every side ("Orban and Fico")?"""
    return not _SEVERAL.search(answer)


def leading_articles(passages: list[NodeWithScore], limit: int = 2) -> list[str]:
    """Doc ids of the first `limit` distinct articles, in retrieval order."""
    docs: list[str] = []
    for hit in passages:
        doc = str(hit.node.metadata.get("doc_id", ""))
        if doc and doc not in docs:
            docs.append(doc)
    return docs[:limit]
