"""Write routes: ingest, entity merge and split, watchlists. Every one needs the bearer token.

Without a configured token (``NEWSLOOM_TOKEN`` or ``create_app(token=...)``) the server is read-only and says so.
"""

from __future__ import annotations

import asyncio
import io
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ..models import Article
from ..tracker import IngestReport
from .common import Bench, conditional, json_with_etag
from .errors import ApiError
from .feed import atom
from .shapes import article_summary, plain
from .watchlists import Kind, Watchlist, Watchlists, new_since_seen

router = APIRouter(prefix="/api/v1", tags=["write"])


def require_token(request: Request) -> None:
    """Let the request through only with ``Authorization: Bearer <the configured token>``."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    check_token(request, given.strip() if scheme.lower() == "bearer" else None)


def check_token(request: Request, given: str | None) -> None:
    """403 when the server has no token (read-only), 401 when ``given`` is not it."""
    expected: str | None = request.app.state.token
    if not expected:
        raise ApiError(
            403,
            "writes_disabled",
            "this server is read-only: start it with NEWSLOOM_TOKEN set to enable writes",
        )
    if given is None or not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "send the server's token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="newsloom"'},
        )


Authorised = Annotated[None, Depends(require_token)]


def ingest_report(report: IngestReport) -> dict[str, Any]:
    return {
        "added": report.added,
        "already_present": report.already_present,
        "duplicates": report.duplicates,
        "rejected": plain(report.rejected),
        "analysis": list(report.analysis),
        "ok": report.ok,
    }


async def _body(request: Request) -> bytes:
    """The request body, refused with 413 as soon as it passes the store's input size limit."""
    limit: int = request.app.state.workbench.settings.max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "payload_too_large", f"the body is larger than the limit of {limit} bytes")
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > limit:
            raise ApiError(413, "payload_too_large", f"the body is larger than the limit of {limit} bytes")
    return bytes(data)


@router.post(
    "/ingest",
    summary="Ingest articles sent as JSON (one object or a list) or JSONL; returns the ingest report",
    openapi_extra={"requestBody": {"content": {"application/json": {}, "application/x-ndjson": {}}}},
    responses={202: {"description": "queued (wait=false): the job's id and status URL"}},
)
async def ingest(
    request: Request,
    bench: Bench,
    _: Authorised,
    wait: Annotated[bool, Query(description="false: queue it and answer 202 with a job to poll")] = True,
) -> Response:
    body = await _body(request)
    if not body.strip():
        raise ApiError(422, "empty_body", "send articles as JSON or JSONL in the request body")
    future = bench.submit(lambda t: ingest_report(t.ingest(["-"], stdin=io.BytesIO(body))))
    if wait:
        return json_with_etag(request, await asyncio.wrap_future(future))
    job_id = request.app.state.jobs.add(future)
    url = request.url_for("ingest_job", job_id=job_id).path
    return JSONResponse({"id": job_id, "status": "queued", "status_url": url}, 202, headers={"Location": url})


@router.get("/ingest/{job_id}", summary="State of a queued ingest, with its report once done", tags=["read"])
def ingest_job(request: Request, job_id: str) -> Response:
    return json_with_etag(request, request.app.state.jobs.status(job_id), dated=False)


class MergeRequest(BaseModel):
    into: str = Field(description="id of the entity that absorbs this one", min_length=1, max_length=200)


class SplitRequest(BaseModel):
    alias: str = Field(
        description="the alias to take out into an entity of its own", min_length=1, max_length=500
    )


@router.post("/entities/{entity_id}/merge", summary="Merge this entity into another (kept across re-linking)")
def merge(request: Request, bench: Bench, _: Authorised, entity_id: str, body: MergeRequest) -> Response:
    notes = bench.write(lambda t: t.merge_entities(entity_id, body.into))
    return json_with_etag(request, {"notes": list(notes)})


