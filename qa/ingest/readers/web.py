"""Pages and feeds fetched by httpx within limits: a size cap, a deadline for the whole fetch, a few
redirects, and http(s) only (a redirect to file:// is refused, not followed)."""
from __future__ import annotations

import re
import time
from urllib.parse import urldefrag, urljoin

from qa.ingest.readers.base import Unreadable, human_size

TIMEOUT_S = 20.0  # for the whole fetch, redirects included
MAX_REDIRECTS = 5
# A response's format by its Content-Type (first match) or its first bytes, as a file suffix.
_TYPES = {"html": ".html", "pdf": ".pdf", "rss": ".xml", "atom": ".xml", "xml": ".xml", "text/plain": ".txt",
          "markdown": ".md", "csv": ".csv"}


def is_url(source: str) -> bool:
    """Anything with a scheme ("https://…", "file://…", "ftp://…"): URLs are never read as paths."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source))


def normalise(url: str) -> str:
    """One spelling per page (courlan: lower-case host, no default port, sorted query; no #fragment)."""
    from courlan import normalize_url

    try:
        return normalize_url(urldefrag(url.strip()).url)
    except ValueError:  # e.g. "http://[bad": fetch() says what is wrong with it
        return url


def fetch(url: str, *, max_bytes: int, timeout_s: float = TIMEOUT_S) -> tuple[bytes, str]:
    """(the body, the suffix of its format); Unreadable with the reason when the fetch fails."""
    import httpx

    deadline = time.monotonic() + timeout_s
    with httpx.Client(headers={"User-Agent": "Dateline (offline news QA)"}) as client:
        for hop in range(MAX_REDIRECTS + 1):
            if not url.lower().startswith(("http://", "https://")):
                raise Unreadable((f"redirected to {url[:100]}: " if hop else "") + "only http(s) URLs are read")
            try:
                with client.stream("GET", url, timeout=max(deadline - time.monotonic(), 0.01)) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise Unreadable(f"HTTP {response.status_code} {response.reason_phrase}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise Unreadable(f"larger than {human_size(max_bytes)} limit")
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("deadline passed")
            except httpx.TimeoutException:
                raise Unreadable(f"timed out after {timeout_s:g} s") from None
            except httpx.HTTPError as exc:
                raise Unreadable(f"could not fetch it ({type(exc).__name__}: {exc})") from None
            kind, head = response.headers.get("content-type", "").lower(), bytes(body[:1024]).lower()
            feed = re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head)
            kind = "pdf" if head.startswith(b"%pdf-") else "rss" if feed else kind
            return bytes(body), next((suffix for key, suffix in _TYPES.items() if key in kind), ".html")
    raise Unreadable(f"more than {MAX_REDIRECTS} redirects")
