"""Chat models behind one small interface, chosen by ``Settings.llm``.

``stream(messages)`` yields text pieces. Backends: the packaged GGUF (default, llama.cpp in
process), any GGUF file, an OpenAI-compatible server, Ollama (through its OpenAI-compatible /v1). Optional imports live inside
their branch; a local model is used by one caller at a time (llama.cpp contexts are not
thread-safe), which is also what queues concurrent users fairly.
"""
from __future__ import annotations

import functools
import json
import os
import threading
from typing import Iterator, Protocol

from qa.config import Settings
from qa.errors import UserError


class LLMError(UserError):
    """The model backend failed (server gone, timeout, bad response)."""


class ChatModel(Protocol):
    name: str

    def stream(self, messages: list[dict], max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        """Text pieces of the reply; `grammar` (GBNF) is a hint that servers may ignore."""
        ...


class LlamaCppModel:
    """A GGUF file run in process by llama-cpp-python."""

    def __init__(self, path: str, name: str, settings: Settings):
        try:
            llama_class = _greedy_grammar_llama()
        except ImportError as exc:
            raise UserError("the local model needs llama-cpp-python: pip install llama-cpp-python") from exc
        if not os.path.isfile(path):
            raise UserError(f"GGUF file not found: {path}")
        self.name = name
        self._lock = threading.Lock()
        self._llm = llama_class(
            model_path=path,
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads or os.cpu_count() or 2,
            n_batch=512,
            flash_attn=True,  # prompt read ~20% faster on 2 cores; replies may differ slightly in wording (README)
            verbose=False,
        )

    def stream(self, messages: list[dict], max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        with self._lock:
            for part in self._llm.create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=0.0, top_k=1, stream=True,
                grammar=self._grammar(grammar) if grammar else None,
            ):
                piece = part["choices"][0]["delta"].get("content")
                if piece:
                    yield piece


    @functools.lru_cache(maxsize=4)
    def _grammar(self, text: str):
        from llama_cpp import LlamaGrammar

        return LlamaGrammar.from_string(text, verbose=False)


@functools.lru_cache(maxsize=1)
def _greedy_grammar_llama():
    """llama-cpp-python's Llama, with the reply grammar checked on the greedy token only.

    llama.cpp's grammar sampler tests every one of the vocabulary's 152k tokens at every step:
    ~28 ms of the ~72 ms a written token takes on two cores. Decoding is greedy (temperature 0),
    so the grammar's token is the best-scoring token it allows: take the best token, ask the grammar
    about that one, and mask the whole vocabulary only when it is refused (as llama.cpp's own
    common sampler does). The reply is the same token for token (tests/test_backends.py) as long
    as nothing else reshapes the logits: `LlamaCppModel.stream` sets no repeat penalty, logit bias
    or logits processor (the refused-token path reads the model's raw logits)."""
    import ctypes

    import numpy as np
    from llama_cpp import Llama
    from llama_cpp import llama_cpp as C

    class GreedyGrammarLlama(Llama):
        _reply_grammar = None

        def _init_sampler(self, *args, grammar=None, **kwargs):
            self._free_reply_grammar()
            if grammar is not None and kwargs.get("temp") == 0.0:  # greedy: checked here; sampling: llama.cpp's way
                self._reply_grammar = C.llama_sampler_init_grammar(
                    self._model.vocab, grammar._grammar.encode(), grammar._root.encode())
                grammar = None
            return super()._init_sampler(*args, grammar=grammar, **kwargs)

        def sample(self, *args, idx=None, **kwargs):
            token = super().sample(*args, idx=idx, **kwargs)
            rule = self._reply_grammar
            if rule is None:
                return token
            one = (C.llama_token_data * 1)(C.llama_token_data(token, 0.0, 0.0))
            C.llama_sampler_apply(rule, ctypes.byref(C.llama_token_data_array(one, 1, -1, False)))
            if one[0].logit == -np.inf:  # refused: the best token the grammar allows
                n = self.n_vocab()
                logits = np.ctypeslib.as_array(C.llama_get_logits_ith(self._ctx.ctx, -1 if idx is None else idx - self.n_tokens), shape=(n,))
                data = (C.llama_token_data * n)()
                view = np.frombuffer(data, dtype=np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)]))
                view["id"], view["logit"] = np.arange(n), logits
                C.llama_sampler_apply(rule, ctypes.byref(C.llama_token_data_array(data, n, -1, False)))
                token = int(np.argmax(view["logit"]))
            C.llama_sampler_accept(rule, token)
            return token

        def close(self) -> None:
            self._free_reply_grammar()
            super().close()

        def _free_reply_grammar(self):
            if self._reply_grammar is not None:
                C.llama_sampler_free(self._reply_grammar)
                self._reply_grammar = None

    return GreedyGrammarLlama


