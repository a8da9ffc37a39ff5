"""Tests for qa.ingest.readers: real corpus files, every format, and every kind of bad input."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from qa.ingest.readers import SUPPORTED_SUFFIXES, Article, ReadFailure, read_sources

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BBC_TEST = ROOT / "evals" / "data" / "bbc-news" / "test.csv"


def read(*paths, **kw) -> tuple[list[Article], list[ReadFailure]]:
    items = list(read_sources(paths, **kw))
    articles = [i for i in items if isinstance(i, Article)]
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert len(articles) + len(failures) == len(items)
    for f in failures:  # every failure says where and why
        assert f.path and f.reason.strip()
    for a in articles:
        assert a.sha256 == hashlib.sha256(a.text.encode("utf-8")).hexdigest()
        assert "\r" not in a.text and a.text == a.text.strip()
    return articles, failures


def one(path, **kw) -> Article:
    articles, failures = read(path, **kw)
    assert not failures, failures
    assert len(articles) == 1
    return articles[0]


def fail(path, **kw) -> ReadFailure:
    articles, failures = read(path, **kw)
    assert not articles
    assert len(failures) == 1
    return failures[0]


# ---- the real corpus ---------------------------------------------------------------------


def test_real_corpus_files():
    articles, failures = read(CORPUS)
    assert not failures
    by_id = {a.doc_id: a for a in articles}
    assert set(by_id) == {"000_c2d1f9452d830162", "003_d38dc76a4702d5f4"}

    tass = by_id["000_c2d1f9452d830162"]
    assert (tass.date, tass.source) == ("2025-04-19", "TASS")
    assert tass.text.startswith("WASHINGTON, April 19. /TASS/. Washington’s threats")
    assert "date 2025-04-19" not in tass.text
    assert tass.title.startswith("Washington’s threats") and len(tass.title) <= 101
    assert tass.path == (CORPUS / "000_c2d1f9452d830162.txt").as_posix()

    other = by_id["003_d38dc76a4702d5f4"]
    assert (other.date, other.source) == ("", "")
    assert "“quickly.”" in other.text  # correct curly quotes are left alone

    again = {a.doc_id: a.sha256 for a in read(CORPUS)[0]}
    assert again == {i: a.sha256 for i, a in by_id.items()}


def test_real_corpus_file_given_directly():
    a = one(CORPUS / "000_c2d1f9452d830162.txt")
    assert a.doc_id == "000_c2d1f9452d830162"


def test_real_bbc_csv():
    articles, failures = read(BBC_TEST)
    assert not failures
    assert len(articles) == 334
    first = articles[0]
    assert first.doc_id == "test.csv#0"
    assert first.extra["category"] == "business"
    assert "£3.9bn" in first.text
    assert not any("Â£" in a.text or "Â" in a.title for a in articles)
    assert first.title.startswith("Novartis hits acquisition trail") and first.title.endswith("…")
    assert len({a.doc_id for a in articles}) == 334


# ---- formats -------------------------------------------------------------------------------


def test_txt_title_line_and_reuters_dateline(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Markets rally\n\nLONDON, March 3, 2024 (Reuters) - Stocks rose on Monday. More.\n")
    a = one(p)
    assert (a.doc_id, a.title, a.source, a.date) == ("a", "Markets rally", "Reuters", "2024-03-03")
    assert a.text.startswith("Markets rally\n\nLONDON, March 3")


def test_txt_long_single_line_title_is_cut(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("word " * 60 + "end. Second sentence.")
    a = one(p)
    assert a.title.endswith("…") and len(a.title) <= 101 and not a.title[:-1].endswith(" ")
    assert (a.date, a.source) == ("", "")


def test_markdown_front_matter_and_heading(tmp_path):
    p = tmp_path / "sub" / "x.md"
    p.parent.mkdir()
    p.write_text("---\ntitle: \"Front title\"\nsource: AFP\ndate: 2024-02-01T10:00:00Z\nurl: http://e.x/1\n---\n"
                 "# Heading\n\nBody text here.\n")
    a = one(tmp_path)
    assert a.doc_id == "sub/x"
    assert (a.title, a.source, a.date) == ("Front title", "AFP", "2024-02-01")
    assert a.extra == {"url": "http://e.x/1"}
    assert "title:" not in a.text and "Body text here." in a.text

    q = tmp_path / "y.markdown"
    q.write_text("# Just a heading\n\nBody.\n")
    assert one(q).title == "Just a heading"


def test_html(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Page title</title>"
        '<meta property="article:published_time" content="2023-05-06T08:00:00+00:00">'
        '<meta property="og:site_name" content="Daily News">'
        "<script>var secret = 'SCRIPTTEXT';</script><style>p{color:red}</style></head>"
        "<body><nav>Home | About</nav><h1>Big headline</h1>"
        "<p>First   paragraph\n spans lines.</p><p>Second <b>para</b>.</p>"
        "<footer>FOOTERTEXT</footer></body></html>"
    )
    a = one(p)  # trafilatura: the headline is the title (a <title> often carries the site's name)
    assert (a.doc_id, a.title, a.date, a.source) == ("page", "Big headline", "2023-05-06", "Daily News")
    assert a.text == "First paragraph spans lines.\n\nSecond para."
    assert "SCRIPTTEXT" not in a.text and "color" not in a.text and "FOOTERTEXT" not in a.text


def test_html_h1_title_and_time_tag(tmp_path):
    p = tmp_path / "p.htm"
    p.write_text('<h1>Headline</h1><time datetime="2022-01-02">Jan 2</time><p>Text.</p>')
    a = one(p)
    assert (a.title, a.date, a.source) == ("Headline", "2022-01-02", "")


def test_csv_columns(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("ID,Title,Content,Date,Source,url,category,lang,empty\n"
                 "a1,T1,Body one.,2024-01-02,BBC,http://u/1,tech,en,\n"
                 "a2,,Body two is here.,not a date,,,,fr,\n")
    articles, failures = read(p)
    assert not failures
    a, b = articles
    assert (a.doc_id, a.title, a.text, a.date, a.source) == ("d.csv#a1", "T1", "Body one.", "2024-01-02", "BBC")
    assert a.extra == {"url": "http://u/1", "category": "tech", "lang": "en"}
    assert (b.doc_id, b.title, b.date) == ("d.csv#a2", "Body two is here.", "")


def test_jsonl(tmp_path):
    p = tmp_path / "n.jsonl"
    p.write_text('{"id": 7, "text": "Alpha.", "title": "A", "date": "2024-03-04", "views": 3, "tags": ["x"]}\n'
                 "\n"
                 '{"text": "Beta \\u00c2\\u00a35.", "source": "AP"}\n')
    articles, failures = read(p)
    assert not failures
    a, b = articles
    assert (a.doc_id, a.title, a.date, a.extra) == ("n.jsonl#7", "A", "2024-03-04", {"views": "3"})
    assert (b.doc_id, b.source, b.text) == ("n.jsonl#2", "AP", "Beta £5.")


# ---- encodings -----------------------------------------------------------------------------


def test_invalid_utf8_falls_back_to_cp1252(tmp_path):
    p = tmp_path / "c.txt"
    p.write_bytes(b"It\x92s \x93quoted\x94 and caf\xe9.")
    assert one(p).text == "It’s “quoted” and café."


def test_utf16_and_utf8_boms(tmp_path):
    (tmp_path / "le.txt").write_bytes("\ufeffUTF16 café text.".encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes("\ufeffUTF16 café text.".encode("utf-16-be"))
    (tmp_path / "u8.txt").write_bytes("\ufeffUTF8 café text.".encode("utf-8"))
    articles, failures = read(tmp_path)
    assert not failures
    assert [a.text for a in articles] == ["UTF16 café text.", "UTF16 café text.", "UTF8 café text."]  # be, le, u8


def test_crlf_nfc_and_mojibake(tmp_path):
    p = tmp_path / "w.txt"
    p.write_bytes("Line one\r\nLine two\rCafe\u0301 costs Â£3 â€” itâ€™s fine.".encode("utf-8"))
    assert one(p).text == "Line one\nLine two\nCafé costs £3 — it’s fine."


def test_utf8_bom_csv(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufefftext,title\r\nHello world.,Hi\r\n".encode("utf-8"))
    a = one(p)
    assert (a.doc_id, a.text, a.title) == ("bom.csv#0", "Hello world.", "Hi")


# ---- bad inputs ----------------------------------------------------------------------------


def test_binary_empty_whitespace_oversize(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "ctl.txt").write_bytes(bytes(range(1, 9)) * 50)
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "ws.txt").write_text("  \n\t\n ")
    assert "NUL" in fail(tmp_path / "bin.txt").reason
    assert "binary" in fail(tmp_path / "ctl.txt").reason
    assert fail(tmp_path / "empty.md").reason == "empty file"
    assert "whitespace" in fail(tmp_path / "ws.txt").reason
    (tmp_path / "big.txt").write_text("x" * 500)
    f = fail(tmp_path / "big.txt", max_bytes=100)
    assert f.reason == "larger than 100 bytes limit (500 bytes)"
    assert f.path == (tmp_path / "big.txt").as_posix()


def test_csv_missing_text_column(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("a,b\n1,2\n")
    assert fail(p).reason == "no 'text' column (columns: a, b)"


def test_csv_broken_rows_among_good(tmp_path):
    p = tmp_path / "r.csv"
    huge = '"' + "y" * 200_000 + '"'  # over csv's field size limit -> csv.Error for that row
    p.write_text(f"text,n\ngood zero,0\ntoo,many,fields\n,3\n{huge},4\ngood five,5\n")
    articles, failures = read(p)
    assert [(a.doc_id, a.text) for a in articles] == [("r.csv#0", "good zero"), ("r.csv#4", "good five")]
    assert [f.path.rsplit("/", 1)[-1] for f in failures] == ["r.csv#1", "r.csv#2", "r.csv#3"]
    assert "row 1" in failures[0].reason and "empty text" in failures[1].reason


def test_jsonl_bad_lines_among_good(tmp_path):
    p = tmp_path / "j.jsonl"
    p.write_text('{"text": "ok one"}\n{not json\n[1, 2]\n{"text": ""}\n{"text": "ok two"}\n')
    articles, failures = read(p)
    assert [a.doc_id for a in articles] == ["j.jsonl#0", "j.jsonl#4"]
    assert [f.path.rsplit("/", 1)[-1] for f in failures] == ["j.jsonl:2", "j.jsonl:3", "j.jsonl:4"]
    assert failures[0].reason.startswith("line 2: invalid JSON (")
    assert "not a JSON object" in failures[1].reason and "empty text" in failures[2].reason


def test_nested_dirs_hidden_and_unsupported(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "b" / "c" / "deep.txt").write_text("Deep text.")
    (tmp_path / "a.txt").write_text("Top text.")
    (tmp_path / "doc.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden too.")
    articles, failures = read(tmp_path)
    assert [a.doc_id for a in articles] == ["a", "b/c/deep"]
    assert [(Path(f.path).name, f.reason) for f in failures] == [("doc.docx", "unsupported type .docx")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_terminates(tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "s.txt").write_text("Sub text.")
    os.symlink(root, root / "sub" / "loop")  # sub/loop -> root: a cycle
    os.symlink(root / "sub", root / "again")  # a second way into sub
    articles, failures = read(root)
    assert [a.doc_id for a in articles] == ["again/s"]  # sorted walk reaches sub via "again" first
    assert not failures


def test_missing_path_and_supported_suffixes(tmp_path):
    f = fail(tmp_path / "nope.txt")
    assert f.reason == "no such file or directory"
    assert ".jsonl" in SUPPORTED_SUFFIXES
    assert "unsupported type .docx" == fail(_touch(tmp_path / "x.docx")).reason


def _touch(p: Path) -> Path:
    p.write_text("x")
    return p
