"""Embeddings from any server speaking OpenAI's /v1/embeddings (llama_cpp.server, vLLM, …)."""
from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr

from qa.errors import UserError
from qa.models.embedders import BatchEmbedding


class OpenAICompatEmbedding(BatchEmbedding):
    base_url: str
    api_key: str = ""
    _timeout: float = PrivateAttr(default=60.0)
    _model: str = PrivateAttr(default="default")

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout_s: float = 120.0, **kwargs: Any) -> None:
        if not base_url:
            raise UserError("embedder=openai needs QA_EMBEDDER_URL (e.g. http://127.0.0.1:8000/v1)")
        # small batches: a CPU server embeds one input after another, and each request must finish in time
        super().__init__(model_name=f"openai:{model or 'default'}@{base_url.rstrip('/')}",
                         base_url=base_url.rstrip("/"), api_key=api_key, embed_batch_size=16, **kwargs)
        self._model = model or "default"
        self._timeout = timeout_s

    def _embed(self, texts: list[str]) -> list[list[float]]:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            resp = httpx.post(f"{self.base_url}/embeddings", json={"model": self._model, "input": texts},
                              headers=headers, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise UserError(f"embedding server {self.base_url} failed: {type(exc).__name__}: {exc}") from exc
        if resp.status_code != 200:
            raise UserError(f"embedding server answered {resp.status_code}: {resp.text[:200]}")
        data = sorted(resp.json()["data"], key=lambda d: d["index"])
        return [_pooled(d["embedding"]) for d in data]


def _pooled(vector: list) -> list[float]:
    """One vector per input: a server without pooling (llama_cpp.server on a chat model) sends
    one vector per token, which are averaged."""
    if vector and isinstance(vector[0], list):
        width = len(vector[0])
        return [sum(token[i] for token in vector) / len(vector) for i in range(width)]
    return vector
