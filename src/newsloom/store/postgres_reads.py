"""Paged, filtered reads of the PostgreSQL store: the same listings as :mod:`.sqlite_reads`, one indexed query each.

Semantic search uses the pgvector HNSW index (iterative scans keep going until enough rows pass the filters);
full-text search the GIN index of the folded ``search`` column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..models import Article, Claim, Entity, Event, Story
from ..text import fold
from . import codec
from .paging import NO_FILTER, ArticleFilter, Key, Page, check_limit, decode_cursor, iso, page_of
from .postgres_schema import SEMANTIC_INDEX_EXPR, SEMANTIC_INDEX_WHERE

if TYPE_CHECKING:
    import psycopg

Vector = npt.NDArray[np.float32]
HNSW_EF_SEARCH = 400  # as PostgresStore.semantic_search: recall 0.94-1.00 at top 10 (bench/bench_store.py)
_WORD = re.compile(r"\w+", re.UNICODE)
_C = 'COLLATE "C"'  # ids sort bytewise, as in SQLite, whatever the database's collation


def article_conditions(f: ArticleFilter, alias: str = "") -> tuple[list[str], list[object]]:
    """SQL conditions (and their arguments) of an article filter, each served by an index of ``articles``."""
    p = f"{alias}." if alias else ""
    parts: list[tuple[str, list[object]]] = [
        (f"{p}language = %s", [f.language]) if f.language else ("", []),
        (f"{p}event_id = %s", [f.event_id]) if f.event_id else ("", []),
        (f"{p}event_id IN (SELECT id FROM events WHERE story_id = %s)", [f.story_id])
        if f.story_id
        else ("", []),
        (f"{p}id IN (SELECT article_id FROM mentions WHERE entity_id = %s)", [f.entity_id])
        if f.entity_id
        else ("", []),
        (f"({p}source = %s OR {p}site = %s)", [f.source, f.source]) if f.source else ("", []),
        (f"{p}published >= %s", [iso(f.since)]) if f.since else ("", []),
        (f"{p}published <= %s", [iso(f.until)]) if f.until else ("", []),
    ]
    return [sql for sql, _ in parts if sql], [arg for _, args in parts for arg in args]


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _bounds(limit: int, offset: int) -> list[object]:
    return [check_limit(limit) + 1, max(int(offset), 0)]


class PostgresReads:
    """Listings by page and filtered searches; mixed into :class:`~newsloom.store.postgres.PostgresStore`."""

    db: psycopg.Connection[dict[str, Any]]

    def _fetch(self, sql: str, args: list[object]) -> list[dict[str, Any]]:
        return self.db.execute(sql.encode(), args).fetchall()

    def find_article(self, article_id: str) -> Article | None:
        """The article with exactly this id, or the only one whose id starts with it (index ``articles_id_prefix``);
        ``None`` if there is none, ``InputError`` if the prefix is ambiguous."""
        rows = self._fetch("SELECT * FROM articles WHERE id = %s", [article_id])
        if not rows and article_id:
            pattern = re.sub(r"([\\%_])", r"\\\1", article_id) + "%"
            rows = self._fetch("SELECT * FROM articles WHERE id LIKE %s ORDER BY id LIMIT 2", [pattern])
            if len(rows) > 1:
                raise InputError(f"article id {article_id!r} is ambiguous: give more of it")
        return codec.article_from_row(rows[0]) if rows else None

    def article_page(
        self, filters: ArticleFilter = NO_FILTER, *, limit: int, cursor: str | None = None, offset: int = 0
    ) -> Page[Article]:
        """Articles in arrival order that pass ``filters``, one page after ``cursor`` (then ``offset`` more)."""
        conditions, args = article_conditions(filters)
        if cursor is not None:
            conditions.append("seq > %s")
            args.append(decode_cursor("articles", cursor, 1)[0])
        rows = self._fetch(
            f"SELECT * FROM articles{_where(conditions)} ORDER BY seq LIMIT %s OFFSET %s",
            [*args, *_bounds(limit, offset)],
        )
        return page_of(
            "articles", [codec.article_from_row(r) for r in rows], [(r["seq"],) for r in rows], limit
        )

    def event_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        story_id: str | None = None,
        language: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Page[Event]:
        """Events by date (undated last, then by id) whose span overlaps [since, until]; index ``events_start``."""
        conditions, args = _event_conditions(story_id, language, since, until)
        if cursor is not None:
            undated, start, event_id = decode_cursor("events", cursor, 3)
            if undated:
                conditions.append(f"(start IS NULL AND id {_C} > %s)")
                args.append(event_id)
            else:
                conditions.append(f"(start IS NULL OR (start {_C}, id {_C}) > (%s, %s))")
                args += [start, event_id]
        rows = self._fetch(
            f"SELECT *, (start IS NULL)::int AS undated FROM events{_where(conditions)} "
            f"ORDER BY start IS NULL, start {_C}, id {_C} LIMIT %s OFFSET %s",
            [*args, *_bounds(limit, offset)],
        )
        members: dict[str, list[str]] = {}
        for row in self._fetch(
            "SELECT id, event_id FROM articles WHERE event_id = ANY(%s) ORDER BY seq",
            [[r["id"] for r in rows]],
        ):
            members.setdefault(row["event_id"], []).append(row["id"])
        events = [codec.event_from_row(r, tuple(members.get(r["id"], []))) for r in rows]
        return page_of("events", events, [(r["undated"], r["start"], r["id"]) for r in rows], limit)

    def story_page(self, *, limit: int, cursor: str | None = None, offset: int = 0) -> Page[Story]:
        """Stories by id."""
        where, args = (
            ("", []) if cursor is None else (f" WHERE id {_C} > %s", [decode_cursor("stories", cursor, 1)[0]])
        )
        rows = self._fetch(
            f"SELECT * FROM stories{where} ORDER BY id {_C} LIMIT %s OFFSET %s",
            [*args, *_bounds(limit, offset)],
        )
        return page_of("stories", [codec.story_from_row(r) for r in rows], [(r["id"],) for r in rows], limit)

    def entity_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        type: str | None = None,
        event_id: str | None = None,
    ) -> Page[Entity]:
        """Entities most mentioned first (ties by id, descending); index ``entities_rank``/``entities_type_rank``."""
        conditions: list[str] = []
        args: list[object] = []
        if type:
            conditions.append("type = %s")
            args.append(type)
        if event_id:
            conditions.append(
                "id IN (SELECT m.entity_id FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE a.event_id = %s)"
            )
            args.append(event_id)
        if cursor is not None:
            count, entity_id = decode_cursor("entities", cursor, 2)
            conditions.append(f"(mention_count, id {_C}) < (%s, %s)")
            args += [count, entity_id]
        rows = self._fetch(
            f"SELECT * FROM entities{_where(conditions)} ORDER BY mention_count DESC, id {_C} DESC "
            "LIMIT %s OFFSET %s",
            [*args, *_bounds(limit, offset)],
        )
        keys: list[Key] = [(r["mention_count"], r["id"]) for r in rows]
        return page_of("entities", [codec.entity_from_row(r) for r in rows], keys, limit)

    def claim_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        event_id: str | None = None,
        entity_id: str | None = None,
        article_id: str | None = None,
    ) -> Page[Claim]:
        """Claims by id, of one event, speaker entity and/or article (each an indexed column)."""
        given = [
            ("event_id = %s", event_id),
            ("speaker_entity_id = %s", entity_id),
            ("article_id = %s", article_id),
        ]
        conditions = [sql for sql, value in given if value]
        args: list[object] = [value for _, value in given if value]
        if cursor is not None:
            conditions.append(f"id {_C} > %s")
            args.append(decode_cursor("claims", cursor, 1)[0])
        rows = self._fetch(
            f"SELECT * FROM claims{_where(conditions)} ORDER BY id {_C} LIMIT %s OFFSET %s",
            [*args, *_bounds(limit, offset)],
        )
        return page_of("claims", [codec.claim_from_row(r) for r in rows], [(r["id"],) for r in rows], limit)

    def search_page(
        self, query: str, filters: ArticleFilter = NO_FILTER, *, limit: int, offset: int = 0
    ) -> list[Article]:
        """Full-text matches that pass ``filters``, best first (folded words, each also as a prefix)."""
        words = _WORD.findall(fold(query))
        if not words:
            return []
        conditions, args = article_conditions(filters, "a")
        rows = self._fetch(
            "SELECT a.* FROM articles a, to_tsquery('simple', unaccent(%s)) q WHERE a.search @@ q"
            + "".join(f" AND {c}" for c in conditions)
            + " ORDER BY ts_rank(a.search, q) DESC, a.seq LIMIT %s OFFSET %s",
            [" & ".join(f"{w}:*" for w in words), *args, check_limit(limit), max(int(offset), 0)],
        )
        return [codec.article_from_row(r) for r in rows]

    def semantic_page(
        self,
        vector: Vector,
        filters: ArticleFilter = NO_FILTER,
        *,
        model: str,
        limit: int,
        offset: int = 0,
    ) -> list[tuple[Article, float]]:
        """Articles nearest ``vector`` by cosine that pass ``filters``, with their cosine, best first (HNSW for
        vectors of the indexed size, exact otherwise)."""
        query = np.asarray(vector, dtype=np.float32).ravel()
        if not query.size or not np.isfinite(query).all() or not np.any(query):
            raise InputError("semantic search needs a non-zero, finite query vector")
        indexed = f"vector_dims(vector) = {query.size}" == SEMANTIC_INDEX_WHERE
        column = SEMANTIC_INDEX_EXPR if indexed else "vector"
        cast = f"::vector({query.size})"
        conditions, args = article_conditions(filters, "a")
        where = (
            SEMANTIC_INDEX_WHERE if indexed else f"vector_dims(vector) = {int(query.size)}"
        ) + " AND model = %s"
        if conditions:
            where += f" AND e.article_id IN (SELECT a.id FROM articles a WHERE {' AND '.join(conditions)})"
        wanted = check_limit(limit) + max(int(offset), 0)
        sql = (
            f"SELECT a.*, 1 - (e.vector{cast} <=> %b{cast}) AS score FROM (SELECT e.article_id, e.vector, "
            f"{column} <=> %b{cast} AS distance FROM embeddings e WHERE {where} ORDER BY {column} <=> %b{cast} "
            "LIMIT %s) e JOIN articles a ON a.id = e.article_id ORDER BY e.distance, a.seq"
        )
        with self.db.transaction():
            self.db.execute(f"SET LOCAL hnsw.ef_search = {min(max(HNSW_EF_SEARCH, wanted), 1000)}".encode())
            self.db.execute(b"SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = self._fetch(sql, [query, query, model, *args, query, wanted])
        hits = [(codec.article_from_row(r), float(r["score"])) for r in rows]
        return hits[max(int(offset), 0) : wanted]


def _event_conditions(
    story_id: str | None, language: str | None, since: dt.date | None, until: dt.date | None
) -> tuple[list[str], list[object]]:
    """Conditions of an event listing: story, a language among its articles', a span overlapping the dates."""
    given = [
        ("story_id = %s", story_id),
        ("strpos(languages, %s) > 0", f'"{language}"' if language else None),
        ('coalesce("end", start) >= %s', since.isoformat() if since else None),
        ("start <= %s", until.isoformat() if until else None),
    ]
    return [sql for sql, value in given if value], [value for _, value in given if value]
