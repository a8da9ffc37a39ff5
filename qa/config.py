"""One typed place for every setting.

Values come from (highest first): keyword arguments, environment variables ``QA_*``,
an optional TOML file named by ``QA_CONFIG`` (or ``--config``), then the defaults below.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    """Per-user data directory (XDG on Linux) so a store outlives the working directory."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "dateline"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    # --- store -------------------------------------------------------------------------
    data_dir: Path = Field(default_factory=_default_data_dir)
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 -> HttpClient; empty -> PersistentClient
    collection: str = "dateline"
    models_cache: Path | None = None  # where packaged GGUF parts are joined; default <data_dir>/models

    # --- ingest --------------------------------------------------------------------------
    chunk_size: int = 128  # tokens; tuned on the gold sets (evals/results/retrieval_*.json)
    chunk_overlap: int = 0
    max_file_bytes: int = 20_000_000

    # --- models --------------------------------------------------------------------------
    embedder: Literal["wordllama", "minilm", "st-dir", "openai"] = "wordllama"
    embedder_path: str = ""  # directory of a sentence-transformers model (embedder=st-dir)
    embedder_url: str = ""  # OpenAI-compatible /v1 base URL (embedder=openai)
    embedder_model: str = ""
    llm: Literal["packaged", "gguf", "openai", "ollama"] = "packaged"
    model_preset: Literal["base", "small"] = "base"  # packaged GGUF: base=1.5B, small=0.5B
    gguf_path: str = ""  # any local GGUF file (llm=gguf)
    llm_url: str = ""  # OpenAI-compatible /v1 base URL (llm=openai) or Ollama URL (llm=ollama)
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout_s: float = 120.0
    llm_send_grammar: bool = False  # llm=openai: send the reply grammar (llama_cpp.server accepts it)
    n_ctx: int = 2048
    n_threads: int = 0  # 0 -> all cores
    max_answer_tokens: int = 48  # "[S3] April 26": a sentence number and a short answer (two in comparison mode)

    # --- retrieval -----------------------------------------------------------------------
    top_k: int = 3  # passages shown to the model
    compare_k: int = 6  # passages read per article in comparison mode (one report may say it further down)
    candidates: int = 20  # per retriever before fusion
    min_relevance: float = 0.34  # share of the question's content words a passage must hold
    evidence_lines: int = 5  # sentences shown to the model (each ~30 prompt tokens, ~0.5 s on 2 cores)
    evidence_chars: int = 700  # and at most this many characters' worth (a digit counts 4, a further article its title)

    # --- limits and serving --------------------------------------------------------------
    max_question_chars: int = 1000
    host: str = "127.0.0.1"
    port: int = 7860
    auth_token: str = ""  # when set, the page and API require it
    max_upload_bytes: int = 5_000_000
    max_upload_files: int = 20

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.models_cache or self.data_dir / "models"

    def public_dump(self) -> dict:
        """Every setting as JSON values with the secrets (API key, auth token) masked when set:
        what `qa doctor` prints and an eval report records, so neither leaks a credential."""
        secrets = ("llm_api_key", "auth_token")
        return {key: "***" if key in secrets and value else value
                for key, value in self.model_dump(mode="json").items()}


def load_settings(config_file: str | Path | None = None, **overrides) -> Settings:
    """Settings from env, an optional TOML file (``QA_CONFIG``) and explicit overrides."""
    path = config_file or os.environ.get("QA_CONFIG")
    file_values: dict = {}
    if path:
        try:
            file_values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            from qa.errors import UserError

            raise UserError(f"cannot read config file {path}: {exc}") from exc
        file_values = file_values.get("dateline", file_values)
    env_values = Settings().model_dump(exclude_unset=True)
    merged = {**file_values, **env_values, **{k: v for k, v in overrides.items() if v is not None}}
    return Settings(**merged)
