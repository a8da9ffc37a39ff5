"""News in the forms the readers take beyond plain files: small hand-written PDFs, and a real
`http.server` on 127.0.0.1 that serves pages and feeds, slow answers and bad redirects.

    pdf_bytes([["Title line", "First line of text."]], title="…")   # a PDF with a text layer
    pdf_bytes([[]])                                                  # one page of graphics only
    with news_server(folder) as base: …  base + "/article.html", base + "/slow", base + "/to-file"
"""
from __future__ import annotations

import contextlib
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NEWS = Path(__file__).resolve().parent / "data" / "news"  # realistic pages and a feed, written for the tests


def pdf_bytes(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF: each page shows its lines in Helvetica; a page without lines shows a
    grey box only (no text layer, like a scan). Objects: 1 catalog, 2 page tree, 3 font, 4 info."""
    def text_ops(lines: list[str]) -> bytes:
        if not lines:
            return b"0.5 g 72 72 468 648 re f"
        shown = b" T* ".join(b"(" + line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
                             .replace(b")", b"\\)") + b") Tj" for line in lines)
        return b"BT /F1 11 Tf 14 TL 72 760 Td " + shown + b" ET"

    kids = [5 + 2 * i for i in range(len(pages))]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + (title or "").encode("cp1252") + b") /Producer (tests/newsfiles.py) >>",
    ]
    for lines in pages:
        stream = text_ops(lines)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (len(objects) + 2))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info = b" /Info 4 0 R" if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)


class _Handler(SimpleHTTPRequestHandler):
    """Files from the served folder, plus the cases a fetch must survive."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}  # path -> (status, headers, body)

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow":  # headers sent, then the body never comes in time
            time.sleep(3)
        if self.path in self.routes:
            status, headers, body = self.routes[self.path]
            self.send_response(status)
            for key, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):  # keep test output quiet
        pass


@contextlib.contextmanager
def news_server(folder: Path = NEWS, routes: dict | None = None):
    """Yield the base URL of a server on 127.0.0.1 and a free port, serving `folder` and `routes`
    (path -> (status, headers, body)); built-in routes: /slow (3 s), /to-file, /loop, /moved."""
    builtin = {
        "/slow": (200, {"Content-Type": "text/html"}, b"<p>Too late.</p>"),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/moved": (301, {"Location": "/article.html"}, b""),
    }
    handler = type("Handler", (_Handler,), {"routes": {**builtin, **(routes or {})}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(folder)))
    server.block_on_close = False  # do not wait for a /slow answer nobody reads any more
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
