"""From the model's checked claims to what the reader sees: cited sentences, sources, flags.

The checked answer, with what the other articles read give in its place (`rivals.py`): the same
value cites them too; another value is a disagreement (both sides cited, none picked) or, between
articles of different dates, an update (latest first). When nothing stands the reader gets a
plain "Not found in the articles." — with the near miss named when the only supported answer is
for another year or edition — and the closest passages as related reading. `compose` decides
the shape of the answer (`Shape`); one function, `_answer`, builds what is returned.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable

from llama_index.core.schema import NodeWithScore

from qa.answer.agree import agree
from qa.answer.crosscheck import (asks_how_framed, asks_whom_aimed, names_one_side, puts_every_side_alike,
                                  singles_one_side_out, without_aim)
from qa.answer.dates import resolve, year_of
from qa.answer.evidence import Evidence
from qa.answer.kinds import evident_in, kind_of, whole_date
from qa.answer.rivals import Reading, read_others
from qa.answer.text import content_terms, relevance
from qa.answer.verify import WITHHELD, Rejected, Verified, leaves_open, parse, supports, verify

NOT_FOUND = "Not found in the articles."
QUOTED_SHARE = 0.6  # share of the question's words a sentence must hold to be shown in place of a declined answer


@dataclass
class Source:
    n: int
    chunk_id: str
    doc_id: str
    title: str
    source: str
    date: str
    passage: str
    quote_start: int = -1  # span of the supporting text in `passage`, -1 when none
    quote_end: int = -1

    @property
    def quote(self) -> str:
        return self.passage[self.quote_start : self.quote_end] if self.quote_start >= 0 else ""


@dataclass
class Sentence:
    text: str
    citations: list[int]


@dataclass
class Answer:
    question: str
    status: str  # answered | conflict | not_found
    answer: str
    sentences: list[Sentence] = field(default_factory=list)
    citations: list[Source] = field(default_factory=list)
    related: list[Source] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    near_miss: dict | None = None  # not_found, but a supported answer for another year/edition…
    standalone_question: str = ""
    dropped: list[str] = field(default_factory=list)  # model claims that failed verification
    raw_output: str = ""
    retrieved: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    model: str = ""

    @property
    def conflict(self) -> bool:
        return self.status == "conflict"

    @property
    def not_found(self) -> bool:
        return self.status == "not_found"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["conflict"] = self.conflict
        for group in ("citations", "related"):
            for src, obj in zip(data[group], getattr(self, group)):
                src["quote"] = obj.quote
        return data


def source_of(n: int, hit: NodeWithScore, span: tuple[int, int] = (-1, -1)) -> Source:
    meta = hit.node.metadata
    return Source(n=n, chunk_id=hit.node.node_id, doc_id=str(meta.get("doc_id", "")), title=str(meta.get("title", "")),
                  source=str(meta.get("source", "")), date=str(meta.get("date", "")), passage=hit.node.get_content(),
                  quote_start=span[0], quote_end=span[1])


def not_found(question: str, passages: list[NodeWithScore], **extra) -> Answer:
    """The plain refusal, with the closest passages as related reading (also used when no passage is
    on topic and the model is not asked)."""
    return _answer(question, passages, _nothing(), **extra)


@dataclass
class Shape:
    """What an answer says and cites; `_answer` turns it into the one `Answer` compose returns."""

    status: str
    sentences: list[Sentence]
    citations: list[Source] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    near_miss: dict | None = None


def _nothing() -> Shape:
    return Shape("not_found", [Sentence(NOT_FOUND, [])])


def compose(evidence: Evidence, output: str, *, min_relevance: float, compare: bool = False, **extra) -> Answer:
    """The answer from the model's reply about `evidence`, in order of preference: the checked
    answer (with what the other articles give in its place: agreement, an update or a conflict);
    for a comparison question (`compare`, one answer line per article), each article's checked
    answer or else its own best sentence; a near miss (supported, but for another year/edition);
    the one sentence that plainly answers, when the model declined; else "Not found"."""
    checked, dropped, near = _checked(evidence, output, min_relevance)
    shape = ((_compared(evidence, checked, min_relevance) if compare else None)
             or (_answered(evidence, checked, _reading(evidence, checked, min_relevance)) if checked else None)
             or _near_miss(evidence, near or _near_sentence(evidence))
             or (_quoted_sentence(evidence) if not compare and not dropped else None)  # declined, did not err
             or _nothing())
    return _answer(evidence.question, evidence.passages, shape, dropped=dropped, raw_output=output, **extra)


def _answer(question: str, passages: list[NodeWithScore], shape: Shape, **extra) -> Answer:
    related = [source_of(n, hit) for n, hit in enumerate(passages[:3], start=1)] if shape.status == "not_found" else []
    return Answer(question=question, status=shape.status, answer=" ".join(s.text for s in shape.sentences),
                  sentences=shape.sentences, citations=shape.citations, related=related, dates=shape.dates,
                  near_miss=shape.near_miss, **extra)


def _checked(evidence: Evidence, output: str, min_relevance: float) -> tuple[list[Verified], list[str], Rejected | None]:
    """The reply's claims that pass verification (the first per article), the answers dropped, and
    the first near miss among the dropped."""
    per_doc: dict[str, Verified] = {}
    dropped: list[str] = []
    near: Rejected | None = None
    for claim in parse(output):
        result = verify(claim, evidence, min_relevance)
        if isinstance(result, Rejected):
            dropped.append(result.answer)
            near = near or (result if result.near else None)
        else:
            per_doc.setdefault(evidence.doc_of(result.passage), result)
    return list(per_doc.values()), dropped, near


def _reading(evidence: Evidence, checked: list[Verified], min_relevance: float) -> Reading:
    """What the other articles give in the place of the first checked answer (`rivals.py`); the
    articles of the other checked answers are not read again."""
    return read_others(evidence, checked[0], min_relevance, frozenset(evidence.doc_of(v.passage) for v in checked))


def _answered(evidence: Evidence, checked: list[Verified], reading: Reading) -> Shape:
    """The checked answer, and what the other retrieved articles give in its place (`reading`):
    the same value cites them too; another value is an update (the articles carry different dates:
    the latest first) or a disagreement (same day or undated: both sides, none picked)."""
    sides = [[checked[0], *reading.supporters]]
    for other in [*checked[1:2], *reading.rivals]:
        side = next((s for s in sides if agree(s[0].answer, other.answer)), None)
        if side:
            side.append(other)
        else:
            sides.append([other])
    sources: list[list[Source]] = []
    for side in sides[:2]:
        base = sum(len(s) for s in sources)
        sources.append([source_of(base + i, evidence.passages[v.passage], (v.start, v.end))
                        for i, v in enumerate(side, start=1)])
    citations = [src for side in sources for src in side]
    question, shape = evidence.question, Shape("answered", [], citations)
    if len(sides) == 1:
        text, shape.dates = _with_dates(_with_year(sides[0][0].answer, question, sources[0]), question, sources[0][0])
        shape.sentences.append(Sentence(f"{text[0].upper()}{text[1:]} {_marks(sources[0])}.", _numbers(sources[0])))
        return shape
    pairs = list(zip([side[0] for side in sides[:2]], sources))
    dated = [srcs[0].date for _, srcs in pairs]
    if all(dated) and dated[0] != dated[1] and _may_change(evidence):  # an update: the latest first
        leads = ("As of {date}: {text} {marks}.", "Earlier, on {date}: {text} {marks}.")
        pairs.sort(key=lambda pair: pair[1][0].date, reverse=True)
    else:
        shape.status = "conflict"
        shape.sentences.append(Sentence("The articles differ.", [src.n for src in citations]))
        leads = ("{label}: {text} {marks}.",) * 2
    for (v, srcs), lead in zip(pairs, leads):
        text, found = _with_dates(_with_year(v.answer, question, srcs), question, srcs[0])
        shape.dates += found
        label = _label(srcs[0]) if len(srcs) == 1 else f"{len(srcs)} articles"
        shape.sentences.append(Sentence(lead.format(date=srcs[0].date, text=text, marks=_marks(srcs), label=label),
                                        _numbers(srcs)))
    return shape


SETTLED_BY = ("year", "quarter", "half", "date", "ordinal")  # pins that set which event is asked


def _may_change(evidence: Evidence) -> bool:
    """Can a later article's different value be an update rather than a disagreement? A figure
    (a toll, a price, a count) moves over time, and so does anything asked of no set year or
    edition ("Who leads the party?"); who won, where or when for a pinned year or edition is
    settled ("Who won the 2018 World Cup?"): a later article saying otherwise disagrees."""
    return kind_of(evidence.question) in ("count", "amount") or not evidence.pins.of(*SETTLED_BY)


def _compared(evidence: Evidence, checked: list[Verified], min_relevance: float) -> Shape | None:
    """A comparison question: both articles' checked answers compared as values. When only one
    article's answer is checked, the other article is read for it (`rivals.py`); if it neither
    states that value nor another in its place, its own best sentence is shown beside the answer.
    With no checked answer, each article's own best sentence, side by side. Sentences are flagged
    as differing only when (1) the question asks how the reports put it ("How do the reports
    describe…?", `asks_how_framed`): then a report's own sentence beside the other's answer, or
    neither sentence stating what the other does (`supports`, the rule a claim is checked by), is
    the difference; (2) the other report names both alternatives of an either-or question ("if
    Moscow or Kyiv…" beside "Kyiv": its answer is both); (3) the question asks whom the reports say
    something was aimed at and one names or singles out a side while the other puts every side
    alike (`_parted_on_whom`; those sentences are shown). Any other question asks for a value and
    is flagged only on checked values: on seed-style questions written apart from the gold set, a
    checked answer beside the other report's sentence was a false "differ" in 6 of 8 flags
    ("Washington" beside a sentence saying it in other words)."""
    articles = evidence.articles()[:2]
    if len(articles) < 2:
        return None
    per_doc = {evidence.doc_of(v.passage): v for v in checked}
    if len(per_doc) >= 2:
        both = [per_doc[doc] for doc in articles if doc in per_doc]
        return _answered(evidence, both, _reading(evidence, both, min_relevance))
    if per_doc:
        (doc, answer), = per_doc.items()
        other = next(d for d in articles if d != doc)
        reading = _reading(evidence, [answer], min_relevance)
        if any(evidence.doc_of(v.passage) == other for v in [*reading.supporters, *reading.rivals]):
            return _answered(evidence, [answer], reading)
        also = _stated_in(evidence, other, answer)
        if also:
            reading.supporters.append(also)
            return _answered(evidence, [answer], reading)
        own = _own_words(evidence, other, min_relevance, beside_an_answer=True)
        if own is None:
            return None
        pair = [answer, own] if articles[0] == doc else [own, answer]
        said = evidence.text_at(own.passage, own.start, own.end)
        if asks_how_framed(evidence.question) or leaves_open(said, evidence.question):
            return _differing(_side_by_side(evidence, pair))
        parted = _parted_on_whom(evidence, articles, answer)
        return _differing(_side_by_side(evidence, parted)) if parted else _side_by_side(evidence, pair)
    parted = _parted_on_whom(evidence, articles)
    if parted:
        return _differing(_side_by_side(evidence, parted))
    views = [_own_words(evidence, doc, min_relevance, beside_an_answer=False) for doc in articles]
    if not all(views):
        return None
    shape = _side_by_side(evidence, views)
    if not asks_how_framed(evidence.question):
        return shape  # a value was asked and neither report's was checked: no values to tell apart
    said = [evidence.text_at(v.passage, v.start, v.end) for v in views]
    if not supports(said[0], evidence.question, said[1]) and not supports(said[1], evidence.question, said[0]):
        return _differing(shape)  # neither sentence states what the other does: the reports frame it differently
    return shape


def _parted_on_whom(evidence: Evidence, articles: list[str], answer: Verified | None = None) -> list[Verified] | None:
    """For a question of whom the reports say something was aimed at (`asks_whom_aimed`): one report
    naming a side (its checked `answer`, "the Ukrainians") or singling one out ("…against the Kiev
    regime rather than Moscow") while the other puts every side alike ("…if either side continues to
    obstruct…") — each report one way only — gives the two, in article order, to be shown as
    differing; else None. Two reports each read for their own words could not be told apart on the
    seed probes (a false "differ" in 6 of 8), so only this plain opposition is flagged."""
    if not asks_whom_aimed(evidence.question):
        return None
    stances = []
    for doc in articles:
        every = _sentence_where(evidence, doc, puts_every_side_alike)
        if answer is not None and evidence.doc_of(answer.passage) == doc:  # the answer fills "aimed at …"
            one = answer if names_one_side(answer.answer) else None
            every = answer if puts_every_side_alike(f"at {answer.answer}") else every
        else:
            one = _sentence_where(evidence, doc, singles_one_side_out)
        stances.append(("one", one) if one and not every else ("every", every) if every and not one else (None, None))
    if {stance for stance, _ in stances} != {"one", "every"}:
        return None
    return [view for _, view in stances]


def _sentence_where(evidence: Evidence, doc_id: str, holds: Callable[[str], bool]) -> Verified | None:
    """The sentence of an article (of its passages read, the lead too though the model was not shown
    it) that `holds`, meets every pin and shares the most of the question's words besides "aimed" or
    "target" — at least one: how that report puts the question's matter."""
    topic, best, best_share = without_aim(evidence.question), None, 0.0
    for p, start, end, sentence in evidence.sentences_of(doc_id):
        share = relevance(topic, sentence)
        if share > best_share and holds(sentence) and evidence.check(p, sentence).met:
            best, best_share = Verified("", p, start, end), share
    return best


def _differing(shape: Shape) -> Shape:
    """Two reports shown side by side, flagged: "The articles differ." citing both."""
    shape.status = "conflict"
    shape.sentences.insert(0, Sentence("The articles differ.", [1, 2]))
    return shape


def _stated_in(evidence: Evidence, doc_id: str, answer: Verified) -> Verified | None:
    """A sentence of the other report that states a phrase answer too, worded its own way ("within
    a matter of days" / "I'm talking about a matter of days"): the reports agree, not differ. Only
    for answers of two or more new words: one name is in too many sentences to tell."""
    if len(content_terms(answer.answer) - content_terms(evidence.question)) < 2:
        return None
    for p, start, end, sentence in evidence.sentences_of(doc_id):
        if supports(answer.answer, evidence.question, sentence) and evidence.check(p, sentence).met:
            return Verified(answer.answer, p, start, end)
    return None


def _near_miss(evidence: Evidence, rejected: Rejected | None) -> Shape | None:
    """Not found for what the question pins down, but a supported answer for another value of it:
    "Not found for 2019 in the articles; they give Naomi Osaka, for 2018 [1]." """
    if rejected is None:
        return None
    v = rejected.near
    asked = ", ".join(str(pin) for pin, _ in rejected.check.rivals)
    given = ", ".join(value for _, value in rejected.check.rivals)
    src = source_of(1, evidence.passages[v.passage], (v.start, v.end))
    if v.answer:
        text = f"Not found for {asked} in the articles; they give {v.answer}, for {given} [1]."
    else:
        text = f"Not found for {asked} in the articles; for {given} they say: “{src.quote.strip()}” [1]."
    kind = {"year": "year", "quarter": "quarter", "half": "half-year", "date": "date", "qualifier": "event"}
    return Shape("not_found", [Sentence(text, [1])], [src],
                 near_miss={"answer": v.answer, "asked": asked, "given": given, "citation": 1,
                            "kind": kind.get(rejected.check.rivals[0][0].kind, "case")})


def _near_sentence(evidence: Evidence) -> Rejected | None:
    """With no supported claim: the shown sentence most on the question that holds a value of the
    kind asked and gives another year/edition than the question pins (no model answer needed)."""
    question = evidence.question
    for line in sorted(evidence.lines, key=lambda line: -relevance(question, line.text)):
        if relevance(question, line.text) < QUOTED_SHARE or not evident_in(question, line.text):
            continue
        check = evidence.check(line.passage, line.text)
        if check.contradicted:
            return Rejected("", "pins", Verified("", line.passage, line.start, line.end), check)
    return None


def _quoted_sentence(evidence: Evidence) -> Shape | None:
    """When the model declined (NOT FOUND; not when its answer failed the checks): the shown sentence that holds most of the question's
    words, if it holds QUOTED_SHARE of them, meets every pin, adds something new and holds a value
    of the kind asked (a date for when, an amount for how much, a new name for who)."""
    question = evidence.question
    asked = content_terms(question)
    best = max(evidence.lines, key=lambda line: relevance(question, line.text), default=None)
    if best is None or not asked or relevance(question, best.text) < QUOTED_SHARE:
        return None
    check = evidence.check(best.passage, best.text)
    if not check.met or not content_terms(best.text) - asked or not evident_in(question, best.text) \
            or WITHHELD.search(best.text):
        return None  # …nor says it is withheld ("the unnamed robot"): that is Not found
    return _side_by_side(evidence, [Verified("", best.passage, best.start, best.end)])


def _own_words(evidence: Evidence, doc_id: str, min_relevance: float, *, beside_an_answer: bool) -> Verified | None:
    """An article's shown sentence that best matches the question (comparison mode, when the model
    gave no checked answer for it), adding something the question does not say. Beside the other
    article's checked answer, an on-topic passage is enough (as for a shown sentence in `verify`:
    the answer anchors what is asked); with no checked answer at all the sentence must be on topic
    itself — else two sentences picked by shared words would stand in for an answer (on the seed
    tuning half that turned a refusal into a wrong side-by-side, and helped nothing). Like the quoted
    fallback's, the sentence must hold a value of the kind asked: "a lot of time and energy" is no
    report of "Within what time frame…?", and shown beside "a matter of days" it would be flagged as
    differing from it."""
    question = evidence.question
    asked = content_terms(question)
    lines = [line for line in evidence.lines if evidence.doc_of(line.passage) == doc_id and content_terms(line.text) - asked
             and evident_in(question, line.text)]
    best = max(lines, key=lambda line: relevance(question, line.text), default=None)
    passage = evidence.passages[best.passage].node.get_content() if best and beside_an_answer else ""
    if best is None or max(relevance(question, best.text), relevance(question, passage)) < min_relevance:
        return None
    return Verified("", best.passage, best.start, best.end)


def _side_by_side(evidence: Evidence, views: list[Verified]) -> Shape:
    """Each article's checked answer, or else its own words, shown as such: the reader compares."""
    shape = Shape("answered", [])
    for i, v in enumerate(views, start=1):
        src = source_of(i, evidence.passages[v.passage], (v.start, v.end))
        shape.citations.append(src)
        said = f"{v.answer} [{i}]." if v.answer else f"says: “{src.quote.strip()}” [{i}]."
        shape.sentences.append(Sentence(f"{_label(src)}{':' if v.answer else ''} {said}", [i]))
    return shape


def _marks(sources: list[Source]) -> str:
    return "".join(f"[{s.n}]" for s in sources)


def _numbers(sources: list[Source]) -> list[int]:
    return [s.n for s in sources]


def _label(src: Source, words: int = 6) -> str:
    """How an article is named in an answer: its source, else its title (cut short) in quotes."""
    if src.source:
        return src.source
    title = src.title.rstrip("…").split()
    if title:
        return "The article “" + " ".join(title[:words]) + ("…" if len(title) > words else "") + "”"
    return src.doc_id


def _with_dates(text: str, question: str, src: Source) -> tuple[str, list[dict]]:
    """Relative dates in the answer (or its sentence) made absolute from the article's date."""
    found = resolve(src.quote or text, src.date)
    dates = [{"expression": d.expression, "date": d.date, "doc_id": src.doc_id} for d in found]
    if kind_of(question) == "date" and found:
        in_answer = resolve(text, src.date) or found
        text = f"{text} ({in_answer[0].human()})"
    return text, dates


def _with_year(answer: str, question: str, sources: list[Source]) -> str:
    """A when-answer given without its year ("April 29") made whole: as another cited sentence
    writes it ("April 29, 2015"), else with the year its article's date gives it ("April 29 (2015)")."""
    if kind_of(question) != "date":
        return answer
    for src in sources:
        if (whole := whole_date(answer, src.quote)) != answer:
            return whole
    year = next((y for src in sources if (y := year_of(answer, src.date))), None)
    return f"{answer} ({year})" if year else answer
