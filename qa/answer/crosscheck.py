"""Answers from more than one article, so a disagreement is not missed.

Comparison mode (on by default): a question that asks about "the reports" or "both articles"
is answered once per article — the two leading articles, each over its own best passages — and
`compose` puts the two checked answers side by side: agreeing answers cite both, differing
ones are introduced with "The articles differ.". An answer that only echoes the question is not
counted there either.

Second opinion (below, off by default) does the same for any question, after the fact.

Given all passages at once, the small packaged model answers from the first article that
holds an answer and almost never adds the second article's version (0 of 5 framing
questions flagged). So when the answer rests on one article while another article's passage
is on topic too, the model is asked again with that article's passages alone; `compose` then
sees one claim per article and says whether they agree.

Off by default (`QA_SECOND_OPINION=1` turns it on): measured on the seed set with the packaged
1.5B model it ran on 10 of 54 questions, added a model call to each and flagged none of the 5
disagreements: the model's second answers were echoes or off target and were rightly ignored.
It is meant for a bigger model behind `llm=openai|ollama|gguf`.

A second opinion is held to a higher bar than the first answer: its supporting sentence must
itself be on topic, and an answer that only echoes a name from the question ("Marco Rubio"
for "Who was Rubio's warning aimed at?") does not count — a false "the articles differ" is
worse than a missed one.
"""
from __future__ import annotations

import re

from llama_index.core.schema import NodeWithScore

from qa.answer.text import content_terms, numbers, relevance


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


def leading_articles(passages: list[NodeWithScore], limit: int = 2) -> list[str]:
    """Doc ids of the first `limit` distinct articles, in retrieval order."""
    docs: list[str] = []
    for hit in passages:
        doc = str(hit.node.metadata.get("doc_id", ""))
        if doc and doc not in docs:
            docs.append(doc)
    return docs[:limit]


def other_article_passages(question: str, passages: list[NodeWithScore], cited_docs: set[str],
                           min_relevance: float) -> list[int]:
    """0-based indexes of on-topic passages from articles the answer does not cite yet."""
    return [i for i, hit in enumerate(passages)
            if str(hit.node.metadata.get("doc_id")) not in cited_docs
            and relevance(question, hit.node.get_content(metadata_mode="embed")) >= min_relevance]


def renumber(output: str, indexes: list[int]) -> str:
    """A reply about a subset of passages, its [k] markers turned back into the full list's numbers."""
    def back(m: re.Match) -> str:
        k = int(m.group(1))
        return f"[{indexes[k - 1] + 1}]" if 0 < k <= len(indexes) else m.group(0)

    return re.sub(r"\[(\d+)\]", back, output)


def echoes(question: str, answer: str) -> bool:
    """An answer that mostly repeats the question: "Marco Rubio" for "Who was Rubio's warning aimed at?"."""
    asked, said = content_terms(question), content_terms(answer)
    return not said or (bool(said & asked) and len(said - asked) <= 1 and not numbers(answer))


def addresses(question: str, answer: str, sentence: str, min_relevance: float) -> bool:
    """Is a second-opinion claim about the question, and more than an echo of it?"""
    if not content_terms(question) or echoes(question, answer):
        return False
    return relevance(question, sentence) >= min_relevance
