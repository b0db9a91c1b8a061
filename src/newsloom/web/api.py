"""Read routes of the JSON API under ``/api/v1/``: each parses, calls the tracker, shapes the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from ..models import Article
from ..store.paging import ArticleFilter, Page
from ..tracker import Tracker
from .common import (
    DEFAULT_PAGE,
    Bench,
    Limit,
    Offset,
    Since,
    Until,
    json_with_etag,
)
from .shapes import article_detail, article_summary, entity_detail, plain, search_result

router = APIRouter(prefix="/api/v1", tags=["read"])
Text = Annotated[str | None, Query(max_length=200)]
Cursor = Annotated[
    str | None, Query(max_length=500, description="where the page starts (the `next` link carries it)")
]


def keyset(
    request: Request, found: Page[Any], limit: int, offset: int, shape: Callable[[Any], Any]
) -> dict[str, Any]:
    """A page the store cut (filters and paging in SQL) in the API's page shape; ``next`` carries the cursor.

    ``offset`` numbers the first item (with a cursor it is carried along, not skipped again), so the total is
    known on the last page.
    """
    more = found.next is not None
    return {
        "items": [shape(item) for item in found.items],
        "total": None if more else offset + len(found.items),
        "limit": limit,
        "offset": offset,
        "next": str(request.url.include_query_params(cursor=found.next, offset=offset + limit, limit=limit))
        if more
        else None,
    }


def article_filter(
    tracker: Tracker,
    *,
    language: str | None = None,
    event: str | None = None,
    entity: str | None = None,
    story: str | None = None,
    source: str | None = None,
    since: Since = None,
    until: Until = None,
) -> ArticleFilter:
    """The store filter of the query's parameters; an unknown event, entity or story is a 404."""
    return ArticleFilter(
        language=language,
        event_id=tracker.event(event).id if event else None,
        story_id=tracker.story(story).id if story else None,
        entity_id=tracker.entity(entity).id if entity else None,
        source=source,
        since=since,
        until=until,
    )


