"""Paged, filtered reads of the SQLite store (the listings behind the CLI and the HTTP API), one indexed query each.

Every listing reads one row past its page (that row says whether a next page exists) and filters in SQL, so a
page costs about the same at 1k and 100k articles. Semantic search ranks a float32 matrix of the stored vectors
kept by the store object (read once, then only the rows added since) and reads only the hits as articles.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..models import Article, Claim, Entity, Event, Story
from ..text import fold
from . import codec
from .paging import NO_FILTER, ArticleFilter, Key, Page, check_limit, decode_cursor, iso, page_of
from .sqlite_analysis import chunks

Vector = npt.NDArray[np.float32]
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class _Vectors:
    """Unit vectors of one model's stored embeddings, as of embeddings rowid ``mark``."""

    ids: list[str]
    matrix: Vector
    mark: int
    position: dict[str, int]  # row of each article id
    first: str | None  # article id of the table's first row when read


# A server opens one store per thread: the vectors are shared between the store objects of one file so they
# are held once per process (150 MB at 100k x 384), not once per thread. An entry is an immutable snapshot,
# checked against the table on every search, so what a search returns never depends on what ran before.
_SHARED: dict[tuple[str, str, int], _Vectors] = {}
_SHARED_LOCK = threading.Lock()


def _unit(matrix: Vector) -> Vector:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)


def article_conditions(f: ArticleFilter, alias: str = "") -> tuple[list[str], list[object]]:
    """SQL conditions (and their arguments) of an article filter, each served by an index of ``articles``.

    SQLite keeps no statistics unless asked, so it may walk the language index and test each row against an
    entity's hundred mentions (100 ms at 100k). When an event, story or entity narrows the set, the broad
    columns get a unary ``+``, which keeps their index out of the plan.
    """
    p = f"{alias}." if alias else ""
    b = "+" if f.event_id or f.story_id or f.entity_id else ""
    parts: list[tuple[str, list[object]]] = [
        (f"{b}{p}language = ?", [f.language]) if f.language else ("", []),
        (f"{p}event_id = ?", [f.event_id]) if f.event_id else ("", []),
        (f"{p}event_id IN (SELECT id FROM events WHERE story_id = ?)", [f.story_id])
        if f.story_id
        else ("", []),
        (f"{p}id IN (SELECT article_id FROM mentions WHERE entity_id = ?)", [f.entity_id])
        if f.entity_id
        else ("", []),
        (f"({b}{p}source = ? OR {b}{p}site = ?)", [f.source, f.source]) if f.source else ("", []),
        (f"{b}{p}published >= ?", [iso(f.since)]) if f.since else ("", []),
        (f"{b}{p}published <= ?", [iso(f.until)]) if f.until else ("", []),
    ]
    return [sql for sql, _ in parts if sql], [arg for _, args in parts for arg in args]


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


