"""Gold question sets: JSONL in the format of evals/gold/README.md, read leniently.

Third-party sets rarely match our field names exactly, so the loader accepts the common
variants (``answers`` for ``aliases``, evidence as bare doc ids or without quotes, missing
``type``/``unanswerable``/``conflict``) and fills in what can be inferred. A line that cannot be
understood is an error naming the file and line: a silently skipped question would skew scores.

Each set is split once into a tuning half and a report half (evals/splits.py records the split in
``splits.json`` beside the gold files); ``half`` selects one, so numbers quoted in the README and
the CI floors come from questions no rule was fitted to.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "evals" / "gold"
# The project's gold sets (evals/gold/<name>.jsonl) and the articles each was written over.
CORPORA = {
    "seed": ROOT / "corpus",
    "bbc": ROOT / "evals" / "data" / "bbc-news",
    "rgb": ROOT / "evals" / "data" / "rgb-dev" / "corpus",
    "rgb-conflict": ROOT / "evals" / "data" / "rgb-dev" / "corpus-conflict",
}
HALVES = ("all", "tune", "report")
SPLITS_FILE = "splits.json"  # beside the gold files: {"sets": {set name: {"tune": [ids], "report": [ids]}}}


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


def load_gold(path: str | Path, limit: int | None = None, half: str = "all") -> list[GoldItem]:
    """The items of one JSONL file, in file order; ``half`` keeps one half of the recorded split,
    then ``limit`` keeps the first N."""
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
    if not items:
        raise GoldError(f"gold file {path} has no questions")
    if half != "all":
        items = select_half(items, path, half)
    return items[:limit] if limit else items


def select_half(items: list[GoldItem], path: str | Path, half: str) -> list[GoldItem]:
    """The items of one recorded half; a question in neither half is an error, not a silent drop."""
    if half not in HALVES:
        raise GoldError(f"unknown half {half!r}: use one of {', '.join(HALVES)}")
    split = recorded_split(path)
    placed = {*split["tune"], *split["report"]}
    unplaced = [item.id for item in items if item.id not in placed]
    if unplaced:
        shown = ", ".join(unplaced[:5]) + (" …" if len(unplaced) > 5 else "")
        raise GoldError(f"{len(unplaced)} question(s) of {path} in no half of the split ({shown}): "
                        f"run `python -m evals.splits --write`")
    chosen = set(split[half])
    return [item for item in items if item.id in chosen]


def recorded_split(path: str | Path) -> dict[str, list[str]]:
    """The {"tune": ids, "report": ids} of a gold file, from the splits.json beside it."""
    path = Path(path)
    splits = path.parent / SPLITS_FILE
    try:
        table = json.loads(splits.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(f"no split recorded for {path.name}: cannot read {splits} ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise GoldError(f"{splits}: not valid JSON: {exc}") from exc
    split = table.get("sets", {}).get(path.stem)
    if not split:
        raise GoldError(f"no split recorded for {path.name} in {splits}: run `python -m evals.splits --write`")
    return split


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
