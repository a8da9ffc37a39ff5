"""From the model's checked claims to what the reader sees: cited sentences, sources, flags.

One answer per article at most. When two articles' checked answers differ, the answer says the
articles differ and cites both. When nothing stands the reader gets a plain "Not found in the
articles." — with the near miss named when the only supported answer is for another year or
edition — and the closest passages as related reading.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from llama_index.core.schema import NodeWithScore

from qa.answer.agree import agree
from qa.answer.dates import resolve
from qa.answer.evidence import Evidence
from qa.answer.kinds import evident_in, kind_of
from qa.answer.text import content_terms, relevance
from qa.answer.verify import Rejected, Verified, parse, verify

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
    related = [source_of(n, hit) for n, hit in enumerate(passages[:3], start=1)]
    return Answer(question=question, status="not_found", answer=NOT_FOUND, sentences=[Sentence(NOT_FOUND, [])],
                  related=related, **extra)


def compose(evidence: Evidence, output: str, *, min_relevance: float, compare: bool = False, **extra) -> Answer:
    """The answer from the model's reply about `evidence`. `compare` (comparison questions: one
    answer line per article) shows an article the model found no checked answer in by its own
    best sentence, beside the other's answer."""
    question, passages = evidence.question, evidence.passages
    dropped: list[str] = []
    per_doc: dict[str, Verified] = {}
    near: Rejected | None = None
    for claim in parse(output):
        result = verify(claim, evidence, min_relevance)
        if isinstance(result, Rejected):
            dropped.append(result.answer)
            near = near or (result if result.near else None)
        else:
            per_doc.setdefault(evidence.doc_of(result.passage), result)
    extra.update(dropped=dropped, raw_output=output)
    articles = evidence.articles()[:2]
    if compare and len(articles) == 2 and len(per_doc) < 2:
        views = [per_doc.get(doc) or _own_words(evidence, doc, min_relevance) for doc in articles]
        if all(views):
            return _side_by_side(evidence, views, **extra)
    if per_doc:
        return _answered(evidence, list(per_doc.values())[:2], **extra)
    near = near or _near_sentence(evidence)
    if near:
        return _near_miss(evidence, near, **extra)
    quoted = _quoted_sentence(evidence) if not compare and not dropped else None  # the model declined; it did not err
    if quoted:
        return _side_by_side(evidence, [quoted], **extra)
    return not_found(question, passages, **extra)


def _answered(evidence: Evidence, claims: list[Verified], **extra) -> Answer:
    question = evidence.question
    sources = [source_of(i, evidence.passages[v.passage], (v.start, v.end)) for i, v in enumerate(claims, start=1)]
    dates: list[dict] = []
    sentences: list[Sentence] = []
    differ = len(claims) == 2 and not agree(claims[0].answer, claims[1].answer)
    if differ and sources[0].date and sources[1].date and sources[0].date != sources[1].date:
        status = "answered"  # an update, not a disagreement: the latest first, then what it replaced
        latest, earlier = sorted(zip(claims, sources), key=lambda pair: pair[1].date, reverse=True)
        for (v, src), lead in ((latest, "As of {date}: {text} [{n}]."), (earlier, "Earlier, on {date}: {text} [{n}].")):
            text, found = _with_dates(v.answer, question, src)
            dates += found
            sentences.append(Sentence(lead.format(date=src.date, text=text, n=src.n), [src.n]))
    elif differ:
        status = "conflict"
        sentences.append(Sentence("The articles differ.", [1, 2]))
        for v, src in zip(claims, sources):
            text, found = _with_dates(v.answer, question, src)
            dates += found
            sentences.append(Sentence(f"{_label(src)}: {text} [{src.n}].", [src.n]))
    else:
        status = "answered"
        text, dates = _with_dates(claims[0].answer, question, sources[0])
        marks = "".join(f"[{s.n}]" for s in sources)
        sentences.append(Sentence(f"{text[0].upper()}{text[1:]} {marks}.", [s.n for s in sources]))
    return Answer(question=question, status=status, answer=" ".join(s.text for s in sentences), sentences=sentences,
                  citations=sources, dates=dates, **extra)


def _near_miss(evidence: Evidence, rejected: Rejected, **extra) -> Answer:
    """Not found for what the question pins down, but a supported answer for another value of it:
    "Not found for 2019 in the articles; they give Naomi Osaka, for 2018 [1]." """
    v = rejected.near
    asked = ", ".join(str(pin) for pin, _ in rejected.check.rivals)
    given = ", ".join(value for _, value in rejected.check.rivals)
    src = source_of(1, evidence.passages[v.passage], (v.start, v.end))
    if v.answer:
        text = f"Not found for {asked} in the articles; they give {v.answer}, for {given} [1]."
    else:
        text = f"Not found for {asked} in the articles; for {given} they say: “{src.quote.strip()}” [1]."
    answer = not_found(evidence.question, evidence.passages, **extra)
    answer.answer, answer.sentences, answer.citations = text, [Sentence(text, [1])], [src]
    kind = {"year": "year", "quarter": "quarter", "half": "half-year", "date": "date", "qualifier": "event"}
    answer.near_miss = {"answer": v.answer, "asked": asked, "given": given, "citation": 1,
                        "kind": kind.get(rejected.check.rivals[0][0].kind, "case")}
    return answer


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


def _quoted_sentence(evidence: Evidence) -> Verified | None:
    """When the model declined (NOT FOUND; not when its answer failed the checks): the shown sentence that holds most of the question's
    words, if it holds QUOTED_SHARE of them, meets every pin, adds something new and holds a value
    of the kind asked (a date for when, an amount for how much, a new name for who)."""
    question = evidence.question
    asked = content_terms(question)
    best = max(evidence.lines, key=lambda line: relevance(question, line.text), default=None)
    if best is None or not asked or relevance(question, best.text) < QUOTED_SHARE:
        return None
    check = evidence.check(best.passage, best.text)
    if not check.met or not content_terms(best.text) - asked or not evident_in(question, best.text):
        return None
    return Verified("", best.passage, best.start, best.end)


def _own_words(evidence: Evidence, doc_id: str, min_relevance: float) -> Verified | None:
    """An article's shown sentence that best matches the question (comparison mode, when the model
    gave no checked answer for it): on topic, and adding something the question does not say."""
    asked = content_terms(evidence.question)
    lines = [line for line in evidence.lines if evidence.doc_of(line.passage) == doc_id and content_terms(line.text) - asked]
    best = max(lines, key=lambda line: relevance(evidence.question, line.text), default=None)
    if best is None or relevance(evidence.question, best.text) < min_relevance:
        return None
    return Verified("", best.passage, best.start, best.end)


def _side_by_side(evidence: Evidence, views: list[Verified], **extra) -> Answer:
    """Each article's checked answer, or else its own words, shown as such: the reader compares."""
    sources, sentences = [], []
    for i, v in enumerate(views, start=1):
        src = source_of(i, evidence.passages[v.passage], (v.start, v.end))
        sources.append(src)
        said = f"{v.answer} [{i}]." if v.answer else f"says: “{src.quote.strip()}” [{i}]."
        sentences.append(Sentence(f"{_label(src)}{':' if v.answer else ''} {said}", [i]))
    return Answer(question=evidence.question, status="answered", answer=" ".join(s.text for s in sentences),
                  sentences=sentences, citations=sources, **extra)


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
