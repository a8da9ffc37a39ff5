"""From the model's checked claims to what the reader sees: cited sentences, sources, flags.

One answer per article at most; when two articles' answers differ, the answer says the
articles differ and cites both. When nothing is supported the reader gets a plain
"Not found in the articles." and the closest passages as related reading.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from llama_index.core.schema import NodeWithScore

from qa.answer.crosscheck import addresses, echoes, for_one_article
from qa.answer.dates import asks_when, resolve
from qa.answer.prompt import metadata_line
from qa.answer.text import content_terms
from qa.answer.verify import Verified, parse, quoted_answer, quotes_of, sentence_spans, sentences_around, verify

NOT_FOUND = "Not found in the articles."


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
    supported: bool = True


@dataclass
class Answer:
    question: str
    status: str  # answered | conflict | not_found
    answer: str
    sentences: list[Sentence] = field(default_factory=list)
    citations: list[Source] = field(default_factory=list)
    related: list[Source] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
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
    return Source(
        n=n,
        chunk_id=hit.node.node_id,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        source=str(meta.get("source", "")),
        date=str(meta.get("date", "")),
        passage=hit.node.get_content(),
        quote_start=span[0],
        quote_end=span[1],
    )


def not_found(question: str, passages: list[NodeWithScore], **extra) -> Answer:
    related = [source_of(n, hit) for n, hit in enumerate(passages[:3], start=1)]
    return Answer(question=question, status="not_found", answer=NOT_FOUND,
                  sentences=[Sentence(NOT_FOUND, [], True)], related=related, **extra)


def _agree(a: str, b: str) -> bool:
    ta, tb = content_terms(a), content_terms(b)
    if not ta or not tb:
        return False
    overlap = len(ta & tb)
    return overlap / min(len(ta), len(tb)) >= 0.5


def _label(src: Source, words: int = 6) -> str:
    """How an article is named in an answer: its source, else its title (cut short) in quotes."""
    if src.source:
        return src.source
    title = src.title.rstrip("…").split()
    if title:
        return "The article “" + " ".join(title[:words]) + ("…" if len(title) > words else "") + "”"
    return src.doc_id


def _with_dates(text: str, question: str, src: Source) -> tuple[str, list[dict]]:
    """Relative dates in the answer (or its quote) made absolute from the article's date."""
    found = resolve(src.quote or text, src.date)
    dates = [{"expression": d.expression, "date": d.date, "doc_id": src.doc_id} for d in found]
    if asks_when(question) and found:
        in_answer = resolve(text, src.date) or found
        text = f"{text} ({in_answer[0].human()})"
    return text, dates


def _claims(question: str, texts: list[str], labels: list[str], output: str, dropped: list[str],
            min_relevance: float) -> list[Verified]:
    verified = []
    for claim in parse(output):
        checked = verify(claim, question, texts, min_relevance, labels)
        if checked is None:
            dropped.append(claim.answer)
        else:
            verified.append(checked)
    return verified


_ABOUT_ARTICLES = content_terms("article articles report reports account accounts story stories")


def _own_words(question: str, passages: list[NodeWithScore], doc_id: str, min_relevance: float) -> Verified | None:
    """An article's sentence that best matches the question (comparison mode, when the model
    gave no checked answer for it): on topic, and adding something the question does not say."""
    asked = content_terms(for_one_article(question)) - _ABOUT_ARTICLES
    best, best_share = None, 0.0
    for n, hit in enumerate(passages, start=1):
        if str(hit.node.metadata.get("doc_id")) != doc_id or not asked:
            continue
        text = hit.node.get_content()
        for start, end in sentence_spans(text):
            terms = content_terms(text[start:end])
            share = len(asked & terms) / len(asked)
            if share > best_share and terms - asked:
                best, best_share = Verified("", n, start, end), share
    return best if best_share >= min_relevance else None


def _side_by_side(question: str, passages: list[NodeWithScore], views: list[Verified], dropped: list[str],
                  output: str, **extra) -> Answer:
    """Each article's checked answer, or else its own words, next to the other's: the reader compares."""
    sources, sentences = [], []
    for i, v in enumerate(views, start=1):
        src = source_of(i, passages[v.n - 1], (v.quote_start, v.quote_end))
        sources.append(src)
        said = f"{v.answer} [{i}]." if v.answer else f"says: “{src.quote.strip()}” [{i}]."
        sentences.append(Sentence(f"{_label(src)}{':' if v.answer else ''} {said}", [i]))
    return Answer(question=question, status="answered", answer=" ".join(s.text for s in sentences),
                  sentences=sentences, citations=sources, dropped=dropped, raw_output=output, **extra)


def compose(question: str, passages: list[NodeWithScore], output: str, *, second_opinion: str = "",
            min_relevance: float = 0.34, compare: bool = False, **extra) -> Answer:
    """The answer from the model's reply; `second_opinion` is a reply about another article's
    passages (numbered as in `passages`), counted only when it addresses the question.
    `compare` (comparison mode: one reply per article) ignores answers that only repeat the
    question, and shows an article the model found no checked answer in by its own best sentence."""
    texts = [hit.node.get_content() for hit in passages]
    labels = [metadata_line(hit.node.metadata) for hit in passages]
    dropped: list[str] = []
    doc_of = lambda v: str(passages[v.n - 1].node.metadata.get("doc_id"))  # noqa: E731
    per_doc: dict[str, Verified] = {}
    for v in _claims(question, texts, labels, output, dropped, min_relevance):  # first supported claim per article
        if compare and echoes(question, v.answer):
            dropped.append(v.answer)
            continue
        per_doc.setdefault(doc_of(v), v)
    for v in _claims(question, texts, labels, second_opinion, dropped, min_relevance) if second_opinion else []:
        said_in = sentences_around(texts[v.n - 1], v.quote_start, v.quote_end)
        if doc_of(v) not in per_doc and addresses(question, v.answer, said_in, min_relevance):
            per_doc[doc_of(v)] = v
            break
    output = output + (f"\n{second_opinion}" if second_opinion else "")
    articles = list(dict.fromkeys(str(hit.node.metadata.get("doc_id")) for hit in passages))[:2]
    if compare and len(articles) == 2 and len(per_doc) < 2:
        side_by_side = {doc: per_doc.get(doc) or _own_words(question, passages, doc, min_relevance) for doc in articles}
        if all(side_by_side.values()):
            return _side_by_side(question, passages, list(side_by_side.values()), dropped, output, **extra)
    if not per_doc:
        quoted = quoted_answer(question, quotes_of(output), texts)
        if quoted is None:
            return not_found(question, passages, dropped=dropped, raw_output=output, **extra)
        src = source_of(1, passages[quoted.n - 1], (quoted.quote_start, quoted.quote_end))
        sentence = Sentence(f"{_label(src)} says: “{src.quote.strip()}” [1].", [1])
        return Answer(question=question, status="answered", answer=sentence.text, sentences=[sentence],
                      citations=[src], dropped=dropped, raw_output=output, **extra)

    claims = list(per_doc.values())[:2]
    sources = [source_of(i + 1, passages[v.n - 1], (v.quote_start, v.quote_end)) for i, v in enumerate(claims)]
    dates: list[dict] = []
    sentences: list[Sentence] = []
    if len(claims) == 2 and not _agree(claims[0].answer, claims[1].answer):
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
    return Answer(
        question=question,
        status=status,
        answer=" ".join(s.text for s in sentences),
        sentences=sentences,
        citations=sources,
        dates=dates,
        dropped=dropped,
        raw_output=output,
        **extra,
    )
