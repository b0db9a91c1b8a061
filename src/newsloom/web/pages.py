"""HTML pages of the workbench: each route asks the tracker and hands plain objects to a template."""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..errors import InputError, NotFound
from ..models import Article, Claim, Entity, Event, Mention
from ..tracker import Tracker
from .api import run_search
from .common import Bench, Since, Until, event_in_dates
from .errors import ApiError
from .watchlists import new_since_seen
from .writes import Lists, check_token, found_by, matches

router = APIRouter(include_in_schema=False)
HOME_EVENTS = 100
TOP_OUTLETS = 15


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    return HTMLResponse(env.get_template(template).render(request=request, **context))


def by_language(articles: list[Article]) -> list[tuple[str, list[Article]]]:
    """Articles grouped by language, English first, then the languages with most articles."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[article.language].append(article)
    return sorted(groups.items(), key=lambda kv: (kv[0] != "en", -len(kv[1]), kv[0]))


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    bench: Bench,
    language: Annotated[str | None, Query(max_length=20)] = None,
    since: Since = None,
    until: Until = None,
) -> Response:
    with bench.reader() as tracker:
        stories = {s.id: s for s in tracker.stories()}
        # Without filters the store pages the newest events itself (no read of every event and article).
        unfiltered = not language and since is None and until is None
        events = [
            e
            for e in (
                tracker.events(limit=HOME_EVENTS, newest_first=True) if unfiltered else tracker.events()
            )
            if e.merged_into is None
            and (not language or language in e.languages)
            and event_in_dates(e, since, until)
        ]
    latest = sorted(events, key=lambda e: (e.start is not None, e.start), reverse=True)[:HOME_EVENTS]
    return render(
        request,
        "home.html",
        events=latest,
        stories=stories,
        language=language or "",
        since=since,
        until=until,
    )


def _event_redirect(request: Request, bench: Bench, event_id: str) -> RedirectResponse | None:
    with bench.reader() as tracker:
        current = tracker.resolve_event(event_id)
    if current == event_id:
        return None
    return RedirectResponse(request.url_for("event_page", event_id=current).path, status_code=308)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, bench: Bench, event_id: str) -> Response:
    moved = _event_redirect(request, bench, event_id)
    if moved is not None:
        return moved
    with bench.reader() as tracker:
        event: Event = tracker.event(event_id)
        articles = tracker.articles(event_id=event.id)
        digest = json.loads(tracker.digest(event_id=event.id, fmt="json"))[0]
        claims = tracker.claims(event_id=event.id)
        entities = tracker.entities(event_id=event.id)
        story = tracker.story(event.story_id) if event.story_id else None
    languages = {a.id: a.language for a in articles}
    days, langs, counts = coverage(articles)
    outlets = Counter(outlet(a) for a in articles).most_common(TOP_OUTLETS)
    return render(
        request,
        "event.html",
        by_lang=Counter(a.language for a in articles).most_common(),
        by_outlet=outlets,
        days=days,
        languages=langs,
        counts=counts,
        timeline=sorted(articles, key=lambda a: (a.published.value is None, a.published.value or 0, a.id)),
        event=event,
        groups=by_language(articles),
        digest=digest,
        claims=claims,
        claim_languages=languages,
        entities=entities,
        story=story,
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, bench: Bench) -> Response:
    with bench.reader() as tracker:
        stories = tracker.stories()
    return render(request, "stories.html", stories=stories)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, bench: Bench, story_id: str) -> Response:
    with bench.reader() as tracker:
        story = tracker.story(story_id)
        events = [tracker.event(event_id) for event_id in story.event_ids]
        articles = [a for e in events for a in tracker.articles(event_id=e.id)]
    days, languages, counts = coverage(articles)
    return render(
        request, "story.html", story=story, events=events, days=days, languages=languages, counts=counts
    )


def outlet(article: Article) -> str:
    """Who published it: the site's name, else its URL's host; a local file says nothing about its outlet."""
    host = urlsplit(article.url).hostname if article.url else None
    return article.site or (host.removeprefix("www.") if host else "unknown outlet")


def coverage(articles: list[Article]) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Articles per (publication day, language) for a table: the days, the languages, the counts."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for a in articles:
        counts[(a.published.value.isoformat() if a.published.value else "undated", a.language)] += 1
    days = sorted({day for day, _ in counts})
    languages = sorted({lang for _, lang in counts})
    return days, languages, dict(counts)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, bench: Bench, type: Annotated[Literal["PER", "LOC", "ORG"] | None, Query()] = None
) -> Response:
    with bench.reader() as tracker:
        entities = tracker.entities(type=type)[:500]
    return render(request, "entities.html", entities=entities, type=type or "")


CO_OCCURRING = 15
CO_OCCURRENCE_ARTICLES = 500  # the newest articles looked at: bounds the work for a very famous entity


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, bench: Bench, entity_id: str) -> Response:
    return _entity_view(request, bench, entity_id)


def _entity_view(
    request: Request, bench: Bench, entity_id: str, *, error: ApiError | None = None, note: str = ""
) -> Response:
    """The entity page; after a failed merge or split it shows the error above the forms, with its status."""
    with bench.reader() as tracker:
        current = tracker.entity(entity_id).id
        if current != entity_id and error is None:  # an id merged away: the page of the entity it became
            return RedirectResponse(request.url_for("entity_page", entity_id=current).path, status_code=308)
        profile = tracker.entity_profile(current)
        claims = tracker.claims(entity_id=profile.entity.id)
        together = co_occurring(tracker, profile.entity.id, [a.id for a in profile.articles])
    aliases: dict[str, list[Any]] = defaultdict(list)
    for alias in sorted(profile.entity.aliases, key=lambda a: -a.count):
        aliases[alias.language].append(alias)
    response = render(
        request,
        "entity.html",
        profile=profile,
        aliases=sorted(aliases.items()),
        claims=claims,
        together=together,
        peak=max((count for _, count in profile.timeline), default=1),
        writable=bool(request.app.state.token),
        error=error,
        note=note,
    )
    if error is not None:
        response.status_code = error.status
    return response


def co_occurring(tracker: Tracker, entity_id: str, article_ids: list[str]) -> list[tuple[Entity, int]]:
    """Entities mentioned in the same articles, with the number of articles they share, most shared first."""
    per_article: dict[str, set[str]] = defaultdict(set)
    for m in tracker.store.mentions(article_ids=article_ids[-CO_OCCURRENCE_ARTICLES:]):
        if m.entity_id and m.entity_id != entity_id:
            per_article[m.article_id].add(m.entity_id)
    shared = Counter(i for ids in per_article.values() for i in ids)
    return [(tracker.entity(i), n) for i, n in shared.most_common(CO_OCCURRING)]


async def form_fields(request: Request) -> dict[str, str]:
    """A url-encoded form's fields (the first value of each); the pages' forms carry no files."""
    return {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}


@router.post("/entities/{entity_id}/merge", response_class=HTMLResponse)
async def merge_page(request: Request, bench: Bench, entity_id: str) -> Response:
    """The merge form of the entity page: the same tracker call as ``POST /api/v1/entities/{id}/merge``."""
    fields = await form_fields(request)
    into = fields.get("into", "").strip()
    return _correct(request, bench, entity_id, fields, lambda t: t.merge_entities(entity_id, into), into)


@router.post("/entities/{entity_id}/split", response_class=HTMLResponse)
async def split_page(request: Request, bench: Bench, entity_id: str) -> Response:
    """The split form of the entity page: the same tracker call as ``POST /api/v1/entities/{id}/split``."""
    fields = await form_fields(request)
    alias = fields.get("alias", "").strip()
    return _correct(request, bench, entity_id, fields, lambda t: t.split_entity(entity_id, alias), entity_id)


def _correct(
    request: Request,
    bench: Bench,
    entity_id: str,
    fields: dict[str, str],
    work: Callable[[Tracker], tuple[str, ...]],
    then: str,
) -> Response:
    """Run an analyst correction; on success go to the entity ``then`` shows, on failure show why in place."""
    try:
        check_token(request, fields.get("token") or None)
        bench.write(work)
    except ApiError as exc:
        return _entity_view(request, bench, entity_id, error=exc)
    except (NotFound, InputError) as exc:
        status, code = (404, "not_found") if isinstance(exc, NotFound) else (422, "invalid_input")
        return _entity_view(request, bench, entity_id, error=ApiError(status, code, str(exc)))
    try:
        with bench.reader() as tracker:
            then = tracker.entity(then).id
    except NotFound:  # re-linking after a split can give the entity a new id: back to the list then
        return RedirectResponse(request.url_for("entities_page").path, status_code=303)
    return RedirectResponse(request.url_for("entity_page", entity_id=then).path, status_code=303)


@dataclass(frozen=True)
class Piece:
    """A run of article text with what covers it: an entity mention, a date, a claim's stance."""

    text: str
    entity_id: str | None = None
    date: str | None = None
    stance: str | None = None


