"""Both stores (SQLite, PostgreSQL): migrations, transactional batches, folded full-text and semantic search,
analysis tables. Tests taking the ``store`` fixture run once per backend."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_article
from newsloom.engine.plan import BatchPlan
from newsloom.errors import InputError, NotFound, StoreError
from newsloom.models import (
    Alias,
    Claim,
    DateValue,
    Entity,
    Event,
    Mention,
    Rejected,
    RemovedLine,
    Story,
    TemporalExpression,
)
from newsloom.store import SQLiteStore, open_store
from newsloom.store.protocol import Store
from newsloom.store.schema import SCHEMA_VERSION
from newsloom.text import fold

try:
    import psycopg

    INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError, psycopg.IntegrityError)
except ImportError:
    INTEGRITY_ERRORS = (sqlite3.IntegrityError,)


def test_new_store_is_at_current_schema_version(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Reopening does not re-run migrations.
    with SQLiteStore(tmp_path / "a.db") as store:
        assert store.count_articles() == 0


def test_store_from_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)


def test_damaged_file_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        SQLiteStore(path)


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nope" / "x.db")


def test_articles_round_trip_with_removed_lines_and_dates(store: Store) -> None:
    temporal = (
        TemporalExpression(
            "18-19 iunie", 5, 16, DateValue(dt.date(2024, 6, 18), dt.date(2024, 6, 19)), "partial"
        ),
    )
    article = make_article(
        "a1",
        "Putin w Pjongjangu",
        "Treść artykułu.",
        "pl",
        temporal=temporal,
        removed=(RemovedLine(3, "Zaloguj się", "login prompt"),),
    )
    store.add_articles([article], {"a1": b"sig"})
    loaded = store.article("a1")
    assert loaded == article
    assert loaded.removed == article.removed
    assert list(store.signatures()) == [("a1", b"sig")]
    assert store.existing_ids(["a1", "zz"]) == {"a1"}


def test_a_nul_character_does_not_fail_the_batch(store: Store) -> None:
    # PostgreSQL text cannot hold NUL: its store drops the character; SQLite keeps it.
    store.add_articles([make_article("n1", "Nul\x00title", "Powódź\x00 w Łodzi")], {})
    store.add_rejections([Rejected("bad\x00.json", "ingest", "odd \x00 byte")])
    assert store.article("n1").text in {"Powódź\x00 w Łodzi", "Powódź w Łodzi"}
    assert [a.id for a in store.search("lodzi")] == ["n1"]
    assert len(store.rejections()) == 1


def test_failed_batch_leaves_nothing_behind(store: Store) -> None:
    good = make_article("g1", "Good", "Kept text.")
    store.add_articles([good], {})
    twin = make_article("g1", "Same id", "Violates the unique id.")
    fresh = make_article("f1", "Fresh", "Would be lost with its batch.")
    with pytest.raises(INTEGRITY_ERRORS):
        store.add_articles([fresh, twin], {})
    assert [a.id for a in store.articles()] == ["g1"]
    assert [a.id for a in store.search("fresh")] == []
    if isinstance(store, SQLiteStore):
        assert store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("lodz", "Powódź w Łodzi i Łódź"),
        ("prilis", "Bylo to příliš pozdě"),
        ("Łódź", "lodz"),
        ("PUTIN", "Путин и Putin"),
        ("путин", "Заявление Путина: Путин"),
        ("galati", "inundații la Galați"),
    ],
)
def test_search_folds_diacritics_both_ways(store: Store, query: str, text: str) -> None:
    store.add_articles([make_article("s1", "Title", text), make_article("s2", "Other", "Nothing here")], {})
    assert [a.id for a in store.search(query)] == ["s1"]


def test_search_with_only_punctuation_finds_nothing(store: Store) -> None:
    store.add_articles([make_article("s1", "T", "text")], {})
    assert store.search('"*()') == []


def test_search_never_raises_on_arbitrary_queries(store: Store) -> None:
    store.add_articles([make_article("s1", "Łódź", "Żółć")], {})

    @settings(max_examples=40, deadline=None)
    @given(st.text(min_size=1, max_size=40))
    def search(query: str) -> None:
        store.search(query)

    search()


@given(st.text(max_size=60))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_semantic_search_finds_nearest_by_cosine(store: Store) -> None:
    store.add_articles([make_article(f"v{i}", f"T{i}", "x") for i in range(6)], {})
    rng = np.random.default_rng(7)
    vectors = {f"v{i}": rng.normal(size=384).astype(np.float32) for i in range(5)}
    store.save_embeddings("e5", vectors)
    store.save_embeddings("other", {"v5": vectors["v0"] * 3})  # same direction, another model
    query = vectors["v2"] + 0.1 * vectors["v4"]
    expected = sorted(vectors, key=lambda k: -float(vectors[k] @ query / np.linalg.norm(vectors[k])))
    assert [a.id for a in store.semantic_search(query, 3, model="e5")] == expected[:3]
    assert [a.id for a in store.semantic_search(vectors["v0"], 2)] in (["v0", "v5"], ["v5", "v0"])
    assert store.semantic_search(query, 0) == []
    assert [a.id for a in store.semantic_search(np.ones(4, dtype=np.float32))] == []  # no vector of that size
    with pytest.raises(InputError, match="non-zero"):
        store.semantic_search(np.zeros(384, dtype=np.float32))


def test_article_lookup_by_prefix_and_missing(store: Store) -> None:
    store.add_articles([make_article("abc123", "T", "x"), make_article("abd999", "T2", "y")], {})
    assert store.article("abc").id == "abc123"
    with pytest.raises(NotFound, match="ambiguous"):
        store.article("ab")
    with pytest.raises(NotFound):
        store.article("zzz")


def test_rejections_are_kept(store: Store) -> None:
    store.add_rejections([Rejected("bad.json:3", "ingest", "invalid JSON")])
    assert store.rejections() == [Rejected("bad.json:3", "ingest", "invalid JSON")]


def test_embeddings_and_state_round_trip(store: Store) -> None:
    store.add_articles([make_article("e1", "T", "x")], {})
    vector = np.arange(4, dtype=np.float32)
    store.save_embeddings("m", {"e1": vector})
    assert np.array_equal(store.embeddings(["e1", "nope"], "m")["e1"], vector)
    assert store.embeddings(["e1"], "other") == {}
    exact = np.random.default_rng(1).normal(size=384).astype(np.float32) * 1e-3  # every bit must survive
    store.save_embeddings("m", {"e1": exact})
    assert store.embeddings(["e1"], "m")["e1"].tobytes() == exact.tobytes()
    store.save_text_vectors("m", {"h1": exact, "h2": vector})
    store.save_text_vectors("m", {"h1": vector})  # a cached vector is kept, not replaced
    found = store.text_vectors(["h1", "h2", "h3"], "m")
    assert found.keys() == {"h1", "h2"} and found["h1"].tobytes() == exact.tobytes()
    store.set_state("clusterer", b"\x00\x01")
    assert store.get_state("clusterer") == b"\x00\x01"
    assert store.get_state("missing") is None


def test_analysis_tables_round_trip(store: Store) -> None:
    store.add_articles([make_article("a1", "T", "Putin said"), make_article("a2", "T2", "Путин")], {})
    assert store.count_pending() == 2
    entity = Entity("E1", "Vladimir Putin", "PER", (Alias("Putin", "en", 1), Alias("Путин", "ru", 1)), 2)
    mentions = (
        Mention("a1", "Putin", 0, 5, "PER", "putin", "E1"),
        Mention("a2", "Путин", 0, 5, "PER", "putin", "E1"),
    )
    event = Event(
        "ev1", "Putin", dt.date(2024, 6, 19), dt.date(2024, 6, 20), ("a1", "a2"), ("en", "ru"), 2, "st1"
    )
    story = Story("st1", "Russia and North Korea", ("ev1",))
    claim = Claim("c1", "a1", "ev1", "Putin", "E1", "said", "assert", "indirect", 6, 10, "g1")
    store.apply(
        BatchPlan(
            analysed=("a1", "a2"),
            article_updates={
                "a1": {"event_id": "ev1"},
                "a2": {"event_id": "ev1", "published": "2024-06-20", "published_how": "inferred"},
            },
            mentions=mentions,
            entities=(entity,),
            events=(event,),
            stories=(story,),
            claims=(claim,),
        )
    )
    assert store.count_pending() == 0
    assert store.entity("E1") == entity
    assert store.mentions(entity_id="E1") == list(mentions)
    assert store.mentions(article_ids=["a2"]) == [mentions[1]]
    assert store.event("ev1") == event
    assert store.entities(event_id="ev1") == [entity]
    assert store.stories() == [story]
    assert store.claims(event_id="ev1") == [claim]
    assert store.claims(entity_id="E1", event_id="ev1") == [claim]
    assert store.claim("c1") == claim
    with pytest.raises(NotFound):
        store.claim("c2")
    assert store.article("a2").published.how == "inferred"
    # Merging ev1 into ev2 moves its articles and claims, and the old id still resolves.
    store.apply(BatchPlan(merges={"ev1": "ev2"}, events=(dataclasses.replace(event, id="ev2"),)))
    assert store.event("ev1").id == "ev2"
    assert store.claim("c1").event_id == "ev2"
    assert {a.event_id for a in store.articles()} == {"ev2"}


def test_a_failed_apply_writes_nothing(store: Store) -> None:
    store.add_articles([make_article("a1", "T", "x")], {})
    bad = Mention("missing-article", "x", 0, 1, "LOC", "x", "E1")  # violates the foreign key
    with pytest.raises(INTEGRITY_ERRORS):
        store.apply(BatchPlan(analysed=("a1",), entities=(Entity("E1", "X", "LOC"),), mentions=(bad,)))
    assert store.entities() == [] and store.count_pending() == 1


def test_merge_cycles_do_not_hang(store: Store) -> None:
    store.add_merges({"a": "b"})
    store.add_merges({"b": "a"})
    assert store.resolve_event("a") in {"a", "b"}


def test_read_only_opening_never_creates_or_changes_a_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no newsloom store"):
        open_store(missing, read_only=True)
    assert not missing.exists()
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (x TEXT)")
    before = other.read_bytes()
    for read_only in (True, False):
        with pytest.raises(StoreError, match="not a newsloom store"):
            open_store(other, read_only=read_only)
    assert other.read_bytes() == before and not Path(f"{other}-wal").exists()
    real = tmp_path / "real.db"
    with open_store(real) as store:
        store.add_articles([make_article("a1", "T", "x")], {})
    with open_store(real, read_only=True) as store:
        assert [a.id for a in store.articles()] == ["a1"]
        with pytest.raises(sqlite3.OperationalError):
            store.add_articles([make_article("a2", "T", "y")], {})


def test_a_store_in_a_read_only_folder_can_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with open_store(folder / "s.db") as store:
        store.add_articles([make_article("a1", "T", "x")], {})
    folder.chmod(0o555)
    try:
        with open_store(folder / "s.db", read_only=True) as store:
            assert store.count_articles() == 1
    finally:
        folder.chmod(0o755)


def test_a_busy_store_waits_then_names_the_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsloom.store.sqlite as sqlite_store
    from newsloom.errors import StoreBusy

    path = tmp_path / "busy.db"
    with open_store(path) as first, first.transaction():  # the first writer takes the lock, notes itself
        monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_S", 0.2)
        with open_store(path) as second, pytest.raises(StoreBusy, match=f"process {os.getpid()}"):
            second.add_articles([make_article("a1", "T", "x")], {})
    with open_store(path) as store:  # once the first writer is done, writing works
        store.add_articles([make_article("a1", "T", "x")], {})
        assert store.count_articles() == 1


def test_a_story_left_with_one_event_by_a_merge_is_gone_from_its_event_too(store: Store) -> None:
    store.add_articles([make_article(i, f"T{i}", "x") for i in ("a1", "a2", "a3")], {})
    day = dt.date(2024, 6, 19)
    ev1 = Event("ev1", "One", day, day, ("a1",), ("en",), 1, "st1")
    ev2 = Event("ev2", "Two", day, day, ("a2",), ("en",), 1, "st1")
    store.apply(
        BatchPlan(
            analysed=("a1", "a2"),
            article_updates={"a1": {"event_id": "ev1"}, "a2": {"event_id": "ev2"}},
            events=(ev1, ev2),
            stories=(Story("st1", "Both", ("ev1", "ev2")),),
        )
    )
    survivor = dataclasses.replace(ev1, article_ids=("a1", "a2", "a3"), sources=3)
    store.apply(
        BatchPlan(
            analysed=("a3",),
            article_updates={"a3": {"event_id": "ev1"}},
            merges={"ev2": "ev1"},
            events=(survivor,),
        )
    )
    assert store.stories() == []
    assert store.event("ev1").story_id is None
    assert store.integrity() == []


def test_duplicate_index_rows_find_stored_copies(store: Store) -> None:
    from newsloom.stages.dedup import Deduper, band_keys

    d = Deduper()
    text = "The council approved the new budget for schools and roads on Monday evening after a long debate."
    a1, a2 = make_article("a1", "T", text), make_article("a2", "T2", "Something else entirely, about rain.")
    a3 = dataclasses.replace(make_article("a3", "T3", text), duplicate_of="a1")
    sigs = {"a1": d.signature(text), "a2": d.signature(a2.text), "a3": d.signature(text)}
    store.add_articles([a1, a2, a3], sigs)
    found = store.duplicate_candidates(band_keys(d.signature(text.upper())))
    assert found == [("a1", sigs["a1"], "a1"), ("a3", sigs["a3"], "a1")]
    assert store.duplicate_candidates([]) == []


def test_a_version_2_store_gets_its_duplicate_index_from_the_stored_signatures(tmp_path: Path) -> None:
    from newsloom.stages.dedup import Deduper, band_keys

    path, d = tmp_path / "v2.db", Deduper()
    text = "The council approved the new budget for schools and roads on Monday evening after a long debate."
    with SQLiteStore(path) as store:
        store.add_articles([make_article("a1", "T", text)], {"a1": d.signature(text)})
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE dedup_bands; PRAGMA user_version = 2;")
    db.close()
    with SQLiteStore(path) as store:
        assert [r[0] for r in store.duplicate_candidates(band_keys(d.signature(text)))] == ["a1"]