@router.get("/articles", summary="Articles, in arrival order")
def list_articles(
    request: Request,
    bench: Bench,
    language: Text = None,
    event: Text = None,
    entity: Text = None,
    story: Text = None,
    source: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> Response:
    with bench.reader() as tracker:
        filters = article_filter(
            tracker,
            language=language,
            event=event,
            entity=entity,
            story=story,
            source=source,
            since=since,
            until=until,
        )
        found = tracker.article_page(filters, limit=limit, cursor=cursor, offset=0 if cursor else offset)
    return json_with_etag(request, keyset(request, found, limit, offset, article_summary))


@router.get("/articles/{article_id}", summary="One article with its text, removed lines and mentions")
def get_article(request: Request, bench: Bench, article_id: str) -> Response:
    with bench.reader() as tracker:
        article = tracker.article(article_id)
        return json_with_etag(request, article_detail(article, tracker.mentions(article.id)))


@router.get("/events", summary="Events, oldest first")
def list_events(
    request: Request,
    bench: Bench,
    story: Text = None,
    language: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> Response:
    with bench.reader() as tracker:
        found = tracker.event_page(
            limit=limit,
            cursor=cursor,
            offset=0 if cursor else offset,
            story_id=story,
            language=language,
            since=since,
            until=until,
        )
    return json_with_etag(request, keyset(request, found, limit, offset, plain))


@router.get(
    "/events/{event_id}",
    summary="One event; an id merged into another event redirects (308) to the event it became",
    response_model=None,
)
def get_event(request: Request, bench: Bench, event_id: str) -> Response:
    with bench.reader() as tracker:
        current = tracker.resolve_event(event_id)
        if current != event_id:
            return RedirectResponse(request.url_for("get_event", event_id=current).path, status_code=308)
        return json_with_etag(request, plain(tracker.event(event_id)))


@router.get("/stories", summary="Stories: events that continue one another")
def list_stories(
    request: Request, bench: Bench, limit: Limit = DEFAULT_PAGE, offset: Offset = 0, cursor: Cursor = None
) -> Response:
    with bench.reader() as tracker:
        found = tracker.story_page(limit=limit, cursor=cursor, offset=0 if cursor else offset)
    return json_with_etag(request, keyset(request, found, limit, offset, plain))


@router.get("/stories/{story_id}", summary="One story")
def get_story(request: Request, bench: Bench, story_id: str) -> Response:
    with bench.reader() as tracker:
        return json_with_etag(request, plain(tracker.story(story_id)))


@router.get("/entities", summary="Entities (people, places, organisations), most mentioned first")
def list_entities(
    request: Request,
    bench: Bench,
    type: Annotated[Literal["PER", "LOC", "ORG"] | None, Query()] = None,
    event: Text = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> Response:
    with bench.reader() as tracker:
        event_id = tracker.event(event).id if event else None
        found = tracker.entity_page(
            limit=limit, cursor=cursor, offset=0 if cursor else offset, type=type, event_id=event_id
        )
    return json_with_etag(request, keyset(request, found, limit, offset, plain))


@router.get(
    "/entities/{entity_id}",
    summary="One entity with aliases by language, articles, events, timeline; an id merged into another "
    "entity redirects (308) to the entity it became",
    response_model=None,
)
def get_entity(request: Request, bench: Bench, entity_id: str) -> Response:
    with bench.reader() as tracker:
        current = tracker.entity(entity_id).id  # an id merged away resolves to the entity it became
        if current != entity_id:
            return RedirectResponse(request.url_for("get_entity", entity_id=current).path, status_code=308)
        return json_with_etag(request, entity_detail(tracker.entity_profile(entity_id)))


@router.get("/claims", summary="Attributed claims: who asserts or denies what")
def list_claims(
    request: Request,
    bench: Bench,
    event: Text = None,
    entity: Text = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> Response:
    with bench.reader() as tracker:
        event_id = tracker.event(event).id if event else None
        entity_id = tracker.entity(entity).id if entity else None
        found = tracker.claim_page(
            limit=limit, cursor=cursor, offset=0 if cursor else offset, event_id=event_id, entity_id=entity_id
        )
    return json_with_etag(request, keyset(request, found, limit, offset, plain))


@router.get("/claims/{claim_id}", summary="One claim")
def get_claim(request: Request, bench: Bench, claim_id: str) -> Response:
    with bench.reader() as tracker:
        return json_with_etag(request, plain(tracker.claim(claim_id)))


def run_search(
    bench: Bench,
    q: str,
    mode: str,
    language: str | None,
    since: Since,
    until: Until,
    *,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
) -> list[tuple[Article, float | None]]:
    """Matches best first: full-text (folded words and prefixes) or semantic (cosine of the query embedding);
    the store applies the filters and the paging."""
    filters = ArticleFilter(language=language, since=since, until=until)
    with bench.reader() as tracker:
        if mode == "semantic":
            return list(tracker.semantic_page(q, bench.embedder(), filters, limit=limit, offset=offset))
        return [(a, None) for a in tracker.search_page(q, filters, limit=limit, offset=offset)]


def search_hit(hit: tuple[Article, float | None]) -> dict[str, Any]:
    return search_result(*hit)


@router.get("/search", summary="Search articles by words (text) or meaning across languages (semantic)")
def search(
    request: Request,
    bench: Bench,
    q: Annotated[str, Query(min_length=1, max_length=500, description="what to look for")],
    mode: Annotated[Literal["text", "semantic"], Query()] = "text",
    language: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> Response:
    # One past the page says whether a next page exists.
    hits = run_search(bench, q, mode, language, since, until, limit=limit + 1, offset=offset)
    more = len(hits) > limit
    return json_with_etag(
        request,
        {
            "items": [search_hit(h) for h in hits[:limit]],
            "total": None if more else offset + len(hits),
            "limit": limit,
            "offset": offset,
            "next": str(request.url.include_query_params(offset=offset + limit, limit=limit))
            if more
            else None,
        },
    )
