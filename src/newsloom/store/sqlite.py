"""The default store: one SQLite file in WAL mode, schema migrations, folded full-text search.

Writes go through :meth:`SQLiteStore.transaction`, so a batch lands whole or not at all: a crash mid-ingest loses
nothing that was committed and leaves no partial article.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..errors import InputError, NotFound, StoreBusy, StoreError
from ..models import Article, Claim, Entity, Event, Mention, Rejected, RemovedLine, Story
from ..text import fold
from . import codec
from .schema import MIGRATIONS, SCHEMA_VERSION
from .sqlite_analysis import SQLiteAnalysis, chunks
from .sqlite_reads import SQLiteReads

SEMANTIC_CHUNK = 10_000  # embeddings scored per step of exact semantic search (15 MB at 384 dims)
BUSY_TIMEOUT_S = 60.0  # how long a writer waits for another writer's transaction (one batch) to finish
_QUERY_TOKEN = re.compile(r"\w+", re.UNICODE)


def _where(conditions: Sequence[tuple[str, object]]) -> tuple[str, list[object]]:
    """`` WHERE a AND b`` for the conditions whose value is given (``None`` or empty skips one), with arguments."""
    used = [(sql, value) for sql, value in conditions if value]
    return (" WHERE " + " AND ".join(sql for sql, _ in used) if used else ""), [value for _, value in used]


def _top_cosine(chunks: Iterable[list[tuple[int, bytes]]], query: np.ndarray, limit: int) -> list[int]:
    """Keys of the ``limit`` (key, float32 vector) rows nearest ``query`` by cosine, nearest first."""
    query = query / np.linalg.norm(query)
    best_keys: list[int] = []
    best_scores = np.zeros(0, dtype=np.float32)
    for rows in chunks:
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        norms = np.linalg.norm(matrix, axis=1)
        # einsum, not BLAS: a matrix-vector product this small gains nothing from BLAS threads, which on a busy
        # machine cost 100x (measured 24 ms against 0.5 ms for 2,000 x 384).
        dots = np.einsum("ij,j->i", matrix, query)
        scores = np.concatenate([best_scores, np.where(norms > 0, dots / np.maximum(norms, 1e-12), -2.0)])
        keys = best_keys + [r[0] for r in rows]
        keep = np.argsort(-scores, kind="stable")[:limit]
        best_keys, best_scores = [keys[i] for i in keep], scores[keep].astype(np.float32)
    return best_keys


def _note_writer(path: str) -> None:
    """Say who holds the write lock, for a writer that has to wait (best effort: a read-only folder skips it)."""
    if path == ":memory:":
        return
    note = {"pid": os.getpid(), "command": " ".join(sys.argv[:3])[:200], "since": _now()}
    with contextlib.suppress(OSError):
        Path(f"{path}-writer").write_text(json.dumps(note), encoding="utf-8")


def _holder(path: str) -> str:
    """Who last took the write lock of the store at ``path``, in words."""
    try:
        note = json.loads(Path(f"{path}-writer").read_text(encoding="utf-8"))
        pid = int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return "another process holds its write lock"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return f"another process holds its write lock (the last writer noted, pid {pid}, has ended)"
    except PermissionError:
        pass
    return f"process {pid} ({note.get('command', '?')}) holds its write lock since {note.get('since', '?')}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLiteStore(SQLiteReads, SQLiteAnalysis):
    """Articles and everything derived from them in one SQLite file.

    >>> store = SQLiteStore(":memory:")
    >>> store.count_articles()
    0
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.exists():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
            if read_only and not Path(self.path).is_file():
                raise StoreError(f"{self.path}: no newsloom store here (ingest something first)")
        try:
            self.db = self._connect_read_only() if read_only else self._connect()
            self.db.row_factory = sqlite3.Row
            self._check_is_newsloom()
            if not read_only:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA foreign_keys=ON")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a newsloom database or damaged: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        # A second writer waits up to BUSY_TIMEOUT_S for the first one's batch instead of failing at once.
        return sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)

    def _connect_read_only(self) -> sqlite3.Connection:
        """Open without any write: no migration, no WAL switch, no file created; a store in a read-only folder
        (where SQLite cannot make its shared-memory file) is opened as immutable."""
        uri = Path(self.path).resolve().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            db.close()
            db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if 0 < version < SCHEMA_VERSION:
            db.close()
            raise StoreError(
                f"{self.path}: store of schema version {version}; run a write command (ingest or analyze) once "
                f"to upgrade it to version {SCHEMA_VERSION}"
            )
        return db

    def _check_is_newsloom(self) -> None:
        """Refuse (and never change) a SQLite file that belongs to another program."""
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if (version == 0 and tables) or (version > 0 and "articles" not in tables):
            raise StoreError(f"{self.path}: not a newsloom store (it holds other tables); give another --db")
        if version == 0 and self.read_only:
            raise StoreError(f"{self.path}: empty file, not a newsloom store")

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this newsloom ({SCHEMA_VERSION}); upgrade it"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                if number == 2:
                    self._move_state_blobs()
                if number == 3:
                    self._index_signatures()
                self.db.execute(f"PRAGMA user_version = {number}")

    def _move_state_blobs(self) -> None:
        """Version 1 kept analyst corrections and imported names as JSON blobs: move them into their tables."""
        from ..stages.entities import Corrections

        raw = self.get_state("entity_corrections")
        if raw:
            value = Corrections.from_json(raw.decode("utf-8"))
            rows = [("split", a, b) for a, b in value.splits] + [("merge", a, b) for a, b in value.merges]
            self.db.executemany(
                "INSERT INTO corrections (kind, a, b, at) VALUES (?, ?, ?, ?)", [(*r, _now()) for r in rows]
            )
        raw = self.get_state("imported_aliases")
        if raw:
            for item in json.loads(raw):
                record = codec.alias_record_from_json(json.dumps(item))
                self.db.execute(
                    "INSERT OR REPLACE INTO imported_aliases (source_key, record) VALUES (?, ?)",
                    (codec.alias_record_key(record), codec.alias_record_to_json(record)),
                )
        self.db.execute("DELETE FROM state WHERE name IN ('entity_corrections', 'imported_aliases')")

    def _index_signatures(self) -> None:
        """Version 2 kept only the signatures: write their duplicate-index rows."""
        rows = self.db.execute(
            "SELECT a.seq, s.signature FROM signatures s JOIN articles a ON a.id = s.article_id"
        )
        for seq, signature in rows.fetchall():
            self._add_bands(seq, bytes(signature))

    def _add_bands(self, seq: int, signature: bytes) -> None:
        from ..stages.dedup import band_keys

        self.db.executemany(
            "INSERT OR IGNORE INTO dedup_bands (key, seq) VALUES (?, ?)",
            [(k, seq) for k in band_keys(signature)],
        )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or roll back together.

        A second writer waits up to ``BUSY_TIMEOUT_S`` for the lock, then fails with :class:`StoreBusy` naming
        the process that holds it (each writer notes itself in ``<store>-writer`` when it takes the lock).
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise StoreBusy(
                    f"{self.path}: busy for {BUSY_TIMEOUT_S:.0f} s: {_holder(self.path)}"
                ) from exc
            raise
        _note_writer(self.path)
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---- articles -------------------------------------------------------------------------------------------

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored."""
        wanted = list(ids)
        found: set[str] = set()
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            found.update(
                r[0] for r in self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", part)
            )
        return found

    def add_articles(self, articles: Sequence[Article], signatures: Mapping[str, bytes]) -> None:
        """Store a batch with its removed lines, search index rows and duplicate signatures, in one transaction."""
        stamp = _now()
        with self.transaction():
            for article in articles:
                row = codec.article_row(article, stamp)
                cursor = self.db.execute(
                    f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
                self.db.execute(
                    "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                    (cursor.lastrowid, fold(article.title), fold(article.text)),
                )
                self.db.executemany(
                    "INSERT INTO removed_lines (article_id, line_no, text, reason) VALUES (?, ?, ?, ?)",
                    [(article.id, r.line_no, r.text, r.reason) for r in article.removed],
                )
                if article.id in signatures:
                    self.db.execute(
                        "INSERT INTO signatures (article_id, signature) VALUES (?, ?)",
                        (article.id, signatures[article.id]),
                    )
                    self._add_bands(int(cursor.lastrowid or 0), signatures[article.id])

    def add_rejections(self, rejected: Sequence[Rejected]) -> None:
        stamp = _now()
        with self.transaction():
            self.db.executemany(
                "INSERT INTO rejections (origin, stage, reason, at) VALUES (?, ?, ?, ?)",
                [(r.origin, r.stage, r.reason, stamp) for r in rejected],
            )

    def rejections(self) -> list[Rejected]:
        rows = self.db.execute("SELECT origin, stage, reason FROM rejections ORDER BY rowid")
        return [Rejected(r["origin"], r["stage"], r["reason"]) for r in rows]

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

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
        where, args = _where([("language = ?", language), ("event_id = ?", event_id)])
        for column, values in (("id", ids), ("event_id", event_ids)):
            if values is not None:
                where += (" AND " if where else " WHERE ") + f"{column} IN ({','.join('?' * len(values))})"
                args.extend(values)
        sql = f"SELECT * FROM articles{where} ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql, args).fetchall()
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
            "SELECT line_no, text, reason FROM removed_lines WHERE article_id = ? ORDER BY line_no",
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
        match = " ".join(f'"{t}"*' for t in terms)
        rows = self.db.execute(
            "SELECT a.* FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [codec.article_from_row(r) for r in rows]

    def semantic_search(
        self, vector: np.ndarray, limit: int = 20, *, model: str | None = None
    ) -> list[Article]:
        """Articles whose stored embedding is nearest ``vector`` by cosine, nearest first (exact search).

        Embeddings are read ``SEMANTIC_CHUNK`` rows at a time and only the best ``limit`` are kept between
        chunks, so memory stays bounded whatever the store's size; the cost grows with the number of vectors.
        """
        query = np.asarray(vector, dtype=np.float32).ravel()
        if not query.size or not np.isfinite(query).all() or not np.any(query):
            raise InputError("semantic search needs a non-zero, finite query vector")
        cursor = self.db.cursor()
        cursor.row_factory = None  # plain tuples: a Row object per vector is measurable at this volume
        # rowid and vector only, in table order: an ORDER BY would copy every vector through SQLite's sorter.
        where = "length(vector) = ?" + (" AND model = ?" if model is not None else "")
        cursor.execute(
            f"SELECT rowid, vector FROM embeddings WHERE {where}",
            [query.size * 4, *([model] if model is not None else [])],
        )
        best = _top_cosine(iter(lambda: cursor.fetchmany(SEMANTIC_CHUNK), []), query, max(int(limit), 0))
        if not best:
            return []
        rows = self.db.execute(
            f"SELECT rowid, article_id FROM embeddings WHERE rowid IN ({','.join('?' * len(best))})", best
        ).fetchall()
        ids = dict(rows)
        found = {a.id: a for a in self.articles(ids=list(ids.values()))}
        return [found[ids[r]] for r in best if r in ids and ids[r] in found]

    def signatures(self, *, after: int = 0) -> Iterator[tuple[str, bytes]]:
        """Duplicate-detection signatures in arrival order (of articles after arrival number ``after``), to build
        the index without rehashing; :meth:`last_seq` tells where a caller's index stands."""
        rows = self.db.execute(
            "SELECT s.article_id, s.signature FROM signatures s JOIN articles a ON a.id = s.article_id "
            "WHERE a.seq > ? ORDER BY a.seq",
            (after,),
        )
        for row in rows:
            yield row[0], bytes(row[1])

    def duplicate_candidates(self, keys: Sequence[int]) -> list[tuple[str, bytes, str]]:
        """Stored articles sharing a duplicate-index key: (id, signature, original or itself), in arrival order."""
        if not keys:
            return []
        rows = self.db.execute(
            "SELECT a.id, s.signature, coalesce(a.duplicate_of, a.id) FROM articles a "
            "JOIN signatures s ON s.article_id = a.id WHERE a.seq IN "
            f"(SELECT seq FROM dedup_bands WHERE key IN ({','.join('?' * len(keys))})) ORDER BY a.seq",
            list(keys),
        )
        return [(r[0], bytes(r[1]), r[2]) for r in rows]

    def last_seq(self) -> int:
        """Arrival number of the newest stored article (0 when empty)."""
        return int(self.db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])

    def update_articles(self, updates: Mapping[str, Mapping[str, object]]) -> None:
        """Set analysis columns (``event_id``, ``published``, ``published_how``, ``published_evidence``)."""
        allowed = {"event_id", "published", "published_how", "published_evidence"}
        with self.transaction():
            for article_id, columns in updates.items():
                bad = set(columns) - allowed
                if bad:
                    raise StoreError(f"cannot update article columns {sorted(bad)}")
                assignments = ", ".join(f"{c} = ?" for c in columns)
                self.db.execute(
                    f"UPDATE articles SET {assignments} WHERE id = ?", [*columns.values(), article_id]
                )

    # ---- embeddings and state -------------------------------------------------------------------------------

    def save_embeddings(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO embeddings (article_id, model, vector) VALUES (?, ?, ?)",
                [(i, model, np.asarray(v, dtype=np.float32).tobytes()) for i, v in vectors.items()],
            )

    def embeddings(self, ids: Sequence[str], model: str) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for chunk in range(0, len(ids), 500):
            part = list(ids[chunk : chunk + 500])
            marks = ",".join("?" * len(part))
            rows = self.db.execute(
                f"SELECT article_id, vector FROM embeddings WHERE model = ? AND article_id IN ({marks})",
                [model, *part],
            )
            out.update((r[0], np.frombuffer(r[1], dtype=np.float32)) for r in rows)
        return out

    def get_state(self, name: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def set_state(self, name: str, value: bytes) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO state (name, value) VALUES (?, ?)", (name, value))

    # ---- entities and mentions ------------------------------------------------------------------------------

    def entities(self, *, type: str | None = None, event_id: str | None = None) -> list[Entity]:
        where, args = _where(
            [
                ("e.type = ?", type),
                (
                    "e.id IN (SELECT m.entity_id FROM mentions m JOIN articles a ON a.id = m.article_id "
                    "WHERE a.event_id = ?)",
                    event_id,
                ),
            ]
        )
        sql = f"SELECT * FROM entities e{where}"
        rows = self.db.execute(sql + " ORDER BY e.mention_count DESC, e.name", args)
        return [codec.entity_from_row(r) for r in rows]

    def entity(self, entity_id: str) -> Entity:
        """One entity; an id merged into another (by an analyst) resolves to the one it became."""
        row = self.db.execute(
            "SELECT * FROM entities WHERE id = ?", (self.resolve_entity(entity_id),)
        ).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id!r}")
        return codec.entity_from_row(row)

    def mentions(
        self, *, article_ids: Sequence[str] | None = None, entity_id: str | None = None
    ) -> list[Mention]:
        if article_ids is not None:
            rows = [
                r
                for part in chunks(sorted(set(article_ids)))
                for r in self.db.execute(
                    f"SELECT * FROM mentions WHERE article_id IN ({','.join('?' * len(part))})"
                    + (" AND entity_id = ?" if entity_id else "")
                    + " ORDER BY article_id, start",
                    [*part, *([entity_id] if entity_id else [])],
                )
            ]
        else:
            where, args = _where([("entity_id = ?", entity_id)])
            rows = self.db.execute(
                f"SELECT * FROM mentions{where} ORDER BY article_id, start", args
            ).fetchall()
        return [
            Mention(r["article_id"], r["text"], r["start"], r["end"], r["type"], r["key"], r["entity_id"])
            for r in rows
        ]

    # ---- events, stories, claims ----------------------------------------------------------------------------

    def add_merges(self, merges: Mapping[str, str]) -> None:
        stamp = _now()
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO event_merges (old_id, new_id, at) VALUES (?, ?, ?)",
                [(old, new, stamp) for old, new in merges.items()],
            )

    def resolve_event(self, event_id: str) -> str:
        """Follow recorded merges so an old event id still finds the event it became."""
        seen = {event_id}
        while True:
            row = self.db.execute("SELECT new_id FROM event_merges WHERE old_id = ?", (event_id,)).fetchone()
            if row is None or row[0] in seen:
                return event_id
            event_id = row[0]
            seen.add(event_id)

    def events(self, *, limit: int | None = None, offset: int = 0, newest_first: bool = False) -> list[Event]:
        """Events in time order (undated last), or newest first; ``limit``/``offset`` page through them."""
        order = "start IS NULL, start DESC, id" if newest_first else "start IS NULL, start, id"
        sql = f"SELECT * FROM events ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self.db.execute(sql).fetchall()
        members: dict[str, list[str]] = {}
        if limit is None:  # every event: one pass over the articles beats one query per event
            for row in self.db.execute(
                "SELECT id, event_id FROM articles WHERE event_id IS NOT NULL ORDER BY seq"
            ):
                members.setdefault(row[1], []).append(row[0])
        else:
            ids = [r["id"] for r in rows]
            for part in chunks(ids):
                marks = ",".join("?" * len(part))
                for row in self.db.execute(
                    f"SELECT id, event_id FROM articles WHERE event_id IN ({marks}) ORDER BY seq", list(part)
                ):
                    members.setdefault(row[1], []).append(row[0])
        return [codec.event_from_row(r, tuple(members.get(r["id"], []))) for r in rows]

    def event(self, event_id: str) -> Event:
        resolved = self.resolve_event(event_id)
        row = self.db.execute("SELECT * FROM events WHERE id = ?", (resolved,)).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id!r}")
        ids = tuple(
            r[0]
            for r in self.db.execute("SELECT id FROM articles WHERE event_id = ? ORDER BY seq", (resolved,))
        )
        return codec.event_from_row(row, ids)

    def stories(self) -> list[Story]:
        return [codec.story_from_row(r) for r in self.db.execute("SELECT * FROM stories ORDER BY id")]

    def story(self, story_id: str) -> Story:
        row = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFound(f"no story {story_id!r}")
        return codec.story_from_row(row)

    def claims(self, *, event_id: str | None = None, entity_id: str | None = None) -> list[Claim]:
        where, args = _where([("event_id = ?", event_id), ("speaker_entity_id = ?", entity_id)])
        sql = f"SELECT * FROM claims{where}"
        return [
            codec.claim_from_row(r)
            for r in self.db.execute(sql + " ORDER BY event_id, article_id, start", args)
        ]

    def claim(self, claim_id: str) -> Claim:
        row = self.db.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise NotFound(f"no claim {claim_id!r}")
        return codec.claim_from_row(row)
