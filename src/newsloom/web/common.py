"""Helpers every route uses: the workbench, bounded pagination, ETags."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from ..models import Article, Event
from .state import Workbench

T = TypeVar("T")
MAX_PAGE = 200
DEFAULT_PAGE = 50


def workbench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.workbench
    return bench


Bench = Annotated[Workbench, Depends(workbench)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, description="items to skip (the `next` link carries it)")]
Since = Annotated[dt.date | None, Query(description="on or after this date (YYYY-MM-DD)")]
Until = Annotated[dt.date | None, Query(description="on or before this date (YYYY-MM-DD)")]


def page(
    request: Request,
    items: Sequence[T],
    limit: int,
    offset: int,
    shape: Callable[[T], Any],
    *,
    counted: bool = True,
) -> dict[str, Any]:
    """One page of ``items`` with the total and a ``next`` URL (``None`` on the last page).

    ``counted=False`` means ``items`` may stop just past this page (the store read no further), so the total
    is only known when the list ended before that.
    """
    chunk = items[offset : offset + limit]
    more = offset + limit < len(items)
    next_url = str(request.url.include_query_params(offset=offset + limit, limit=limit)) if more else None
    return {
        "items": [shape(item) for item in chunk],
        "total": len(items) if counted or not more else None,
        "limit": limit,
        "offset": offset,
        "next": next_url,
    }


def store_modified(request: Request) -> float | None:
    """When the store (or the watchlists beside it) last changed: the newest mtime of its files, or ``None``
    for a store that is not a file (PostgreSQL), which then gets an ETag alone."""
    bench: Workbench = request.app.state.workbench
    files = [bench.path, bench.path.with_name(bench.path.name + "-wal"), request.app.state.watchlists.path]
    times = [f.stat().st_mtime for f in files if f.is_file()]
    return max(times) if times and bench.path.is_file() else None


def _not_modified_since(request: Request, modified: float) -> bool:
    since = request.headers.get("if-modified-since")
    if not since or request.method not in ("GET", "HEAD"):
        return False
    try:
        when = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as RFC 9110 says
    if when.tzinfo is None:
        return False
    return int(modified) <= int(when.timestamp())


def json_with_etag(request: Request, payload: Any, *, dated: bool = True) -> Response:
    """A JSON response with an ETag of its body and the store's Last-Modified (``dated=False`` for answers that
    change without the store changing, such as a job's status).

    ``If-None-Match`` naming the tag gets 304 and no body; without ``If-None-Match``, ``If-Modified-Since`` at or
    after the store's last change does too (RFC 9110: the tag, being exact, decides when both are sent).
    """
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return conditional(request, body, "application/json", dated=dated)


def conditional(request: Request, body: bytes, media_type: str, *, dated: bool = True) -> Response:
    """``body`` with its ETag and Last-Modified, or 304 when the client's copy is current (see json_with_etag)."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    modified = store_modified(request) if dated else None
    if modified is not None:
        headers["Last-Modified"] = email.utils.formatdate(modified, usegmt=True)
    match = request.headers.get("if-none-match")
    if match is not None:
        wanted = {t.strip().removeprefix("W/") for t in match.split(",")}
        if tag in wanted or "*" in wanted:
            return Response(status_code=304, headers=headers)
    elif modified is not None and _not_modified_since(request, modified):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def in_dates(day: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether ``day`` lies in [since, until]; an undated item only passes when no bound is given."""
    if since is None and until is None:
        return True
    if day is None:
        return False
    return (since is None or day >= since) and (until is None or day <= until)


def article_in_dates(article: Article, since: dt.date | None, until: dt.date | None) -> bool:
    return in_dates(article.published.value, since, until)


def event_in_dates(event: Event, since: dt.date | None, until: dt.date | None) -> bool:
    """An event passes when its date span overlaps [since, until]."""
    if since is None and until is None:
        return True
    if event.start is None:
        return False
    end = event.end or event.start
    return (since is None or end >= since) and (until is None or event.start <= until)
