"""Claims checked before anything is shown. One rule, in `verify`:

A claim (the model's short answer and the sentence it names: "April 26 [S3]") stands only when
1. a sentence of the passages *states* it: the answer's new words (those not already in the
   question, at least SUPPORT_SHARE of them), as many of the words it takes from the question, and
   every number it gives are in that sentence, and for a figure (how much, how many) the sentence
   says it is of what is asked (more than FIGURE_SHARE of the question's other words) —
   the named one, or else another shown sentence whose article (as retrieved) is on topic, or another retrieved
   sentence that is itself on topic (the small model sometimes names a neighbour);
2. that evidence — the sentence, with its passage and article title as context and its article's
   date — meets every pin of the question (year, quarter, edition, qualifiers, names:
   `constraints.py`; the year of another figure the sentence compares with is not the answer's);
   evidence that gives another year or edition instead is a *near miss*;
3. the answer is of the kind asked (a person for who, a date for when, an amount with its unit
   for how much: `kinds.py`), and is more than the question's own words — except one of the two
   names an either-or question offers ("…aimed at Kyiv or at Moscow?"), which a sentence states
   when it names that one and not the other, or sets the other aside ("rather than Moscow").
An article's title, source and date are evidence only for questions about the article itself
("When was the TASS report dated?"): an article's date is not the date of the events it reports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.constraints import Check, names
from qa.answer.evidence import MAX_ANSWER_CHARS, Evidence, metadata_line
from qa.answer.kinds import about_the_article, alternatives, as_written_in, chosen_alternative, cut_short, fits, kind_of, shaped
from qa.answer.text import content_terms, normalise, numbers, relevance, sentence_spans

SUPPORT_SHARE = 0.75  # share of the answer's new words its sentence must hold

# A value the article says is withheld ("the unnamed robot", "terms were not disclosed"): no answer.
WITHHELD = re.compile(r"\b(?:unnamed|undisclosed|unidentified)\b|\bnot (?:been )?(?:disclosed|revealed|named|identified|"
                      r"made public)\b", re.IGNORECASE)
REFUSAL = re.compile(
    r"not found|not (?:mentioned|specified|stated|provided|given|available|clear)|no information|"
    r"does not (?:say|mention|specify|state)|doesn't|cannot be determined|unknown|n/a|^not$|^none$|" + WITHHELD.pattern,
    re.IGNORECASE,
)
_STRAY_TAG = re.compile(r"[,;(]?\s*\[?\bS\d+\b\]?[,;)]?")  # "Andrii Sybiha, S2," -> "Andrii Sybiha"
_CLAIM = re.compile(r"^(?P<answer>.*?)\s*\[\s*S?\s*(?P<n>\d+)\s*\]\s*$", re.IGNORECASE)


@dataclass
class Claim:
    answer: str
    line: int  # the [S n] the model named
    slot: int = 0  # which answer line of the reply (one per article in comparison mode)


@dataclass
class Verified:
    answer: str
    passage: int  # index into the evidence's passages
    start: int  # span of the supporting sentence in that passage; -1 when it stands on metadata
    end: int
    said_at: tuple[int, int, int] | None = None  # the model's own sentence (passage, start, end), when a fuller one is cited


@dataclass
class Rejected:
    answer: str
    reason: str  # unsupported | pins | kind | cut
    near: Verified | None = None  # for pins: the evidence that gives another year/edition…
    check: Check | None = None


def parse(output: str) -> list[Claim]:
    """Claims in the model's reply, one per line; NOT FOUND lines give none. An answer the grammar
    cut at MAX_ANSWER_CHARS mid-word loses that partial word ("… on 5 January 20")."""
    claims = []
    for slot, raw in enumerate(output.strip().split("\n")):
        m = _CLAIM.match(raw.strip())
        if not m:
            continue
        answer = m.group("answer")
        if len(answer) >= MAX_ANSWER_CHARS and " " in answer.strip() and not _whole_word(answer):
            answer = answer.rsplit(None, 1)[0]
        answer = _STRAY_TAG.sub("", answer).strip().strip('"“”').rstrip(".,;:").strip()
        if answer and not REFUSAL.search(answer):
            claims.append(Claim(answer, int(m.group("n")), slot))
    return claims


def _whole_word(text: str) -> bool:
    """Did a capped answer end on a word's end (punctuation), rather than inside a word?"""
    return bool(re.search(r"[\W]$", text.rstrip(" ")) or text.endswith(" "))


