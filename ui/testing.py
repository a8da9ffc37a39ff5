"""A real `qa serve` in a subprocess, for the end-to-end tests and quick smoke checks.

It runs exactly what a user runs (the CLI, the startup ingest of the bundled corpus, the real
models), on a free port, with its own data folder, and is stopped with SIGINT like Ctrl-C.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_ready(base: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Until /healthz says the startup ingest is done; fails early if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"qa serve exited with {proc.returncode}:\n{_log_tail(log)}")
        try:
            health = httpx.get(f"{base}/healthz", timeout=5).json()
            if health.get("ready"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"qa serve not ready after {timeout:.0f} s:\n{_log_tail(log)}")


@contextmanager
def running_server(data_dir: Path, *, models_cache: Path | None = None, auth_token: str = "",
                   timeout: float = 300, env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the base URL of a fresh `qa serve` over the bundled corpus in `data_dir`.

    `env` adds settings, e.g. {"QA_CHROMA_URL": …} for a store on a Chroma server.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "QA_DATA_DIR": str(data_dir), "QA_AUTH_TOKEN": auth_token,
           "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False",
           **(env or {})}
    if models_cache:
        env["QA_MODELS_CACHE"] = str(models_cache)
    log = data_dir / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc, log, timeout)
        yield base
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
