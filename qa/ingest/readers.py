"""Turn files on disk into clean `Article`s, or say plainly why a file could not be read.

Data flow, top to bottom in this module:

    read_sources  -> walk paths (files, directories, symlink loops, hidden names)
    _read_file    -> size check, read bytes, decode (BOM / utf-8 / cp1252 / latin-1),
                     repair mojibake, normalise newlines + NFC
    _read_txt / _read_markdown / _read_html / _read_csv / _read_jsonl
                  -> one function per format, each yielding Articles and ReadFailures
    helpers       -> datelines, titles, dates, mojibake

Nothing here raises for bad input: a bad file, row or line becomes a `ReadFailure`
so one broken upload never stops an ingest of thousands of good articles.
"""
from __future__ import annotations

import calendar
import csv
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Iterable, Iterator

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".jsonl")


@dataclass(frozen=True)
class Article:
    doc_id: str  # stable id relative to the root it was found under
    text: str  # clean body: NFC, \n line ends, leading `date YYYY-MM-DD` token removed
    title: str
    source: str  # "TASS", "Reuters", a csv/jsonl field, an HTML meta; "" if unknown
    date: str  # ISO "YYYY-MM-DD" or "" if unknown
    path: str  # absolute posix path of the file it came from
    sha256: str  # hex sha256 of `text` (utf-8): content hash for incremental ingest
    # hash=False keeps Article hashable although a dict is not.
    extra: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ReadFailure:
    path: str  # the file; for a bad row "file.csv#12" (row index), "file.jsonl:7" (1-based line)
    reason: str  # one human sentence


def read_sources(
    paths: Iterable[str | Path], *, max_bytes: int = 20_000_000
) -> Iterator[Article | ReadFailure]:
    """Yield one Article per article found, or a ReadFailure per thing that could not be read.

    Never raises for bad input. Directories are walked recursively in sorted order;
    hidden names are skipped and every real directory is entered at most once, so a
    symlink loop terminates.
    """
    for raw in paths:
        root = Path(os.path.abspath(os.fspath(raw)))
        try:
            if root.is_dir():
                yield from _walk(root, root, set(), max_bytes)
            elif root.exists() or root.is_symlink():
                yield from _read_file(root, root.parent, max_bytes)
            else:
                yield ReadFailure(root.as_posix(), "no such file or directory")
        except OSError as exc:  # e.g. permission denied on the root itself
            yield ReadFailure(root.as_posix(), _os_reason(exc))


def _walk(directory: Path, root: Path, seen: set[str], max_bytes: int) -> Iterator[Article | ReadFailure]:
    """Depth-first, sorted walk; `seen` holds resolved directories so loops end."""
    real = os.path.realpath(directory)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield ReadFailure(directory.as_posix(), _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks; loops are stopped by `seen`
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, root, seen, max_bytes)
        else:
            yield from _read_file(path, root, max_bytes)


# --------------------------------------------------------------------------------------
# One file: checks, bytes -> clean str, dispatch by suffix
# --------------------------------------------------------------------------------------


def _read_file(path: Path, root: Path, max_bytes: int) -> Iterator[Article | ReadFailure]:
    """Read one file of any supported type; any surprise becomes a ReadFailure."""
    where = path.as_posix()
    try:
        where.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the name: Chroma could not store the path or id
        yield ReadFailure(_printable(where), "file name is not valid UTF-8 (rename the file)")
        return
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield ReadFailure(where, f"unsupported type {suffix}" if suffix else "unsupported type (no extension)")
        return
    try:
        text = _load_text(path, max_bytes)
    except _Unreadable as exc:
        yield ReadFailure(where, str(exc))
        return
    except OSError as exc:
        yield ReadFailure(where, _os_reason(exc))
        return

    rel = path.relative_to(root).as_posix()
    reader = _READERS[suffix]
    try:
        yield from reader(text, path, rel)
    except Exception as exc:  # safety net: a parser bug must not end the whole ingest
        yield ReadFailure(where, f"could not parse file ({type(exc).__name__}: {exc})")


