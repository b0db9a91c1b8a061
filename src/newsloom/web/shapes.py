"""JSON forms of the stored objects: plain dicts, dates as ISO strings, nothing computed here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..models import Article, Entity, Mention
from ..tracker import EntityProfile


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
