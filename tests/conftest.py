"""Shared fixtures: a store per test in tmp_path, and one joined-model cache per session.

`make_app` builds its store where `store_mode` says: "embedded" (a PersistentClient in the
test's data dir) unless a test module parametrizes `store_mode` over `servers.store_modes()`; then
the "server" variant uses one real `chroma run` server shared by the session, with a collection
of its own per test (the BM25 side index stays in the test's data dir).
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def models_cache(tmp_path_factory) -> Path:
    """Packaged GGUF parts are joined once per test session, not once per store."""
    shared = os.environ.get("QA_MODELS_CACHE")
    return Path(shared) if shared else tmp_path_factory.mktemp("models")


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the bundled corpus (tests edit and delete articles)."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def store_mode() -> str:
    """Overridden by `pytest.mark.parametrize("store_mode", store_modes())` in the modules that run both."""
    return "embedded"


@pytest.fixture(scope="session")
def store_for(tmp_path_factory, request):
    """store_for(mode) -> settings overrides for a fresh store in that mode.

    The Chroma server is started the first time a "server" store is asked for, once per session
    (`chroma run` takes a few seconds), and stopped at the end; each call gets a new collection.
    """
    started = []

    def overrides(mode: str) -> dict:
        if mode == "embedded":
            return {}
        assert mode == "server", mode
        if not started:
            from servers import chroma_server

            root = tmp_path_factory.mktemp("chroma-shared")
            server = chroma_server(root / "chroma-server", root / "chroma.log")
            request.addfinalizer(server.stop)
            started.append(server.start())
        return {"chroma_url": started[0].base, "collection": f"test-{uuid.uuid4().hex[:12]}"}

    return overrides


@pytest.fixture
def make_app(tmp_path, models_cache, store_mode, store_for):
    from qa import Dateline, load_settings

    store = store_for(store_mode)  # one store per test: every make() opens the same one

    def make(**overrides) -> Dateline:
        overrides.setdefault("data_dir", tmp_path / "data")
        overrides.setdefault("models_cache", models_cache)
        return Dateline(load_settings(**{**store, **overrides}))

    return make
