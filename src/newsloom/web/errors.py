"""One JSON error shape for every API error: ``{"error": {"status": 404, "code": "not_found", "message": ...}}``.

HTML pages get the same information as a page; a client tells them apart by the ``/api/`` prefix.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, MissingExtra, NotFound, StoreError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a route raises on purpose, with its HTTP status, a stable code and a message for people."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The error shape: ``error_body(404, "not_found", "no event 'x'")["error"]["status"]`` -> ``404``."""
    return {"error": {"status": status, "code": code, "message": message}}


def _code(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _respond(request: Request, error: ApiError) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            error_body(error.status, error.code, error.message), error.status, headers=error.headers
        )
    templates = request.app.state.templates
    return HTMLResponse(
        templates.get_template("error.html").render(request=request, error=error),
        error.status,
        headers=error.headers,
    )


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Route every error the app can raise to the one shape."""

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _respond(request, exc)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        return _respond(request, ApiError(exc.status_code, _code(exc.status_code), str(exc.detail), headers))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _respond(request, ApiError(422, "invalid_request", _validation_message(exc)))

    async def not_found(request: Request, exc: Exception) -> Response:
        return _respond(request, ApiError(404, "not_found", str(exc)))

    async def bad_input(request: Request, exc: Exception) -> Response:
        return _respond(request, ApiError(422, "invalid_input", str(exc)))

    async def unavailable(request: Request, exc: Exception) -> Response:
        return _respond(request, ApiError(503, "store_unavailable", str(exc)))

    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _respond(
            request, ApiError(500, "internal_error", "internal error; the server log has details")
        )

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(InputError, bad_input)
    app.add_exception_handler(StoreError, unavailable)
    app.add_exception_handler(MissingExtra, unavailable)
    app.add_exception_handler(Exception, crashed)
