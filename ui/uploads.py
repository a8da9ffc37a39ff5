"""Uploaded files into <data_dir>/uploads, checked before anything reads them.

Limits (count, size, type by suffix) come from Settings. A name is reduced to a safe basename
and a name that tries to leave the folder (`..`, an absolute path) is rejected outright, so an
upload can only ever create or replace a plain file directly inside the uploads folder.

A reduced name that differs from the one sent carries a short hash of the sent name, so two
different names never reduce to the same file (`新闻.txt` and `报道.txt` would both be `article.txt`)
while uploading the same name again still replaces that article with its new version.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from qa import UserError

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".csv", ".jsonl", ".pdf", ".xml", ".rss", ".atom")  # .xml: a feed
MAX_STEM = 80


def safe_name(raw: str) -> str:
    """The basename an upload is stored under; UserError for a name that is unsafe or not allowed."""
    name = (raw or "").strip()
    if not name or "\x00" in name:
        raise UserError("the file has no usable name")
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        raise UserError("absolute paths are not allowed")
    if ".." in posix.split("/"):
        raise UserError("'..' is not allowed in a file name")
    stem, suffix = os.path.splitext(posix.rsplit("/", 1)[-1])
    suffix = suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UserError(f"type {suffix or '(no extension)'} is not accepted; use {', '.join(ALLOWED_SUFFIXES)}")
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("._-")[:MAX_STEM] or "article"
    if safe != stem:  # lossy: tell apart the names that reduce alike
        safe += "-" + hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return safe + suffix


def _size_label(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} kB"


def save_one(name: str, source: Path, folder: Path, max_bytes: int) -> Path:
    """Copy one upload into the folder under its safe name (atomically: no half-written article)."""
    target = folder / safe_name(name)
    if target.resolve().parent != folder.resolve():
        raise UserError("the file name leaves the upload folder")
    size = source.stat().st_size
    if size > max_bytes:
        raise UserError(f"the file is {_size_label(size)}; the limit is {_size_label(max_bytes)}")
    if size == 0:
        raise UserError("the file is empty")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def save_uploads(files: list[tuple[str, Path]], folder: Path, *, max_bytes: int,
                 max_files: int) -> tuple[list[Path], list[tuple[str, str]]]:
    """(saved paths, [(name, reason)] rejected). Too many files rejects the whole batch."""
    if len(files) > max_files:
        raise UserError(f"at most {max_files} files per upload; you sent {len(files)}")
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    rejected: list[tuple[str, str]] = []
    for name, source in files:
        try:
            path = save_one(name, source, folder, max_bytes)
        except UserError as exc:
            rejected.append((name, str(exc)))
        except OSError as exc:
            rejected.append((name, f"could not be stored ({exc.strerror or 'I/O error'})"))
        else:
            if path not in saved:
                saved.append(path)
    return saved, rejected
