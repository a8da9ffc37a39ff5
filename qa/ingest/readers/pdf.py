"""PDF files, read page by page by pypdf. The title comes from the document's metadata or its first
line; a PDF without a text layer (a scan) is reported as such, never stored empty."""
from __future__ import annotations

import io
import re
from typing import Iterator

from qa.ingest.readers.base import Article, Origin, ReadFailure
from qa.ingest.readers.text import fix, read_txt


def read_pdf(data: bytes, origin: Origin) -> Iterator[Article | ReadFailure]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):
            yield origin.failure("encrypted PDF (a password is needed)")
            return
        pages = [fix(page.extract_text()).strip() for page in pdf.pages]
        title = str((pdf.metadata or {}).get("/Title") or "").strip()
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:  # what pypdf raises on a damaged file
        yield origin.failure(f"broken PDF ({type(exc).__name__}: {exc})")
        return
    # A PDF breaks lines where the page ends them: a line that goes on in lower case is one sentence.
    text = re.sub(r"(?<=[^.!?:\n])\n(?=[a-z0-9£$€(])", " ", "\n\n".join(page for page in pages if page))
    if not text:
        yield origin.failure(f"PDF without a text layer ({len(pages)} page(s) of images?): run OCR on it first")
        return
    yield from read_txt(text, origin, {"title": title})
