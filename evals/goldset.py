"""Gold question sets: JSONL in the format of evals/gold/README.md, read leniently.

Third-party sets rarely match our field names exactly, so the loader accepts the common
variants (``answers`` for ``aliases``, evidence as bare doc ids or without quotes, missing
``type``/``unanswerable``/``conflict``) and fills in what can be inferred. A line that cannot be
understood is an error naming the file and line: a silently skipped question would skew scores.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


class GoldError(ValueError):
    """A gold file that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class Evidence:
    doc: str  # doc id as the readers assign it: file name without extension, or "train.csv#12"
    quote: str = ""  # verbatim text of the article; "" when only the document is known


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answer: str = ""
    aliases: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    type: str = "other"
    unanswerable: bool = False
    conflict: bool = False
    line: int = 0  # 1-based line in its file, for error messages and reports

    @property
    def answers(self) -> list[str]:
        """Every acceptable answer, the canonical one first."""
        return [a for a in (self.answer, *self.aliases) if a and a.strip()]

    def as_dict(self) -> dict:
        return asdict(self)


def load_gold(path: str | Path, limit: int | None = None) -> list[GoldItem]:
    """The items of one JSONL file, in file order; ``limit`` keeps the first N."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise GoldError(f"cannot read gold file {path}: {exc.strerror or exc}") from exc
    items: list[GoldItem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            item = parse_item(json.loads(line), number)
        except (ValueError, TypeError, AttributeError) as exc:
            raise GoldError(f"{path}:{number}: {exc}") from exc
        if item.id in seen:
            raise GoldError(f"{path}:{number}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
        if limit and len(items) >= limit:
            break
    if not items:
        raise GoldError(f"gold file {path} has no questions")
    return items


def parse_item(raw: dict, line: int = 0) -> GoldItem:
    """One gold object to a GoldItem, inferring the optional fields."""
    if not isinstance(raw, dict):
        raise ValueError("each line must be a JSON object")
    question = str(raw.get("question") or "").strip()
    if not question:
        raise ValueError("missing 'question'")
    answer = raw.get("answer") or ""
    aliases = raw.get("aliases", raw.get("answers")) or []
    if isinstance(answer, list):  # some sets put every acceptable answer in "answer"
        answer, aliases = (answer[0] if answer else ""), [*answer[1:], *aliases]
    if isinstance(aliases, str):
        aliases = [aliases]
    if not answer and aliases:  # SQuAD-like sets give only a list of answers
        answer, aliases = aliases[0], aliases[1:]
    aliases = tuple(str(a) for a in aliases if str(a).strip() and str(a) != str(answer))
    evidence = tuple(_evidence(e) for e in raw.get("evidence") or [])
    kind = str(raw.get("type") or "").strip().lower()
    unanswerable = _flag(raw.get("unanswerable"), kind == "unanswerable" or not (answer or aliases))
    conflict = _flag(raw.get("conflict"), kind == "conflict")
    if not kind:
        kind = "unanswerable" if unanswerable else "conflict" if conflict else "other"
    return GoldItem(
        id=str(raw.get("id") or f"line-{line}"),
        question=question,
        answer=str(answer),
        aliases=aliases,
        evidence=evidence,
        type=kind,
        unanswerable=unanswerable,
        conflict=conflict,
        line=line,
    )


def _evidence(raw) -> Evidence:
    if isinstance(raw, str):
        return Evidence(doc=raw)
    if not isinstance(raw, dict):
        raise ValueError(f"evidence items must be objects or doc ids, got {raw!r}")
    doc = raw.get("doc", raw.get("doc_id", ""))
    return Evidence(doc=str(doc or ""), quote=str(raw.get("quote") or raw.get("text") or ""))


def _flag(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)
