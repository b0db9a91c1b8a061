"""Watchlists: entities or queries an analyst follows, kept in a small JSON file beside the store.

They are the analyst's own settings rather than analysis results, so they live outside the store
(``news.db`` -> ``news.db.watchlists.json``) and survive a rebuild of the store's derived tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Literal

from ..errors import InputError, NotFound, StoreError

Kind = Literal["entity", "query"]


@dataclass(frozen=True)
class Watchlist:
    id: str
    name: str
    kind: Kind
    target: str  # an entity id, or the words of a full-text query
    created: str
    # The last-seen marker: when the analyst last opened it, and the ids it showed then. "New" is what it finds
    # now that it did not then (ids, not dates: an article can arrive late with an old publication date).
    seen_at: str | None = None
    seen: tuple[str, ...] = ()


#: Ids remembered per watchlist; the newest come first, so older ones drop off a very long list.
MAX_SEEN = 2000


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_since_seen(item: Watchlist, ids: Sequence[str]) -> list[str]:
    """Of ``ids`` (what the watchlist finds now), those not shown at the last visit."""
    seen = set(item.seen)
    return [i for i in ids if i not in seen]


class Watchlists:
    """Load, add and remove watchlists in one JSON file; writes replace the file atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def all(self) -> list[Watchlist]:
        if not self.path.exists():
            return []
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            return [Watchlist(**{**row, "seen": tuple(row.get("seen", ()))}) for row in rows]
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(f"{self.path}: cannot read watchlists: {exc}") from exc

    def get(self, watchlist_id: str) -> Watchlist:
        for item in self.all():
            if item.id == watchlist_id:
                return item
        raise NotFound(f"no watchlist {watchlist_id!r}")

    def add(self, name: str, kind: Kind, target: str, seen: Sequence[str] = ()) -> Watchlist:
        """A new watchlist; ``seen`` are the ids it finds today, so only later articles count as new."""
        if not name.strip() or not target.strip():
            raise InputError("a watchlist needs a non-empty name and target")
        created = _now()
        digest = hashlib.sha1(f"{kind}\0{target}\0{created}\0{name}".encode()).hexdigest()[:10]
        item = Watchlist(
            f"wl-{digest}", name.strip(), kind, target.strip(), created, created, tuple(seen[:MAX_SEEN])
        )
        with self._lock:
            self._save([*self.all(), item])
        return item

    def mark_seen(self, watchlist_id: str, ids: Sequence[str]) -> Watchlist:
        """Move the last-seen marker to now and ``ids`` (what the analyst was just shown)."""
        with self._lock:
            items = self.all()
            found = [i for i in items if i.id == watchlist_id]
            if not found:
                raise NotFound(f"no watchlist {watchlist_id!r}")
            marked = replace(found[0], seen_at=_now(), seen=tuple(ids[:MAX_SEEN]))
            self._save([marked if i.id == watchlist_id else i for i in items])
        return marked

    def remove(self, watchlist_id: str) -> None:
        with self._lock:
            items = self.all()
            kept = [i for i in items if i.id != watchlist_id]
            if len(kept) == len(items):
                raise NotFound(f"no watchlist {watchlist_id!r}")
            self._save(kept)

    def _save(self, items: Sequence[Watchlist]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps([asdict(i) for i in items], ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)
