"""JSON forms of the stored objects, shared by the HTTP API and ``newsloom ... --json``: one serialiser, so a
script gets the same fields from either interface. Plain dicts, dates as ISO strings, nothing computed here.

Field names are a public contract (``docs/cli.md``, ``docs/web.md``): later versions add fields, never rename.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .models import Article, Claim, Entity, Event, Mention, Story

if TYPE_CHECKING:  # the tracker imports every stage; the shapes only need its profile's type
    from .tracker import EntityProfile, Tracker


def plain(value: Any) -> Any:
    """Dataclasses, tuples and dates as JSON-ready values: ``plain(dt.date(2024, 6, 19))`` -> ``'2024-06-19'``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def article_summary(article: Article) -> dict[str, Any]:
    """An article in a listing: everything but its text and analysis spans."""
    return {
        "id": article.id,
        "title": article.title,
        "language": article.language,
        "published": plain(article.published),
        "source": article.source,
        "site": article.site,
        "url": article.url,
        "event_id": article.event_id,
        "duplicate_of": article.duplicate_of,
    }


def article_detail(article: Article, mentions: Sequence[Mention]) -> dict[str, Any]:
    """An article in full: cleaned text, removed boilerplate, dates and entity mentions with their offsets."""
    return {
        **article_summary(article),
        "origin": article.origin,
        "language_confidence": article.language_confidence,
        "text": article.text,
        "temporal": plain(article.temporal),
        "removed": plain(article.removed),
        "mentions": plain(list(mentions)),
    }


def entity_detail(profile: EntityProfile) -> dict[str, Any]:
    """An entity with the ids of the articles and events that mention it and its mentions per month."""
    entity: Entity = profile.entity
    return {
        **plain(entity),
        "article_ids": [a.id for a in profile.articles],
        "event_ids": [e.id for e in profile.events],
        "timeline": [{"month": month, "mentions": count} for month, count in profile.timeline],
    }


def search_result(article: Article, score: float | None) -> dict[str, Any]:
    """A search result: the article's listing form with its ``score`` (cosine, or ``None`` for full text)."""
    return {**article_summary(article), "score": score}


KINDS = {Article: "article", Event: "event", Story: "story", Entity: "entity", Claim: "claim"}


def item_detail(tracker: Tracker, thing: Article | Event | Story | Entity | Claim) -> dict[str, Any]:
    """Whatever ``show`` found, as the API's route for one object of its kind answers, plus ``object`` naming the
    kind (``"article"``, ``"event"``, ...; not ``kind`` or ``type``, which claims and entities use already)."""
    if isinstance(thing, Article):
        body = article_detail(thing, tracker.mentions(thing.id))
    elif isinstance(thing, Entity):
        body = entity_detail(tracker.entity_profile(thing.id))
    else:
        body = plain(thing)
    return {"object": KINDS[type(thing)], **body}
