"""The CLI end to end with the real packaged models, as a new user would run it."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa import Dateline, load_settings

pytestmark = pytest.mark.e2e
QA = [sys.executable, "-m", "qa.cli"]
DEADLINE_QUOTE = "finalising the agreement by April 26"


@pytest.fixture(scope="module")
def env(tmp_path_factory, models_cache):
    data = tmp_path_factory.mktemp("cli-data")
    corpus = tmp_path_factory.mktemp("cli-corpus")
    for f in (Path(__file__).resolve().parent.parent / "corpus").iterdir():
        shutil.copy(f, corpus / f.name)
    environ = {**os.environ, "QA_DATA_DIR": str(data), "QA_MODELS_CACHE": str(models_cache)}
    return {"env": environ, "corpus": corpus}


def qa(env, *args, check=True):
    done = subprocess.run(QA + list(args), env=env["env"], capture_output=True, text=True, timeout=900)
    if check:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_ingest_then_reingest_is_a_no_op(env):
    first = json.loads(qa(env, "ingest", str(env["corpus"]), "--json", "-q").stdout)
    assert len(first["added"]) == 2 and not first["failed"]
    again = json.loads(qa(env, "ingest", str(env["corpus"]), "--json", "-q").stdout)
    assert again["added"] == [] and again["updated"] == [] and again["unchanged"] == 2


def test_deadline_question_is_answered_with_its_passage(env):
    answer = json.loads(qa(env, "ask", "What deadline was set for the fund agreement?", "--json").stdout)
    assert answer["status"] == "answered", answer["raw_output"]
    assert "April 26" in answer["answer"]
    assert answer["citations"], answer
    assert any(DEADLINE_QUOTE in c["passage"] and "April 26" in c["quote"] for c in answer["citations"])
    assert "[1]" in answer["answer"] or "[2]" in answer["answer"]


def test_unanswerable_question_is_refused(env):
    answer = json.loads(qa(env, "ask", "What is the total dollar value of the investment fund?", "--json").stdout)
    assert answer["status"] == "not_found", answer["raw_output"]
    assert answer["answer"] == "Not found in the articles."
    assert answer["related"]


def test_off_topic_question_is_refused_without_the_model(env):
    answer = json.loads(qa(env, "ask", "What is the boiling point of mercury?", "--json").stdout)
    assert answer["status"] == "not_found" and answer["raw_output"] == ""


SOURCE_HEADER = re.compile(r"^\[(\d+)\] (.*?)(?: \(([^()]*)\))? — (\S+)$", re.MULTILINE)


def _sources_listing(out: str) -> tuple[str, list[dict]]:
    """(the answer line, the entries of "Sources:" as printed: n, title, meta, doc_id, text)."""
    answer, _, listing = out.partition("\nSources:\n")
    listing = re.split(r"\n(?:Related passages|  date: )", listing)[0]
    headers = list(SOURCE_HEADER.finditer(listing))
    assert headers and listing.startswith(headers[0].group(0)), listing  # nothing unparsed before [1]
    entries = []
    for header, following in zip(headers, headers[1:] + [None]):
        body = listing[header.end():following.start() if following else len(listing)].rstrip("\n")
        assert body.startswith('\n    "') and body.endswith('"'), body  # the text, indented and quoted
        entries.append({"n": int(header.group(1)), "title": header.group(2), "meta": header.group(3) or "",
                        "doc_id": header.group(4), "text": body[len('\n    "'):-1]})
    return answer.strip(), entries


def test_text_output_lists_sources_verbatim(env):
    out = qa(env, "ask", "What deadline was set for the fund agreement?").stdout
    answer, entries = _sources_listing(out)
    assert "April 26" in answer
    numbers = [e["n"] for e in entries]
    assert numbers == list(range(1, len(entries) + 1))  # numbered 1..n, in order
    assert set(map(int, re.findall(r"\[(\d+)\]", answer))) == set(numbers)  # each marker listed, each entry cited
    articles = {r["doc_id"]: r for r in json.loads(qa(env, "sources", "--json").stdout)}
    app = Dateline(load_settings(data_dir=env["env"]["QA_DATA_DIR"], models_cache=env["env"]["QA_MODELS_CACHE"]))
    chunks = {}
    for node in app.store.nodes_by_id(app.store.chunk_ids()):
        chunks.setdefault(node.metadata["doc_id"], []).append(node.get_content())
    for e in entries:
        article = articles[e["doc_id"]]
        assert e["title"] == article["title"]  # the stored title, source and date, as `qa sources` has them
        assert e["meta"] == ", ".join(x for x in (article["source"], article["date"]) if x)
        assert e["text"].strip() and any(e["text"] in chunk for chunk in chunks[e["doc_id"]]), e  # verbatim
    assert any("April 26" in e["text"] for e in entries)  # the listing shows the words the answer rests on


def test_edit_updates_only_that_article_and_delete_removes_it(env):
    path = env["corpus"] / "003_d38dc76a4702d5f4.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nOfficials added a closing remark.\n", encoding="utf-8")
    report = json.loads(qa(env, "ingest", str(env["corpus"]), "--json", "-q").stdout)
    assert report["updated"] == ["003_d38dc76a4702d5f4"] and report["unchanged"] == 1
    qa(env, "delete", "000_c2d1f9452d830162")
    rows = json.loads(qa(env, "sources", "--json").stdout)
    assert [r["doc_id"] for r in rows] == ["003_d38dc76a4702d5f4"]
    doctor = qa(env, "doctor").stdout
    assert "in step with Chroma" in doctor and "sha256" in doctor


def test_user_errors_are_one_line_without_traceback(env):
    done = qa(env, "delete", "no-such-article", check=False)
    assert done.returncode == 2
    assert done.stderr.strip().startswith("qa: error:") and "Traceback" not in done.stderr
    done = qa(env, "ask", "Rubio?", "--since", "April", check=False)
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr and "Traceback" not in done.stderr
