"""Pages of read results for both backends: filters, a page with the cursor of the next one, cursor encoding.

Lists page by *keyset*: a cursor holds the sort key of the last row shown, and the next page starts after it
with an indexed ``WHERE key > cursor ... LIMIT n``. The cost of a page then follows the page size, not how deep
the page is or how big the store is, and rows added meanwhile never shift a page (an offset would).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import InputError

T = TypeVar("T")
MAX_LIMIT = 1000  # rows one page may ask for: bounds the work of one read


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing and the cursor that continues it (``None`` on the last page).

    >>> Page((1, 2), next=None).items
    (1, 2)
    """

    items: tuple[T, ...]
    next: str | None = None


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a listing or a search keeps; every field left ``None`` keeps all.

    ``since``/``until`` bound the publication date (an undated article passes only when neither is given);
    ``source`` matches the article's source or site; ``entity_id`` keeps articles that mention the entity.

    >>> ArticleFilter(language="pl").language
    'pl'
    """

    language: str | None = None
    event_id: str | None = None
    story_id: str | None = None
    entity_id: str | None = None
    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


NO_FILTER = ArticleFilter()

Key = tuple[str | int | None, ...]


def encode_cursor(kind: str, key: Key) -> str:
    """An opaque, URL-safe cursor for the row whose sort key is ``key`` in listing ``kind``.

    >>> decode_cursor("events", encode_cursor("events", ("2024-06-19", "ev-1")), 2)
    ('2024-06-19', 'ev-1')
    """
    raw = json.dumps([kind, *key], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str, size: int) -> Key:
    """The sort key a cursor of listing ``kind`` carries; anything else is an ``InputError`` (never a wrong page)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"invalid cursor {cursor[:40]!r}: start again from the first page") from exc
    if (
        not isinstance(value, list)
        or len(value) != size + 1
        or value[0] != kind
        or not all(v is None or (isinstance(v, str | int) and not isinstance(v, bool)) for v in value[1:])
    ):
        raise InputError(f"invalid cursor {cursor[:40]!r} for {kind}: start again from the first page")
    return tuple(value[1:])


def check_limit(limit: int) -> int:
    """``limit`` if it is a page size this store serves; an ``InputError`` that says the bounds otherwise."""
    if not 1 <= int(limit) <= MAX_LIMIT:
        raise InputError(f"page size must be 1-{MAX_LIMIT}, got {limit}")
    return int(limit)


def page_of(kind: str, rows: Sequence[T], keys: Sequence[Key], limit: int) -> Page[T]:
    """The first ``limit`` of ``rows`` (read one past the page) with a cursor at the last one if more follow."""
    if len(rows) <= limit:
        return Page(tuple(rows))
    return Page(tuple(rows[:limit]), encode_cursor(kind, keys[limit - 1]))


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def walk(read: Callable[..., Page[T]], size: int = 500) -> Iterator[T]:
    """Every item of a listing, read ``size`` at a time by following its cursors (memory stays one page).

    >>> from newsloom.store import open_store
    >>> list(walk(open_store(":memory:").event_page))
    []
    """
    cursor: str | None = None
    while True:
        page = read(limit=size, cursor=cursor)
        yield from page.items
        if page.next is None:
            return
        cursor = page.next