@router.post(
    "/entities/{entity_id}/split", summary="Split an alias out of this entity (kept across re-linking)"
)
def split(request: Request, bench: Bench, _: Authorised, entity_id: str, body: SplitRequest) -> Response:
    notes = bench.write(lambda t: t.split_entity(entity_id, body.alias))
    return json_with_etag(request, {"notes": list(notes)})


class WatchlistRequest(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    target: str = Field(
        description="an entity id (kind=entity) or search words (kind=query)", min_length=1, max_length=500
    )


def watchlists(request: Request) -> Watchlists:
    store: Watchlists = request.app.state.watchlists
    return store


Lists = Annotated[Watchlists, Depends(watchlists)]


@router.get("/watchlists", summary="Watchlists (no token needed to read)", tags=["read"])
def list_watchlists(request: Request, lists: Lists) -> Response:
    items = lists.all()
    return json_with_etag(request, {"items": [watchlist_shape(i) for i in items], "total": len(items)})


@router.post("/watchlists", summary="Add a watchlist of an entity or a query", status_code=201)
def add_watchlist(
    request: Request, bench: Bench, lists: Lists, _: Authorised, body: WatchlistRequest
) -> Response:
    if body.kind == "entity":
        with bench.reader() as tracker:
            tracker.entity(body.target)  # an unknown entity is a 404 before anything is saved
    seen = [a.id for a in found_by(bench, body.kind, body.target)]  # what it finds today is not "new"
    item = lists.add(body.name, body.kind, body.target, seen)
    response = json_with_etag(request, watchlist_shape(item))
    response.status_code = 201
    return response


@router.get(
    "/watchlists/{watchlist_id}",
    summary="A watchlist with its matching articles, newest first",
    tags=["read"],
)
def get_watchlist(request: Request, bench: Bench, lists: Lists, watchlist_id: str) -> Response:
    item = lists.get(watchlist_id)
    articles = matches(bench, item)
    new = new_since_seen(item, [a.id for a in articles])
    return json_with_etag(
        request, {**watchlist_shape(item), "new": new, "articles": [article_summary(a) for a in articles]}
    )


@router.post(
    "/watchlists/{watchlist_id}/seen",
    summary="Move the watchlist's last-seen marker to now: what it finds now is no longer new",
)
def mark_watchlist_seen(
    request: Request, bench: Bench, lists: Lists, _: Authorised, watchlist_id: str
) -> Response:
    item = lists.get(watchlist_id)
    marked = lists.mark_seen(item.id, [a.id for a in matches(bench, item)])
    return json_with_etag(request, watchlist_shape(marked), dated=False)


def watchlist_shape(item: Watchlist) -> dict[str, Any]:
    """A watchlist as JSON: its fields and last visit, without the (long) list of ids seen then."""
    return {k: v for k, v in plain(item).items() if k != "seen"}


def matches(bench: Bench, item: Watchlist) -> list[Article]:
    """Articles a watchlist follows, newest first."""
    return found_by(bench, item.kind, item.target)


def found_by(bench: Bench, kind: Kind, target: str) -> list[Article]:
    """Articles mentioning the entity ``target``, or those the query ``target`` finds; newest first."""
    with bench.reader() as tracker:
        found = (
            list(tracker.entity_profile(target).articles)
            if kind == "entity"
            else tracker.search(target, limit=200)
        )
    return sorted(found, key=lambda a: (a.published.value is not None, a.published.value), reverse=True)


@router.get(
    "/watchlists/{watchlist_id}/feed",
    summary="A watchlist as an Atom feed for feed readers",
    tags=["read"],
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
def watchlist_feed(request: Request, bench: Bench, lists: Lists, watchlist_id: str) -> Response:
    item = lists.get(watchlist_id)
    base = str(request.base_url).rstrip("/")
    feed = atom(item, matches(bench, item)[:100], base).encode("utf-8")
    return conditional(request, feed, "application/atom+xml")


@router.delete("/watchlists/{watchlist_id}", summary="Remove a watchlist", status_code=204)
def remove_watchlist(lists: Lists, _: Authorised, watchlist_id: str) -> Response:
    lists.remove(watchlist_id)
    return Response(status_code=204)
