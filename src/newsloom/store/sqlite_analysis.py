"""The SQLite store's analysis tables: what the engine reads while planning a batch, and applying a plan.

Every read here is an indexed lookup bounded by the batch (name-index rows by key or block, the touched events'
articles, mentions and claims, story candidates by shared entity); :meth:`SQLiteAnalysis.apply` writes one
batch's plan in one transaction, upserting only the rows it touches.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import numpy as np

from ..models import Article, Claim, Entity, Event
from . import codec

if TYPE_CHECKING:
    from ..engine.plan import BatchPlan
    from ..stages.cluster import ClusterState
    from ..stages.entities import AliasRecord, Corrections
    from ..stages.entities.incremental import Lookups, NameRow
    from ..stages.stories import EventProfile

CLUSTER_META, CLUSTER_DF = "cluster_meta", "cluster_df"
STORY_CANDIDATES = 400  # stored events scored per touched event, most recent first (bounds story linking)


def chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """SQLite binds at most a few thousand parameters per statement."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class SQLiteAnalysis:
    """Mixin of :class:`~newsloom.store.sqlite.SQLiteStore` (it provides ``db`` and ``transaction``)."""

    db: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[None]:  # provided by the store
        raise NotImplementedError

    def get_state(self, name: str) -> bytes | None:  # provided by the store
        raise NotImplementedError

    # ---- progress ---------------------------------------------------------------------------------------------

    def count_pending(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles WHERE analysed = 0").fetchone()[0])

    def pending_articles(self, *, limit: int) -> list[Article]:
        """The first ``limit`` unanalysed articles in arrival order."""
        rows = self.db.execute(
            "SELECT * FROM articles WHERE analysed = 0 ORDER BY seq LIMIT ?", (int(limit),)
        ).fetchall()
        return [codec.article_from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "events", "stories", "entities", "claims"):
            out[table] = int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out

    def integrity(self) -> list[str]:
        """Problems found in the store (empty when healthy): SQLite's own check and every dangling reference."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        checks = {
            "analysed article(s) whose event does not exist": "SELECT count(*) FROM articles a WHERE a.analysed = 1 "
            "AND a.event_id IS NOT NULL AND a.event_id NOT IN (SELECT id FROM events)",
            "mention(s) of an entity that does not exist": "SELECT count(*) FROM mentions WHERE entity_id IS NOT NULL "
            "AND entity_id NOT IN (SELECT id FROM entities)",
            "claim(s) in an event that does not exist": "SELECT count(*) FROM claims WHERE event_id IS NOT NULL "
            "AND event_id NOT IN (SELECT id FROM events)",
            "event(s) without articles": "SELECT count(*) FROM events WHERE id NOT IN "
            "(SELECT event_id FROM articles WHERE event_id IS NOT NULL)",
            "event(s) in a story that does not exist": "SELECT count(*) FROM events WHERE story_id IS NOT NULL "
            "AND story_id NOT IN (SELECT id FROM stories)",
            "mention(s) of articles not analysed": "SELECT count(*) FROM mentions WHERE article_id IN "
            "(SELECT id FROM articles WHERE analysed = 0)",
        }
        for what, sql in checks.items():
            found = int(self.db.execute(sql).fetchone()[0])
            if found:
                problems.append(f"{found} {what}")
        return problems

    def reset_analysis(self) -> None:
        """Forget every derived result (``recluster``); articles, embeddings and analyst decisions stay."""
        with self.transaction():
            for table in (
                "mentions",
                "entities",
                "entity_names",
                "events",
                "event_merges",
                "stories",
                "claims",
                "cluster_events",
                "story_profiles",
                "event_entities",
            ):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("DELETE FROM state WHERE name IN (?, ?)", (CLUSTER_META, CLUSTER_DF))
            self.db.execute(
                "UPDATE articles SET analysed = 0, event_id = NULL, published = CASE WHEN published_how = "
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
        events = tuple(codec.event_state_from_row(r) for r in self.db.execute("SELECT * FROM cluster_events"))
        return ClusterState(json.loads(meta), zlib.decompress(df), events)

    def _save_cluster(self, state: ClusterState) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO cluster_events (id, pool, size, vec_sum, terms, entities, languages, first, "
            "last, seen, language, archived_rank) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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
        self.db.executemany("DELETE FROM cluster_events WHERE id = ?", [(e,) for e in state.removed])
        for name, value in (
            (CLUSTER_META, json.dumps(state.meta).encode()),
            (CLUSTER_DF, zlib.compress(state.df_counts, 1)),
        ):
            self.db.execute("INSERT OR REPLACE INTO state (name, value) VALUES (?, ?)", (name, value))

    # ---- entities -----------------------------------------------------------------------------------------------

    def name_rows(self, lookups: Lookups) -> list[NameRow]:
        """Name-index rows a batch can match: by exact (type, key), by last-token block, by first-token block."""
        from ..stages.entities.incremental import NameRow

        found: dict[tuple[str, str], sqlite3.Row] = {}
        queries: list[tuple[str, Sequence[Any]]] = []
        for part in chunks(sorted(lookups.keys), 400):
            queries.append(
                (
                    "SELECT rowid AS rid, * FROM entity_names WHERE (type, key) IN (VALUES "
                    + ",".join("(?, ?)" for _ in part)
                    + ")",
                    [x for pair in part for x in pair],
                )
            )
        for part in chunks(sorted(lookups.blocks), 400):
            queries.append(
                (
                    "SELECT rowid AS rid, * FROM entity_names WHERE (type, block) IN (VALUES "
                    + ",".join("(?, ?)" for _ in part)
                    + ")",
                    [x for pair in part for x in pair],
                )
            )
        for part in chunks(sorted(lookups.first_blocks)):
            queries.append(
                (
                    f"SELECT rowid AS rid, * FROM entity_names WHERE type = 'PER' AND tokens > 1 AND first_block IN ({_marks(part)})",
                    list(part),
                )
            )
        for sql, args in queries:
            for row in self.db.execute(sql, args):
                found[(row["type"], row["key"])] = row
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
            for r in sorted(found.values(), key=lambda r: int(r["rid"]))  # earliest forms first
        ]

    def entities_by_ids(self, ids: Sequence[str]) -> list[Entity]:
        out = []
        for part in chunks(list(ids)):
            out += [
                codec.entity_from_row(r)
                for r in self.db.execute(f"SELECT * FROM entities WHERE id IN ({_marks(part)})", list(part))
            ]
        return out

    def resolve_entity(self, entity_id: str) -> str:
        """Follow analyst merges so an absorbed entity id still finds the entity it became."""
        seen = {entity_id}
        while True:
            row = self.db.execute(
                "SELECT new_id FROM entity_redirects WHERE old_id = ?", (entity_id,)
            ).fetchone()
            if row is None or row[0] in seen:
                return entity_id
            entity_id = row[0]
            seen.add(entity_id)

    def corrections(self) -> Corrections:
        from ..stages.entities import Corrections

        value = Corrections()
        for row in self.db.execute("SELECT kind, a, b FROM corrections ORDER BY seq"):
            value = value.merge(row[1], row[2]) if row[0] == "merge" else value.split(row[1], row[2])
        return value

    def add_correction(self, kind: str, a: str, b: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO corrections (kind, a, b, at) VALUES (?, ?, ?, ?)", (kind, a, b, _now())
            )

    def merge_entity(self, source: str, target: str, languages: Mapping[str, str]) -> None:
        """Apply an analyst merge to what is stored: mentions, name index, claims, the target's row; the source id
        redirects to the target."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO corrections (kind, a, b, at) VALUES ('merge', ?, ?, ?)", (source, target, _now())
            )
            self.db.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (target, source))
            self.db.execute("UPDATE entity_names SET entity_id = ? WHERE entity_id = ?", (target, source))
            self.db.execute(
                "UPDATE claims SET speaker_entity_id = ? WHERE speaker_entity_id = ?", (target, source)
            )
            self.db.execute(
                "INSERT OR REPLACE INTO entity_redirects (old_id, new_id, at) VALUES (?, ?, ?)",
                (source, target, _now()),
            )
            self.db.execute("DELETE FROM entities WHERE id = ?", (source,))
            self._rebuild_entities([target], languages)

    def split_entity(self, entity_id: str, key: str, new_id: str) -> None:
        """Apply an analyst split: the mentions of ``entity_id`` with comparison key ``key`` move to ``new_id``."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO corrections (kind, a, b, at) VALUES ('split', ?, ?, ?)", (entity_id, key, _now())
            )
            self.db.execute(
                "UPDATE mentions SET entity_id = ? WHERE entity_id = ? AND key = ?", (new_id, entity_id, key)
            )
            self.db.execute(
                "UPDATE entity_names SET entity_id = ? WHERE entity_id = ? AND key = ?",
                (new_id, entity_id, key),
            )
            self._rebuild_entities([entity_id, new_id], {})

    def _rebuild_entities(self, ids: Sequence[str], languages: Mapping[str, str]) -> None:
        """Recount entity rows from their mentions (an analyst action: cost follows the entities' mentions)."""
        from ..models import Mention
        from ..stages.entities.incremental import updated_entities

        for entity_id in ids:
            before = {e.id: e for e in self.entities_by_ids([entity_id])}
            rows = self.db.execute(
                "SELECT m.*, a.language FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ?",
                (entity_id,),
            ).fetchall()
            self.db.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
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
        self.db.executemany(
            "INSERT OR REPLACE INTO entities (id, name, type, aliases, mention_count) VALUES (?, ?, ?, ?, ?)",
            [(e.id, e.name, e.type, codec.aliases_to_json(e), e.mention_count) for e in entities],
        )

    def imported_aliases(self) -> list[AliasRecord]:
        rows = self.db.execute("SELECT record FROM imported_aliases ORDER BY rowid")
        return [codec.alias_record_from_json(raw) for (raw,) in rows]

    def add_imported_aliases(self, records: Sequence[AliasRecord]) -> None:
        """Keep imported names (a later import of the same source id replaces the earlier)."""
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO imported_aliases (source_key, record) VALUES (?, ?)",
                [(codec.alias_record_key(r), codec.alias_record_to_json(r)) for r in records],
            )

    # ---- vectors ------------------------------------------------------------------------------------------------

    def text_vectors(self, hashes: Sequence[str], model: str) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for part in chunks(list(hashes)):
            rows = self.db.execute(
                f"SELECT hash, vector FROM text_vectors WHERE model = ? AND hash IN ({_marks(part)})",
                [model, *part],
            )
            out.update((r[0], np.frombuffer(r[1], dtype=np.float32)) for r in rows)
        return out

    def save_text_vectors(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO text_vectors (hash, model, vector) VALUES (?, ?, ?)",
                [(h, model, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vectors.items()],
            )

    # ---- events, stories, claims --------------------------------------------------------------------------------

    def event_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in chunks(list(article_ids)):
            out.update(
                (r[0], r[1])
                for r in self.db.execute(
                    f"SELECT id, event_id FROM articles WHERE event_id IS NOT NULL AND id IN ({_marks(part)})",
                    list(part),
                )
            )
        return out

    def story_ids(self, event_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in chunks(list(event_ids)):
            out.update(
                (r[0], r[1])
                for r in self.db.execute(
                    f"SELECT id, story_id FROM events WHERE story_id IS NOT NULL AND id IN ({_marks(part)})",
                    list(part),
                )
            )
        return out

    def story_candidates(self, profiles: Sequence[EventProfile]) -> list[EventProfile]:
        """Stored events sharing a main entity with any of ``profiles``, within the story time gap."""
        from ..stages.stories import StoryRule

        gap = dt.timedelta(days=StoryRule().max_gap_days)
        touched = {p.event_id for p in profiles}
        found: dict[str, EventProfile] = {}
        for p in profiles:
            if not p.entities:
                continue
            ents = sorted(p.entities)
            sql = (
                "SELECT DISTINCT s.* FROM event_entities x JOIN story_profiles s ON s.event_id = x.event_id "
                f"WHERE x.entity_id IN ({_marks(ents)})"
            )
            args: list[Any] = list(ents)
            if p.start is not None:
                sql += " AND (s.start IS NULL OR (s.start >= ? AND s.start <= ?))"
                args += [(p.start - gap).isoformat(), ((p.end or p.start) + gap).isoformat()]
            sql += f" ORDER BY s.start DESC LIMIT {STORY_CANDIDATES}"
            for row in self.db.execute(sql, args):
                if row["event_id"] not in touched:
                    found[row["event_id"]] = codec.profile_from_row(row)
        return list(found.values())

    def claims_of_events(self, event_ids: Sequence[str]) -> list[Claim]:
        out = []
        for part in chunks(list(event_ids)):
            out += [
                codec.claim_from_row(r)
                for r in self.db.execute(
                    f"SELECT * FROM claims WHERE event_id IN ({_marks(part)}) ORDER BY article_id, start",
                    list(part),
                )
            ]
        return out

    def events_by_ids(self, ids: Sequence[str]) -> list[Event]:
        out = []
        for part in chunks(list(ids)):
            rows = self.db.execute(
                f"SELECT * FROM events WHERE id IN ({_marks(part)})", list(part)
            ).fetchall()
            out += [codec.event_from_row(r, self._member_ids(r["id"])) for r in rows]
        return out

    def events_of_story(self, story_id: str) -> list[Event]:
        rows = self.db.execute("SELECT * FROM events WHERE story_id = ?", (story_id,)).fetchall()
        return [codec.event_from_row(r, self._member_ids(r["id"])) for r in rows]

    def _member_ids(self, event_id: str) -> tuple[str, ...]:
        return tuple(
            r[0]
            for r in self.db.execute("SELECT id FROM articles WHERE event_id = ? ORDER BY seq", (event_id,))
        )

    # ---- apply --------------------------------------------------------------------------------------------------

    def apply(self, plan: BatchPlan) -> None:
        """Write one batch's plan in one transaction: all of it lands, or none of it."""
        with self.transaction():
            self._apply_merges(plan.merges)
            self._apply_articles(plan)
            self._apply_entities(plan)
            self._apply_events(plan)
            self.db.executemany(
                "INSERT OR REPLACE INTO claims (id, article_id, event_id, speaker, speaker_entity_id, quote, stance, "
                "kind, start, end, claim_group_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [codec.claim_values(c) for c in plan.claims],
            )
            if plan.cluster is not None:
                self._save_cluster(plan.cluster)

    def _apply_merges(self, merges: Mapping[str, str]) -> None:
        stamp = _now()
        for old, new in merges.items():
            self.db.execute("UPDATE articles SET event_id = ? WHERE event_id = ?", (new, old))
            self.db.execute("UPDATE claims SET event_id = ? WHERE event_id = ?", (new, old))
            self.db.execute(
                "INSERT OR REPLACE INTO event_merges (old_id, new_id, at) VALUES (?, ?, ?)", (old, new, stamp)
            )
            for table, column in (
                ("events", "id"),
                ("story_profiles", "event_id"),
                ("event_entities", "event_id"),
            ):
                self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", (old,))

    def _apply_articles(self, plan: BatchPlan) -> None:
        allowed = {"event_id", "published", "published_how", "published_evidence"}
        for article_id, columns in plan.article_updates.items():
            cols = {k: v for k, v in columns.items() if k in allowed}
            if cols:
                self.db.execute(
                    f"UPDATE articles SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                    [*cols.values(), article_id],
                )
        for part in chunks(list(plan.analysed)):
            # A re-run after a crash plans the batch again: its earlier, unapplied attempt left nothing, but an
            # older partial write must not duplicate mentions.
            self.db.execute(f"DELETE FROM mentions WHERE article_id IN ({_marks(part)})", list(part))
            self.db.execute(f"UPDATE articles SET analysed = 1 WHERE id IN ({_marks(part)})", list(part))
        self.db.executemany(
            "INSERT INTO mentions (article_id, start, end, text, type, key, entity_id) VALUES (?,?,?,?,?,?,?)",
            [(m.article_id, m.start, m.end, m.text, m.type, m.key, m.entity_id) for m in plan.mentions],
        )

    def _apply_entities(self, plan: BatchPlan) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO entity_names (type, key, entity_id, neutral, block, first_block, tokens, text, "
            "language) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (n.type, n.key, n.entity_id, n.neutral, n.block, n.first_block, n.tokens, n.text, n.language)
                for n in plan.names
            ],
        )
        self._upsert_entities(plan.entities)

    def _apply_events(self, plan: BatchPlan) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO events (id, title, start, end, languages, sources, story_id, titles, summary) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [codec.event_values(e) for e in plan.events],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO story_profiles (event_id, centroid, entities, key_terms, start, end, size) "
            "VALUES (?,?,?,?,?,?,?)",
            [codec.profile_values(p) for p in plan.profiles],
        )
        for event_id, entities in plan.event_entities.items():
            self.db.execute("DELETE FROM event_entities WHERE event_id = ?", (event_id,))
            self.db.executemany(
                "INSERT INTO event_entities (entity_id, event_id) VALUES (?, ?)",
                [(e, event_id) for e in sorted(entities)],
            )
        self.db.executemany(
            "INSERT OR REPLACE INTO stories (id, title, event_ids, summary) VALUES (?, ?, ?, ?)",
            [(s.id, s.title, json.dumps(list(s.event_ids)), s.summary) for s in plan.stories],
        )
        # A story left with fewer than two events (its events merged) is no story. Only the survivors' stories
        # are counted (through the events_story index): no scan of every event per batch.
        survivors = sorted(set(plan.merges.values()))
        if survivors:
            gone = [
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM stories WHERE id IN (SELECT story_id FROM events WHERE story_id IS NOT NULL AND "
                    f"id IN ({_marks(survivors)})) AND (SELECT count(*) FROM events e WHERE e.story_id = stories.id) "
                    "< 2",
                    survivors,
                )
            ]
            # Its remaining event leaves it too, or it would point at a story that does not exist.
            if gone:
                self.db.execute(f"DELETE FROM stories WHERE id IN ({_marks(gone)})", gone)
                self.db.execute(f"UPDATE events SET story_id = NULL WHERE story_id IN ({_marks(gone)})", gone)
