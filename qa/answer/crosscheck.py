"""A second opinion from the other article, so a disagreement is not missed.

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

from qa.answer.text import content_terms, numbers


def other_article_passages(question: str, passages: list[NodeWithScore], cited_docs: set[str],
                           min_relevance: float) -> list[int]:
    """0-based indexes of on-topic passages from articles the answer does not cite yet."""
    from qa.retrieve import relevance

    return [i for i, hit in enumerate(passages)
            if str(hit.node.metadata.get("doc_id")) not in cited_docs
            and relevance(question, hit.node.get_content(metadata_mode="embed")) >= min_relevance]


def renumber(output: str, indexes: list[int]) -> str:
    """A reply about a subset of passages, its [k] markers turned back into the full list's numbers."""
    def back(m: re.Match) -> str:
        k = int(m.group(1))
        return f"[{indexes[k - 1] + 1}]" if 0 < k <= len(indexes) else m.group(0)

    return re.sub(r"\[(\d+)\]", back, output)


def addresses(question: str, answer: str, sentence: str, min_relevance: float) -> bool:
    """Is a second-opinion claim about the question, and more than an echo of it?"""
    asked = content_terms(question)
    said = content_terms(answer)
    if not asked or not said:
        return False
    echo = said & asked
    if echo and len(said - asked) <= 1 and not numbers(answer):  # "Marco Rubio" for "Rubio"
        return False
    return len(asked & content_terms(sentence)) / len(asked) >= min_relevance
