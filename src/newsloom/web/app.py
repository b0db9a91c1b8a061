"""The app factory: the JSON API and the web UI over one store, with security headers on every response.

>>> app = create_app("news.db", token="s3cret")  # doctest: +SKIP
>>> # uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..config import Settings, load_settings
from ..stages.embed import Embedder
from ..tracker import Tracker
from . import api, errors, pages, writes
from .jobs import Jobs
from .state import Workbench
from .watchlists import Watchlists

HERE = Path(__file__).parent
# No inline script or style anywhere, no third-party origin: the page can only talk to this server.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Pure ASGI middleware adding SECURITY_HEADERS to every response that does not set its own.

    Starlette's ``@app.middleware("http")`` wraps each response in a streaming copy run in a task group, about
    a tenth of a list request's CPU in the 100k profile (docs/web.md "Throughput"); this only edits the
    start message.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def _settings(tracker_or_db_url: Tracker | Settings | str | Path) -> Settings:
    """Settings naming the store file: from a tracker (its store's file), settings, or a path."""
    if isinstance(tracker_or_db_url, Tracker):
        return dataclasses.replace(tracker_or_db_url.settings, db=tracker_or_db_url.store.path)
    if isinstance(tracker_or_db_url, Settings):
        return tracker_or_db_url
    location = str(tracker_or_db_url).removeprefix("sqlite:///")
    return load_settings({"db": location})


def templates() -> Environment:
    """Jinja2 with autoescaping on for every template: article text is never trusted."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.finalize = visible_bidi
    return env


# Bidi embeddings and overrides (U+202A-U+202E) let a title display as something else ("gnp.exe" as "exe.png");
# every value printed into a page shows them as U+FFFD instead. Isolates (U+2066-U+2069) cannot leak and stay.
_BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F), "\ufffd")


def visible_bidi(value: object) -> object:
    """Template output with bidi overrides made visible: ``visible_bidi("a\u202eb")`` -> ``'a\ufffdb'``."""
    return value.translate(_BIDI_CONTROLS) if isinstance(value, str) else value


def create_app(
    tracker_or_db_url: Tracker | Settings | str | Path,
    token: str | None = None,
    *,
    embedder_factory: Callable[[], Embedder] | None = None,
) -> FastAPI:
    """The ASGI app over one store; ``token`` (else ``$NEWSLOOM_TOKEN``) enables the write routes.

    A tracker's store file is reopened per server thread, so the tracker itself is not shared.
    """
    bench = Workbench(_settings(tracker_or_db_url), embedder_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        bench.close()

    app = FastAPI(
        title="newsloom",
        version=__version__,
        description="Multilingual news as events, stories, entities and claims. Writes need a bearer token.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the stock docs page loads its scripts from a CDN, which the CSP (rightly) forbids
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.workbench = bench
    app.state.token = token if token is not None else os.environ.get("NEWSLOOM_TOKEN") or None
    app.state.watchlists = Watchlists(bench.path.with_name(bench.path.name + ".watchlists.json"))
    app.state.templates = templates()
    app.state.jobs = Jobs()
    errors.install(app)
    app.include_router(api.router)
    app.include_router(writes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    app.add_middleware(SecurityHeaders)
    return app
