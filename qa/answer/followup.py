"""Follow-up questions made to stand alone without a model call.

"When did he meet him?" after "Who met Rubio in Paris?" — answered "Andriy Sybiha" — needs
"he" read as the last answer's person. A model call for that costs seconds on two cores; a
pronoun and the conversation's last names are enough: a pronoun that stands for a person or
thing is replaced by the entity last answered (for a who/which question) or else last asked
about. A question with no such pronoun, or a conversation that names nothing, is left as it is.
"""
from __future__ import annotations

import re

from qa.answer.kinds import kind_of

_PRONOUN = re.compile(r"\b(he|she|they|him|her|them|it|his|its|their|hers|theirs)\b", re.IGNORECASE)
_POSSESSIVE = {"his", "its", "their", "hers", "theirs"}
_MARKERS = re.compile(r"\s*\[\d+\]")
_NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’.&-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'’.&-]*)*")
_NOT_NAMES = {"who", "what", "which", "when", "where", "why", "how", "the", "a", "an", "is", "are", "was", "were",
              "did", "does", "do", "not", "found", "in", "on", "at", "article", "articles"}


def standalone(question: str, history: list[dict]) -> str:
    """The question with its first pronoun replaced by the entity the conversation last named."""
    m = _PRONOUN.search(question)
    entity = _last_entity(history) if m else ""
    if not entity or entity.lower() in question.lower():
        return question
    word = m.group(1).lower()
    replacement = f"{entity}'s" if word in _POSSESSIVE or (word == "her" and _before_noun(question, m.end())) else entity
    return question[: m.start()] + replacement + question[m.end():]


def _last_entity(history: list[dict]) -> str:
    """The last answered entity (after a who/which question), else the last asked-about name, else
    the thing the last question ended on ("the fund agreement")."""
    last_question = next((t["content"] for t in reversed(history) if t.get("role") == "user"), "")
    last_answer = next((t["content"] for t in reversed(history) if t.get("role") == "assistant"), "")
    if kind_of(last_question) in ("person", "place") and "Not found" not in last_answer:
        names = _names(_MARKERS.sub("", last_answer))
        if names:
            return names[0]
    names = _names(last_question)
    if names:
        return names[0]
    thing = re.findall(r"\b(the [a-z][\w -]{2,40}?)\s*\?", last_question)  # "…for the fund agreement?"
    return thing[-1] if thing else ""


def _names(text: str) -> list[str]:
    found = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if words:
            found.append(" ".join(words).rstrip(".,;:'’s").rstrip("'’"))
    return [f for f in found if f]


def _before_noun(text: str, end: int) -> bool:
    """'her' as a possessive ("her decision") rather than an object ("met her")."""
    rest = text[end:].lstrip()
    return bool(rest) and rest[0].isalpha() and not re.match(r"(?:in|on|at|about|for|to|with|and|or|by)\b", rest)