class _Unreadable(Exception):
    """A file-level problem whose message is the ReadFailure reason."""


def _load_text(path: Path, max_bytes: int) -> str:
    """Size check before reading, then decode; raises _Unreadable with a human reason."""
    info = path.stat()  # follows symlinks; a broken link raises FileNotFoundError
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("not a regular file")
    if info.st_size > max_bytes:
        raise _Unreadable(f"larger than {_size(max_bytes)} limit ({_size(info.st_size)})")
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise _Unreadable(f"larger than {_size(max_bytes)} limit")
    if not data:
        raise _Unreadable("empty file")
    text = _clean(_decode(data))
    if not text.strip():
        raise _Unreadable("empty file (whitespace only)")
    return text


_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_SNIFF = 8192


def _decode(data: bytes) -> str:
    """BOM-aware decode; invalid UTF-8 falls back to cp1252 then latin-1 (never fails)."""
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise _Unreadable(f"undecodable {codec} text ({exc.reason})") from None
            _reject_control_heavy(text[:_SNIFF])
            return text
    if b"\x00" in data[:_SNIFF]:
        raise _Unreadable("binary file (NUL bytes)")
    _reject_control_heavy(data[:_SNIFF].decode("latin-1"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _reject_control_heavy(sample: str) -> None:
    """Text files hardly ever contain C0 control characters; >10% means binary."""
    if sample and len(_CONTROL.findall(sample)) / len(sample) > 0.10:
        raise _Unreadable("binary file (too many control characters)")


def _clean(text: str) -> str:
    """Repair mojibake, \\n line ends, no NUL or BOM, NFC: one canonical form for hashing."""
    text = _repair_mojibake(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text.lstrip("\ufeff"))


# --------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------


def _read_txt(text: str, path: Path, rel: str) -> Iterator[Article | ReadFailure]:
    """Plain text: optional `date YYYY-MM-DD` token, then a news dateline, then the body."""
    yield _plain_article(text, path, _strip_suffix(rel), meta={})


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FM_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*$", re.M)


def _read_markdown(text: str, path: Path, rel: str) -> Iterator[Article | ReadFailure]:
    """Markdown: YAML-style front matter is metadata (removed); a leading `# Heading` is the title."""
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        text = text[match.end():]
        for line in match.group(1).split("\n"):
            kv = _FM_LINE.match(line)
            if kv and kv.group(2):
                meta[kv.group(1).lower()] = kv.group(2).strip("'\"")
    heading = _HEADING.match(_DATE_TOKEN.sub("", text, count=1))
    if heading and "title" not in meta:
        meta["title"] = heading.group(1).strip()
    yield _plain_article(text, path, _strip_suffix(rel), meta)


def _plain_article(text: str, path: Path, doc_id: str, meta: dict[str, str]) -> Article | ReadFailure:
    """Shared by txt and md: date token, dateline, title; `meta` (front matter) wins."""
    token_date = ""
    token = _DATE_TOKEN.match(text)
    if token:
        token_date = _iso_date(token.group(1))
        text = text[token.end():]
    text = text.strip()
    if not text:
        return ReadFailure(path.as_posix(), "no article text")

    first, _, rest = text.partition("\n")
    has_title_line = bool(rest.strip()) and len(first.strip()) <= 120 and not _parse_dateline(first).end
    body = rest.strip() if has_title_line else text
    dateline = _parse_dateline(body)

    title = meta.pop("title", "") or (first.strip() if has_title_line else _first_sentence(body[dateline.end:]))
    source = meta.pop("source", "") or dateline.source
    date = _iso_date(meta.pop("date", "")) or token_date or dateline.date
    extra = {k: v for k, v in meta.items() if v}
    return _article(doc_id, text, title, source, date, path, extra)


def _read_html(text: str, path: Path, rel: str) -> Iterator[Article | ReadFailure]:
    """HTML: metadata from <title>/<meta>/<time>; visible text as blank-line-separated paragraphs."""
    from bs4 import BeautifulSoup  # imported lazily: only HTML needs it

    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title") or soup.find("h1")
    title = _squash(title_tag.get_text(" ")) if title_tag else ""
    time_tag = soup.find("time", attrs={"datetime": True})
    date = _iso_date(_meta(soup, "article:published_time", "date", "pubdate", "publishdate")) or (
        _iso_date(str(time_tag["datetime"])) if time_tag else ""
    )
    source = _meta(soup, "og:site_name", "author")
    extra = {"url": _meta(soup, "og:url")} if _meta(soup, "og:url") else {}

    for tag in soup.find_all(_HTML_HIDDEN):
        tag.decompose()
    for tag in soup.find_all(["br", "hr"]):
        tag.replace_with("\n\n")
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    paragraphs = (_squash(p) for p in re.split(r"\n\s*\n", soup.get_text()))
    body = "\n\n".join(p for p in paragraphs if p)
    if not body:
        yield ReadFailure(path.as_posix(), "no visible text in HTML")
        return
    yield _article(_strip_suffix(rel), body, title or _first_sentence(body), source, date, path, extra)


_HTML_BLOCKS = [
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
    "article", "section", "main", "aside", "figure", "figcaption", "table", "tr", "td", "th",
    "dl", "dt", "dd", "address", "form",
]  # fmt: skip
_HTML_HIDDEN = ["head", "title", "script", "style", "noscript", "template", "nav", "footer", "header"]


def _meta(soup, *names: str) -> str:
    """First non-empty <meta> content whose name/property/itemprop is one of `names`."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: re.compile(rf"^{re.escape(name)}$", re.I)})
            if tag and str(tag.get("content", "")).strip():
                return _squash(str(tag["content"]))
    return ""


_TEXT_COLUMNS = ("text", "content", "body")
_FIELD_COLUMNS = ("title", "source", "date", "id")
_EXTRA_COLUMNS = ("url", "category")
_CSV_FIELD_LIMIT = 131_072  # csv's default; a longer field fails its row (the row is still read whole)


def _read_csv(text: str, path: Path, rel: str) -> Iterator[Article | ReadFailure]:
    """CSV: one article per row; a bad row is reported and the other rows still yield."""
    # Parse whole rows even when a field is over the limit (checked per row below): csv's own
    # limit stops mid-field, and the rest of a multi-line field then came back as bogus rows.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    # strict: an unclosed quote is a malformed row, not a field that silently swallows the rows after it
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        yield ReadFailure(path.as_posix(), f"unreadable CSV header ({exc})")
        return
    by_name = {str(h).strip().lower(): h for h in header if h is not None}
    text_col = next((by_name[c] for c in _TEXT_COLUMNS if c in by_name), None)
    if text_col is None:
        shown = ", ".join(str(h) for h in header) or "none"
        yield ReadFailure(path.as_posix(), f"no 'text' column (columns: {shown})")
        return
    known = {by_name[c]: c for c in _FIELD_COLUMNS + _EXTRA_COLUMNS if c in by_name}

    rows = iter(reader)
    index = 0
    while True:
        where = f"{path.as_posix()}#{index}"
        try:
            row = next(rows)
        except StopIteration:
            if index == 0:
                yield ReadFailure(path.as_posix(), "CSV has a header but no rows")
            return
        except csv.Error as exc:
            yield ReadFailure(where, f"CSV row {index}: malformed ({exc})")
            index += 1
            continue
        if None in row:
            yield ReadFailure(where, f"CSV row {index}: {len(row[None])} more field(s) than the header")
        elif any(isinstance(v, str) and len(v) > _CSV_FIELD_LIMIT for v in row.values()):
            yield ReadFailure(where, f"CSV row {index}: a field is longer than {_CSV_FIELD_LIMIT} characters")
        elif not (row.get(text_col) or "").strip():
            yield ReadFailure(where, f"CSV row {index}: empty text")
        else:
            fields = {name: (row.get(col) or "").strip() for col, name in known.items()}
            extra = {str(col).strip(): v.strip() for col, v in row.items()
                     if col != text_col and col not in known and v and v.strip()}
            extra.update({k: fields[k] for k in _EXTRA_COLUMNS if fields.get(k)})
            body = row[text_col].strip()
            doc_id = f"{rel}#{fields.get('id') or index}"
            yield _article(doc_id, body, fields.get("title") or _first_sentence(body),
                           fields.get("source", ""), _iso_date(fields.get("date", "")), path, extra)
        index += 1


def _read_jsonl(text: str, path: Path, rel: str) -> Iterator[Article | ReadFailure]:
    """JSON Lines: one object per line; blank lines skipped, a bad line reported by its 1-based number."""
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        where, human = f"{path.as_posix()}:{number + 1}", f"line {number + 1}"
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:  # also a >4300-digit number, or nesting too deep
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield ReadFailure(where, f"{human}: invalid JSON ({detail})")
            continue
        if not isinstance(obj, dict):
            yield ReadFailure(where, f"{human}: not a JSON object")
            continue
        if any(isinstance(s, str) and _LONE_SURROGATE.search(s) for kv in obj.items() for s in kv):
            yield ReadFailure(where, f"{human}: invalid \\u escape (a lone surrogate is not text)")
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            yield ReadFailure(where, f"{human}: missing or empty text")
            continue
        scalars = {str(k): _clean(v if isinstance(v, str) else json.dumps(v)).strip()
                   for k, v in obj.items() if isinstance(v, (str, int, float, bool))}
        fields = {k: scalars.pop(k, "") for k in ("text", "title", "source", "date", "id")}
        body = _clean(body).strip()
        extra = {k: v for k, v in scalars.items() if v}
        yield _article(f"{rel}#{fields['id'] or number}", body, fields["title"] or _first_sentence(body),
                       fields["source"], _iso_date(fields["date"]), path, extra)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # from a JSON "\\ud800" escape; not encodable as UTF-8

_READERS = {
    ".txt": _read_txt,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".csv": _read_csv,
    ".jsonl": _read_jsonl,
}


def _article(doc_id: str, text: str, title: str, source: str, date: str, path: Path,
             extra: dict[str, str]) -> Article:
    """The one place an Article is built, so sha256 always matches the final text."""
    return Article(
        doc_id=doc_id,
        text=text,
        title=title,
        source=source,
        date=date,
        path=path.as_posix(),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        extra=extra,
    )


# --------------------------------------------------------------------------------------
# Helpers: date token, datelines, dates, titles
# --------------------------------------------------------------------------------------

_DATE_TOKEN = re.compile(r"\A\s*date:?[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))
_PLACE = r"[A-Z][\w.'\-]*(?:[ \t]+[A-Z][\w.'\-]*){0,3}"
# "WASHINGTON, April 19. /TASS/." | "LONDON, March 3 (Reuters) -" | "KYIV, Ukraine, Jan. 5, 2024 (AP) —"
_DATELINE = re.compile(
    rf"""\A(?P<place>{_PLACE})(?:,[ \t]*{_PLACE})?
    (?:,[ \t]*(?P<month>{_MONTH_RE})\.?[ \t]+(?P<day>\d{{1,2}})(?:,?[ \t]+(?P<year>\d{{4}}))?)?
    [ \t]*[.,]?[ \t]*
    (?:/(?P<slash>[A-Z][^/\n]{{0,29}})/|\((?P<paren>[A-Z][^)\n]{{0,29}})\))
    [ \t]*[.:\-–—]*[ \t]*""",
    re.X,
)


@dataclass(frozen=True)
class _Dateline:
    source: str = ""
    date: str = ""
    end: int = 0  # where the body proper starts


def _parse_dateline(text: str) -> _Dateline:
    """News wire dateline at the start of the body; the year is rarely given, so date is often ""."""
    m = _DATELINE.match(text)
    if not m or not (m["month"] or m["place"].isupper()):  # "Apple Inc (AAPL) rose" is no dateline
        return _Dateline()
    date = ""
    if m["month"] and m["year"]:
        date = _iso_date(f"{m['year']}-{_MONTHS[m['month'].lower()]:02d}-{int(m['day']):02d}")
    return _Dateline(source=(m["slash"] or m["paren"]).strip(), date=date, end=m.end())


def dateline_length(text: str) -> int:
    """Characters of the news dateline that opens `text` ("WASHINGTON, April 19. /TASS/. "), 0 if none."""
    return _parse_dateline(text).end


_ISO_DATE = re.compile(r"\A\s*(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}.*)?\s*\Z", re.S)


def _iso_date(value: str) -> str:
    """YYYY-MM-DD or an ISO datetime -> its (valid) date part; anything else -> ""."""
    m = _ISO_DATE.match(value or "")
    if not m:
        return ""
    try:
        return _date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return ""


_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)[.!?][\"”’')]?(?=\s)")


def _first_sentence(text: str, limit: int = 100) -> str:
    """A fallback title: the first sentence (or line), cut at a word boundary with "…"."""
    text = text.strip().split("\n", 1)[0]
    m = _SENTENCE_END.search(text)
    sentence = text[: m.end()] if m else text
    sentence = _squash(sentence)
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


# --------------------------------------------------------------------------------------
# Mojibake: UTF-8 bytes that were decoded as cp1252 (or latin-1), e.g. "Â£" for "£"
# --------------------------------------------------------------------------------------


def _byte_map() -> dict[str, int]:
    """Char -> original byte for both cp1252 and latin-1 readings of bytes 0x80-0xFF."""
    chars = {chr(b): b for b in range(0x80, 0x100)}  # latin-1 reading
    for b in range(0x80, 0x100):
        try:
            chars[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            pass  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in cp1252
    return chars


_BYTE_OF = _byte_map()


def _chars(lo: int, hi: int) -> str:
    return "".join(re.escape(c) for c, b in _BYTE_OF.items() if lo <= b <= hi)


# A UTF-8 sequence seen through cp1252: lead byte + the right number of continuation bytes.
_MOJIBAKE = re.compile(
    f"[{_chars(0xC2, 0xDF)}][{_chars(0x80, 0xBF)}]"
    f"|[{_chars(0xE0, 0xEF)}][{_chars(0x80, 0xBF)}]{{2}}"
    f"|[{_chars(0xF0, 0xF4)}][{_chars(0x80, 0xBF)}]{{3}}"
)


def _repair_mojibake(text: str) -> str:
    """Fix each mojibake run separately, so one genuine "£" or "’" never blocks the repair.

    Two-character runs can be real text ("Gruß“", "É»"), so they are only repaired when
    the result is a Latin, Greek, Cyrillic, Hebrew or Arabic character; 3- and
    4-character runs like "â€™" are never real text.
    """
    if text.isascii():
        return text

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        try:
            fixed = bytes(_BYTE_OF[c] for c in run).decode("utf-8")
        except UnicodeDecodeError:
            return run
        if len(run) == 2 and not (0xA0 <= ord(fixed) <= 0x24F or 0x370 <= ord(fixed) <= 0x6FF):
            return run
        return fixed

    return _MOJIBAKE.sub(fix, text)


# --------------------------------------------------------------------------------------
# Small utilities
# --------------------------------------------------------------------------------------


def _strip_suffix(rel: str) -> str:
    return rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel


def _squash(text: str) -> str:
    """Collapse runs of whitespace (HTML source layout, titles) to single spaces."""
    return " ".join(text.split())


def _size(n: int) -> str:
    """Human size for messages: "20 MB", "52.4 MB", "12 bytes"."""
    if n >= 1_000_000:
        return f"{round(n / 1_000_000, 1):g} MB"
    if n >= 1_000:
        return f"{round(n / 1_000, 1):g} KB"
    return f"{n} bytes"


def _printable(path: str) -> str:
    """A path with undecodable name bytes shown as \\xNN escapes (valid UTF-8, safe to print)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory (broken symlink?)"
    return exc.strerror.lower() if exc.strerror else str(exc)