def supports(answer: str, question: str, evidence: str) -> bool:
    """Does the evidence state the answer's new content (words not just echoed from the question)?
    Text the word matcher does not read (another script: the model sometimes slips a Chinese word
    into an English answer) must stand in the evidence as it is."""
    picked = chosen_alternative(answer, question)
    if picked is not None:
        return picks(evidence, picked, question)
    novel = content_terms(answer) - content_terms(question)
    if not novel or not numbers(answer) <= numbers(evidence):
        return False
    if any(run not in normalise(evidence) for run in _OTHER_SCRIPT.findall(normalise(answer))):
        return False
    return len(novel & content_terms(evidence)) / len(novel) >= SUPPORT_SHARE


def _states_claim(answer: str, question: str, sentence: str) -> bool:
    """Rule 1 for a claim: the sentence `supports` its new content and holds the words it takes from
    the question (`supports` alone also compares two reports' sentences, which echo the question freely)."""
    return supports(answer, question, sentence) and _echoes_held(answer, question, sentence)


def _echoes_held(answer: str, question: str, sentence: str) -> bool:
    """The words a claim takes from the question are in its sentence too (SUPPORT_SHARE of them):
    "Brighton police station" for "At which police station…" is not stated by a sentence that
    names Brighton and no police station — the model joined the question's words to a stray name."""
    echoed = content_terms(answer) & content_terms(question)
    return not echoed or len(echoed & content_terms(sentence)) / len(echoed) >= SUPPORT_SHARE


_OTHER_SCRIPT = re.compile(r"[^\W\d_a-z\u00c0-\u024f]+")  # letters beyond Latin (with accents)


def _named_at(sentence: str, name: str) -> list[tuple[int, int]]:
    """Where the sentence names `name`: its words in a row, read as `content_terms` reads them (so in
    any of a place's transliterations: "Kiev" names Kyiv)."""
    key = lambda word: content_terms(word) or {word.lower()}  # noqa: E731
    want = [key(w) for w in re.findall(r"[\w'’]+", name)]
    words = list(re.finditer(r"[\w'’]+", sentence))
    return [(words[k].start(), words[k + len(want) - 1].end()) for k in range(len(words) - len(want) + 1)
            if all(key(w.group(0)) == n for w, n in zip(words[k:k + len(want)], want))]


_SET_ASIDE = re.compile(r"\b(?:rather than|instead of|not|than|nor)\s+(?:at |against |to |in )?(?:the )?$", re.IGNORECASE)


def _named_plainly(sentence: str, question: str) -> list[bool]:
    """For each alternative an either-or question offers: does the sentence name it, and not only
    set it aside ("rather than Moscow")? Empty when the question offers none."""
    return [any(not _SET_ASIDE.search(sentence[:at[0]]) for at in _named_at(sentence, name))
            for name in alternatives(question) or ()]


def picks(sentence: str, chosen: int, question: str) -> bool:
    """Does the sentence give this alternative of an either-or question? It names it and sets the
    other aside, or does not name it: "against the Kiev regime rather than Moscow" gives Kyiv. A
    sentence naming both ("if Moscow or Kyiv…", "Nadal beat Federer") cannot be read for one by
    its names alone, so it gives neither."""
    named = _named_plainly(sentence, question)
    return named[chosen] and not named[1 - chosen]


def leaves_open(sentence: str, question: str) -> bool:
    """Does the sentence name both alternatives of an either-or question, setting neither aside ("if
    Moscow or Kyiv made the process very difficult")? Its answer is both, not one of them."""
    named = _named_plainly(sentence, question)
    return bool(named) and all(named)


def verify(claim: Claim, evidence: Evidence, min_relevance: float) -> Verified | Rejected:
    """The claim as shown to the reader, or why it does not stand."""
    question = evidence.question
    near = cut = None
    for passage, start, end, named, shown in _candidates(claim, evidence):
        text = evidence.passages[passage].node.get_content()
        sentence = text[start:end]
        answer = as_written_in(question, claim.answer, sentence)
        if not _states_claim(answer, question, sentence) or not measures_what_is_asked(question, sentence):
            continue
        if not named and relevance(question, evidence.article_text(passage) if shown else sentence) < min_relevance:
            continue  # a sentence the model was not shown must itself be on topic
        check = evidence.check(passage, sentence, answer)
        if not check.met:
            near = near or (Rejected(answer, "pins", Verified(answer, passage, start, end), check)
                            if check.contradicted else None)
            continue
        if cut_short(question, answer, sentence, text[end:]):
            cut = cut or Rejected(answer, "cut")
            continue  # the snippet elides what followed the amount: its scale is lost (another sentence may say it whole)
        answer = shaped(question, answer, sentence)
        if not fits(question, answer):
            return Rejected(answer, "kind")
        return _best_stated(Verified(answer, passage, start, end), evidence) if shown else Verified(answer, passage, start, end)
    label = from_label(claim, evidence)
    if label:
        return label
    return near or cut or Rejected(claim.answer, "unsupported")


