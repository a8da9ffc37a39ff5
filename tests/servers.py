"""Real third-party servers in subprocesses, for the backend tests.

`Server` starts a command on a free local port, waits until a URL answers 200, and stops it by
its own process id (SIGTERM, then SIGKILL) — `kill()` is the abrupt version used to simulate a
server dying mid-request. Output goes to a log file whose tail is shown when startup fails.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def store_modes() -> list:
    """The store modes a test module can run in: `pytest.mark.parametrize("store_mode", store_modes())`.

    The server variant starts a real `chroma run`, so it carries the e2e mark (CI runs it). pytest
    is imported here only, so scripts (evals/) can use the servers below without test tools.
    """
    import pytest

    return ["embedded", pytest.param("server", marks=pytest.mark.e2e)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_port() -> int:
    """A port nothing listens on (bound once, then released)."""
    return free_port()


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Server:
    def __init__(self, argv: list[str], ready_path: str, log: Path, *, port: int | None = None,
                 startup_timeout: float = 180.0, env: dict | None = None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.ready_path = ready_path
        self.log = log
        self.startup_timeout = startup_timeout
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            # its own session, so stopping it never signals the test process
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=self.env, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.argv[0]} exited with {self.proc.returncode}:\n{log_tail(self.log)}")
            try:
                if httpx.get(self.base + self.ready_path, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{' '.join(self.argv)} not ready after {self.startup_timeout:.0f} s:\n"
                           f"{log_tail(self.log)}")

    def stop(self, timeout: float = 20.0) -> None:
        """Graceful stop (SIGTERM), SIGKILL if it does not exit in time."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Abrupt death: SIGKILL, as if the machine serving the model went away."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)

    def restart(self) -> "Server":
        """Stop, then start the same command on the same port (retried while the port frees)."""
        self.stop()
        for attempt in range(10):
            try:
                return self.start()
            except RuntimeError:
                if attempt == 9:
                    raise
                time.sleep(1.0)
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- the two servers the tests use --------------------------------------------------------------
def llama_server(model: Path, log: Path, *, n_ctx: int = 2048, threads: int = 2, embedding: bool = False) -> Server:
    """llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`); with
    `embedding`, it serves /v1/embeddings instead of chat."""
    argv = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
            "--port", "{port}", "--n_ctx", str(n_ctx), "--n_threads", str(threads),
            "--n_threads_batch", str(threads), "--verbose", "False"] + (["--embedding", "True"] if embedding else [])
    return Server(argv, "/v1/models", log)


def chroma_cli() -> str:
    exe = Path(sys.executable).with_name("chroma")
    return str(exe) if exe.exists() else (shutil.which("chroma") or "chroma")


def chroma_server(path: Path, log: Path, *, port: int | None = None) -> Server:
    """A Chroma server (`chroma run`, shipped with chromadb) persisting under `path`."""
    argv = [chroma_cli(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", "{port}"]
    return Server(argv, "/api/v2/heartbeat", log, port=port, startup_timeout=60.0,
                  env={"ANONYMIZED_TELEMETRY": "False"})
