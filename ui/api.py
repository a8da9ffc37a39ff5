"""The HTTP API beside the page: POST /api/ask, GET /api/sources, GET /healthz.

Errors always come back as {"error": message} (400 for what the caller can fix, 401 without
the token, 500 with no details for anything else). The model routes are plain `def`
functions, so FastAPI runs them in its threadpool and the event loop (and /healthz) stays free
while an answer is being written.
"""
from __future__ import annotations

import hmac
import logging
from typing import Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from qa import Filters, UserError
from ui.backend import Backend

log = logging.getLogger("dateline.ui")
MAX_TEXT = 20_000  # a body bound only; the library enforces the real question limit


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TEXT)


class AskRequest(BaseModel):
    question: str = Field(max_length=MAX_TEXT)
    source: str = ""
    since: str = ""
    until: str = ""
    k: int | None = Field(default=None, ge=1, le=20)
    history: list[Turn] = Field(default_factory=list, max_length=50)


def bearer_check(token: str):
    """A dependency that lets a request through only with `Authorization: Bearer <token>`."""

    async def check(request: Request) -> None:
        if not token:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer <token>'",
                                headers={"WWW-Authenticate": "Bearer"})

    return check


def add_api(api: FastAPI, backend: Backend) -> None:
    guarded = [Depends(bearer_check(backend.app.settings.auth_token))]

    @api.get("/healthz")
    async def healthz() -> dict:
        """Liveness, open without a token; `ready` turns true once the startup ingest is done."""
        return {"ok": True, "ready": backend.status.ready, "status": backend.status.message}

    @api.get("/api/sources", dependencies=guarded)
    def sources() -> list[dict]:
        return backend.app.sources()

    @api.post("/api/ask", dependencies=guarded)
    def ask(req: AskRequest) -> dict:
        filters = Filters(source=req.source.strip(), since=req.since.strip(), until=req.until.strip())
        history = [t.model_dump() for t in req.history]
        return backend.ask(req.question, filters=filters, k=req.k, history=history).to_dict()

    add_error_handlers(api)


def add_error_handlers(api: FastAPI) -> None:
    """One error shape for the API: {"error": message}, and never a traceback."""

    @api.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @api.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}"
                             for e in exc.errors())
        return JSONResponse({"error": f"bad request: {problems}"}, status_code=400)

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @api.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("request %s failed", request.url.path, exc_info=exc)
        return JSONResponse({"error": "internal error (details in the server log)"}, status_code=500)
