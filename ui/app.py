"""Dateline's server: the chat page (Gradio) and the HTTP API on one FastAPI app.

    build_app(app) -> FastAPI    /healthz, /api/ask, /api/sources, then the page mounted at "/"
    serve(app, host, port, corpus)   what `qa serve` runs: uvicorn on 127.0.0.1:7860 by default

Auth: when settings.auth_token (env QA_AUTH_TOKEN) is set, the API needs the header
`Authorization: Bearer <token>` (else 401), and the page shows Gradio's login form: user name
`dateline`, password = the token. /healthz stays open so a supervisor can probe the server.

On first start with an empty store the bundled corpus is ingested in the background; the
terminal and the page's status line show the progress, and questions wait until it is done.
"""
from __future__ import annotations

import contextlib
import sys

import gradio as gr
import uvicorn
from fastapi import FastAPI

from qa import Dateline
from ui.api import add_api
from ui.backend import Backend
from ui.page import build_page
from ui.render import CSS

PAGE_USER = "dateline"
QUEUE_MAX = 100  # waiting page events; beyond that a user is told the queue is full


def build_app(app: Dateline, *, corpus: str | None = None) -> FastAPI:
    """The whole server as one ASGI app; `corpus` is ingested at startup if the store is empty."""
    backend = Backend(app)
    app.stats()  # open the store and embedder now, before requests could race to open them
    api = FastAPI(title="Dateline", lifespan=_startup(backend, corpus), docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    add_api(api, backend)  # before the page: the page is mounted at "/" and would catch everything
    page = build_page(backend).queue(max_size=QUEUE_MAX, default_concurrency_limit=1)
    token = app.settings.auth_token
    return gr.mount_gradio_app(
        api, page, path="/",
        auth=(PAGE_USER, token) if token else None,
        auth_message="Log in with user name 'dateline' and the server's token as password.",
        server_name=app.settings.host, server_port=app.settings.port,
        max_file_size=app.settings.max_upload_bytes, show_error=False, footer_links=[],
        ssr_mode=False, mcp_server=False, css=CSS,
    )


def _startup(backend: Backend, corpus: str | None):
    @contextlib.asynccontextmanager
    async def lifespan(api: FastAPI):
        backend.start(corpus)
        yield

    return lifespan


def serve(app: Dateline, host: str = "127.0.0.1", port: int = 7860, corpus: str | None = None) -> None:
    """Run until Ctrl-C. Binds 127.0.0.1 unless a host is given explicitly."""
    host = host or "127.0.0.1"
    server = build_app(app, corpus=corpus)
    print(f"dateline: page on http://{host}:{port}/  API: POST /api/ask, GET /api/sources, GET /healthz"
          + ("  (token auth on)" if app.settings.auth_token else ""), file=sys.stderr, flush=True)
    uvicorn.run(server, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
