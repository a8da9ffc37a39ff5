"""Answers, sources and server facts as HTML fragments for the page.

Everything that came from an article, a file name or a user goes through `esc` here: article
text is untrusted data and must reach the browser as text, never as live markup or script.
The functions take `Answer.to_dict()` dicts, so the page and the API share one answer shape.
"""
from __future__ import annotations

import html
import re

NOT_FOUND_LABEL = "Not found in the articles"
CONFLICT_LABEL = "The articles disagree"


def esc(value) -> str:
    """HTML-escape text; braces and `$` too, so no front-end template can ever evaluate it."""
    text = html.escape(str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;").replace("$", "&#36;")


# --- one answer in the chat ---------------------------------------------------------------------
def anchor(turn: int, n: int) -> str:
    """The id of source [n] of answer `turn` in the sources panel (markers link to it)."""
    return f"src-{turn}-{n}"


def link_markers(escaped: str, turn: int, numbers: set[int]) -> str:
    """[n] markers of real citations become links to their source; other brackets stay text."""

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        if n not in numbers:
            return match.group(0)
        return f'<a class="dl-cite" href="#{anchor(turn, n)}" title="show source {n}">[{n}]</a>'

    return re.sub(r"\[(\d{1,3})\]", link, escaped)


def user_html(question: str) -> str:
    return f'<div class="dl-question">{esc(question)}</div>'


def waiting_html() -> str:
    return ('<div class="dl-draft"><span class="dl-draft-label">waiting for the model… '
            "(questions are answered one at a time)</span></div>")


def checking_html() -> str:
    """While the model writes: a neutral note; its unverified text is never shown."""
    return ('<div class="dl-draft"><span class="dl-draft-label">checking the answer against the passages '
            "(sources on the right)…</span></div>")


def answer_html(answer: dict, turn: int) -> str:
    """The verified answer: a badge for not-found / conflict, cited sentences, then small print."""
    parts = []
    if answer.get("standalone_question"):
        parts.append(f'<div class="dl-asked-as">Asked as: {esc(answer["standalone_question"])}</div>')
    status = answer.get("status", "answered")
    if status == "not_found":
        parts.append(_not_found_html(answer))
        if answer.get("near_miss"):  # a supported answer, but for another year/edition than asked
            parts.append(_sentences_html(answer, turn))
    else:
        if status == "conflict":
            parts.append(f'<div class="dl-badge dl-badge-conflict">{CONFLICT_LABEL}</div>')
        parts.append(_sentences_html(answer, turn))
    parts.append(_small_print(answer))
    return f'<div class="dl-answer dl-status-{esc(status)}">{"".join(parts)}</div>'


def _not_found_html(answer: dict) -> str:
    note = ("The closest passages are in the sources panel; none of them answers the question."
            if answer.get("related") else "No stored passage is about this question.")
    if answer.get("near_miss"):
        note = f"The articles answer this only for another {esc(answer['near_miss'].get('kind', 'case'))}:"
    return (f'<div class="dl-badge dl-badge-notfound">{NOT_FOUND_LABEL}</div>'
            f'<div class="dl-note">{note}</div>')


def _sentences_html(answer: dict, turn: int) -> str:
    numbers = {c["n"] for c in answer.get("citations", [])}
    sentences = answer.get("sentences") or [{"text": answer.get("answer", "")}]
    rendered = [f'<span class="dl-sentence">{link_markers(esc(s["text"]), turn, numbers)}</span>' for s in sentences]
    return f'<div class="dl-text">{" ".join(rendered)}</div>'


def _small_print(answer: dict) -> str:
    """Resolved relative dates and how long it took: facts a reader may want, set small."""
    lines = [f"“{esc(d['expression'])}” = {esc(d['date'])} (from the article’s date)"
             for d in answer.get("dates", [])]
    total = (answer.get("timings") or {}).get("total_ms")
    if total is not None:
        lines.append(f"answered in {total / 1000:.1f} s")
    return f'<div class="dl-small">{" · ".join(lines)}</div>' if lines else ""


def error_html(message: str) -> str:
    return (f'<div class="dl-answer dl-status-error"><div class="dl-badge dl-badge-error">Could not answer'
            f'</div><div class="dl-note">{esc(message)}</div></div>')


# --- the sources panel -------------------------------------------------------------------------
def marked_passage(source: dict) -> str:
    """The passage, escaped, with the span that supports the answer wrapped in <mark>."""
    passage = source.get("passage", "")
    start, end = source.get("quote_start", -1), source.get("quote_end", -1)
    if not (0 <= start < end <= len(passage)):
        return esc(passage)
    return f"{esc(passage[:start])}<mark>{esc(passage[start:end])}</mark>{esc(passage[end:])}"


def _source_card(source: dict, turn: int, related: bool = False) -> str:
    meta = " · ".join(esc(x) for x in (source.get("source"), source.get("date"), source.get("doc_id")) if x)
    label = "" if related else f'<span class="dl-src-n">[{source["n"]}]</span> '
    ident = "" if related else f' id="{anchor(turn, source["n"])}"'
    return (f'<article class="dl-source{" dl-related" if related else ""}"{ident}>'
            f'<div class="dl-src-title">{label}{esc(source.get("title") or source.get("doc_id", ""))}</div>'
            f'<div class="dl-src-meta">{meta}</div>'
            f'<blockquote class="dl-passage">{marked_passage(source)}</blockquote></article>')


def sources_html(answer: dict, turn: int) -> str:
    """One answer's block in the panel: its cited sources, or the closest passages if not found."""
    cards = [_source_card(s, turn) for s in answer.get("citations", [])]
    if not cards and answer.get("related"):
        cards.append('<div class="dl-note">Closest passages (none of them answers the question):</div>')
        cards += [_source_card(s, turn, related=True) for s in answer["related"]]
    return _turn_block(f'Sources for: {esc(answer.get("question", ""))}', cards, turn)


def reading_html(question: str, sources: list[dict], turn: int) -> str:
    """The passages the model is reading, shown as soon as retrieval ends, best sentence marked."""
    cards = [_source_card(s, turn, related=True) for s in sources]
    return _turn_block(f"Reading for: {esc(question)}", cards, turn)


def _turn_block(heading: str, cards: list[str], turn: int) -> str:
    body = "".join(cards) or '<div class="dl-note">No sources.</div>'
    return f'<section class="dl-turn" id="turn-{turn}"><div class="dl-turn-q">{heading}</div>{body}</section>'


def panel_html(blocks: list[str]) -> str:
    """All answers' source blocks, newest first (older [n] links keep working)."""
    if not blocks:
        return '<div class="dl-sources dl-note">Sources appear here after an answer.</div>'
    return f'<div class="dl-sources">{"".join(blocks)}</div>'


# --- server facts ------------------------------------------------------------------------------
def stats_html(stats: dict | None, error: str = "") -> str:
    if stats is None:
        return f'<div class="dl-stats">store unavailable: {esc(error)}</div>'
    return (f'<div class="dl-stats">model: <b>{esc(stats.get("llm", ""))}</b> · embedder: '
            f'<b>{esc(stats.get("embedder", ""))}</b> · store: {esc(stats.get("store", ""))} '
            f'({esc(stats.get("collection", ""))}: {esc(stats.get("articles", 0))} articles, '
            f'{esc(stats.get("chunks", 0))} passages)</div>')


def status_html(message: str, state: str) -> str:
    """The status line: state is one of starting | ingesting | ready | error."""
    return f'<div class="dl-status dl-status-line-{esc(state)}" data-state="{esc(state)}">{esc(message)}</div>'


def articles_html(rows: list[dict]) -> str:
    if not rows:
        return '<div class="dl-note">No articles yet: upload some above.</div>'
    head = "<tr><th>doc id</th><th>title</th><th>source</th><th>date</th><th>passages</th></tr>"
    body = "".join(
        f'<tr><td><code>{esc(r["doc_id"])}</code></td><td>{esc(r["title"])}</td><td>{esc(r["source"])}</td>'
        f'<td>{esc(r["date"])}</td><td>{esc(r["chunks"])}{"" if r["complete"] else " (incomplete)"}</td></tr>'
        for r in rows)
    return f'<table class="dl-articles">{head}{body}</table>'


def upload_result_html(saved: int, rejected: list[tuple[str, str]], report: dict | None) -> str:
    """What happened to each uploaded file: a summary, then every rejection and failure by name."""
    lines = []
    if report is not None:
        lines.append(f"<div>{saved} file(s) read: {len(report['added'])} added, {len(report['updated'])} updated, "
                     f"{report['unchanged']} unchanged.</div>")
    problems = [(name, reason) for name, reason in rejected]
    if report is not None:
        problems += [(f["path"].rsplit("/", 1)[-1], f["reason"]) for f in report["failed"]]
        problems += [(s["doc_id"], f"skipped: {s['reason']}") for s in report["skipped"]]
    if problems:
        items = "".join(f"<li><code>{esc(name)}</code>: {esc(reason)}</li>" for name, reason in problems)
        lines.append(f'<ul class="dl-problems">{items}</ul>')
    return f'<div class="dl-upload-result">{"".join(lines) or "Nothing uploaded."}</div>'


CSS = """
.dl-question { white-space: pre-wrap; }
.dl-draft { opacity: .55; font-style: italic; }
.dl-draft-label { font-size: .8em; display: block; }
.dl-asked-as { font-size: .85em; color: #666; margin-bottom: .3em; }
.dl-badge { display: inline-block; font-weight: 600; font-size: .85em; padding: .15em .6em;
            border-radius: .8em; margin-bottom: .35em; }
.dl-badge-notfound { background: #eceff1; color: #37474f; border: 1px solid #90a4ae; }
.dl-badge-conflict { background: #fff3e0; color: #8a4b00; border: 1px solid #ffb74d; }
.dl-badge-error { background: #ffebee; color: #b71c1c; border: 1px solid #ef9a9a; }
.dl-status-conflict .dl-text { border-left: 3px solid #ffb74d; padding-left: .6em; }
.dl-note, .dl-small { font-size: .85em; color: #666; }
.dl-small { margin-top: .3em; }
a.dl-cite { text-decoration: none; font-weight: 600; }
.dl-sources { max-height: 640px; overflow-y: auto; }
.dl-turn { margin-bottom: 1em; }
.dl-turn-q { font-weight: 600; margin-bottom: .3em; }
.dl-source { border: 1px solid #ddd; border-radius: 6px; padding: .5em .7em; margin: .4em 0; }
.dl-source:target { outline: 2px solid #f0a000; }
.dl-related { border-style: dashed; }
.dl-src-title { font-weight: 600; }
.dl-src-meta { font-size: .8em; color: #666; }
.dl-passage { margin: .4em 0 0; white-space: pre-wrap; font-size: .9em; }
.dl-passage mark { background: #fff176; padding: 0 .1em; }
.dl-status { font-size: .9em; }
.dl-status-line-error { color: #b71c1c; }
.dl-stats { font-size: .8em; color: #666; }
.dl-articles { width: 100%; font-size: .9em; border-collapse: collapse; }
.dl-articles td, .dl-articles th { border-bottom: 1px solid #eee; padding: .2em .4em; text-align: left; }
.dl-problems { color: #b71c1c; }
"""
