"""Fault suite (issue #6), the part without a server or an LLM: a few hundred bad and odd inputs
are ingested in one go and every one of them must be accounted for — stored, or reported with
its path and a reason — with nothing lost, on the embedded store and on a real Chroma server
(the `server` variant, marked e2e). Also: upload-name safety and the size/length limits.

Run with `pytest -s tests/test_faults.py` to see the one-line summary.
"""
from __future__ import annotations

import re
import socket
import threading
import time
from collections import Counter

import pytest

from qa import Dateline, UserError, load_settings
from faultgen import generate  # tests/ is on sys.path (rootdir conftest, no package)
from servers import store_modes


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Generate the inputs once: (root folder, what each input must become)."""
    root = tmp_path_factory.mktemp("faults") / "inputs"
    return root, generate(root)


@pytest.fixture(scope="module", params=store_modes())
def run(request, inputs, tmp_path_factory, models_cache, store_for):
    """Ingest the whole tree once into a fresh store: embedded, and on a real Chroma server."""
    root, expects = inputs
    store = store_for(request.param)
    app = Dateline(load_settings(data_dir=tmp_path_factory.mktemp("faults-data"), models_cache=models_cache,
                                 **store))
    started = time.perf_counter()
    report = app.ingest([root])
    return {"root": root, "expects": expects, "app": app, "report": report, "mode": request.param,
            "seconds": time.perf_counter() - started}


def _observed(report) -> list[tuple[str, str, str]]:
    """(outcome, key, reason) for every entry of the report."""
    return ([("ingested", d, "") for d in report.added]
            + [("skipped", d, r) for d, r in report.skipped]
            + [("failed", p, r) for p, r in report.failed])


def _short(items) -> str:
    return "\n".join(f"  {o} {k[:100]!r}" for o, k in sorted(items))


def test_generator_covers_the_brief(inputs):
    root, expects = inputs
    files = [p for p in root.rglob("*") if not p.is_dir() or p.is_symlink()]
    assert len(files) >= 200 and len(expects) >= 200
    big = root / "11_big" / "fifty_mb.txt"
    assert big.stat().st_size == 50_000_000


def test_every_input_is_accounted_for_exactly_once(run):
    report, expects = run["report"], run["expects"]
    assert not report.updated and not report.unchanged and not report.pruned  # a fresh store
    assert report.read == len(report.added) + len(report.skipped) + len(report.failed)
    got = Counter((o, k) for o, k, _ in _observed(report))
    want = Counter((e.outcome, e.key) for e in expects)
    missing, extra = want - got, got - want
    assert not missing and not extra, (f"expected but not reported:\n{_short(missing.elements())}\n"
                                       f"reported but not expected:\n{_short(extra.elements())}")
    assert report.read == len(expects)


def test_each_rejection_has_its_path_and_reason(run):
    report, expects = run["report"], run["expects"]
    reasons: dict[tuple[str, str], list[str]] = {}
    for outcome, key, reason in _observed(report):
        reasons.setdefault((outcome, key), []).append(reason)
    for path, reason in report.failed:
        assert path.startswith(run["root"].as_posix() + "/") and reason.strip(), (path, reason)
        path.encode("utf-8")  # printable: a bad file name is shown escaped
    for doc_id, reason in report.skipped:
        assert reason.strip(), doc_id
    wrong = [(e.case, e.key[-60:], e.reason, reasons[(e.outcome, e.key)])
             for e in expects if e.outcome != "ingested"
             and not any(e.reason in r for r in reasons[(e.outcome, e.key)])]
    assert not wrong, "\n".join(map(str, wrong))


def test_nothing_is_lost_and_stored_text_is_clean(run):
    app, report, expects = run["app"], run["report"], run["expects"]
    rows = {r["doc_id"]: r for r in app.sources()}
    wanted = [e for e in expects if e.outcome == "ingested"]
    lost = [e for e in wanted if e.key not in rows]
    assert not lost, [(e.case, e.key) for e in lost]
    assert set(rows) == set(report.added)
    assert all(r["complete"] and r["chunks"] >= 1 for r in rows.values())

    registry = app.store.registry()
    ids = app.store.chunk_ids()
    assert len(ids) == len(set(ids)) == report.chunks_written
    problems = []
    for e in wanted:
        if not (e.contains or e.absent):
            continue
        nodes = app.store.nodes_by_id(sorted(registry[e.key].chunk_ids))
        text = "\n".join(n.get_content() for n in sorted(nodes, key=lambda n: n.metadata["chunk_index"]))
        problems += [(e.case, "missing", s) for s in e.contains if s not in text]
        problems += [(e.case, "present", s) for s in e.absent if s in text]
    assert not problems, problems

    app.store.bm25.sync()
    assert app.store.bm25.node_ids() == set(ids)

    failed = len(report.failed)
    summary = (f"faults: tried {len(expects)}, ingested {len(report.added)}, rejected {failed} (with reason), "
               f"skipped {len(report.skipped)}, lost {len(lost)}")
    print(f"\n{summary}  [{run['mode']} store: {len(report.added) + len(report.skipped) + failed} reported, "
          f"{len(ids)} chunks, ingest {run['seconds']:.1f} s]")


def test_a_second_ingest_changes_nothing(run):
    app, first = run["app"], run["report"]
    chunks = sorted(app.store.chunk_ids())
    again = app.ingest([run["root"]])
    assert not again.added and not again.updated
    assert sorted(again.unchanged) == sorted(first.added)
    assert sorted(again.failed) == sorted(first.failed)
    assert sorted(again.skipped) == sorted(first.skipped)
    assert sorted(app.store.chunk_ids()) == chunks


# ---- limits ----------------------------------------------------------------------------------


def test_question_length_limit(make_app):
    app = make_app()
    limit = app.settings.max_question_chars
    with pytest.raises(UserError, match=f"longer than {limit} characters"):
        app.ask("why " * (limit // 4 + 1))
    with pytest.raises(UserError, match="empty"):
        app.ask("   ")
    assert app._llm is None  # refused before any model was loaded


def test_file_size_limit_names_the_limit(make_app, tmp_path):
    folder = tmp_path / "limit"
    folder.mkdir()
    (folder / "at_limit.txt").write_bytes(b"x" * 999 + b".")
    (folder / "over_limit.txt").write_bytes(b"y" * 1500)
    app = make_app(max_file_bytes=1000)
    report = app.ingest([folder])
    assert report.added == ["at_limit"]
    [(path, reason)] = report.failed
    assert path.endswith("/over_limit.txt") and reason == "larger than 1 KB limit (1.5 KB)"
    assert load_settings().max_file_bytes == 20_000_000


class StallingServer:
    """A real HTTP server on 127.0.0.1 that accepts a request and then goes quiet: at once, or after
    the response headers and one event (a model server that hangs mid-answer)."""

    def __init__(self, after_first_event: bool):
        self.after_first_event = after_first_event
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        with self.sock:
            conn, _ = self.sock.accept()
            with conn:
                conn.recv(65536)  # the request
                if self.after_first_event:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                                 b'data: {"choices": [{"delta": {"content": "April"}}]}\n\n')
                self.release.wait(60)  # then nothing, until the test is over

    def __enter__(self) -> "StallingServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.thread.join(timeout=10)


@pytest.mark.parametrize("after_first_event", [False, True], ids=["before-headers", "mid-stream"])
def test_a_stalled_model_server_times_out_with_a_clear_error(make_app, after_first_event):
    """llm_timeout_s is enforced: a server that stops sending is an LLMError within the timeout,
    not a hang. (Each wait for bytes is bounded; a server trickling bytes forever is not.)"""
    from qa.models.llm import LLMError

    with StallingServer(after_first_event) as server:
        app = make_app(llm="openai", llm_url=server.url, llm_model="local", llm_timeout_s=1.5)
        outcome: dict = {"pieces": []}

        def consume() -> None:
            try:
                outcome["pieces"] += app.llm.stream([{"role": "user", "content": "hi"}], max_tokens=8)
            except Exception as exc:  # noqa: BLE001 - the test inspects what came out
                outcome["error"] = exc

        started = time.monotonic()
        worker = threading.Thread(target=consume, daemon=True)
        worker.start()
        worker.join(timeout=20)
        took = time.monotonic() - started
    assert not worker.is_alive(), "the model call hung past its timeout"
    error = outcome.get("error")
    assert isinstance(error, LLMError) and isinstance(error, UserError), repr(error)
    assert server.url in str(error) and "Timeout" in str(error), str(error)
    assert 1.5 <= took < 10, took  # it waited for the timeout, and not much longer


# ---- upload names (ui/uploads.py) ------------------------------------------------------------


UNSAFE = ["../evil.txt", "../../etc/passwd.txt", "a/../../b.txt", "..\\..\\win.txt", "/etc/cron.d/x.txt",
          "\\\\server\\share\\x.txt", "C:\\Windows\\x.txt", "c:/x.txt", "nul\x00byte.txt", "", "   ",
          "payload.exe", "archive.txt.gz", ".txt", "....jsonl", "noext"]


@pytest.mark.parametrize("name", UNSAFE)
def test_unsafe_upload_names_are_rejected(name):
    from ui.uploads import safe_name

    with pytest.raises(UserError):
        safe_name(name)


def _stored_as(pattern: str) -> re.Pattern:
    """`*` in an expected upload name stands for the 8 hex digits a reduced name carries."""
    return re.compile(re.escape(pattern).replace(r"\*", "[0-9a-f]{8}"))


@pytest.mark.parametrize("name, stored", [
    ("report.txt", "report.txt"),
    ("dir/sub/report.md", "report.md"),  # a browser-sent relative path keeps only its basename
    ("REPORT.TXT", "REPORT.txt"),
    ("my report (final).html", "my_report_final-*.html"),
    ("café naïve.csv", "caf_na_ve-*.csv"),
    ("新闻.txt", "article-*.txt"),
    ("_-_.jsonl", "article-*.jsonl"),
    ("-rf --no-preserve-root.txt", "rf_--no-preserve-root-*.txt"),
    ("x" * 5000 + ".txt", "x" * 80 + "-*.txt"),
    ("a\nb\tc.txt", "a_b_c-*.txt"),
])
def test_upload_names_are_reduced_to_a_safe_basename(name, stored):
    from ui.uploads import safe_name

    assert _stored_as(stored).fullmatch(safe_name(name))
    assert safe_name(name) == safe_name(name)  # the same name again replaces its earlier upload


def test_save_uploads_stays_inside_the_folder(tmp_path):
    from ui.uploads import save_uploads

    src = tmp_path / "src.txt"
    src.write_text("An uploaded article about the budget.")
    big = tmp_path / "big.txt"
    big.write_bytes(b"z" * 2000)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    outside = tmp_path / "outside.txt"
    outside.write_text("must not change")
    folder = tmp_path / "data" / "uploads"
    folder.mkdir(parents=True)
    (folder / "planted.txt").symlink_to(outside)  # a link planted in the folder points out of it

    names = UNSAFE + ["ok one.txt", "sub/../../ok.txt", "x" * 300 + ".md", "planted.txt", "big.txt", "empty.txt"]
    files = [(n, big if n == "big.txt" else empty if n == "empty.txt" else src) for n in names]
    before = sorted(p for p in tmp_path.rglob("*") if folder not in p.parents)
    saved, rejected = save_uploads(files, folder, max_bytes=1000, max_files=len(files))

    assert [bool(_stored_as(n).fullmatch(p.name)) for n, p in zip(["ok_one-*.txt", "x" * 80 + "-*.md"], sorted(saved))] == [True, True]
    assert all(p.parent == folder and p.is_file() and not p.is_symlink() for p in saved)
    reasons = dict(rejected)
    assert len(rejected) == len(names) - 2 and all(r.strip() for r in reasons.values())
    assert "leaves the upload folder" in reasons["planted.txt"]
    assert "limit is 1 kB" in reasons["big.txt"] and "empty" in reasons["empty.txt"]
    assert outside.read_text() == "must not change"
    assert sorted(p for p in tmp_path.rglob("*") if folder not in p.parents) == before  # nothing written outside
    assert sorted(p.name for p in folder.iterdir()) == sorted([p.name for p in saved] + ["planted.txt"])

    with pytest.raises(UserError, match="at most 2 files"):
        save_uploads(files[:3], folder, max_bytes=1000, max_files=2)


def test_two_uploads_reduced_to_one_name_are_both_kept(tmp_path):
    from ui.uploads import save_uploads

    first, second = tmp_path / "a", tmp_path / "b"
    first.write_text("The first article.")
    second.write_text("The second article.")
    saved, rejected = save_uploads([("新闻.txt", first), ("报道.txt", second)], tmp_path / "uploads",
                                   max_bytes=1000, max_files=5)
    kept = sorted(p.read_text() for p in saved)
    assert kept == ["The first article.", "The second article."] and rejected == []
    assert len({p.name for p in saved}) == 2  # two files, neither overwriting the other