def pieces(article: Article, mentions: list[Mention], claims: list[Claim]) -> list[Piece]:
    """The article text cut at every span boundary, each run tagged with the spans covering it."""
    size = len(article.text)
    spans = [(m.start, m.end) for m in mentions] + [(t.start, t.end) for t in article.temporal]
    spans += [(c.start, c.end) for c in claims]
    cuts = sorted({0, size, *(min(max(x, 0), size) for span in spans for x in span)})
    out = []
    for lo, hi in itertools.pairwise(cuts):
        mention = next((m for m in mentions if m.start <= lo and hi <= m.end and m.entity_id), None)
        date = next((t for t in article.temporal if t.start <= lo and hi <= t.end), None)
        claim = next((c for c in claims if c.start <= lo and hi <= c.end), None)
        out.append(
            Piece(
                article.text[lo:hi],
                mention.entity_id if mention else None,
                date.value.iso() if date else None,
                claim.stance if claim else None,
            )
        )
    return out


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, bench: Bench, article_id: str) -> Response:
    with bench.reader() as tracker:
        article = tracker.article(article_id)
        mentions = tracker.mentions(article.id)
        event = tracker.event(article.event_id) if article.event_id else None
        claims = [c for c in tracker.claims(event_id=article.event_id) if c.article_id == article.id]
        names = (
            {e.id: e.name for e in tracker.entities(event_id=article.event_id)} if article.event_id else {}
        )
    entity_ids = sorted({m.entity_id for m in mentions if m.entity_id})
    chips = {m.entity_id: names.get(m.entity_id, m.text) for m in mentions if m.entity_id}
    return render(
        request,
        "article.html",
        article=article,
        pieces=pieces(article, mentions, claims),
        entities=[(i, chips[i]) for i in entity_ids],
        event=event,
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    bench: Bench,
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Annotated[Literal["text", "semantic"], Query()] = "text",
    language: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    hits = run_search(bench, q, mode, language or None, None, None)[:50] if q.strip() else []
    return render(request, "search.html", q=q, mode=mode, language=language or "", hits=hits)


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists_page(request: Request, bench: Bench, lists: Lists) -> Response:
    items = lists.all()
    fresh = {i.id: len(new_since_seen(i, [a.id for a in matches(bench, i)])) for i in items}
    return render(
        request, "watchlists.html", items=items, fresh=fresh, writable=bool(request.app.state.token)
    )


@router.post("/watchlists", response_class=HTMLResponse)
async def add_watchlist_page(request: Request, bench: Bench, lists: Lists) -> Response:
    """The form on entity and search pages: the analyst types the server's token into the form."""
    fields = await form_fields(request)
    check_token(request, fields.get("token") or None)
    kind = fields.get("kind", "")
    target = fields.get("target", "")
    if kind not in ("entity", "query"):
        raise ApiError(422, "invalid_request", "kind must be entity or query")
    if kind == "entity":
        with bench.reader() as tracker:
            tracker.entity(target)
    seen = [a.id for a in found_by(bench, kind, target)]  # type: ignore[arg-type]
    item = lists.add(fields.get("name") or target, kind, target, seen)  # type: ignore[arg-type]
    return RedirectResponse(request.url_for("watchlist_page", watchlist_id=item.id).path, status_code=303)


@router.get("/watchlists/{watchlist_id}", response_class=HTMLResponse)
def watchlist_page(request: Request, bench: Bench, lists: Lists, watchlist_id: str) -> Response:
    """The watchlist with what is new since the last visit marked; opening it moves the marker (as a feed
    reader marks what it showed as read), so a reload shows nothing new until new articles arrive."""
    item = lists.get(watchlist_id)
    articles = matches(bench, item)
    new = set(new_since_seen(item, [a.id for a in articles]))
    lists.mark_seen(item.id, [a.id for a in articles])
    return render(
        request,
        "watchlist.html",
        item=item,
        new=[a for a in articles if a.id in new],
        older=[a for a in articles if a.id not in new],
    )
