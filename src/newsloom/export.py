"""The stable export contract: plain dicts built from the dataclasses, then JSON, JSONL or CSV.

Field names here are a public contract (``schema/export.schema.json``): later versions add fields, never rename.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError
from .models import Article, Claim, Entity, Event, Mention, Story

FORMATS = ("json", "jsonl", "csv")
TABLES = ("articles", "entities", "events", "stories", "claims")
SCHEMA_PATH = Path(__file__).parent / "schema" / "export.schema.json"


@dataclass(frozen=True)
class Snapshot:
    """Everything the store holds, ready to export."""

    articles: Sequence[Article]
    mentions: Mapping[str, Sequence[Mention]]
    entities: Sequence[Entity]
    events: Sequence[Event]
    stories: Sequence[Story]
    claims: Sequence[Claim]


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def article_dict(article: Article, mentions: Sequence[Mention]) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "origin": article.origin,
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "language_confidence": round(article.language_confidence, 4),
        "published": _date(article.published.value),
        "published_how": article.published.how,
        "published_evidence": article.published.evidence,
        "duplicate_of": article.duplicate_of,
        "event_id": article.event_id,
        "url": article.url,
        "site": article.site,
        "dates": [
            {"text": t.text, "start": t.start, "end": t.end, "value": t.value.iso(), "kind": t.kind}
            for t in article.temporal
        ],
        "mentions": [
            {"entity_id": m.entity_id, "text": m.text, "start": m.start, "end": m.end, "type": m.type}
            for m in mentions
        ],
    }


def entity_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": [{"text": a.text, "language": a.language, "count": a.count} for a in entity.aliases],
        "mention_count": entity.mention_count,
    }


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "summary": event.summary,
        "start": _date(event.start),
        "end": _date(event.end),
        "article_ids": list(event.article_ids),
        "languages": list(event.languages),
        "sources": event.sources,
        "story_id": event.story_id,
        "titles": dict(event.titles),
    }


def story_dict(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "summary": story.summary,
        "event_ids": list(story.event_ids),
    }


def claim_dict(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "event_id": claim.event_id,
        "article_id": claim.article_id,
        "speaker_entity_id": claim.speaker_entity_id,
        "speaker": claim.speaker,
        "quote": claim.quote,
        "stance": claim.stance,
        "kind": claim.kind,
        "start": claim.start,
        "end": claim.end,
        "claim_group_id": claim.claim_group_id,
    }


def snapshot_dict(snapshot: Snapshot) -> dict[str, list[dict[str, Any]]]:
    """The whole export as one JSON-ready object."""
    return {
        "articles": [article_dict(a, snapshot.mentions.get(a.id, ())) for a in snapshot.articles],
        "entities": [entity_dict(e) for e in snapshot.entities],
        "events": [event_dict(e) for e in snapshot.events],
        "stories": [story_dict(s) for s in snapshot.stories],
        "claims": [claim_dict(c) for c in snapshot.claims],
    }


def _csv_cell(value: Any) -> Any:
    # Lists and objects go into one cell as JSON so nothing is lost in CSV.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def write_export(snapshot: Snapshot, fmt: str, out: TextIO, *, table: str = "articles") -> int:
    """Write ``snapshot`` as ``json`` (one object), ``jsonl`` (one line per record, with ``kind``) or ``csv``
    (one ``table``); returns the number of records written."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise InputError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    data = snapshot_dict(snapshot)
    if fmt == "json":
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return sum(len(v) for v in data.values())
    if fmt == "jsonl":
        count = 0
        for kind, records in data.items():
            for record in records:
                out.write(
                    json.dumps(
                        {"kind": kind[:-1] if kind != "stories" else "story", **record}, ensure_ascii=False
                    )
                    + "\n"
                )
                count += 1
        return count
    return _write_csv(data[table], out)


def _write_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    rows = list(records)
    if not rows:
        return 0
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return len(rows)
