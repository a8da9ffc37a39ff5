"""The stock llama-index pipeline Dateline is compared with: same store, same embedder, same LLM.

Only the pipeline differs: `VectorStoreIndex.as_query_engine()` with its defaults (dense top-2,
"compact" synthesis, llama-index's own QA prompt), so the side-by-side shows what hybrid
retrieval, the quote-then-answer prompt and citation verification add.
"""
from __future__ import annotations

import time
from typing import Any

from llama_index.core import VectorStoreIndex
from llama_index.core.llms import CompletionResponse, CompletionResponseGen, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import PrivateAttr

from evals.metrics import says_not_found


class ChatModelLLM(CustomLLM):
    """llama-index LLM over Dateline's ChatModel (`stream(messages, max_tokens)`), one user turn."""

    context_window: int = 2048
    num_output: int = 256
    model_name: str = "dateline-chat-model"
    _chat: Any = PrivateAttr()

    def __init__(self, chat_model, **kwargs: Any) -> None:
        super().__init__(model_name=getattr(chat_model, "name", "dateline-chat-model"), **kwargs)
        self._chat = chat_model

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.context_window, num_output=self.num_output,
                           model_name=self.model_name)

    def _pieces(self, prompt: str):
        return self._chat.stream([{"role": "user", "content": prompt}], self.num_output)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text="".join(self._pieces(prompt)))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for piece in self._pieces(prompt):
                text += piece
                yield CompletionResponse(text=text, delta=piece)

        return gen()


class Baseline:
    """`index.as_query_engine(llm=...)` over the app's own Chroma collection, defaults otherwise."""

    def __init__(self, app):
        index = VectorStoreIndex.from_vector_store(app.store.vector_store, embed_model=app.embedder)
        self.llm = ChatModelLLM(app.llm)
        self.engine = index.as_query_engine(llm=self.llm)

    def ask(self, question: str) -> dict:
        """Answer text, a status in Dateline's terms (it has no NOT FOUND, so read the text),
        the chunks it used (its retrieval) and the wall-clock time."""
        started = time.perf_counter()
        response = self.engine.query(question)
        total_ms = round((time.perf_counter() - started) * 1000, 1)
        text = str(response.response or "").strip()
        if text == "Empty Response":  # llama-index's placeholder when nothing was retrieved
            text = ""
        return {
            "status": "not_found" if says_not_found(text) else "answered",
            "answer": text,
            "chunks": [(str(n.node.metadata.get("doc_id", "")), n.node.get_content())
                       for n in response.source_nodes],
            "timings": {"total_ms": total_ms},
        }
