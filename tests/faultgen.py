"""Bad and odd inputs for the fault suite (tests/test_faults.py), each with what it should become.

`generate(root)` writes a tree of a few hundred inputs — binary files, empty and whitespace-only
files, a 50 MB text, every supported encoding and line end, HTML with scripts, broken CSV and
JSONL, PDFs without text or broken, a feed with a malformed entry, symlink loops, FIFOs,
duplicates, odd names — and returns one `Expect` per input *item*: a file, or one row of a CSV,
one line of a JSONL file, or one entry of a feed. After an ingest of the whole tree, each
item must show up in the report exactly once, as the outcome recorded here.

Keys are what the ingest report uses: the doc id for an ingested or skipped article, the path for
a failure ("/abs/f.csv#3" for CSV row 3, "/abs/f.jsonl:7" for JSONL line 7, "/abs/f.xml#2" for
feed entry 2). Top-level folders
carry a number prefix so the (sorted, depth-first) walk order — and so which of two duplicates
is kept — is fixed.

    python tests/faultgen.py /tmp/faults     # write the tree and print the expectations
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from newsfiles import pdf_bytes

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".jsonl")  # the text formats
BIG_BYTES = 50_000_000  # over the default 20 MB max_file_bytes


@dataclass
class Expect:
    outcome: str  # "ingested" | "failed" | "skipped"
    key: str  # doc id (ingested, skipped) or reported path (failed)
    case: str  # what the input is, for messages
    reason: str = ""  # failed/skipped: a substring the reason must contain
    contains: tuple[str, ...] = ()  # ingested: text its stored chunks must hold
    absent: tuple[str, ...] = ()  # ingested: text its stored chunks must not hold


@dataclass
class Tree:
    root: Path
    expects: list[Expect] = field(default_factory=list)
    n: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(6))

    # --- unique article text ------------------------------------------------------------------
    PLACES = ("Leeds", "Cardiff", "Glasgow", "Belfast", "Bristol", "Norwich", "Exeter", "Dundee")

    def body(self) -> str:
        """One paragraph of news-like text, without commas (raw CSV rows stay two fields); a counter
        makes every body distinct, so no two inputs are duplicates by accident."""
        self.n += 1
        i = self.n
        place = self.PLACES[i % len(self.PLACES)]
        return (f"{place} council said on Tuesday that road scheme {i} would cost {i * 37 + 11} million "
                f"pounds. The plan (item {i} of the fault suite) was approved after a long debate.")

    # --- writing ----------------------------------------------------------------------------------
    def path(self, rel: str) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write(self, rel: str, data: bytes | str) -> Path:
        p = self.path(rel)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    def where(self, rel: str) -> str:
        return (self.root / rel).as_posix()

    # --- expectations -----------------------------------------------------------------------------
    @staticmethod
    def doc_id(rel: str) -> str:
        name = rel.rsplit("/", 1)[-1]
        return rel.rsplit(".", 1)[0] if "." in name else rel

    def ok(self, key: str, case: str, contains: tuple[str, ...] = (), absent: tuple[str, ...] = ()) -> None:
        self.expects.append(Expect("ingested", key, case, contains=contains, absent=absent))

    def fail(self, key: str, case: str, reason: str) -> None:
        self.expects.append(Expect("failed", key, case, reason=reason))

    def skip(self, key: str, case: str, reason: str) -> None:
        self.expects.append(Expect("skipped", key, case, reason=reason))

    def good(self, rel: str, data: bytes | str, case: str, **checks) -> None:
        self.write(rel, data)
        self.ok(self.doc_id(rel), case, **checks)

    def bad(self, rel: str, data: bytes | str, case: str, reason: str) -> None:
        self.write(rel, data)
        self.fail(self.where(rel), case, reason)


# --------------------------------------------------------------------------------------------
# Documents in each format (str; the caller encodes)
# --------------------------------------------------------------------------------------------


def as_format(suffix: str, text: str, title: str = "Fault suite article", nl: str = "\n") -> str:
    if suffix == ".txt":
        doc = f"{title}\n{text}\n"
    elif suffix in (".md", ".markdown"):
        doc = f"# {title}\n\n{text}\n"
    elif suffix in (".html", ".htm"):
        doc = (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n"
               f"<body><p>{text}</p></body></html>\n")
    elif suffix == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerows([("id", "title", "text"), ("1", title, text)])
        doc = buf.getvalue()
    elif suffix == ".jsonl":
        doc = json.dumps({"id": "1", "title": title, "text": text}, ensure_ascii=False) + "\n"
    else:
        raise ValueError(suffix)
    return doc.replace("\n", nl)


def key_of(t: Tree, rel: str) -> str:
    """The doc id of the one article a file made by `as_format` holds."""
    return f"{rel}#1" if rel.endswith((".csv", ".jsonl")) else t.doc_id(rel)


# --------------------------------------------------------------------------------------------
# The sections
# --------------------------------------------------------------------------------------------


def good_files(t: Tree) -> None:
    for suffix in SUFFIXES:
        rel = f"00_good/good_{suffix[1:]}{suffix}"
        t.write(rel, as_format(suffix, t.body()))
        t.ok(key_of(t, rel), f"well-formed {suffix}")
    t.good("root_file.txt", t.body(), "a file directly in the root")


def empty_files(t: Tree) -> None:
    for suffix in SUFFIXES:
        t.bad(f"01_empty/empty{suffix}", b"", f"0-byte {suffix}", "empty file")
        t.bad(f"01_empty/blank{suffix}", "  \n\t\n   \n", f"whitespace-only {suffix}", "whitespace only")
    odd_blanks = {
        "crlf_only.txt": b"\r\n\r\n\r\n",
        "cr_only.txt": b"\r\r\r",
        "unicode_spaces.txt": "\u00a0\u3000\u2003\u2029\n".encode("utf-8"),
        "bom_only.txt": b"\xef\xbb\xbf",
        "bom_and_spaces.md": b"\xef\xbb\xbf   \n",
        "utf16_bom_only.txt": b"\xff\xfe",
        "utf16_spaces.txt": "\ufeff  \n \n".encode("utf-16-le"),
        "nul_free_tabs.html": b"\t\t\t",
    }
    for name, data in odd_blanks.items():
        t.bad(f"01_empty/{name}", data, f"blank: {name}", "whitespace only")
    t.bad("01_empty/date_token_only.txt", "date 2024-05-06\n   \n", "only a `date` token", "no article text")
    t.bad("01_empty/front_matter_only.md", "---\ntitle: Nothing\ndate: 2024-01-02\n---\n\n", "front matter only",
          "no article text")
    t.bad("01_empty/html_no_body.html", "<html><head><title>T</title></head><body></body></html>",
          "HTML with an empty body", "no visible text")
    t.bad("01_empty/html_nbsp.html", "<p>&nbsp;&nbsp;</p><p> </p>", "HTML of non-breaking spaces",
          "no visible text")
    t.bad("01_empty/header_only.csv", "id,title,text\n", "CSV header, no rows", "header but no rows")
    t.bad("01_empty/header_blank_lines.csv", "text\n\n\n\n", "CSV header then blank lines", "header but no rows")
    # Invisible-only text is not whitespace to Python, so it is stored (a known oddity, see docs/security.md).
    t.good("01_empty/zero_width_only.txt", "\u200b\u200b\u200b\n", "zero-width spaces only (stored)")


def binary_files(t: Tree) -> None:
    rng = t.rng
    ascii_text = "Plain ASCII text encoded as UTF-16 without a byte order mark. " * 4

    def noise(n: int) -> bytes:
        data = bytearray(rng.getrandbits(8) for _ in range(n))
        data[n // 2] = 0  # at least one NUL, whatever the seed
        return bytes(data)

    binary = "binary file (NUL or control bytes)"
    kinds = {  # UTF-32 with a byte order mark is text now: see ENCODED
        "random": (lambda: noise(2048), binary),
        "png": (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise(200), binary),
        "gzip": (lambda: b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + noise(200), binary),
        "elf": (lambda: b"\x7fELF\x02\x01\x01\x00" + noise(200), binary),
        "zip": (lambda: b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + noise(200), binary),
        "control": (lambda: bytes(rng.choice(b"\x01\x02\x03\x04\x1b\x7fabc") for _ in range(1000)), binary),
        "utf16_no_bom": (lambda: ascii_text.encode("utf-16-le"), binary),
    }
    for kind, (make, reason) in kinds.items():
        for suffix in SUFFIXES:
            t.bad(f"02_binary/{kind}{suffix}", make(), f"{kind} bytes as {suffix}", reason)
    t.bad("02_binary/utf16_odd_length.txt", "\ufeffOdd.".encode("utf-16-le") + b"A",
          "UTF-16 with a BOM and an odd byte count", "binary file")
    # High bytes only, no NUL and no C0 controls: indistinguishable from latin-1 text, so stored.
    t.good("02_binary/high_bytes.txt", bytes(rng.randrange(0xA1, 0x100) for _ in range(600)),
           "random bytes 0xA1-0xFF (decodes as latin-1; stored)")


ENCODED = {
    # name: (codec, prefix bytes, phrase the stored text must contain)
    "utf8": ("utf-8", b"", "café naïve “quoted” €5 – it’s"),
    "utf8_bom": ("utf-8", b"\xef\xbb\xbf", "Größe señor café"),
    "utf16le_bom": ("utf-16-le", b"\xff\xfe", "Zürich “quoted” 東京"),
    "utf16be_bom": ("utf-16-be", b"\xfe\xff", "Kraków naïve 北京"),
    "cp1252": ("cp1252", b"", "it’s “smart” €10 – café"),
    "latin1": ("latin-1", b"", "Größe señor © café"),
    "utf32le_bom": ("utf-32-le", b"\xff\xfe\x00\x00", "Zürich naïve 東京"),
    "utf32be_bom": ("utf-32-be", b"\x00\x00\xfe\xff", "Kraków €5 北京"),
}


def encodings(t: Tree) -> None:
    formats = (".txt", ".md", ".html", ".csv", ".jsonl")
    for name, (codec, prefix, phrase) in ENCODED.items():
        for suffix in formats:
            rel = f"03_encoding/{name}_{suffix[1:]}{suffix}"
            text = f"{t.body()} Special words: {phrase}."
            t.write(rel, prefix + as_format(suffix, text).encode(codec))
            t.ok(key_of(t, rel), f"{name} {suffix}", contains=(phrase,))
    for nl_name, nl in (("crlf", "\r\n"), ("cr", "\r"), ("mixed", "\r\n")):
        for suffix in formats:
            rel = f"03_encoding/{nl_name}_{suffix[1:]}{suffix}"
            doc = as_format(suffix, t.body(), nl=nl)
            if nl_name == "mixed":  # CRLF, LF and CR in one file
                doc = doc.replace("\r\n", "\n", 1) + ("\r" if suffix in (".txt", ".md", ".html") else "")
            t.write(rel, doc.encode("utf-8"))
            t.ok(key_of(t, rel), f"{nl_name} line ends {suffix}", absent=("\r",))
    for suffix in formats:
        rel = f"03_encoding/invalid_utf8_{suffix[1:]}{suffix}"  # one stray byte: whole file read as cp1252, mojibake repaired
        t.write(rel, as_format(suffix, t.body() + " Café costs £3 — STRAY").encode("utf-8").replace(b"STRAY", b"\xff"))
        t.ok(key_of(t, rel), f"invalid UTF-8 {suffix}", contains=("Café costs £3 —", "ÿ"))
        rel = f"03_encoding/nfd_{suffix[1:]}{suffix}"
        t.write(rel, as_format(suffix, t.body() + " " + unicodedata.normalize("NFD", "Crème brûlée")).encode())
        t.ok(key_of(t, rel), f"NFD text {suffix}", contains=("Crème brûlée",))
        rel = f"03_encoding/mojibake_{suffix[1:]}{suffix}"  # UTF-8 read as cp1252 by some earlier tool
        t.write(rel, as_format(suffix, t.body() + " Costs Â£3 â€” itâ€™s fine").encode("utf-8"))
        t.ok(key_of(t, rel), f"mojibake {suffix}", contains=("Costs £3 — it’s fine",))


def html_files(t: Tree) -> None:
    b = t.body
    text = b()
    t.good("04_html/scripts_styles.html",
           f"<html><head><style>body {{color: red}}</style><script>alert('head')</script></head><body>"
           f"<nav>Menu Home News</nav><script type='text/javascript'>document.write('injected')</script>"
           f"<p>{text}</p><style>.x{{display:none}}</style><noscript>Enable JS</noscript>"
           f"<template><p>template text</p></template><footer>Footer text</footer></body></html>",
           "HTML with scripts, styles, nav, footer, template",
           contains=(text,), absent=("alert(", "document.write", "color: red", "Enable JS", "template text",
                                     "Menu Home", "Footer text"))
    t.good("04_html/upper_script.htm", f"<SCRIPT>evil()</SCRIPT><P>{(x := b())}</P><STYLE>p{{}}</STYLE>",
           "upper-case tags, .htm", contains=(x,), absent=("evil()",))
    t.bad("04_html/only_script.html", "<script>alert(1)</script><style>p{}</style>", "only script and style",
          "no visible text")
    t.bad("04_html/only_img_onerror.html", "<img src=x onerror=alert(1)>", "only an <img onerror>",
          "no visible text")
    t.good("04_html/escaped_script.html", f"<p>{(x := b())}</p><p>&lt;script&gt;alert(2)&lt;/script&gt;</p>",
           "an escaped <script> is text", contains=(x, "<script>alert(2)</script>"))
    t.good("04_html/js_link.html", f"<p>{(x := b())} <a href=\"javascript:alert(3)\">link words</a></p>",
           "javascript: link", contains=(x, "link words"), absent=("javascript:",))
    t.good("04_html/malformed.html", f"<p>{(x := b())}<div><b>bold <i>italic</p></div></b><p>unclosed",
           "unclosed and misnested tags", contains=(x, "unclosed"))  # trafilatura drops the stray <div>
    t.good("04_html/comment.html", f"<p>{(x := b())}</p><!-- a hidden comment -->", "HTML comment",
           contains=(x,), absent=("hidden comment",))
    t.bad("04_html/deep_nesting.html", "<div>" * 3000 + b() + "</div>" * 3000, "3000 nested divs",
          "within 255 levels of nesting")  # libxml2 stops there; the text is reported, not lost
    t.good("04_html/nested_200.html", "<div>" * 200 + (x := b()) + "</div>" * 200, "200 nested divs",
           contains=(x,))
    t.good("04_html/fragment.html", (x := b()), "plain text with an .html suffix", contains=(x,))
    t.good("04_html/xml_prolog.html", f"<?xml version=\"1.0\"?><html><body><p>{(x := b())}</p></body></html>",
           "XML prolog", contains=(x,))
    t.good("04_html/event_attrs.html", f"<body onload=\"steal()\"><p onclick=\"x()\">{(x := b())}</p></body>",
           "event-handler attributes", contains=(x,), absent=("steal()",))
    t.good("04_html/utf16.html", b"\xff\xfe" + f"<p>{(x := b())} Zoë</p>".encode("utf-16-le"),
           "UTF-16 HTML", contains=(x, "Zoë"))


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def csv_files(t: Tree) -> None:
    d = "05_csv"
    b = t.body
    t.bad(f"{d}/no_text_column.csv", _csv([["id", "title", "body_text"], ["1", "T", b()]]),
          "CSV without a text column", "no 'text' column")
    t.bad(f"{d}/semicolons.csv", f"text;title\n{b()};T\n", "semicolon-separated", "no 'text' column")

    rel = f"{d}/extra_fields.csv"
    t.write(rel, f"id,text\nr0,{b()}\nr1,{b()},extra,fields\nr2,{b()}\n")
    t.ok(f"{rel}#r0", "row before extra fields")
    t.fail(f"{t.where(rel)}#1", "row with 2 extra fields", "2 more field(s)")
    t.ok(f"{rel}#r2", "row after extra fields")

    rel = f"{d}/missing_fields.csv"
    t.write(rel, f"id,title,text\nm0,Title only\nm1,T,{b()}\nm2\n")
    t.fail(f"{t.where(rel)}#0", "row without its text field", "empty text")
    t.ok(f"{rel}#m1", "full row among short ones")
    t.fail(f"{t.where(rel)}#2", "row with only an id", "empty text")

    rel = f"{d}/unclosed_quote_mid.csv"  # b's quote runs into c's opening quote: b+c become one bad row
    t.write(rel, f'id,text\na,{b()}\nb,"Unclosed quote {b()}\nc,"Row c {b()}"\nd,{b()}\n')
    t.ok(f"{rel}#a", "row before an unclosed quote")
    t.fail(f"{t.where(rel)}#1", "unclosed quote (swallows the next row)", "malformed")
    t.ok(f"{rel}#d", "row after an unclosed quote")

    rel = f"{d}/unclosed_quote_eof.csv"
    t.write(rel, f'id,text\ne0,{b()}\ne1,"Never closed {b()}\ne2,{b()}\n')
    t.ok(f"{rel}#e0", "row before a quote left open to EOF")
    t.fail(f"{t.where(rel)}#1", "quote left open to the end of file", "malformed")

    rel = f"{d}/stray_quotes.csv"
    t.write(rel, f'id,text\ns0,He said "hi" loudly. {b()}\ns1,"Closed" then trailing {b()}\ns2,{b()}\n')
    t.ok(f"{rel}#s0", "quote inside an unquoted field", contains=('He said "hi" loudly.',))
    t.fail(f"{t.where(rel)}#1", "text after a closing quote", "malformed")
    t.ok(f"{rel}#s2", "row after a stray quote")

    rel = f"{d}/blank_lines.csv"
    t.write(rel, f"text,id\n\n{b()},k0\n\n\n{b()},k1\n\n")
    t.ok(f"{rel}#k0", "row after blank lines")
    t.ok(f"{rel}#k1", "second row after blank lines")

    rel = f"{d}/duplicate_ids.csv"
    t.write(rel, f"id,text\nsame,{b()}\nsame,{b()}\n")
    t.ok(f"{rel}#same", "first of two rows with one id")
    t.skip(f"{rel}#same", "second row with the same id", "same doc id read twice")

    rel = f"{d}/empty_ids.csv"
    t.write(rel, f"id,text\n,{b()}\n,{b()}\n")
    t.ok(f"{rel}#0", "empty id -> row index")
    t.ok(f"{rel}#1", "empty id -> row index")

    rel = f"{d}/content_column.csv"
    t.write(rel, _csv([["Content", "Title", "Date"], [b(), "T", "2024-02-30"]]))
    t.ok(f"{rel}#0", "'Content' column and an impossible date")

    rel = f"{d}/whitespace_text.csv"
    t.write(rel, f'id,text\nw0,"   "\nw1,{b()}\n')
    t.fail(f"{t.where(rel)}#0", "whitespace-only text cell", "empty text")
    t.ok(f"{rel}#w1", "row after a blank cell")

    rel = f"{d}/huge_multiline_field.csv"  # over csv's 131072-char field limit, with newlines inside
    huge = "\n".join(f"line {i}, with a comma, of a very long field" for i in range(4000))
    t.write(rel, _csv([["id", "text"], ["h0", b()], ["h1", huge], ["h2", b()]]))
    t.ok(f"{rel}#h0", "row before an oversize multi-line field")
    t.fail(f"{t.where(rel)}#1", "oversize multi-line field", "longer than 131072")
    t.ok(f"{rel}#h2", "row after an oversize multi-line field (no bogus rows from its lines)")

    rel = f"{d}/quoted_newlines.csv"
    t.write(rel, _csv([["id", "title", "text"], ["q0", "T", f"First para.\n\n{b()}\r\nLast, with comma."]]))
    t.ok(f"{rel}#q0", "quoted field with newlines and commas", contains=("Last, with comma.",), absent=("\r",))

    rel = f"{d}/duplicate_header.csv"
    t.write(rel, f"text,text,id\nfirst,{b()},x0\n")
    t.ok(f"{rel}#x0", "two 'text' columns (the last wins)")

    rel = f"{d}/many_rows.csv"  # a larger file with bad rows sprinkled in
    rows, plan = [["id", "title", "text", "source", "date"]], []
    for i in range(40):
        if i % 10 == 3:
            rows.append([f"n{i}", "T", "", "BBC", "2024-01-01"])
            plan.append(("fail", i, "empty text"))
        elif i % 10 == 7:
            rows.append([f"n{i}", "T", b(), "BBC", "2024-01-01", "surplus"])
            plan.append(("fail", i, "1 more field(s)"))
        else:
            rows.append([f"n{i}", f"Title {i}", b(), "BBC", f"2024-01-{i % 28 + 1:02d}"])
            plan.append(("ok", i, f"n{i}"))
    t.write(rel, _csv(rows))
    for kind, i, what in plan:
        if kind == "ok":
            t.ok(f"{rel}#{what}", f"many_rows row {i}")
        else:
            t.fail(f"{t.where(rel)}#{i}", f"many_rows bad row {i}", what)

    rel = f"{d}/latin1_bom_less.csv"
    t.write(rel, _csv([["text", "id"], [b() + " Ångström façade", "l0"]]).encode("latin-1"))
    t.ok(f"{rel}#l0", "latin-1 CSV", contains=("Ångström façade",))


def jsonl_files(t: Tree) -> None:
    d = "06_jsonl"
    b = t.body
    rel = f"{d}/mixed.jsonl"
    lines = [
        (json.dumps({"text": b()}), "ok", None),
        ("{not json", "fail", "invalid JSON"),
        ("[1, 2]", "fail", "not a JSON object"),
        ('"a string"', "fail", "not a JSON object"),
        ("42", "fail", "not a JSON object"),
        ("null", "fail", "not a JSON object"),
        ('{"text": 5}', "fail", "missing or empty text"),
        ('{"text": ""}', "fail", "missing or empty text"),
        ('{"text": "   "}', "fail", "missing or empty text"),
        ('{"title": "no text"}', "fail", "missing or empty text"),
        (json.dumps({"text": b()}) + ",", "fail", "invalid JSON"),  # trailing comma
        ("", "blank", None),
        ("   ", "blank", None),
        (json.dumps({"text": b(), "tags": ["a"], "meta": {"k": 1}, "n": 3.5, "flag": True}), "ok", None),
        ('{"text": "big number", "n": ' + "9" * 5000 + "}", "fail", "invalid JSON (Exceeds the limit"),
        ("[" * 50_000 + "]" * 50_000, "fail", "invalid JSON (maximum recursion"),
        ('{"text": "lone \\ud800 surrogate"}', "fail", "lone surrogate"),
        ('{"text": "ok text", "title": "bad \\udcff title"}', "fail", "lone surrogate"),
        (json.dumps({"text": b() + " with a NUL\u0000 inside"}), "ok", None),
        (json.dumps({"text": b() + " \ud83d\udcf0 emoji"}), "ok", None),
        (json.dumps({"text": b()}), "ok", None),
    ]
    t.write(rel, "\n".join(line for line, _, _ in lines) + "\n")
    for number, (_, kind, reason) in enumerate(lines):
        if kind == "ok":
            t.ok(f"{rel}#{number}", f"mixed.jsonl line {number + 1}")
        elif kind == "fail":
            t.fail(f"{t.where(rel)}:{number + 1}", f"mixed.jsonl line {number + 1}", reason)

    rel = f"{d}/pretty_printed.jsonl"  # one object over four lines: each line is bad on its own
    t.write(rel, json.dumps({"text": b(), "title": "x"}, indent=2) + "\n")
    for number in range(4):
        t.fail(f"{t.where(rel)}:{number + 1}", f"pretty-printed JSON line {number + 1}", "invalid JSON")

    rel = f"{d}/array.jsonl"
    t.write(rel, json.dumps([{"text": b()}, {"text": b()}]) + "\n")
    t.fail(f"{t.where(rel)}:1", "a JSON array on one line", "not a JSON object")

    rel = f"{d}/ids.jsonl"
    objs = [{"id": 7, "text": b()}, {"id": True, "text": b()}, {"id": None, "text": b()}, {"id": 1.5, "text": b()},
            {"id": "dup", "text": b()}, {"id": "dup", "text": b()}, {"id": "L" * 3000, "text": b()},
            {"id": "a::b", "text": b()}]
    t.write(rel, "".join(json.dumps(o) + "\n" for o in objs))
    for key in ("7", "true", "2", "1.5", "dup"):
        t.ok(f"{rel}#{key}", f"jsonl id {key[:10]}")
    t.skip(f"{rel}#dup", "second line with the same id", "same doc id read twice")
    t.ok(f"{rel}#{'L' * 3000}", "3000-character id")
    t.ok(f"{rel}#a::b", "id containing '::'")

    rel = f"{d}/crlf.jsonl"
    t.write(rel, json.dumps({"text": b()}) + "\r\n" + json.dumps({"text": b()}) + "\r\n")
    t.ok(f"{rel}#0", "CRLF jsonl line 1")
    t.ok(f"{rel}#1", "CRLF jsonl line 2")

    rel = f"{d}/all_bad.jsonl"
    t.write(rel, "nope\n{}\n[]\n")
    t.fail(f"{t.where(rel)}:1", "all-bad line 1", "invalid JSON")
    t.fail(f"{t.where(rel)}:2", "all-bad line 2", "missing or empty text")
    t.fail(f"{t.where(rel)}:3", "all-bad line 3", "not a JSON object")


def odd_names(t: Tree) -> None:
    d = "07_names"
    names = [
        "with space.txt", "  leading spaces.txt", "café.txt", unicodedata.normalize("NFD", "café") + ".md",
        "新闻 报道.txt", "emoji 📰 news.md", "tab\there.txt", "new\nline.txt", "quote's \"double\".txt",
        "#hash & amp;.txt", "-leading-dash.txt", "UPPER.TXT", "Mixed.Md", "multi.dots.name.txt",
        "percent%20encoded.txt", "back\\slash.txt", "rtl\u202eexe.txt", "zero\u200bwidth.txt",
        "x" * 240 + ".txt", "semi;colon,comma.html", "[brackets] (parens) {braces}.txt",
    ]
    for name in names:
        t.good(f"{d}/{name}", as_format(Path(name).suffix.lower(), t.body()), f"name {name[:30]!r}")
    t.bad(f"{d}/trailing dot.txt.", t.body(), "name ending in a dot", "unsupported type (no extension)")
    t.bad(f"{d}/trailing space.txt ", t.body(), "suffix with a trailing space", "unsupported type .txt ")
    raw = os.fsencode((t.root / d).as_posix()) + b"/bad \xff\xfe name.txt"
    with open(raw, "wb") as fh:
        fh.write(t.body().encode())
    t.fail((t.root / d).as_posix() + "/bad \\xff\\xfe name.txt", "file name that is not UTF-8", "not valid UTF-8")


def unsupported(t: Tree) -> None:
    d = "08_unsupported"
    for name, data in {"letter.docx": b"PK\x03\x04", "old.doc": b"\xd0\xcf\x11\xe0",
                       "notes.rtf": r"{\rtf1 text}", "data.json": '{"text": "x"}',
                       "image.png": b"\x89PNG", "tool.exe": b"MZ", "rows.csv.gz": b"\x1f\x8b",
                       "page.xhtml": "<p>x</p>", "README": "no suffix", "Makefile": "all:",
                       "archive.tar": b"x", "script.py": "print(1)", "style.css": "p{}"}.items():
        suffix = Path(name).suffix
        t.bad(f"{d}/{name}", data, f"unsupported {name}",
              f"unsupported type {suffix}" if suffix else "unsupported type (no extension)")


def links(t: Tree) -> None:
    d = "09_links"
    (t.root / d / "sub").mkdir(parents=True, exist_ok=True)
    t.write(f"{d}/sub/s.txt", t.body())
    os.symlink("..", t.root / d / "sub" / "up")  # sub/up -> 09_links: a cycle
    os.symlink("sub", t.root / d / "again")  # a second way into sub; sorts first, so it wins
    t.ok(f"{d}/again/s", "file reached through a symlinked dir (read once, via the first path)")
    os.symlink("self.txt", t.root / d / "self.txt")
    t.fail(t.where(f"{d}/self.txt"), "symlink to itself", "symbolic links")
    os.symlink("nowhere.txt", t.root / d / "dangling.txt")
    t.fail(t.where(f"{d}/dangling.txt"), "dangling symlink", "no such file")
    os.symlink("/dev/null", t.root / d / "devnull.txt")
    t.fail(t.where(f"{d}/devnull.txt"), "symlink to /dev/null", "not a regular file")
    os.mkfifo(t.root / d / "fifo.txt")
    t.fail(t.where(f"{d}/fifo.txt"), "a FIFO named .txt (must not block)", "not a regular file")
    os.symlink(t.root / "00_good" / "good_txt.txt", t.root / d / "link_to_good.txt")
    t.skip(f"{d}/link_to_good", "symlink to an already-read file", "duplicate of 00_good/good_txt")
    t.good(f"{d}/dir.txt/inner.txt", t.body(), "a folder named like a file")


def duplicates(t: Tree) -> None:
    d = "10_dups"
    text = t.body()
    t.good(f"{d}/a_original.txt", text, "original of a duplicate group")
    same = f"duplicate of {d}/a_original"
    t.write(f"{d}/b_copy.txt", text)
    t.skip(f"{d}/b_copy", "byte-identical copy", same)
    t.write(f"{d}/c_copy.md", text + "\n\n")
    t.skip(f"{d}/c_copy", "same text as .md (trailing blank lines)", same)
    t.write(f"{d}/d_rows.csv", _csv([["text"], [text]]))
    t.skip(f"{d}/d_rows.csv#0", "same text as a CSV row", same)
    t.write(f"{d}/e_lines.jsonl", json.dumps({"text": text}) + "\n")
    t.skip(f"{d}/e_lines.jsonl#0", "same text as a JSONL line", same)
    t.write(f"{d}/f_crlf.txt", (text + "\r\n\r\n").encode())
    t.skip(f"{d}/f_crlf", "same text with CRLF", same)
    t.write(f"{d}/g_utf16.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    t.skip(f"{d}/g_utf16", "same text in UTF-16", same)

    # Two files with one doc id ("story"): the first read wins, the second is reported.
    first, second = t.body(), t.body()
    t.good(f"{d}/story.md", first, "story.md (doc id 'story')")
    t.write(f"{d}/story.txt", second)
    t.skip(f"{d}/story", "story.txt: same doc id as story.md", "same doc id read twice")
    # Its content exists nowhere else, so a later file with that content is stored, not a "duplicate".
    t.good(f"{d}/z_same_as_story_txt.txt", second, "copy of the skipped story.txt")

    # A file whose doc id equals a CSV row's id.
    t.write(f"{d}/h.csv", _csv([["text"], [t.body()]]))
    t.ok(f"{d}/h.csv#0", "CSV row h.csv#0")
    t.write(f"{d}/h.csv#0.txt", t.body())
    t.skip(f"{d}/h.csv#0", "file named h.csv#0.txt (same doc id as a CSV row)", "same doc id read twice")


def big_files(t: Tree) -> None:
    d = "11_big"
    line = ("A repeated line of an oversize article, padding the file well past the default limit. " * 20)[:999]
    block = ((line + "\n") * 1000).encode()  # 1 MB
    p = t.path(f"{d}/fifty_mb.txt")
    with open(p, "wb") as fh:
        for _ in range(BIG_BYTES // len(block)):
            fh.write(block)
    t.fail(p.as_posix(), "50 MB text", "larger than 20 MB limit (50 MB)")
    paras = [t.body() for _ in range(200)]
    t.good(f"{d}/long_article.txt", "Long article\n" + "\n\n".join(paras), "a 40 KB, 200-paragraph article",
           contains=(paras[0], paras[-1]))
    t.good(f"{d}/one_long_token.txt", "z" * 20_000, "20 000 characters without a space")
    t.good(f"{d}/one_long_line.txt", " ".join(paras[:50]).replace("\n", " ") + t.body(),
           "one 10 KB line")


def nested(t: Tree) -> None:
    deep = "12_nested/" + "/".join("abcdefghij")
    t.good(f"{deep}/deep.txt", t.body(), "ten folders deep")
    (t.root / "12_nested" / "empty_dir" / "also_empty").mkdir(parents=True)
    t.bad("12_nested/only_unsupported/x.rtf", r"{\rtf1 x}", "folder with only an unsupported file",
          "unsupported type .rtf")


def _rss(items: list[str], title: str = "Fault Suite Times") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://faults.example/</link>{''.join(items)}</channel></rss>\n")


def pdfs_and_feeds(t: Tree) -> None:
    d = "13_formats"
    text = t.body()
    t.write(f"{d}/report.pdf", pdf_bytes([["Council report", text], ["Page two."]], title="Road scheme report"))
    t.ok(f"{d}/report", "PDF with a text layer", contains=(text, "Page two."))
    t.bad(f"{d}/scan.pdf", pdf_bytes([[], []]), "PDF of images only (no text layer)", "without a text layer")
    t.bad(f"{d}/truncated.pdf", pdf_bytes([["Cut short", t.body()]])[:300], "PDF cut off mid-file", "broken PDF")
    t.bad(f"{d}/header_only.pdf", b"%PDF-1.4\n", "a PDF header and nothing else", "broken PDF")
    t.bad(f"{d}/noise.pdf", b"%PDF-1.7\n" + bytes(t.rng.getrandbits(8) for _ in range(500)),
          "random bytes after a PDF header", "broken PDF")

    entries = [(f"fs-{i}", t.body()) for i in range(2)]
    items = [f"<item><title>Item {guid}</title><guid>{guid}</guid><link>https://faults.example/{guid}</link>"
             f"<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate><description>{body}</description></item>"
             for guid, body in entries]
    items.insert(1, "<item><guid>fs-broken</guid><pubDate>yesterday-ish</pubDate></item>")  # no text at all
    t.write(f"{d}/feed.xml", _rss(items))
    t.ok(f"{d}/feed.xml#fs-0", "feed entry 1", contains=(entries[0][1],))
    t.fail(f"{t.where(d)}/feed.xml#2", "feed entry 2: malformed (no title, text or link)", "no content or summary")
    t.ok(f"{d}/feed.xml#fs-1", "feed entry 3 after a malformed one", contains=(entries[1][1],))
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Atom Faults</title>"
            f"<entry><id>urn:fs:atom-1</id><title>Atom entry</title><updated>2025-03-05T09:00:00Z</updated>"
            f"<content type=\"html\">&lt;p&gt;{(x := t.body())}&lt;/p&gt;</content></entry></feed>")
    t.write(f"{d}/news.atom", atom)
    t.ok(f"{d}/news.atom#urn:fs:atom-1", "Atom entry", contains=(x,), absent=("<p>",))
    t.bad(f"{d}/empty_channel.rss", _rss([]), "RSS without items", "not a readable feed")
    t.bad(f"{d}/not_a_feed.xml", "<html><body><p>Just a page.</p></body></html>", "HTML saved as .xml",
          "not a readable feed")
    t.bad(f"{d}/rss_stub.xml", "<rss/>", "an empty <rss/> element", "not a readable feed")


def generate(root: Path) -> list[Expect]:
    """Write the tree under `root` (created; must not exist) and return its expectations."""
    root = Path(os.path.abspath(root))
    root.mkdir(parents=True)
    t = Tree(root)
    for section in (good_files, empty_files, binary_files, encodings, html_files, csv_files, jsonl_files,
                    odd_names, unsupported, links, duplicates, big_files, nested, pdfs_and_feeds):
        section(t)
    return t.expects


if __name__ == "__main__":
    for e in generate(Path(sys.argv[1])):
        print(e.outcome, repr(e.key[:90]), e.reason, sep="\t")