class SQLiteReads:
    """Listings by page and filtered searches; mixed into :class:`~newsloom.store.sqlite.SQLiteStore`."""

    db: sqlite3.Connection
    path: str

    def find_article(self, article_id: str) -> Article | None:
        """The article with exactly this id, or the only one whose id starts with it (a range on the id index);
        ``None`` if there is none, ``InputError`` if the prefix is ambiguous."""
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and article_id:
            upper = article_id[:-1] + chr(ord(article_id[-1]) + 1)
            rows = self.db.execute(
                "SELECT * FROM articles WHERE id > ? AND id < ? ORDER BY id LIMIT 2", (article_id, upper)
            ).fetchall()
            if len(rows) > 1:
                raise InputError(f"article id {article_id!r} is ambiguous: give more of it")
            row = rows[0] if rows else None
        return codec.article_from_row(row) if row is not None else None

    def article_page(
        self, filters: ArticleFilter = NO_FILTER, *, limit: int, cursor: str | None = None, offset: int = 0
    ) -> Page[Article]:
        """Articles in arrival order that pass ``filters``, one page after ``cursor`` (then ``offset`` more)."""
        conditions, args = article_conditions(filters)
        if cursor is not None:
            conditions.append("seq > ?")
            args.append(decode_cursor("articles", cursor, 1)[0])
        # The page's arrival numbers first (indexes and the sorter carry only seq), then those rows: sorting
        # whole rows with their text is what made a broad filter cost 100+ ms at 100k.
        sql = (
            f"SELECT * FROM articles WHERE seq IN (SELECT seq FROM articles{_where(conditions)} "
            "ORDER BY seq LIMIT ? OFFSET ?) ORDER BY seq"
        )
        rows = self.db.execute(sql, [*args, check_limit(limit) + 1, max(int(offset), 0)]).fetchall()
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
        dated, dated_args = ["start IS NOT NULL", *conditions], list(args)
        undated, undated_args = ["start IS NULL", *conditions], list(args)
        if cursor is not None:
            past_dated, start, event_id = decode_cursor("events", cursor, 3)
            if past_dated:
                dated.append("0")
                undated.append("id > ?")
                undated_args.append(event_id)
            else:
                dated.append("(start, id) > (?, ?)")
                dated_args += [start, event_id]
        # Dated events walk the events_start index and undated ones the primary key, each stopping after the
        # page; only those few rows are sorted (an ORDER BY on "start IS NULL" would sort every event).
        reach = check_limit(limit) + 1 + max(int(offset), 0)
        sql = (
            f"SELECT * FROM (SELECT *, 0 AS undated FROM events{_where(dated)} ORDER BY start, id LIMIT ?) "
            f"UNION ALL SELECT * FROM (SELECT *, 1 AS undated FROM events{_where(undated)} ORDER BY id LIMIT ?) "
            "ORDER BY undated, start, id LIMIT ? OFFSET ?"
        )
        bounds = [limit + 1, max(int(offset), 0)]
        rows = self.db.execute(sql, [*dated_args, reach, *undated_args, reach, *bounds]).fetchall()
        members = self._members([r["id"] for r in rows[:limit]])
        events = [codec.event_from_row(r, tuple(members.get(r["id"], []))) for r in rows]
        return page_of("events", events, [(r["undated"], r["start"], r["id"]) for r in rows], limit)

    def _members(self, event_ids: list[str]) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for part in chunks(event_ids):
            for row in self.db.execute(
                f"SELECT id, event_id FROM articles WHERE event_id IN ({','.join('?' * len(part))}) ORDER BY seq",
                list(part),
            ):
                members.setdefault(row[1], []).append(row[0])
        return members

    def story_page(self, *, limit: int, cursor: str | None = None, offset: int = 0) -> Page[Story]:
        """Stories by id."""
        where, args = (
            ("", []) if cursor is None else (" WHERE id > ?", [decode_cursor("stories", cursor, 1)[0]])
        )
        rows = self.db.execute(
            f"SELECT * FROM stories{where} ORDER BY id LIMIT ? OFFSET ?",
            [*args, check_limit(limit) + 1, max(int(offset), 0)],
        ).fetchall()
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
            conditions.append("type = ?")
            args.append(type)
        if event_id:
            conditions.append(
                "id IN (SELECT m.entity_id FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE a.event_id = ?)"
            )
            args.append(event_id)
        if cursor is not None:
            count, entity_id = decode_cursor("entities", cursor, 2)
            conditions.append("(mention_count, id) < (?, ?)")
            args += [count, entity_id]
        rows = self.db.execute(
            f"SELECT * FROM entities{_where(conditions)} ORDER BY mention_count DESC, id DESC LIMIT ? OFFSET ?",
            [*args, check_limit(limit) + 1, max(int(offset), 0)],
        ).fetchall()
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
        conditions = [
            sql
            for sql, value in (
                ("event_id = ?", event_id),
                ("speaker_entity_id = ?", entity_id),
                ("article_id = ?", article_id),
            )
            if value
        ]
        args: list[object] = [v for v in (event_id, entity_id, article_id) if v]
        if cursor is not None:
            conditions.append("id > ?")
            args.append(decode_cursor("claims", cursor, 1)[0])
        rows = self.db.execute(
            f"SELECT * FROM claims{_where(conditions)} ORDER BY id LIMIT ? OFFSET ?",
            [*args, check_limit(limit) + 1, max(int(offset), 0)],
        ).fetchall()
        return page_of("claims", [codec.claim_from_row(r) for r in rows], [(r["id"],) for r in rows], limit)

    def search_page(
        self, query: str, filters: ArticleFilter = NO_FILTER, *, limit: int, offset: int = 0
    ) -> list[Article]:
        """Full-text matches that pass ``filters``, best first (folded words, each also as a prefix)."""
        words = _WORD.findall(fold(query))
        if not words:
            return []
        conditions, args = article_conditions(filters, "a")
        rows = self.db.execute(
            "SELECT a.* FROM articles_fts f JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH ?"
            + "".join(f" AND {c}" for c in conditions)
            + " ORDER BY bm25(articles_fts) LIMIT ? OFFSET ?",
            [" ".join(f'"{w}"*' for w in words), *args, check_limit(limit), max(int(offset), 0)],
        ).fetchall()
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
        """Articles nearest ``vector`` by cosine (exact) that pass ``filters``, with their cosine, best first."""
        query = np.asarray(vector, dtype=np.float32).ravel()
        if not query.size or not np.isfinite(query).all() or not np.any(query):
            raise InputError("semantic search needs a non-zero, finite query vector")
        vectors = self._vector_matrix(model, query.size)
        if not vectors.ids:
            return []
        # One matrix-vector product over every stored vector (100k x 384: ~10 ms; einsum, not BLAS, whose threads
        # cost 100x on a busy machine), then only the best ``wanted`` rows that pass the filters are read.
        scores = np.einsum("ij,j->i", vectors.matrix, query / np.linalg.norm(query))
        wanted = check_limit(limit) + max(int(offset), 0)
        rows = np.arange(len(vectors.ids)) if filters == NO_FILTER else self._passing(vectors, filters)
        if len(rows) > wanted:
            rows = rows[np.argpartition(-scores[rows], wanted - 1)[:wanted]]
        rows = rows[np.argsort(-scores[rows], kind="stable")][max(int(offset), 0) :]
        ids = [vectors.ids[i] for i in rows]
        found: dict[str, Article] = {}
        for part in chunks(ids):
            found.update(
                (r["id"], codec.article_from_row(r))
                for r in self.db.execute(
                    f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(part))})", part
                )
            )
        return [(found[i], float(scores[row])) for i, row in zip(ids, rows, strict=True) if i in found]

    def _passing(self, vectors: _Vectors, filters: ArticleFilter) -> npt.NDArray[np.intp]:
        """Rows of ``vectors`` whose article passes ``filters`` (one indexed query for the ids)."""
        conditions, args = article_conditions(filters)
        position = vectors.position
        rows = [
            position[r[0]]
            for r in self.db.execute(f"SELECT id FROM articles{_where(conditions)}", args)
            if r[0] in position
        ]
        return np.asarray(sorted(rows), dtype=np.intp)

    def _vector_matrix(self, model: str, dims: int) -> _Vectors:
        """This model's unit vectors of ``dims`` dimensions: read once, then topped up with the rows added since.

        New and replaced embeddings get a new rowid, so rows past ``mark`` are appended (a replaced one
        overwrites its article's row); a lower mark than held means rows were deleted, and the matrix is read
        again.
        """
        # max(rowid) is one index probe; count(*) would walk the table (20 ms at 100k). Embeddings are only ever
        # added (an article's text, hence its vector, never changes; rows go only with their article), so a new
        # rowid past the mark is the change to look for, and a lower mark means the table was emptied.
        # The first row's article tells a file made anew at the same path (and inode) from the one held.
        mark, first = self.db.execute(
            "SELECT coalesce(max(rowid), 0), (SELECT article_id FROM embeddings ORDER BY rowid LIMIT 1) "
            "FROM embeddings"
        ).fetchone()
        key = (self._file_key(), model, dims)
        with _SHARED_LOCK:
            held = _SHARED.get(key) if key[0] else None
        if held is None or mark < held.mark or first != held.first:
            held = _Vectors([], np.zeros((0, dims), dtype=np.float32), 0, {}, first)
        if mark > held.mark:
            held = self._top_up(held, model, dims)
            held = _Vectors(held.ids, held.matrix, int(mark), held.position, first)
            if key[0]:
                with _SHARED_LOCK:
                    _SHARED[key] = held
        return held

    def _file_key(self) -> str:
        """The store file as a cache key (path and inode: a file made anew at the same path is another store)."""
        if self.path == ":memory:":
            return ""
        try:
            return f"{os.path.realpath(self.path)}\x00{os.stat(self.path).st_ino}"
        except OSError:
            return ""

    def _top_up(self, held: _Vectors, model: str, dims: int) -> _Vectors:
        cursor = self.db.cursor()
        cursor.row_factory = None
        rows = cursor.execute(
            "SELECT article_id, vector FROM embeddings WHERE rowid > ? AND model = ? AND length(vector) = ?",
            (held.mark, model, dims * 4),
        ).fetchall()
        if not rows:
            return held
        position = dict(held.position)
        fresh = _unit(np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dims))
        ids, matrix = list(held.ids), held.matrix
        replaced = [(position[r[0]], k) for k, r in enumerate(rows) if r[0] in position]
        if replaced:
            matrix = matrix.copy()
            for row, k in replaced:
                matrix[row] = fresh[k]
        added = [k for k, r in enumerate(rows) if r[0] not in position]
        ids += [rows[k][0] for k in added]
        position.update(
            (article_id, i) for i, article_id in enumerate(ids[len(held.ids) :], start=len(held.ids))
        )
        return _Vectors(ids, np.concatenate([matrix, fresh[added]]), held.mark, position, held.first)


def _event_conditions(
    story_id: str | None, language: str | None, since: dt.date | None, until: dt.date | None
) -> tuple[list[str], list[object]]:
    """Conditions of an event listing: story, a language among its articles', a span overlapping the dates."""
    conditions: list[str] = []
    args: list[object] = []
    if story_id:
        conditions.append("story_id = ?")
        args.append(story_id)
    if language:
        conditions.append("instr(languages, ?) > 0")
        args.append(f'"{language}"')
    if since:
        conditions.append("coalesce(end, start) >= ?")
        args.append(since.isoformat())
    if until:
        conditions.append("start <= ?")
        args.append(until.isoformat())
    return conditions, args
