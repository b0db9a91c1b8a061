"""The PostgreSQL store (extra ``[postgres]``): the same tables as SQLite, pgvector HNSW, folded full-text search.

Open it with a URL: ``open_store("postgresql://user@host/db")``. The database needs the ``vector`` (pgvector) and
``unaccent`` extensions; they are created on first use when the user may, otherwise an administrator runs
``CREATE EXTENSION vector; CREATE EXTENSION unaccent;`` once. Every write runs in one transaction holding a
transaction-level advisory lock, so two writers on one database serialise (the second waits up to
``LOCK_TIMEOUT_S``, then fails with a clear error); readers never wait (MVCC).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from ..errors import InputError, NotFound, StoreError
from ..models import Article, Claim, Entity, Event, Mention, Rejected, RemovedLine, Story
from ..text import fold
from . import codec
from .postgres_analysis import PostgresAnalysis, register_vector
from .postgres_reads import PostgresReads
from .postgres_schema import EXTENSIONS, MIGRATIONS, SCHEMA_VERSION, SEMANTIC_INDEX_EXPR, SEMANTIC_INDEX_WHERE

if TYPE_CHECKING:
    import psycopg

LOCK_TIMEOUT_S = 60  # how long a writer waits for another writer's transaction (one batch) to finish
WRITE_LOCK = 0x6E65_7773_6C6F_6F6D  # "newsloom": the advisory lock every write transaction holds
MIGRATE_LOCK = WRITE_LOCK + 1
SEARCH_WORDS = 200_000  # words of one article indexed for search (a tsvector holds at most 1 MB)
SIGNATURE_PAGE = 5_000
# Candidates HNSW keeps per query (at least the number of results asked for). bench/bench_store.py, 20k synthetic
# vectors, top 10, two runs: ef 100 recall 0.80-0.82, 200 0.94-0.95, 400 1.00 at 16-36 ms (busy 2-core machine).
HNSW_EF_SEARCH = 400
_QUERY_TOKEN = re.compile(r"\w+", re.UNICODE)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def redact(url: str) -> str:
    """The URL without its password, for messages.

    >>> redact("postgresql://me:secret@db.example/news")
    'postgresql://me:***@db.example/news'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _text(value: object) -> object:
    """PostgreSQL text cannot hold NUL (SQLite can): drop it rather than fail a whole batch over one byte."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def search_text(text: str) -> str:
    """Folded words of ``text`` separated by spaces: what the full-text index sees (the query is cut alike)."""
    return " ".join(_QUERY_TOKEN.findall(fold(text))[:SEARCH_WORDS])


def _where(conditions: Sequence[tuple[str, object]]) -> tuple[str, list[object]]:
    """`` WHERE a AND b`` for the conditions whose value is given (``None`` or empty skips one), with arguments."""
    used = [(sql, value) for sql, value in conditions if value]
    return (" WHERE " + " AND ".join(sql for sql, _ in used) if used else ""), [value for _, value in used]


def _connect(url: str) -> psycopg.Connection[dict[str, Any]]:
    try:
        import psycopg
        from psycopg.rows import dict_row
    except ImportError as exc:
        raise StoreError(
            f"{redact(url)}: PostgreSQL needs psycopg, which is not installed: pip install 'newsloom[postgres]'"
        ) from exc
    try:
        return psycopg.connect(url, autocommit=True, row_factory=dict_row)
    except psycopg.Error as exc:
        raise StoreError(f"{redact(url)}: cannot connect to PostgreSQL: {exc}".strip()) from exc


class PostgresStore(PostgresReads, PostgresAnalysis):
    """Articles and everything derived from them in one PostgreSQL database (with pgvector).

    >>> store = PostgresStore("postgresql://localhost/news")  # doctest: +SKIP
    """

    def __init__(self, url: str) -> None:
        self.path = redact(url)
        self.db = _connect(url)
        try:
            self._migrate()
            register_vector(self.db)
        except BaseException:
            self.db.close()
            raise

    def _migrate(self) -> None:
        import psycopg

        try:
            # A store already at this version is opened without writing anything: read-only users may open it.
            if self._schema_version() == SCHEMA_VERSION:
                return
            with self.db.transaction():
                # Two processes opening a new database at once: one migrates, the other then finds it done.
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
                self._create_extensions()
                self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                version = self._schema_version()
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    self.db.execute(script.encode())
                    if number == 2:  # the duplicate index (SQLite's version 3)
                        self._index_signatures()
                    self.db.execute("DELETE FROM schema_version")
                    self.db.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot prepare the newsloom schema: {exc}") from exc

    def _index_signatures(self) -> None:
        """Version 2 kept only the signatures: write their duplicate-index rows."""
        rows = self.db.execute(
            "SELECT a.seq, s.signature FROM signatures s JOIN articles a ON a.id = s.article_id"
        ).fetchall()
        with self.db.cursor() as cur:
            for row in rows:
                self._add_bands(cur, row["seq"], bytes(row["signature"]))

    @staticmethod
    def _add_bands(cur: Any, seq: int, signature: bytes) -> None:
        from ..stages.dedup import band_keys

        cur.executemany(
            "INSERT INTO dedup_bands (key, seq) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [(k, seq) for k in band_keys(signature)],
        )

    def _schema_version(self) -> int:
        """The migration this database is at (0: none); refuses a newer schema than this newsloom knows."""
        row = self.db.execute("SELECT to_regclass('schema_version') IS NOT NULL AS present").fetchone()
        if not row or not row["present"]:
            return 0
        row = self.db.execute("SELECT max(version) AS v FROM schema_version").fetchone()
        version = int(row["v"]) if row and row["v"] is not None else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this newsloom ({SCHEMA_VERSION}); upgrade it"
            )
        return version

    def _create_extensions(self) -> None:
        import psycopg

        present = {r["extname"] for r in self.db.execute("SELECT extname FROM pg_extension")}
        for name in EXTENSIONS:
            if name in present:
                continue
            try:
                with self.db.transaction():  # a savepoint: a refused CREATE must not end the migration
                    self.db.execute(f"CREATE EXTENSION IF NOT EXISTS {name}".encode())
            except psycopg.Error as exc:
                raise StoreError(
                    f"{self.path}: the PostgreSQL extension {name!r} is missing and could not be created "
                    f"({exc}); install pgvector and ask an administrator to run CREATE EXTENSION {name}"
                ) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or roll back together; one writer at a time per database."""
        import psycopg

        with self.db.transaction():
            self.db.execute(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_S)}s'".encode())
            try:
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            except psycopg.errors.LockNotAvailable as exc:
                raise StoreError(
                    f"{self.path}: another newsloom process has been writing for over {LOCK_TIMEOUT_S} s; "
                    "try again when it is done"
                ) from exc
            yield

    # ---- articles -------------------------------------------------------------------------------------------

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored."""
        rows = self.db.execute("SELECT id FROM articles WHERE id = ANY(%s)", (list(ids),))
        return {r["id"] for r in rows}

    def add_articles(self, articles: Sequence[Article], signatures: Mapping[str, bytes]) -> None:
        """Store a batch with its removed lines, search terms and duplicate signatures, in one transaction."""
        stamp = _now()
        with self.transaction(), self.db.cursor() as cur:
            for article in articles:
                row = {k: _text(v) for k, v in codec.article_row(article, stamp).items()}
                cur.execute(
                    f"INSERT INTO articles ({', '.join(_column(c) for c in row)}, search) VALUES "
                    f"({', '.join(['%s'] * len(row))}, setweight(to_tsvector('simple', unaccent(%s)), 'A') || "
                    "setweight(to_tsvector('simple', unaccent(%s)), 'B')) RETURNING seq",
                    [*row.values(), search_text(article.title), search_text(article.text)],
                )
                returned = cur.fetchone()
                seq = int(returned["seq"]) if returned else 0
                cur.executemany(
                    "INSERT INTO removed_lines (article_id, line_no, text, reason) VALUES (%s, %s, %s, %s)",
                    [(row["id"], r.line_no, _text(r.text), _text(r.reason)) for r in article.removed],
                )
                if article.id in signatures:
                    cur.execute(
                        "INSERT INTO signatures (article_id, signature) VALUES (%s, %s)",
                        (row["id"], signatures[article.id]),
                    )
                    self._add_bands(cur, seq, signatures[article.id])

    def add_rejections(self, rejected: Sequence[Rejected]) -> None:
        stamp = _now()
        with self.transaction(), self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO rejections (origin, stage, reason, at) VALUES (%s, %s, %s, %s)",
                [(_text(r.origin), r.stage, _text(r.reason), stamp) for r in rejected],
            )

    def rejections(self) -> list[Rejected]:
        rows = self.db.execute("SELECT origin, stage, reason FROM rejections ORDER BY seq")
        return [Rejected(r["origin"], r["stage"], r["reason"]) for r in rows]

    def count_articles(self) -> int:
        return self._count("SELECT count(*) AS n FROM articles")

    def _count(self, sql: str, args: Sequence[object] = ()) -> int:
        row = self.db.execute(sql.encode(), args).fetchone()
        return int(row["n"]) if row else 0

    def articles(
        self,
        *,
        language: str | None = None,
        event_id: str | None = None,
        event_ids: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
        with_removed: bool = False,
    ) -> list[Article]:
        """Articles in arrival order, optionally filtered."""
        if (ids is not None and not ids) or (event_ids is not None and not event_ids):
            return []
        where, args = _where(
            [
                ("language = %s", language),
                ("event_id = %s", event_id),
                ("id = ANY(%s)", list(ids) if ids is not None else None),
                ("event_id = ANY(%s)", list(event_ids) if event_ids is not None else None),
            ]
        )
        sql = f"SELECT * FROM articles{where} ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql.encode(), args).fetchall()
        return [codec.article_from_row(r, self.removed_lines(r["id"]) if with_removed else ()) for r in rows]

    def article(self, article_id: str) -> Article:
        """One article with its removed lines; ``NotFound`` if absent. A unique id prefix is accepted."""
        try:
            found = self.find_article(article_id)  # the exact id first; a prefix only when that misses
        except InputError as exc:
            raise NotFound(str(exc)) from exc
        if found is None:
            raise NotFound(f"no article {article_id!r}")
        return dataclasses.replace(found, removed=self.removed_lines(found.id))

    def removed_lines(self, article_id: str) -> tuple[RemovedLine, ...]:
        rows = self.db.execute(
            "SELECT line_no, text, reason FROM removed_lines WHERE article_id = %s ORDER BY line_no",
            (article_id,),
        )
        return tuple(RemovedLine(r["line_no"], r["text"], r["reason"]) for r in rows)

    def search(self, query: str, limit: int = 20) -> list[Article]:
        """Full-text search with diacritics folded on both sides ("lodz" finds "Łódź"), best match first.

        Each word also matches as a prefix, so a base form finds its inflections ("lodz" finds "Łodzi").
        """
        terms = _QUERY_TOKEN.findall(fold(query))
        if not terms:
            return []
        # Tokens are word characters only, so the tsquery text cannot carry operators or quotes.
        tsquery = " & ".join(f"{t}:*" for t in terms)
        rows = self.db.execute(
            "SELECT a.* FROM articles a, to_tsquery('simple', unaccent(%s)) q WHERE a.search @@ q "
            "ORDER BY ts_rank(a.search, q) DESC, a.seq LIMIT %s",
            (tsquery, int(limit)),
        ).fetchall()
        return [codec.article_from_row(r) for r in rows]

    def semantic_search(
        self, vector: npt.NDArray[np.float32], limit: int = 20, *, model: str | None = None
    ) -> list[Article]:
        """Articles whose stored embedding is nearest ``vector`` by cosine, nearest first (pgvector HNSW).

        Vectors of the indexed size use the approximate HNSW index (``hnsw.ef_search`` raised to cover
        ``limit``); others are compared exactly.
        """
        query = np.asarray(vector, dtype=np.float32).ravel()
        if not query.size or not np.isfinite(query).all() or not np.any(query):
            raise InputError("semantic search needs a non-zero, finite query vector")
        limit = max(int(limit), 0)
        indexed = f"vector_dims(vector) = {query.size}" == SEMANTIC_INDEX_WHERE
        column = SEMANTIC_INDEX_EXPR if indexed else "vector"
        cast = f"::vector({query.size})"
        where = SEMANTIC_INDEX_WHERE if indexed else "vector_dims(vector) = %(dims)s"
        if model is not None:
            where += " AND model = %(model)s"
        sql = (
            f"SELECT a.* FROM (SELECT article_id, {column} <=> %(q)b{cast} AS distance FROM embeddings "
            f"WHERE {where} ORDER BY {column} <=> %(q)b{cast} LIMIT %(limit)s) e "
            "JOIN articles a ON a.id = e.article_id ORDER BY e.distance, a.seq"
        )
        args = {"q": query, "dims": int(query.size), "model": model, "limit": limit}
        with self.db.transaction():
            ef = min(max(HNSW_EF_SEARCH, limit), 1000)  # pgvector's ceiling; iterative scans go past it
            self.db.execute(f"SET LOCAL hnsw.ef_search = {ef}".encode())
            # With a model filter, keep scanning the graph until enough rows pass it (pgvector >= 0.8).
            self.db.execute(b"SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = self.db.execute(sql.encode(), args).fetchall()
        return [codec.article_from_row(r) for r in rows]

    def duplicate_candidates(self, keys: Sequence[int]) -> list[tuple[str, bytes, str]]:
        """Stored articles sharing a duplicate-index key: (id, signature, original or itself), in arrival order."""
        if not keys:
            return []
        rows = self.db.execute(
            "SELECT a.id, s.signature, coalesce(a.duplicate_of, a.id) AS root FROM articles a "
            "JOIN signatures s ON s.article_id = a.id WHERE a.seq IN "
            "(SELECT seq FROM dedup_bands WHERE key = ANY(%s)) ORDER BY a.seq",
            (list(keys),),
        ).fetchall()
        return [(r["id"], bytes(r["signature"]), r["root"]) for r in rows]

    def signatures(self, *, after: int = 0) -> Iterator[tuple[str, bytes]]:
        """Duplicate-detection signatures in arrival order (of articles after arrival number ``after``)."""
        last = after
        while (
            True
        ):  # pages by arrival order: memory stays bounded and the connection stays free between pages
            rows = self.db.execute(
                "SELECT a.seq, s.article_id, s.signature FROM signatures s JOIN articles a ON a.id = s.article_id "
                "WHERE a.seq > %s ORDER BY a.seq LIMIT %s",
                (last, SIGNATURE_PAGE),
            ).fetchall()
            for row in rows:
                yield row["article_id"], bytes(row["signature"])
            if len(rows) < SIGNATURE_PAGE:
                return
            last = rows[-1]["seq"]

    def update_articles(self, updates: Mapping[str, Mapping[str, object]]) -> None:
        """Set analysis columns (``event_id``, ``published``, ``published_how``, ``published_evidence``)."""
        allowed = {"event_id", "published", "published_how", "published_evidence"}
        with self.transaction():
            for article_id, columns in updates.items():
                bad = set(columns) - allowed
                if bad:
                    raise StoreError(f"cannot update article columns {sorted(bad)}")
                assignments = ", ".join(f"{c} = %s" for c in columns)
                self.db.execute(
                    f"UPDATE articles SET {assignments} WHERE id = %s".encode(),
                    [*columns.values(), article_id],
                )

    # ---- state ----------------------------------------------------------------------------------------------

    def get_state(self, name: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM state WHERE name = %s", (name,)).fetchone()
        return bytes(row["value"]) if row else None

    def set_state(self, name: str, value: bytes) -> None:
        with self.transaction():
            self._put_state(name, value)

    # ---- entities and mentions ------------------------------------------------------------------------------

    def entities(self, *, type: str | None = None, event_id: str | None = None) -> list[Entity]:
        where, args = _where(
            [
                ("e.type = %s", type),
                (
                    "e.id IN (SELECT m.entity_id FROM mentions m JOIN articles a ON a.id = m.article_id "
                    "WHERE a.event_id = %s)",
                    event_id,
                ),
            ]
        )
        sql = f'SELECT * FROM entities e{where} ORDER BY e.mention_count DESC, e.name COLLATE "C"'
        return [codec.entity_from_row(r) for r in self.db.execute(sql.encode(), args)]

    def entity(self, entity_id: str) -> Entity:
        """One entity; an id merged into another (by an analyst) resolves to the one it became."""
        row = self.db.execute(
            "SELECT * FROM entities WHERE id = %s", (self.resolve_entity(entity_id),)
        ).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id!r}")
        return codec.entity_from_row(row)

    def mentions(
        self, *, article_ids: Sequence[str] | None = None, entity_id: str | None = None
    ) -> list[Mention]:
        where, args = _where(
            [
                ("article_id = ANY(%s)", sorted(set(article_ids)) if article_ids is not None else None),
                ("entity_id = %s", entity_id),
            ]
        )
        if article_ids is not None and not article_ids:
            return []
        rows = self.db.execute(
            f'SELECT * FROM mentions{where} ORDER BY article_id COLLATE "C", start'.encode(), args
        )
        return [
            Mention(r["article_id"], r["text"], r["start"], r["end"], r["type"], r["key"], r["entity_id"])
            for r in rows
        ]

    # ---- events, stories, claims ----------------------------------------------------------------------------

    def add_merges(self, merges: Mapping[str, str]) -> None:
        with self.transaction():
            self._record_merges(merges)

    def resolve_event(self, event_id: str) -> str:
        """Follow recorded merges so an old event id still finds the event it became."""
        return self._resolve("event_merges", event_id)

    def last_seq(self) -> int:
        """Arrival number of the newest stored article (0 when empty)."""
        row = self.db.execute("SELECT coalesce(max(seq), 0) AS last FROM articles").fetchone()
        return int(row["last"]) if row is not None else 0

    def events(self, *, limit: int | None = None, offset: int = 0, newest_first: bool = False) -> list[Event]:
        """Events in time order (undated last), or newest first; ``limit``/``offset`` page through them."""
        order = (
            'start IS NULL, start DESC, id COLLATE "C"'
            if newest_first
            else 'start IS NULL, start, id COLLATE "C"'
        )
        sql = f"SELECT * FROM events ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self.db.execute(sql.encode()).fetchall()
        members: dict[str, list[str]] = {}
        ids = [r["id"] for r in rows]
        query = (
            "SELECT id, event_id FROM articles WHERE event_id IS NOT NULL ORDER BY seq"
            if limit is None
            else "SELECT id, event_id FROM articles WHERE event_id = ANY(%s) ORDER BY seq"
        )
        for row in self.db.execute(query, () if limit is None else (ids,)):
            members.setdefault(row["event_id"], []).append(row["id"])
        return [codec.event_from_row(r, tuple(members.get(r["id"], []))) for r in rows]

    def event(self, event_id: str) -> Event:
        resolved = self.resolve_event(event_id)
        row = self.db.execute("SELECT * FROM events WHERE id = %s", (resolved,)).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id!r}")
        return codec.event_from_row(row, self._member_ids(resolved))

    def stories(self) -> list[Story]:
        rows = self.db.execute('SELECT * FROM stories ORDER BY id COLLATE "C"')
        return [codec.story_from_row(r) for r in rows]

    def story(self, story_id: str) -> Story:
        row = self.db.execute("SELECT * FROM stories WHERE id = %s", (story_id,)).fetchone()
        if row is None:
            raise NotFound(f"no story {story_id!r}")
        return codec.story_from_row(row)

    def claims(self, *, event_id: str | None = None, entity_id: str | None = None) -> list[Claim]:
        where, args = _where([("event_id = %s", event_id), ("speaker_entity_id = %s", entity_id)])
        sql = f'SELECT * FROM claims{where} ORDER BY event_id COLLATE "C" NULLS FIRST, article_id COLLATE "C", start'
        return [codec.claim_from_row(r) for r in self.db.execute(sql.encode(), args)]

    def claim(self, claim_id: str) -> Claim:
        row = self.db.execute("SELECT * FROM claims WHERE id = %s", (claim_id,)).fetchone()
        if row is None:
            raise NotFound(f"no claim {claim_id!r}")
        return codec.claim_from_row(row)


def _column(name: str) -> str:
    return '"end"' if name == "end" else name
