"""Many articles per file: CSV rows and JSON Lines, each read by the standard library. A bad row or
line is reported by itself (`file.csv#3`, `file.jsonl:7`) and the others are still read."""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
from typing import Iterator

from qa.ingest.readers.base import Article, Origin, ReadFailure
from qa.ingest.readers.text import fix, iso_date

_TEXT_COLUMNS = ("text", "content", "body")
_FIELD_COLUMNS = ("title", "source", "date", "id")
_EXTRA_COLUMNS = ("url", "category")
_CSV_FIELD_LIMIT = 131_072  # csv's default; a longer field fails its row (the row is still read whole)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # from a JSON "\\ud800" escape; not encodable as UTF-8


def read_csv(text: str, origin: Origin) -> Iterator[Article | ReadFailure]:
    """CSV: one article per row; a bad row is reported and the other rows still yield."""
    # Parse whole rows even when a field is over the limit (checked per row below): csv's own
    # limit stops mid-field, and the rest of a multi-line field then came back as bogus rows.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    # strict: an unclosed quote is a malformed row, not a field that silently swallows the rows after it
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        yield origin.failure(f"unreadable CSV header ({exc})")
        return
    by_name = {str(h).strip().lower(): h for h in header if h is not None}
    text_col = next((by_name[c] for c in _TEXT_COLUMNS if c in by_name), None)
    if text_col is None:
        yield origin.failure(f"no 'text' column (columns: {', '.join(str(h) for h in header) or 'none'})")
        return
    known = {by_name[c]: c for c in _FIELD_COLUMNS + _EXTRA_COLUMNS if c in by_name}

    rows = iter(reader)
    for index in itertools.count():
        try:
            row = next(rows, None)
        except csv.Error as exc:
            yield origin.failure(f"CSV row {index}: malformed ({exc})", f"#{index}")
            continue
        if row is None:
            if index == 0:
                yield origin.failure("CSV has a header but no rows")
            return
        problem = (f"{len(row[None])} more field(s) than the header" if None in row
                   else f"a field is longer than {_CSV_FIELD_LIMIT} characters" if any(
                       isinstance(v, str) and len(v) > _CSV_FIELD_LIMIT for v in row.values())
                   else "" if (row.get(text_col) or "").strip() else "empty text")
        if problem:
            yield origin.failure(f"CSV row {index}: {problem}", f"#{index}")
            continue
        fields = {name: (row.get(col) or "").strip() for col, name in known.items()}
        extra = {str(col).strip(): (v or "").strip() for col, v in row.items() if col != text_col and col not in known}
        extra.update({k: fields[k] for k in _EXTRA_COLUMNS if k in fields})
        yield origin.article(row[text_col].strip(), fields.get("title", ""), fields.get("source", ""),
                             iso_date(fields.get("date", "")), extra, key=fields.get("id") or str(index))


def read_jsonl(text: str, origin: Origin) -> Iterator[Article | ReadFailure]:
    """JSON Lines: one object per line; blank lines skipped, a bad line reported by its 1-based number."""
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:  # also a >4300-digit number, or nesting too deep
            obj = exc
        problem = (f"invalid JSON ({obj.msg if isinstance(obj, json.JSONDecodeError) else obj})"
                   if isinstance(obj, Exception) else "not a JSON object" if not isinstance(obj, dict)
                   else "invalid \\u escape (a lone surrogate is not text)" if any(
                       isinstance(s, str) and _LONE_SURROGATE.search(s) for kv in obj.items() for s in kv)
                   else "" if isinstance(obj.get("text"), str) and obj["text"].strip() else "missing or empty text")
        if problem:
            yield origin.failure(f"line {number + 1}: {problem}", f":{number + 1}")
            continue
        scalars = {str(k): fix(v if isinstance(v, str) else json.dumps(v)).strip()
                   for k, v in obj.items() if isinstance(v, (str, int, float, bool))}
        fields = {k: scalars.pop(k, "") for k in ("text", "title", "source", "date", "id")}
        yield origin.article(fields["text"], fields["title"], fields["source"], iso_date(fields["date"]),
                             scalars, key=fields["id"] or str(number))
