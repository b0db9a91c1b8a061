"""What only the PostgreSQL store has: URL selection, its schema version, the write lock, pgvector's HNSW index,
and a whole tracker run on PostgreSQL agreeing with the same run on SQLite."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import make_article
from newsloom.config import Settings
from newsloom.errors import StoreError
from newsloom.store import SQLiteStore, open_store
from newsloom.store.postgres_schema import (
    EMBEDDING_DIM,
    SCHEMA_VERSION,
    SEMANTIC_INDEX_EXPR,
    SEMANTIC_INDEX_WHERE,
)
from newsloom.tracker import DEMO_CORPUS, Tracker

psycopg = pytest.importorskip(
    "psycopg", reason="PostgreSQL tests need psycopg: pip install -e '.[test,postgres]'"
)

from newsloom.store.postgres import PostgresStore  # noqa: E402  (after the skip: it needs psycopg at run time)


def test_a_postgres_url_opens_postgres_and_a_path_sqlite(pg_url: str, tmp_path: Path) -> None:
    pg = open_store(pg_url)
    assert isinstance(pg, PostgresStore)
    pg.close()
    store = open_store(tmp_path / "x.db")
    assert isinstance(store, SQLiteStore)
    store.close()


def test_missing_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(StoreError, match=r"pip install 'newsloom\[postgres\]'"):
        open_store("postgresql://127.0.0.1:1/news")


def test_unreachable_server_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError, match="cannot connect") as caught:
        open_store("postgresql://me:s3cret@127.0.0.1:1/news?connect_timeout=2")
    assert "s3cret" not in str(caught.value)


def test_schema_version_is_recorded_and_a_newer_one_refused(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        assert store.db.execute("SELECT version FROM schema_version").fetchall() == [
            {"version": SCHEMA_VERSION}
        ]
        store.add_articles([make_article("a1", "T", "kept")], {})
    with PostgresStore(pg_url) as store:  # reopening does not migrate again
        assert store.count_articles() == 1
        store.db.execute("UPDATE schema_version SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer"):
        PostgresStore(pg_url)


def test_a_version_1_database_gets_its_duplicate_index_from_the_stored_signatures(pg_url: str) -> None:
    from newsloom.stages.dedup import Deduper, band_keys

    d = Deduper()
    text = "The council approved the new budget for schools and roads on Monday evening after a long debate."
    with PostgresStore(pg_url) as store:
        store.add_articles([make_article("a1", "T", text)], {"a1": d.signature(text)})
        with store.transaction():
            store.db.execute("DROP TABLE dedup_bands")
            store.db.execute("UPDATE schema_version SET version = 1")
    with PostgresStore(pg_url) as store:
        assert [r[0] for r in store.duplicate_candidates(band_keys(d.signature(text)))] == ["a1"]


def test_two_writers_serialise(pg_url: str) -> None:
    with PostgresStore(pg_url) as first, PostgresStore(pg_url) as second:
        waited: list[float] = []

        def write() -> None:
            start = time.monotonic()
            second.add_articles([make_article("b1", "Second", "waits for the first")], {})
            waited.append(time.monotonic() - start)

        with first.transaction():
            first.db.execute("SELECT 1")
            thread = threading.Thread(target=write)
            thread.start()
            time.sleep(0.6)
            assert thread.is_alive(), "the second writer did not wait for the first"
            first.add_articles([make_article("a1", "First", "holds the lock")], {})
        thread.join(10)
        assert waited and waited[0] >= 0.5
        assert first.existing_ids(["a1", "b1"]) == {"a1", "b1"}


def test_a_writer_waiting_too_long_gets_a_clear_error(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsloom.store.postgres as module

    monkeypatch.setattr(module, "LOCK_TIMEOUT_S", 1)
    with PostgresStore(pg_url) as first, PostgresStore(pg_url) as second:
        with first.transaction(), pytest.raises(StoreError, match="another newsloom process"):
            second.add_articles([make_article("b1", "Second", "gives up")], {})
        assert second.count_articles() == 0
        second.add_articles([make_article("b1", "Second", "once the first is done")], {})
        assert first.count_articles() == 1


def test_semantic_search_can_use_the_hnsw_index(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        store.add_articles([make_article(f"a{i}", "T", "x") for i in range(20)], {})
        rng = np.random.default_rng(3)
        store.save_embeddings(
            "m", {f"a{i}": rng.normal(size=EMBEDDING_DIM).astype(np.float32) for i in range(20)}
        )
        with store.db.transaction():
            store.db.execute("SET LOCAL enable_seqscan = off")
            plan = store.db.execute(
                f"EXPLAIN SELECT article_id FROM embeddings WHERE {SEMANTIC_INDEX_WHERE} "
                f"ORDER BY {SEMANTIC_INDEX_EXPR} <=> %s::vector({EMBEDDING_DIM}) LIMIT 5".encode(),
                ("[" + ",".join(["0.1"] * EMBEDDING_DIM) + "]",),
            ).fetchall()
        assert "embeddings_hnsw" in " ".join(str(r) for r in plan)
    with PostgresStore(pg_url) as fresh:  # the first vector operation of a session: settings still apply
        nearest = fresh.semantic_search(rng.normal(size=EMBEDDING_DIM).astype(np.float32), 30)
        assert len(nearest) == 20


def _ingest(db: str, files: list[Path]) -> Tracker:
    tracker = Tracker(Settings(db=db, batch_size=4))
    tracker.ingest([str(f) for f in files])
    return tracker


def _summary(tracker: Tracker) -> tuple[object, ...]:
    events = sorted(sorted(tracker.store.articles(ids=e.article_ids), key=lambda a: a.origin)[0].origin
                    for e in tracker.events())  # fmt: skip
    groups = sorted(tuple(sorted(e.article_ids)) for e in tracker.events())
    entities = sorted((e.name, e.type, e.mention_count) for e in tracker.entities())
    claims = sorted((c.article_id, c.start, c.speaker) for c in tracker.claims())
    return events, groups, entities, claims, len(tracker.stories())


@pytest.mark.slow
def test_a_tracker_on_postgres_agrees_with_sqlite(pg_url: str, tmp_path: Path) -> None:
    files = sorted(DEMO_CORPUS.glob("*putin*")) + sorted(DEMO_CORPUS.glob("*povod*"))[:3]
    with _ingest(pg_url, files) as pg, _ingest(str(tmp_path / "lite.db"), files) as lite:
        assert pg.store.integrity() == [] and pg.store.count_pending() == 0
        assert len(pg.store.articles()) == len(files)
        assert _summary(pg) == _summary(lite)
        assert pg.events() and pg.entities() and pg.claims()
        found = pg.search("pjongjang")
        assert found and any(a.language == "pl" for a in found)
        assert {a.id for a in found} == {a.id for a in lite.search("pjongjang")}
        article = found[0]
        vector = pg.store.embeddings([article.id], pg.models.embedder_name)[article.id]
        nearest = pg.store.semantic_search(vector, 5)
        assert nearest[0].id == article.id
        assert [a.id for a in nearest] == [a.id for a in lite.store.semantic_search(vector, 5)]


def _writer(db: str, folder: Path) -> subprocess.Popen[bytes]:
    code = (
        "from newsloom.config import Settings; from newsloom.tracker import Tracker; "
        f"r = Tracker(Settings(db={db!r}, analyze=False, batch_size=5)).ingest([{str(folder)!r}]); print(r.added)"
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_two_writer_processes_serialise_and_lose_nothing(pg_url: str, tmp_path: Path) -> None:
    PostgresStore(pg_url).close()  # migrate first, like the SQLite twin of this test in test_engine.py
    for prefix in ("alpha", "beta"):
        (tmp_path / prefix).mkdir()
        for i in range(40):
            (tmp_path / prefix / f"{prefix}{i}.txt").write_text(
                f"{prefix} report {i}\n\nThe council of town {prefix}{i} met on Monday about road number {i}.\n",
                encoding="utf-8",
            )
    procs = [_writer(pg_url, tmp_path / "alpha"), _writer(pg_url, tmp_path / "beta")]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    assert sum(int(out.decode().split()[-1]) for out, _ in outputs) == 80
    with PostgresStore(pg_url) as store:
        assert store.count_articles() == 80
        assert store.integrity() == []


def test_a_read_only_user_can_open_a_migrated_store(pg_url: str) -> None:
    reader_url = pg_url.replace("postgresql://postgres@", "postgresql://newsloom_reader@")
    if reader_url == pg_url:
        pytest.skip("needs the test server's trust login as another role")
    with PostgresStore(pg_url) as store:
        store.add_articles([make_article("a1", "Łódź", "x")], {})
        store.db.execute("DROP ROLE IF EXISTS newsloom_reader")
        store.db.execute("CREATE ROLE newsloom_reader LOGIN")
        schema = store.db.execute("SELECT current_schema() AS s").fetchone()["s"]  # type: ignore[index]
        store.db.execute(f"GRANT USAGE ON SCHEMA {schema} TO newsloom_reader".encode())
        store.db.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO newsloom_reader".encode())
    try:
        with PostgresStore(reader_url) as reader:
            assert [a.id for a in reader.search("lodz")] == ["a1"]
    finally:
        with PostgresStore(pg_url) as store:
            store.db.execute(b"DROP OWNED BY newsloom_reader")
            store.db.execute("DROP ROLE newsloom_reader")