class OpenAICompatModel:
    """Any server speaking OpenAI's /v1/chat/completions (llama_cpp.server, vLLM, LM Studio…)."""

    def __init__(self, base_url: str, model: str, api_key: str, timeout_s: float, send_grammar: bool = False):
        if not base_url:
            raise UserError("llm=openai needs QA_LLM_URL (e.g. http://127.0.0.1:8000/v1)")
        self.base_url = base_url.rstrip("/")
        self.model = model or "default"
        self.name = f"openai:{self.model}@{self.base_url}"
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout_s = timeout_s
        self.send_grammar = send_grammar

    def stream(self, messages: list[dict], max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        import httpx

        body = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                "temperature": 0.0, "stream": True}
        if grammar and self.send_grammar:  # an extension: OpenAI itself would reject the field
            body["grammar"] = grammar
        try:
            with httpx.stream("POST", f"{self.base_url}/chat/completions", json=body,
                              headers=self.headers, timeout=self.timeout_s) as resp:
                if resp.status_code != 200:
                    resp.read()
                    raise LLMError(f"model server {self.base_url} answered {resp.status_code}: {resp.text[:200]}")
                for line in resp.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    try:
                        choices = json.loads(data).get("choices") or [{}]
                    except ValueError as exc:
                        raise LLMError(f"model server {self.base_url} sent a malformed event: {data[:200]}") from exc
                    piece = (choices[0].get("delta") or {}).get("content")
                    if piece:
                        yield piece
        except httpx.HTTPError as exc:
            raise LLMError(f"model server {self.base_url} failed: {type(exc).__name__}: {exc}") from exc
        raise LLMError(f"model server {self.base_url} closed the stream before finishing")


def build_llm(settings: Settings) -> ChatModel:
    kind = settings.llm
    if kind == "packaged":
        from qa.models.packaged import packaged_gguf

        path, name = packaged_gguf(settings)
        return LlamaCppModel(str(path), name, settings)
    if kind == "gguf":
        if not settings.gguf_path:
            raise UserError("llm=gguf needs QA_GGUF_PATH (a .gguf file)")
        return LlamaCppModel(settings.gguf_path, os.path.basename(settings.gguf_path), settings)
    if kind == "openai":
        return OpenAICompatModel(settings.llm_url, settings.llm_model, settings.llm_api_key,
                                 settings.llm_timeout_s, settings.llm_send_grammar)
    if kind == "ollama":  # Ollama serves the same protocol under /v1: one client, tested against llama_cpp.server
        if not settings.llm_model:
            raise UserError("llm=ollama needs QA_LLM_MODEL (e.g. qwen2.5:7b-instruct)")
        root = (settings.llm_url or "http://127.0.0.1:11434").rstrip("/").removesuffix("/v1")
        return OpenAICompatModel(f"{root}/v1", settings.llm_model, settings.llm_api_key or "ollama",
                                 settings.llm_timeout_s)
    raise UserError(f"unknown llm backend {kind!r}")
