"""Turn files, web pages and feeds into clean `Article`s, or say plainly why one could not be read.

read_sources fetches a URL (web.py), walks a folder or checks a file, and hands the bytes to the
reader of their format family, a thin adapter over its library: text.py (txt, md), html.py, pdf.py,
feeds.py (RSS, Atom), tables.py (csv, jsonl). Nothing here raises for bad input: a bad file, row,
entry or URL becomes a `ReadFailure`, so one broken upload never stops an ingest of thousands.
"""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from qa.ingest.readers import feeds, html, pdf, tables, text, web
from qa.ingest.readers.base import Article, Origin, ReadFailure, Unreadable, human_size
from qa.ingest.readers.text import dateline_length, stamp_length

__all__ = ["Article", "ReadFailure", "SUPPORTED_SUFFIXES", "dateline_length", "read_sources", "stamp_length"]

_READERS = {".txt": text.read_txt, ".md": text.read_markdown, ".markdown": text.read_markdown,
            ".html": html.read_html, ".htm": html.read_html, ".csv": tables.read_csv, ".jsonl": tables.read_jsonl,
            ".pdf": pdf.read_pdf, ".xml": feeds.read_feed, ".rss": feeds.read_feed, ".atom": feeds.read_feed}
_READ_BYTES = (pdf.read_pdf, feeds.read_feed)  # their libraries find the encoding themselves
SUPPORTED_SUFFIXES = tuple(_READERS)
for _library in ("pypdf", "trafilatura", "htmldate"):  # their warnings would repeat our one-line reasons
    logging.getLogger(_library).setLevel(logging.CRITICAL)


def read_sources(sources: Iterable[str | Path], *, max_bytes: int = 20_000_000,
                 timeout_s: float = web.TIMEOUT_S) -> Iterator[Article | ReadFailure]:
    """Articles from files, folders (recursively) and the http(s) URLs of pages and feeds, and a
    ReadFailure for each thing that could not be read."""
    for raw in sources:
        if web.is_url(source := os.fspath(raw)):
            origin = Origin(web.normalise(source), web.normalise(source), is_url=True)
            try:
                data, suffix = web.fetch(source, max_bytes=max_bytes, timeout_s=timeout_s)
            except Unreadable as exc:
                yield origin.failure(str(exc))
            else:
                yield from _parse(data, suffix, origin)
            continue
        root = Path(os.path.abspath(source))
        try:
            if root.is_dir():
                yield from _walk(root, max_bytes)
            elif root.exists() or root.is_symlink():
                yield from _read_file(root, root.parent, max_bytes)
            else:
                yield ReadFailure(root.as_posix(), "no such file or directory")
        except OSError as exc:  # e.g. permission denied on the root itself
            yield ReadFailure(root.as_posix(), _os_reason(exc))


def _walk(root: Path, max_bytes: int) -> Iterator[Article | ReadFailure]:
    """Each folder's files in sorted order, then its sub-folders; hidden names are skipped and each
    real folder is entered once, so a symlink loop ends."""
    seen: set[str] = set()
    errors: list[OSError] = []  # folders that could not be listed
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=errors.append):
        real = os.path.realpath(folder)
        dirs[:] = [] if real in seen else sorted(d for d in dirs if not d.startswith("."))
        for name in [] if real in seen else sorted(f for f in files if not f.startswith(".")):
            yield from _read_file(Path(folder) / name, root, max_bytes)
        seen.add(real)
    for error in errors:
        yield ReadFailure(Path(error.filename).as_posix(), _os_reason(error))


def _read_file(path: Path, root: Path, max_bytes: int) -> Iterator[Article | ReadFailure]:
    where = path.as_posix()
    suffix = path.suffix.lower()
    try:
        where.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the name: Chroma could not store the path or id
        yield ReadFailure(os.fsencode(where).decode("utf-8", "backslashreplace"),
                          "file name is not valid UTF-8 (rename the file)")
        return
    if suffix not in _READERS:
        yield ReadFailure(where, f"unsupported type {suffix}" if suffix else "unsupported type (no extension)")
        return
    origin = Origin(path.relative_to(root).as_posix(), where)
    try:
        info = path.stat()  # follows symlinks; a broken link raises FileNotFoundError
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        if info.st_size > max_bytes:
            raise Unreadable(f"larger than {human_size(max_bytes)} limit ({human_size(info.st_size)})")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
        if len(data) > max_bytes or not data:
            raise Unreadable(f"larger than {human_size(max_bytes)} limit" if data else "empty file")
    except (Unreadable, OSError) as exc:
        yield origin.failure(_os_reason(exc) if isinstance(exc, OSError) else str(exc))
    else:
        yield from _parse(data, suffix, origin)


def _parse(data: bytes, suffix: str, origin: Origin) -> Iterator[Article | ReadFailure]:
    reader = _READERS[suffix]
    try:
        yield from reader(data if reader in _READ_BYTES else text.decode(data), origin)
    except Unreadable as exc:
        yield origin.failure(str(exc))
    except Exception as exc:  # safety net: a parser bug must not end the whole ingest
        yield origin.failure(f"could not parse file ({type(exc).__name__}: {exc})")


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower() + (" (broken symlink?)" if isinstance(exc, FileNotFoundError) else "")