FIGURE_SHARE = 1 / 3  # a figure's sentence holds more than this share of the question's words besides names and numbers


def measures_what_is_asked(question: str, sentence: str) -> bool:
    """For a how-much or how-many question: does the sentence say its figure is of what is asked?
    A number, unlike a name, does not tell what it measures; its sentence does ("a price tag under
    £80,000" is no answer to how much was spent on developing the car, nor "18 countries" to how
    many people an airline employs). So the sentence must hold more than FIGURE_SHARE of the
    question's words other than its names and numbers (those are pins, checked on their own)."""
    if kind_of(question) not in ("amount", "count"):
        return True
    asked = {t for t in content_terms(question) - set(names(question)) if not any(ch.isdigit() for ch in t)}
    return not asked or len(asked & content_terms(sentence)) / len(asked) > FIGURE_SHARE


def _best_stated(found: Verified, evidence: Evidence) -> Verified:
    """The shown sentence that states the checked answer and holds the question's words the cited one
    holds and more: the model may cite a bare restatement ("The airline ordered 30 planes") where
    another shown sentence says it of what was asked ("Kestrel Air has ordered 30 planes in a $1bn
    deal"). A bare number must be followed by the same word in both ("30 planes", not "30 days")."""
    question = evidence.question
    text = lambda line: evidence.passages[line.passage].node.get_content()  # noqa: E731
    cited = evidence.text_at(found.passage, found.start, found.end)
    asked = content_terms(question)
    best, held = found, asked & content_terms(cited)
    for line in evidence.lines:
        holds = asked & content_terms(line.text)
        if (line.passage, line.start) == (found.passage, found.start) or not holds > held \
                or (evidence.per_article and evidence.doc_of(line.passage) != evidence.doc_of(found.passage)):
            continue  # comparing reports, each answer is its own article's
        if _states_claim(found.answer, question, line.text) and _said_alike(found.answer, cited, line.text) \
                and evidence.check(line.passage, line.text, found.answer).met \
                and not cut_short(question, found.answer, line.text, text(line)[line.end:]):
            best, held = Verified(found.answer, line.passage, line.start, line.end,
                                  (found.passage, found.start, found.end)), holds
    return best


def bare_number(answer: str) -> bool:
    """"12", "40": in any sentence with a date or a count in it, so no evidence by itself of what it counts."""
    return not re.search(r"[^\W\d]", answer)


def _said_alike(answer: str, one: str, other: str) -> bool:
    """An answer with words is itself; a bare number must count the same thing in both sentences."""
    if not bare_number(answer):
        return True
    after = lambda s: [normalise(m.group(1)) for m in re.finditer(re.escape(answer.strip()) + r"\W+(\w+)", s)]  # noqa: E731
    return bool(set(after(one)) & set(after(other)))


def _candidates(claim: Claim, evidence: Evidence):
    """Sentences that may state the claim: the named one, the other shown ones, then every
    sentence of the passages (each once); with whether it is the named one and a shown one
    (a shown sentence was chosen for the question already: its passage being on topic is enough)."""
    seen = set()
    named = evidence.line(claim.line)
    shown = ([named] if named else []) + [line for line in evidence.lines if line is not named]
    for line in shown:
        seen.add((line.passage, line.start, line.end))
        yield line.passage, line.start, line.end, line is named, True
    for passage, hit in enumerate(evidence.passages):
        for start, end in sentence_spans(hit.node.get_content()):
            if (passage, start, end) not in seen and not any(s[0] == passage and s[1] <= start < s[2] for s in seen):
                yield passage, start, end, False, False


def from_label(claim: Claim, evidence: Evidence) -> Verified | None:
    """A claim stated by an article's own title, source or date ("When was the TASS report
    dated?" -> "2025-04-19"): it stands on that metadata, which every citation shows."""
    if not about_the_article(evidence.question):
        return None
    named = evidence.line(claim.line)
    order = ([named.passage] if named else []) + list(range(len(evidence.passages)))
    for passage in dict.fromkeys(order):
        label = metadata_line(evidence.meta(passage))
        if supports(claim.answer, evidence.question, label) and fits(evidence.question, claim.answer):
            return Verified(claim.answer, passage, -1, -1)
    return None
