"""Analyst corrections and imported names, kept in the store so they survive reprocessing.

Imported alias records (from ``newsloom entities import``) are stored as JSON; analyst merges and splits as the
entities stage's ``Corrections`` JSON. Both are applied every time entities are linked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .store import SQLiteStore

if TYPE_CHECKING:
    from .stages.entities import AliasRecord, Corrections

IMPORTED_ALIASES = "imported_aliases"
CORRECTIONS = "entity_corrections"


def imported_aliases(store: SQLiteStore) -> list[AliasRecord]:
    """Alias records imported earlier, in import order."""
    from .stages.entities import AliasRecord

    raw = store.get_state(IMPORTED_ALIASES)
    if not raw:
        return []
    return [
        AliasRecord(r["name"], r["type"], tuple((v[0], v[1]) for v in r["variants"]), r.get("source_id"))
        for r in json.loads(raw)
    ]


def add_imported_aliases(store: SQLiteStore, records: Sequence[AliasRecord]) -> None:
    """Append ``records`` to the stored imports (a later import of the same source id replaces the earlier)."""
    kept = {r.source_id or f"{r.type}:{r.name}": r for r in imported_aliases(store)}
    kept.update({r.source_id or f"{r.type}:{r.name}": r for r in records})
    payload = [
        {"name": r.name, "type": r.type, "variants": [list(v) for v in r.variants], "source_id": r.source_id}
        for r in kept.values()
    ]
    store.set_state(IMPORTED_ALIASES, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def corrections(store: SQLiteStore) -> Corrections:
    from .stages.entities import Corrections

    raw = store.get_state(CORRECTIONS)
    return Corrections.from_json(raw.decode("utf-8")) if raw else Corrections()


def save_corrections(store: SQLiteStore, value: Corrections) -> None:
    store.set_state(CORRECTIONS, value.to_json().encode("utf-8"))
