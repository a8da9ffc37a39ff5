"""Shared fixtures: a store per test in tmp_path, and one joined-model cache per session."""
from __future__ import annotations

import os
import shutil
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


@pytest.fixture
def make_app(tmp_path, models_cache):
    from qa import Dateline, load_settings

    def make(**overrides) -> Dateline:
        overrides.setdefault("data_dir", tmp_path / "data")
        overrides.setdefault("models_cache", models_cache)
        return Dateline(load_settings(**overrides))

    return make
