"""The PostgreSQL store's analysis tables: what the engine reads while planning a batch, and applying a plan.

The same queries as :mod:`.sqlite_analysis` in PostgreSQL's dialect (``= ANY(array)`` instead of chunked
``IN`` lists, ``ON CONFLICT`` upserts); :meth:`PostgresAnalysis.apply` writes one batch's plan in one
transaction under the store's write lock.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import zlib
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..models import Article, Claim, Entity, Event
from . import codec
from .sqlite_analysis import CLUSTER_DF, CLUSTER_META, STORY_CANDIDATES

if TYPE_CHECKING:
    import psycopg

    from ..engine.plan import BatchPlan
    from ..stages.cluster import ClusterState
    from ..stages.entities import AliasRecord, Corrections
    from ..stages.entities.incremental import Lookups, NameRow
    from ..stages.stories import EventProfile

Row = dict[str, Any]

_INTEGRITY_CHECKS = {
    "analysed article(s) whose event does not exist": "SELECT count(*) AS n FROM articles a WHERE a.analysed "
    "AND a.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = a.event_id)",
    "mention(s) of an entity that does not exist": "SELECT count(*) AS n FROM mentions m WHERE m.entity_id IS NOT "
    "NULL AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = m.entity_id)",
    "claim(s) in an event that does not exist": "SELECT count(*) AS n FROM claims c WHERE c.event_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = c.event_id)",
    "event(s) without articles": "SELECT count(*) AS n FROM events e WHERE NOT EXISTS "
    "(SELECT 1 FROM articles a WHERE a.event_id = e.id)",
    "event(s) in a story that does not exist": "SELECT count(*) AS n FROM events e WHERE e.story_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = e.story_id)",
    "mention(s) of articles not analysed": "SELECT count(*) AS n FROM mentions m JOIN articles a "
    "ON a.id = m.article_id WHERE NOT a.analysed",
}
_DERIVED_TABLES = ("mentions", "entities", "entity_names", "events", "event_merges", "stories", "claims",
                   "cluster_events", "story_profiles", "event_entities")  # fmt: skip


def register_vector(db: psycopg.Connection[Row]) -> None:
    """Send numpy arrays as pgvector values in its binary form (dimension, then big-endian float32s): exact,
    and ~500x cheaper than formatting 384 decimals as text."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format
    from psycopg.types import TypeInfo

    info = TypeInfo.fetch(db, "vector")
    if info is None:
        raise RuntimeError("the vector type is missing: is the pgvector extension installed?")
    vector_oid = info.oid

    class VectorDumper(Dumper):
        format = Format.BINARY
        oid = vector_oid

        def dump(self, obj: npt.NDArray[np.float32]) -> bytes:
            values = np.asarray(obj, dtype=">f4").ravel()
            return struct.pack(">HH", values.size, 0) + values.tobytes()

    db.adapters.register_dumper(np.ndarray, VectorDumper)


