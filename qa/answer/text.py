"""Word-level helpers shared by relevance gating, citation checks and the eval metrics."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before
    under between through during without within is are was were be been being am do does did
    done has have had having will would shall should can could may might must it its it's this
    that these those there here he she they them his her their we our you your i me my mine who
    whom whose which what when where why how than then so such not no nor only also just very
    too more most much many some any each every all both either neither other another own same
    said says say according s t up out off again further once per via said""".split()
)
QUESTION_WORDS = frozenset("what which who whom whose when where why how did does do name".split())

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\u00a0": " "})
_MARKS = str.maketrans({"™": " ", "®": " ", "℠": " "})  # NFKC would glue "2022™" into the word "2022tm"
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


def normalise(text: str) -> str:
    """Case, quotes, dashes and spacing folded, for verbatim comparisons."""
    text = unicodedata.normalize("NFKC", text.translate(_MARKS)).translate(_QUOTES).lower()
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'signed'/'signing', 'talks'/'talk', 'date'/'dated',
    and the doer with the deed: 'director'/'directed', 'investors'/'invested' (four letters kept,
    so 'floor', 'major' and 'mayor' stay whole)."""
    for suffix in ("ors", "or"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    for suffix in ("ing", "edly", "ed", "ies", "es", "s", "ly"):
        if suffix == "s" and word.endswith("ss"):
            continue  # "miss" like "missed", "loss" like "losses": no plural s to strip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word[:-1] if word.endswith("e") and len(word) > 3 else word  # "date" like "dated"


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}


# One spelling per place where news agencies transliterate differently (TASS writes "Kiev").
_SPELLINGS = {"kiev": "kyiv", "kharkov": "kharkiv", "odessa": "odesa", "lvov": "lviv", "nikolaev": "mykolaiv"}


def content_terms(text: str) -> set[str]:
    """Stemmed words that carry meaning (no stopwords, no question words; "three" reads as "3")."""
    return {_NUMBER_WORDS.get(w) or _SPELLINGS.get(w) or stem(w)
            for w in words(text) if w not in STOPWORDS and w not in QUESTION_WORDS}


def relevance(question: str, text: str) -> float:
    """Share of the question's content words found in the text."""
    wanted = content_terms(question)
    if not wanted:
        return 0.0
    return len(wanted & content_terms(text)) / len(wanted)


def numbers(text: str) -> set[str]:
    """Numbers in text, digits or number words ("three" and "3" are the same number)."""
    found = set()
    for w in words(text):
        if any(ch.isdigit() for ch in w):
            found.add(w.replace(",", ""))
        elif w in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[w])
    return found


# A sentence ends at . ! ? (and a closing quote) followed by space, except after an initial or a
# common abbreviation ("U.S. officials", "Mr. Rubio", "Jan. 5"); a line break ends one too (headlines).
_SENTENCE = re.compile(
    r"\S[^\n]*?(?:(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\bJan)(?<!\bFeb)"
    r"(?<!\bAug)(?<!\bSept)(?<!\bSep)(?<!\bOct)(?<!\bNov)(?<!\bDec)(?<!\bvs)[.!?]+[\"”’')]*(?=\s|$)|(?=\n)|$)",
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text: the one sentence splitter of the answer path."""
    spans = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group(0)
        if chunk.strip():
            spans.append((m.start(), m.start() + len(chunk.rstrip())))
    return spans


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole sentence(s) a span of the text lies in."""
    spans = [(a, b) for a, b in sentence_spans(text) if a < end and b > start]
    return (spans[0][0], spans[-1][1]) if spans else (start, end)
