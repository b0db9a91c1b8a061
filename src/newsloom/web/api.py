"""Read routes of the JSON API under ``/api/v1/``: each parses, calls the tracker, shapes the answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from ..models import Article
from ..tracker import Tracker
from .common import (
    DEFAULT_PAGE,
    Bench,
    Limit,
    Offset,
    Since,
    Until,
    article_in_dates,
    event_in_dates,
    json_with_etag,
    page,
)
from .shapes import article_detail, article_summary, entity_detail, plain, search_result

router = APIRouter(prefix="/api/v1", tags=["read"])
Text = Annotated[str | None, Query(max_length=200)]


def filtered_articles(
    tracker: Tracker,
    *,
    language: str | None = None,
    event: str | None = None,
    entity: str | None = None,
    story: str | None = None,
    source: str | None = None,
    since: Since = None,
    until: Until = None,
) -> list[Article]:
    """Stored articles narrowed by every filter given; an unknown event, entity or story is a 404."""
    articles = tracker.articles(language=language, event_id=tracker.event(event).id if event else None)
    if entity:
        wanted = {a.id for a in tracker.entity_profile(entity).articles}
        articles = [a for a in articles if a.id in wanted]
    if story:
        events = set(tracker.story(story).event_ids)
        articles = [a for a in articles if a.event_id in events]
    if source:
        articles = [a for a in articles if source in (a.source, a.site)]
    return [a for a in articles if article_in_dates(a, since, until)]


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
) -> Response:
    if not (entity or story or source or since or until):
        # The store filters these itself, so read only up to one past this page instead of every article.
        with bench.reader() as tracker:
            event_id = tracker.event(event).id if event else None
            rows = tracker.articles(language=language, event_id=event_id, limit=offset + limit + 1)
        return json_with_etag(request, page(request, rows, limit, offset, article_summary, counted=False))
    with bench.reader() as tracker:
        articles = filtered_articles(
            tracker,
            language=language,
            event=event,
            entity=entity,
            story=story,
            source=source,
            since=since,
            until=until,
        )
    return json_with_etag(request, page(request, articles, limit, offset, article_summary))


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
) -> Response:
    with bench.reader() as tracker:
        events = [
            e
            for e in tracker.events()
            if e.merged_into is None
            and (story is None or e.story_id == story)
            and (language is None or language in e.languages)
            and event_in_dates(e, since, until)
        ]
    return json_with_etag(request, page(request, events, limit, offset, plain))


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
def list_stories(request: Request, bench: Bench, limit: Limit = DEFAULT_PAGE, offset: Offset = 0) -> Response:
    with bench.reader() as tracker:
        stories = tracker.stories()
    return json_with_etag(request, page(request, stories, limit, offset, plain))


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
) -> Response:
    with bench.reader() as tracker:
        entities = tracker.entities(type=type, event_id=tracker.event(event).id if event else None)
    return json_with_etag(request, page(request, entities, limit, offset, plain))


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
) -> Response:
    with bench.reader() as tracker:
        event_id = tracker.event(event).id if event else None
        entity_id = tracker.entity(entity).id if entity else None
        claims = tracker.claims(event_id=event_id, entity_id=entity_id)
    return json_with_etag(request, page(request, claims, limit, offset, plain))


@router.get("/claims/{claim_id}", summary="One claim")
def get_claim(request: Request, bench: Bench, claim_id: str) -> Response:
    with bench.reader() as tracker:
        return json_with_etag(request, plain(tracker.claim(claim_id)))


SEARCH_CAP = 1000  # candidates ranked before filters and paging; bounds the work of one query


def run_search(
    bench: Bench, q: str, mode: str, language: str | None, since: Since, until: Until
) -> list[tuple[Article, float | None]]:
    """Matches best first: full-text (folded words and prefixes) or semantic (cosine of the query embedding)."""
    with bench.reader() as tracker:
        if mode == "semantic":
            hits: list[tuple[Article, float | None]] = list(
                tracker.semantic_search(q, bench.embedder(), limit=SEARCH_CAP)
            )
        else:
            hits = [(a, None) for a in tracker.search(q, limit=SEARCH_CAP)]
    return [
        (a, score)
        for a, score in hits
        if (language is None or a.language == language) and article_in_dates(a, since, until)
    ]


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
    hits = run_search(bench, q, mode, language, since, until)
    return json_with_etag(request, page(request, hits, limit, offset, search_hit))
