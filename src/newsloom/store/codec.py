"""Row <-> dataclass conversion for the SQL stores (shared so every backend stores the same shapes)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..models import (
    Alias,
    Article,
    Claim,
    DateValue,
    Entity,
    Event,
    PublicationDate,
    RemovedLine,
    Story,
    TemporalExpression,
)

if TYPE_CHECKING:
    from ..stages.cluster import EventState
    from ..stages.entities import AliasRecord
    from ..stages.stories import EventProfile


class Row(Protocol):
    """A result row read by column name: ``sqlite3.Row`` or a psycopg ``dict_row``."""

    def __getitem__(self, key: str, /) -> Any: ...


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def temporal_to_json(items: tuple[TemporalExpression, ...]) -> str:
    return json.dumps(
        [
            {
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "kind": t.kind,
                "value": {
                    "start": t.value.start.isoformat(),
                    "end": t.value.end.isoformat(),
                    "granularity": t.value.granularity,
                },
            }
            for t in items
        ],
        ensure_ascii=False,
    )


def temporal_from_json(raw: str) -> tuple[TemporalExpression, ...]:
    out = []
    for item in json.loads(raw):
        value = item["value"]
        out.append(
            TemporalExpression(
                text=item["text"],
                start=item["start"],
                end=item["end"],
                kind=item["kind"],
                value=DateValue(
                    dt.date.fromisoformat(value["start"]),
                    dt.date.fromisoformat(value["end"]),
                    value["granularity"],
                ),
            )
        )
    return tuple(out)


def article_row(article: Article, ingested_at: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "origin": article.origin,
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "language_confidence": article.language_confidence,
        "published": article.published.value.isoformat() if article.published.value else None,
        "published_how": article.published.how,
        "published_evidence": article.published.evidence,
        "temporal": temporal_to_json(article.temporal),
        "url": article.url,
        "site": article.site,
        "duplicate_of": article.duplicate_of,
        "event_id": article.event_id,
        "ingested_at": ingested_at,
    }


def article_from_row(row: Row, removed: tuple[RemovedLine, ...] = ()) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        origin=row["origin"],
        title=row["title"],
        text=row["text"],
        language=row["language"],
        language_confidence=row["language_confidence"],
        published=PublicationDate(_date(row["published"]), row["published_how"], row["published_evidence"]),
        temporal=temporal_from_json(row["temporal"]),
        removed=removed,
        url=row["url"],
        site=row["site"],
        duplicate_of=row["duplicate_of"],
        event_id=row["event_id"],
    )


def entity_from_row(row: Row) -> Entity:
    aliases = tuple(Alias(a["text"], a["language"], a["count"]) for a in json.loads(row["aliases"]))
    return Entity(row["id"], row["name"], row["type"], aliases, row["mention_count"])


def aliases_to_json(entity: Entity) -> str:
    return json.dumps(
        [{"text": a.text, "language": a.language, "count": a.count} for a in entity.aliases],
        ensure_ascii=False,
    )


def event_from_row(row: Row, article_ids: tuple[str, ...]) -> Event:
    return Event(
        id=row["id"],
        title=row["title"],
        start=_date(row["start"]),
        end=_date(row["end"]),
        article_ids=article_ids,
        languages=tuple(json.loads(row["languages"])),
        sources=row["sources"],
        story_id=row["story_id"],
        titles=json.loads(row["titles"]),
        summary=row["summary"],
    )


def story_from_row(row: Row) -> Story:
    return Story(row["id"], row["title"], tuple(json.loads(row["event_ids"])), row["summary"])


def claim_from_row(row: Row) -> Claim:
    return Claim(
        id=row["id"],
        article_id=row["article_id"],
        event_id=row["event_id"],
        speaker=row["speaker"],
        speaker_entity_id=row["speaker_entity_id"],
        quote=row["quote"],
        stance=row["stance"],
        kind=row["kind"],
        start=row["start"],
        end=row["end"],
        claim_group_id=row["claim_group_id"],
    )


def date_or_none(value: str | None) -> dt.date | None:
    return _date(value)


def event_values(e: Event) -> tuple[Any, ...]:
    """Column values of an ``events`` row, in the table's order."""
    return (e.id, e.title, e.start.isoformat() if e.start else None, e.end.isoformat() if e.end else None,
            json.dumps(list(e.languages)), e.sources, e.story_id, json.dumps(e.titles, ensure_ascii=False),
            e.summary)  # fmt: skip


def claim_values(c: Claim) -> tuple[Any, ...]:
    """Column values of a ``claims`` row, in the table's order."""
    return (c.id, c.article_id, c.event_id, c.speaker, c.speaker_entity_id, c.quote, c.stance, c.kind, c.start,
            c.end, c.claim_group_id)  # fmt: skip


def profile_values(p: EventProfile) -> tuple[Any, ...]:
    """Column values of a ``story_profiles`` row."""
    return (p.event_id, np.asarray(p.centroid, dtype=np.float32).tobytes(), json.dumps(sorted(p.entities)),
            json.dumps(list(p.key_terms), ensure_ascii=False), p.start.isoformat() if p.start else None,
            p.end.isoformat() if p.end else None, p.size)  # fmt: skip


def profile_from_row(row: Row) -> EventProfile:
    from ..stages.stories import EventProfile

    return EventProfile(row["event_id"], np.frombuffer(row["centroid"], dtype=np.float32),
                        frozenset(json.loads(row["entities"])), tuple(json.loads(row["key_terms"])),
                        _date(row["start"]), _date(row["end"]), row["size"])  # fmt: skip


def event_state_from_row(r: Row) -> EventState:
    """One ``cluster_events`` row as the clusterer's :class:`~newsloom.stages.cluster.EventState`."""
    from ..stages.cluster import EventState

    return EventState(r["id"], r["pool"], r["size"], bytes(r["vec_sum"]), json.loads(r["terms"]),
                      json.loads(r["entities"]), json.loads(r["languages"]), _date(r["first"]), _date(r["last"]),
                      r["seen"], r["language"], r["archived_rank"])  # fmt: skip


def alias_record_key(record: AliasRecord) -> str:
    """The key an imported name record is kept under: its source id, else type and name (a later import of the
    same key replaces the earlier)."""
    return record.source_id or f"{record.type}:{record.name}"


def alias_record_to_json(record: AliasRecord) -> str:
    return json.dumps(
        {"name": record.name, "type": record.type, "variants": [list(v) for v in record.variants],
         "source_id": record.source_id},
        ensure_ascii=False,
    )  # fmt: skip


def alias_record_from_json(raw: str | bytes) -> AliasRecord:
    from ..stages.entities import AliasRecord

    r = json.loads(raw)
    return AliasRecord(r["name"], r["type"], tuple((v[0], v[1]) for v in r["variants"]), r.get("source_id"))