def vector_from_text(text: str) -> npt.NDArray[np.float32]:
    """Parse pgvector's text form ``[1,2.5,...]``."""
    return (
        np.array(text.strip("[]").split(","), dtype=np.float32) if text != "[]" else np.zeros(0, np.float32)
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class PostgresAnalysis:
    """Mixin of :class:`~newsloom.store.postgres.PostgresStore` (it provides ``db`` and ``transaction``)."""

    db: psycopg.Connection[Row]
    path: str

    def transaction(self) -> AbstractContextManager[None]:  # provided by the store
        raise NotImplementedError

    def _count(self, sql: str, args: Sequence[object] = ()) -> int:  # provided by the store
        raise NotImplementedError

    def get_state(self, name: str) -> bytes | None:  # provided by the store
        raise NotImplementedError

    def _rows(self, sql: str, args: Sequence[object] | Mapping[str, object] = ()) -> list[Row]:
        return self.db.execute(sql.encode(), args).fetchall()

    # ---- progress -----------------------------------------------------------------------------------------------

    def count_pending(self) -> int:
        return self._count("SELECT count(*) AS n FROM articles WHERE NOT analysed")

    def pending_articles(self, *, limit: int) -> list[Article]:
        """The first ``limit`` unanalysed articles in arrival order."""
        rows = self._rows("SELECT * FROM articles WHERE NOT analysed ORDER BY seq LIMIT %s", (int(limit),))
        return [codec.article_from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        tables = ("articles", "events", "stories", "entities", "claims")
        return {t: self._count(f"SELECT count(*) AS n FROM {t}") for t in tables}

    def integrity(self) -> list[str]:
        """Every dangling reference found (empty when healthy); PostgreSQL guards its own pages."""
        problems = []
        for what, sql in _INTEGRITY_CHECKS.items():
            found = self._count(sql)
            if found:
                problems.append(f"{found} {what}")
        return problems

    def reset_analysis(self) -> None:
        """Forget every derived result (``recluster``); articles, embeddings and analyst decisions stay."""
        with self.transaction():
            self.db.execute(f"TRUNCATE {', '.join(_DERIVED_TABLES)}".encode())
            self.db.execute("DELETE FROM state WHERE name = ANY(%s)", ([CLUSTER_META, CLUSTER_DF],))
            self.db.execute(
                "UPDATE articles SET analysed = FALSE, event_id = NULL, published = CASE WHEN published_how = "
                "'inferred' THEN NULL ELSE published END, published_evidence = CASE WHEN published_how = "
                "'inferred' THEN '' ELSE published_evidence END, published_how = CASE WHEN published_how = "
                "'inferred' THEN 'unknown' ELSE published_how END"
            )

    # ---- clusterer ----------------------------------------------------------------------------------------------

    def cluster_state(self) -> ClusterState | None:
        from ..stages.cluster import ClusterState

        meta, df = self.get_state(CLUSTER_META), self.get_state(CLUSTER_DF)
        if meta is None or df is None:
            return None
        events = tuple(
            codec.event_state_from_row(r)
            for r in self._rows('SELECT * FROM cluster_events ORDER BY id COLLATE "C"')
        )
        return ClusterState(json.loads(meta), zlib.decompress(df), events)

    def _save_cluster(self, state: ClusterState) -> None:
        with self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO cluster_events (id, pool, size, vec_sum, terms, entities, languages, first, last, "
                "seen, language, archived_rank) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO "
                "UPDATE SET pool = excluded.pool, size = excluded.size, vec_sum = excluded.vec_sum, terms = "
                "excluded.terms, entities = excluded.entities, languages = excluded.languages, first = "
                "excluded.first, last = excluded.last, seen = excluded.seen, language = excluded.language, "
                "archived_rank = excluded.archived_rank",
                [
                    (
                        e.id,
                        e.pool,
                        e.size,
                        e.vec_sum,
                        json.dumps(e.terms, ensure_ascii=False),
                        json.dumps(e.entities),
                        json.dumps(e.languages),
                        _iso(e.first),
                        _iso(e.last),
                        e.seen,
                        e.language,
                        e.archived_rank,
                    )
                    for e in state.events
                ],
            )
        self.db.execute("DELETE FROM cluster_events WHERE id = ANY(%s)", (list(state.removed),))
        self._put_state(CLUSTER_META, json.dumps(state.meta).encode())
        self._put_state(CLUSTER_DF, zlib.compress(state.df_counts, 1))

    def _put_state(self, name: str, value: bytes) -> None:
        self.db.execute(
            "INSERT INTO state (name, value) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    # ---- entities -----------------------------------------------------------------------------------------------

    def name_rows(self, lookups: Lookups) -> list[NameRow]:
        """Name-index rows a batch can match: by exact (type, key), by last-token block, by first-token block."""
        from ..stages.entities.incremental import NameRow

        keys, blocks = sorted(lookups.keys), sorted(lookups.blocks)
        rows = self._rows(
            "SELECT * FROM entity_names WHERE (type, key) IN (SELECT * FROM unnest(%s::text[], %s::text[])) "
            "OR (type, block) IN (SELECT * FROM unnest(%s::text[], %s::text[])) "
            "OR (type = 'PER' AND tokens > 1 AND first_block = ANY(%s)) ORDER BY seq",  # earliest forms first
            (
                [t for t, _ in keys],
                [k for _, k in keys],
                [t for t, _ in blocks],
                [b for _, b in blocks],
                sorted(lookups.first_blocks),
            ),
        )
        return [
            NameRow(
                r["type"],
                r["key"],
                r["entity_id"],
                r["neutral"],
                r["block"],
                r["first_block"],
                r["tokens"],
                r["text"],
                r["language"],
            )
            for r in rows
        ]

    def entities_by_ids(self, ids: Sequence[str]) -> list[Entity]:
        rows = self._rows("SELECT * FROM entities WHERE id = ANY(%s)", (list(ids),))
        return [codec.entity_from_row(r) for r in rows]

    def _resolve(self, table: str, start: str) -> str:
        """Follow a redirect table (merges) from ``start``; a cycle stops where it began repeating."""
        seen, current = {start}, start
        while True:
            row = self.db.execute(
                f"SELECT new_id FROM {table} WHERE old_id = %s".encode(), (current,)
            ).fetchone()
            if row is None or row["new_id"] in seen:
                return current
            current = row["new_id"]
            seen.add(current)

    def resolve_entity(self, entity_id: str) -> str:
        """Follow analyst merges so an absorbed entity id still finds the entity it became."""
        return self._resolve("entity_redirects", entity_id)

    def corrections(self) -> Corrections:
        from ..stages.entities import Corrections

        value = Corrections()
        for row in self._rows("SELECT kind, a, b FROM corrections ORDER BY seq"):
            value = (
                value.merge(row["a"], row["b"]) if row["kind"] == "merge" else value.split(row["a"], row["b"])
            )
        return value

    def add_correction(self, kind: str, a: str, b: str) -> None:
        with self.transaction():
            self._correction(kind, a, b)

    def _correction(self, kind: str, a: str, b: str) -> None:
        self.db.execute(
            "INSERT INTO corrections (kind, a, b, at) VALUES (%s, %s, %s, %s)", (kind, a, b, _now())
        )

    def merge_entity(self, source: str, target: str, languages: Mapping[str, str]) -> None:
        """Apply an analyst merge to what is stored: mentions, name index, claims, the target's row; the source id
        redirects to the target."""
        with self.transaction():
            self._correction("merge", source, target)
            for table, column in (("mentions", "entity_id"), ("entity_names", "entity_id"),
                                  ("claims", "speaker_entity_id")):  # fmt: skip
                self.db.execute(
                    f"UPDATE {table} SET {column} = %s WHERE {column} = %s".encode(), (target, source)
                )
            self.db.execute(
                "INSERT INTO entity_redirects (old_id, new_id, at) VALUES (%s, %s, %s) ON CONFLICT (old_id) "
                "DO UPDATE SET new_id = excluded.new_id, at = excluded.at",
                (source, target, _now()),
            )
            self.db.execute("DELETE FROM entities WHERE id = %s", (source,))
            self._rebuild_entities([target], languages)

    def split_entity(self, entity_id: str, key: str, new_id: str) -> None:
        """Apply an analyst split: the mentions of ``entity_id`` with comparison key ``key`` move to ``new_id``."""
        with self.transaction():
            self._correction("split", entity_id, key)
            for table in ("mentions", "entity_names"):
                self.db.execute(
                    f"UPDATE {table} SET entity_id = %s WHERE entity_id = %s AND key = %s".encode(),
                    (new_id, entity_id, key),
                )
            self._rebuild_entities([entity_id, new_id], {})

    def _rebuild_entities(self, ids: Sequence[str], languages: Mapping[str, str]) -> None:
        """Recount entity rows from their mentions (an analyst action: cost follows the entities' mentions)."""
        from ..models import Mention
        from ..stages.entities.incremental import updated_entities

        for entity_id in ids:
            before = {e.id: e for e in self.entities_by_ids([entity_id])}
            rows = self._rows(
                "SELECT m.*, a.language FROM mentions m JOIN articles a ON a.id = m.article_id "
                'WHERE m.entity_id = %s ORDER BY m.article_id COLLATE "C", m.start',
                (entity_id,),
            )
            self.db.execute("DELETE FROM entities WHERE id = %s", (entity_id,))
            if not rows:
                continue
            mentions = [
                Mention(r["article_id"], r["text"], r["start"], r["end"], r["type"], r["key"], r["entity_id"])
                for r in rows
            ]
            language = {r["article_id"]: r["language"] for r in rows}
            # Keep a gazetteer entity's English name (its mentions no longer say which entry they matched).
            names = (
                {entity_id: before[entity_id].name} if entity_id in before and before[entity_id].name else {}
            )
            (entity,) = updated_entities({}, mentions, {**language, **languages}, names)
            self._upsert_entities([entity])

    def _upsert_entities(self, entities: Sequence[Entity]) -> None:
        with self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO entities (id, name, type, aliases, mention_count) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, "
                "aliases = excluded.aliases, mention_count = excluded.mention_count",
                [(e.id, e.name, e.type, codec.aliases_to_json(e), e.mention_count) for e in entities],
            )

    def imported_aliases(self) -> list[AliasRecord]:
        rows = self._rows("SELECT record FROM imported_aliases ORDER BY seq")
        return [codec.alias_record_from_json(row["record"]) for row in rows]

    def add_imported_aliases(self, records: Sequence[AliasRecord]) -> None:
        """Keep imported names (a later import of the same source id replaces the earlier, and moves last)."""
        with self.transaction():
            for r in records:
                key = codec.alias_record_key(r)
                self.db.execute("DELETE FROM imported_aliases WHERE source_key = %s", (key,))
                self.db.execute(
                    "INSERT INTO imported_aliases (source_key, record) VALUES (%s, %s)",
                    (key, codec.alias_record_to_json(r)),
                )

    # ---- vectors ------------------------------------------------------------------------------------------------

    def embeddings(self, ids: Sequence[str], model: str) -> dict[str, npt.NDArray[np.float32]]:
        rows = self._rows(
            "SELECT article_id, vector::text AS v FROM embeddings WHERE model = %s AND article_id = ANY(%s)",
            (model, list(ids)),
        )
        return {r["article_id"]: vector_from_text(r["v"]) for r in rows}

    def save_embeddings(self, model: str, vectors: Mapping[str, npt.NDArray[np.float32]]) -> None:
        with self.transaction(), self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO embeddings (article_id, model, vector) VALUES (%s, %s, %b) "
                "ON CONFLICT (article_id) DO UPDATE SET model = excluded.model, vector = excluded.vector",
                [(i, model, np.asarray(v, dtype=np.float32)) for i, v in vectors.items()],
            )

    def text_vectors(self, hashes: Sequence[str], model: str) -> dict[str, npt.NDArray[np.float32]]:
        rows = self._rows(
            "SELECT hash, vector::text AS v FROM text_vectors WHERE model = %s AND hash = ANY(%s)",
            (model, list(hashes)),
        )
        return {r["hash"]: vector_from_text(r["v"]) for r in rows}

    def save_text_vectors(self, model: str, vectors: Mapping[str, npt.NDArray[np.float32]]) -> None:
        with self.transaction(), self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO text_vectors (hash, model, vector) VALUES (%s, %s, %b) ON CONFLICT DO NOTHING",
                [(h, model, np.asarray(v, dtype=np.float32)) for h, v in vectors.items()],
            )

    # ---- events, stories, claims --------------------------------------------------------------------------------

    def event_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        rows = self._rows(
            "SELECT id, event_id FROM articles WHERE event_id IS NOT NULL AND id = ANY(%s)",
            (list(article_ids),),
        )
        return {r["id"]: r["event_id"] for r in rows}

    def story_ids(self, event_ids: Sequence[str]) -> dict[str, str]:
        rows = self._rows(
            "SELECT id, story_id FROM events WHERE story_id IS NOT NULL AND id = ANY(%s)", (list(event_ids),)
        )
        return {r["id"]: r["story_id"] for r in rows}

    def story_candidates(self, profiles: Sequence[EventProfile]) -> list[EventProfile]:
        """Stored events sharing a main entity with any of ``profiles``, within the story time gap."""
        from ..stages.stories import StoryRule

        gap = dt.timedelta(days=StoryRule().max_gap_days)
        touched = {p.event_id for p in profiles}
        found: dict[str, EventProfile] = {}
        for p in profiles:
            if not p.entities:
                continue
            sql = (
                "SELECT s.* FROM story_profiles s WHERE EXISTS (SELECT 1 FROM event_entities x "
                "WHERE x.event_id = s.event_id AND x.entity_id = ANY(%s))"
            )
            args: list[Any] = [sorted(p.entities)]
            if p.start is not None:
                sql += " AND (s.start IS NULL OR (s.start >= %s AND s.start <= %s))"
                args += [(p.start - gap).isoformat(), ((p.end or p.start) + gap).isoformat()]
            sql += f' ORDER BY s.start DESC NULLS LAST, s.event_id COLLATE "C" LIMIT {STORY_CANDIDATES}'
            for row in self._rows(sql, args):
                if row["event_id"] not in touched:
                    found[row["event_id"]] = codec.profile_from_row(row)
        return list(found.values())

    def claims_of_events(self, event_ids: Sequence[str]) -> list[Claim]:
        rows = self._rows(
            'SELECT * FROM claims WHERE event_id = ANY(%s) ORDER BY article_id COLLATE "C", start',
            (list(event_ids),),
        )
        return [codec.claim_from_row(r) for r in rows]

    def events_by_ids(self, ids: Sequence[str]) -> list[Event]:
        rows = self._rows("SELECT * FROM events WHERE id = ANY(%s)", (list(ids),))
        return [codec.event_from_row(r, self._member_ids(r["id"])) for r in rows]

    def events_of_story(self, story_id: str) -> list[Event]:
        rows = self._rows("SELECT * FROM events WHERE story_id = %s", (story_id,))
        return [codec.event_from_row(r, self._member_ids(r["id"])) for r in rows]

    def _member_ids(self, event_id: str) -> tuple[str, ...]:
        return tuple(
            r["id"]
            for r in self._rows("SELECT id FROM articles WHERE event_id = %s ORDER BY seq", (event_id,))
        )

    # ---- apply --------------------------------------------------------------------------------------------------

    def apply(self, plan: BatchPlan) -> None:
        """Write one batch's plan in one transaction: all of it lands, or none of it."""
        with self.transaction(), self.db.cursor() as cur:
            self._apply_merges(plan.merges)
            self._apply_articles(cur, plan)
            self._apply_entities(cur, plan)
            self._apply_events(cur, plan)
            cur.executemany(
                'INSERT INTO claims (id, article_id, event_id, speaker, speaker_entity_id, quote, stance, kind, start, "end", '
                "claim_group_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET "
                "article_id = excluded.article_id, event_id = excluded.event_id, speaker = excluded.speaker, "
                "speaker_entity_id = excluded.speaker_entity_id, quote = excluded.quote, stance = excluded.stance, "
                'kind = excluded.kind, start = excluded.start, "end" = excluded."end", '
                "claim_group_id = excluded.claim_group_id",
                [codec.claim_values(c) for c in plan.claims],
            )
            if plan.cluster is not None:
                self._save_cluster(plan.cluster)

    def _record_merges(self, merges: Mapping[str, str]) -> None:
        stamp = _now()
        for old, new in merges.items():
            self.db.execute(
                "INSERT INTO event_merges (old_id, new_id, at) VALUES (%s, %s, %s) ON CONFLICT (old_id) "
                "DO UPDATE SET new_id = excluded.new_id, at = excluded.at",
                (old, new, stamp),
            )

    def _apply_merges(self, merges: Mapping[str, str]) -> None:
        for old, new in merges.items():
            self.db.execute("UPDATE articles SET event_id = %s WHERE event_id = %s", (new, old))
            self.db.execute("UPDATE claims SET event_id = %s WHERE event_id = %s", (new, old))
            for table, column in (
                ("events", "id"),
                ("story_profiles", "event_id"),
                ("event_entities", "event_id"),
            ):
                self.db.execute(f"DELETE FROM {table} WHERE {column} = %s".encode(), (old,))
        self._record_merges(merges)

    def _apply_articles(self, cur: psycopg.Cursor[Row], plan: BatchPlan) -> None:
        allowed = {"event_id", "published", "published_how", "published_evidence"}
        for article_id, columns in plan.article_updates.items():
            cols = {k: v for k, v in columns.items() if k in allowed}
            if cols:
                cur.execute(
                    f"UPDATE articles SET {', '.join(f'{c} = %s' for c in cols)} WHERE id = %s".encode(),
                    [*cols.values(), article_id],
                )
        # A re-run after a crash plans the batch again: an older partial write must not duplicate mentions.
        cur.execute("DELETE FROM mentions WHERE article_id = ANY(%s)", (list(plan.analysed),))
        cur.execute("UPDATE articles SET analysed = TRUE WHERE id = ANY(%s)", (list(plan.analysed),))
        cur.executemany(
            'INSERT INTO mentions (article_id, start, "end", text, type, key, entity_id) VALUES (%s,%s,%s,%s,%s,%s,%s)',
            [(m.article_id, m.start, m.end, m.text, m.type, m.key, m.entity_id) for m in plan.mentions],
        )

    def _apply_entities(self, cur: psycopg.Cursor[Row], plan: BatchPlan) -> None:
        cur.executemany(
            "INSERT INTO entity_names (type, key, entity_id, neutral, block, first_block, tokens, text, language) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
            [
                (n.type, n.key, n.entity_id, n.neutral, n.block, n.first_block, n.tokens, n.text, n.language)
                for n in plan.names
            ],
        )
        self._upsert_entities(plan.entities)

    def _apply_events(self, cur: psycopg.Cursor[Row], plan: BatchPlan) -> None:
        cur.executemany(
            'INSERT INTO events (id, title, start, "end", languages, sources, story_id, titles, summary) VALUES '
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET title = excluded.title, start = "
            'excluded.start, "end" = excluded."end", languages = excluded.languages, sources = excluded.sources, '
            "story_id = excluded.story_id, titles = excluded.titles, summary = excluded.summary",
            [codec.event_values(e) for e in plan.events],
        )
        cur.executemany(
            'INSERT INTO story_profiles (event_id, centroid, entities, key_terms, start, "end", size) VALUES '
            "(%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (event_id) DO UPDATE SET centroid = excluded.centroid, "
            "entities = excluded.entities, key_terms = excluded.key_terms, start = excluded.start, "
            '"end" = excluded."end", size = excluded.size',
            [codec.profile_values(p) for p in plan.profiles],
        )
        if plan.event_entities:
            cur.execute("DELETE FROM event_entities WHERE event_id = ANY(%s)", (sorted(plan.event_entities),))
            cur.executemany(
                "INSERT INTO event_entities (entity_id, event_id) VALUES (%s, %s)",
                [
                    (e, event_id)
                    for event_id, entities in plan.event_entities.items()
                    for e in sorted(entities)
                ],
            )
        cur.executemany(
            "INSERT INTO stories (id, title, event_ids, summary) VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE "
            "SET title = excluded.title, event_ids = excluded.event_ids, summary = excluded.summary",
            [(s.id, s.title, json.dumps(list(s.event_ids)), s.summary) for s in plan.stories],
        )
        # A story left with fewer than two events (its events merged) is no story. Only the survivors' stories
        # are counted (through the events' story index): no scan of every event per batch.
        survivors = sorted(set(plan.merges.values()))
        if survivors:
            # Its remaining event leaves it too, or it would point at a story that does not exist.
            cur.execute(
                "WITH gone AS (DELETE FROM stories WHERE id IN (SELECT story_id FROM events WHERE id = ANY(%s) "
                "AND story_id IS NOT NULL) AND (SELECT count(*) FROM events e WHERE e.story_id = stories.id) < 2 "
                "RETURNING id) UPDATE events SET story_id = NULL WHERE story_id IN (SELECT id FROM gone)",
                (survivors,),
            )
