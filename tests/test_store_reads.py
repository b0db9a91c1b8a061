"""Paged, filtered reads on both stores (``store`` runs each test on SQLite and PostgreSQL): every filter and
their combinations against a plain-Python reference, keyset cursors through whole listings, the edges (empty
store, exact last page, bad cursors), exact-id before prefix lookup, and search with filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

from conftest import make_article
from newsloom.engine.plan import BatchPlan
from newsloom.errors import InputError, NotFound
from newsloom.models import Article, Claim, Entity, Event, Mention, Story
from newsloom.store import SQLiteStore
from newsloom.store.paging import ArticleFilter, Page, encode_cursor
from newsloom.store.protocol import Store

T = TypeVar("T")
DAY = dt.date(2024, 6, 1)
LANGS = ("en", "pl", "cs")


def _article(i: int) -> Article:
    published = None if i % 7 == 6 else DAY + dt.timedelta(days=i % 5)
    event = f"ev{i % 4}" if i % 4 != 3 else None
    text = f"mayor river {'flood' if i % 2 else 'fire'} word{i}"
    return make_article(
        f"a{i:02d}", f"Title {i}", text, LANGS[i % 3], published, site=f"site{i % 2}", event_id=event
    )


ARTICLES = [_article(i) for i in range(18)]
ENTITIES = [
    Entity(f"E{k}", f"Person {k}", "PER" if k < 2 else "LOC", mention_count=c)
    for k, c in enumerate((5, 3, 3, 1))
]


def _mentions() -> list[Mention]:
    out = []
    for i, a in enumerate(ARTICLES):
        for k in range(len(ENTITIES)):
            if (i + k) % (k + 2) == 0:
                out.append(Mention(a.id, f"P{k}", k, k + 2, ENTITIES[k].type, f"k{k}", ENTITIES[k].id))
    return out


def _events() -> list[Event]:
    spans = {
        "ev0": (DAY, DAY + dt.timedelta(days=3)),
        "ev1": (DAY + dt.timedelta(days=2), None),
        "ev2": (None, None),
    }
    return [
        Event(
            e,
            e,
            start,
            end,
            tuple(a.id for a in ARTICLES if a.event_id == e),
            tuple(sorted({a.language for a in ARTICLES if a.event_id == e})),
            2,
            story_id="st1" if e != "ev2" else None,
        )
        for e, (start, end) in spans.items()
    ]


CLAIMS = [
    Claim(f"c{i:02d}", a.id, a.event_id, "X", ENTITIES[i % 2].id, "q", "assert", "direct", 0, 1)
    for i, a in enumerate(ARTICLES)
    if i % 3 == 0
]


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_articles([a for a in ARTICLES], {})
    events = _events()
    store.apply(
        BatchPlan(
            mentions=tuple(_mentions()),
            entities=tuple(ENTITIES),
            events=tuple(events),
            stories=(Story("st1", "S", ("ev0", "ev1")), Story("st0", "S0", ("ev2",)), Story("st2", "S2", ())),
            claims=tuple(CLAIMS),
        )
    )
    return store


def _walk(read: Callable[..., Page[T]], limit: int) -> list[T]:
    """Every item of a listing, followed page by page through its cursors."""
    items: list[T] = []
    cursor = None
    for _ in range(100):
        page = read(limit=limit, cursor=cursor)
        assert len(page.items) <= limit and (page.next is None or len(page.items) == limit)
        items += page.items
        if page.next is None:
            return items
        cursor = page.next
    raise AssertionError("the cursor never reached the last page")


def _passes(
    a: Article, f: ArticleFilter, mentioned: dict[str, set[str]], stories: dict[str, str | None]
) -> bool:
    day = a.published.value
    return (
        (f.language is None or a.language == f.language)
        and (f.event_id is None or a.event_id == f.event_id)
        and (f.story_id is None or (a.event_id is not None and stories.get(a.event_id) == f.story_id))
        and (f.entity_id is None or a.id in mentioned.get(f.entity_id, set()))
        and (f.source is None or f.source in (a.source, a.site))
        and (f.since is None or (day is not None and day >= f.since))
        and (f.until is None or (day is not None and day <= f.until))
    )


FILTERS = [
    ArticleFilter(),
    ArticleFilter(language="pl"),
    ArticleFilter(event_id="ev0"),
    ArticleFilter(story_id="st1"),
    ArticleFilter(entity_id="E1"),
    ArticleFilter(source="site1"),
    ArticleFilter(source="a03.txt"),
    ArticleFilter(since=DAY + dt.timedelta(days=2)),
    ArticleFilter(until=DAY + dt.timedelta(days=1)),
    ArticleFilter(language="en", entity_id="E0", since=DAY),
    ArticleFilter(story_id="st1", source="site0", until=DAY + dt.timedelta(days=3)),
    ArticleFilter(event_id="ev1", language="cs", entity_id="E2"),
    ArticleFilter(language="xx"),
    ArticleFilter(entity_id="nobody"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_article_pages_filter_like_the_reference(filled: Store, filters: ArticleFilter) -> None:
    mentioned: dict[str, set[str]] = {}
    for m in _mentions():
        mentioned.setdefault(str(m.entity_id), set()).add(m.article_id)
    stories = {e.id: e.story_id for e in _events()}
    expected = [a.id for a in ARTICLES if _passes(a, filters, mentioned, stories)]
    for limit in (1, 4, len(expected) or 1, 50):
        got = _walk(lambda **kw: filled.article_page(filters, **kw), limit)
        assert [a.id for a in got] == expected, limit
    if len(expected) > 2:
        assert [a.id for a in filled.article_page(filters, limit=2, offset=1).items] == expected[1:3]


def test_an_exactly_full_last_page_has_no_next(filled: Store) -> None:
    page = filled.article_page(limit=len(ARTICLES))
    assert len(page.items) == len(ARTICLES) and page.next is None
    page = filled.article_page(limit=len(ARTICLES) - 1)
    assert page.next is not None
    last = filled.article_page(limit=5, cursor=page.next)
    assert [a.id for a in last.items] == [ARTICLES[-1].id] and last.next is None


def test_an_empty_store_gives_empty_pages(store: Store) -> None:
    assert store.article_page(limit=10) == Page(())
    assert store.event_page(limit=10) == Page(())
    assert store.story_page(limit=10) == Page(())
    assert store.entity_page(limit=10) == Page(())
    assert store.claim_page(limit=10) == Page(())
    assert store.search_page("mayor", limit=10) == []
    assert store.semantic_page(np.ones(4, dtype=np.float32), model="m", limit=10) == []


@pytest.mark.parametrize(
    "cursor",
    ["garbage!", "", encode_cursor("events", ("x", "y", "z")), encode_cursor("articles", (1, 2)), "W10"],
)
def test_a_bad_cursor_is_a_clear_error(filled: Store, cursor: str) -> None:
    with pytest.raises(InputError, match="cursor"):
        filled.article_page(limit=5, cursor=cursor)


def test_a_cursor_of_another_listing_is_refused(filled: Store) -> None:
    events = filled.event_page(limit=1)
    assert events.next is not None
    for read in (filled.article_page, filled.story_page, filled.entity_page, filled.claim_page):
        with pytest.raises(InputError, match="cursor"):
            read(limit=1, cursor=events.next)


@pytest.mark.parametrize("limit", [0, -1, 100_000])
def test_page_size_is_bounded(filled: Store, limit: int) -> None:
    with pytest.raises(InputError, match="page size"):
        filled.article_page(limit=limit)


def _event_order(events: Sequence[Event]) -> list[str]:
    dated = sorted((e for e in events if e.start), key=lambda e: (e.start or DAY, e.id))
    return [e.id for e in dated] + sorted(e.id for e in events if e.start is None)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["ev0", "ev1", "ev2"]),
        ({"story_id": "st1"}, ["ev0", "ev1"]),
        ({"language": "cs"}, [e.id for e in _events() if "cs" in e.languages]),
        ({"since": DAY + dt.timedelta(days=3)}, ["ev0"]),  # ev0 ends that day, ev1 has no end: starts before
        ({"since": DAY + dt.timedelta(days=2)}, ["ev0", "ev1"]),
        ({"until": DAY + dt.timedelta(days=1)}, ["ev0"]),
        ({"story_id": "nope"}, []),
    ],
)
def test_event_pages_by_date_with_filters(filled: Store, kwargs: dict[str, Any], expected: list[str]) -> None:
    for limit in (1, 2, 10):
        events = _walk(lambda **kw: filled.event_page(**kw, **kwargs), limit)
        assert [e.id for e in events] == expected
    assert _event_order(_events()) == ["ev0", "ev1", "ev2"]
    first = filled.event_page(limit=1, **kwargs)
    if first.items:
        stored = filled.event(first.items[0].id)
        assert first.items[0].article_ids == stored.article_ids, "members come with each event"


def test_entity_pages_most_mentioned_first(filled: Store) -> None:
    ranked = [e.id for e in sorted(ENTITIES, key=lambda e: (e.mention_count, e.id), reverse=True)]
    for limit in (1, 3, 10):
        assert [e.id for e in _walk(filled.entity_page, limit)] == ranked
    assert [e.id for e in _walk(lambda **kw: filled.entity_page(type="LOC", **kw), 1)] == ["E2", "E3"]
    in_event = {
        m.entity_id for m in _mentions() if m.article_id in {a.id for a in ARTICLES if a.event_id == "ev2"}
    }
    assert {e.id for e in _walk(lambda **kw: filled.entity_page(event_id="ev2", **kw), 1)} == in_event


def test_claim_and_story_pages(filled: Store) -> None:
    assert [c.id for c in _walk(filled.claim_page, 2)] == sorted(c.id for c in CLAIMS)
    by_speaker = [c.id for c in CLAIMS if c.speaker_entity_id == "E1"]
    assert [c.id for c in _walk(lambda **kw: filled.claim_page(entity_id="E1", **kw), 1)] == by_speaker
    assert [c.id for c in filled.claim_page(article_id="a03", limit=5).items] == ["c03"]
    assert [c.id for c in filled.claim_page(event_id="ev0", entity_id="E0", limit=5).items] == [
        c.id for c in CLAIMS if c.event_id == "ev0" and c.speaker_entity_id == "E0"
    ]
    assert [s.id for s in _walk(filled.story_page, 1)] == ["st0", "st1", "st2"]


def test_exact_id_wins_over_prefix_and_like_characters_are_literal(store: Store) -> None:
    store.add_articles([make_article(i, "T", "x") for i in ("ab", "abc", "a_1", "a%2", "ax")], {})
    assert store.article("ab").id == "ab", "an exact id is never ambiguous"
    assert store.article("abc").id == "abc"
    assert store.article("a_").id == "a_1", "_ is a character, not a wildcard"
    assert store.article("a%").id == "a%2"
    with pytest.raises(NotFound, match="ambiguous"):
        store.article("a")
    assert store.find_article("zz") is None
    assert store.article("ab").removed == ()


def test_text_search_applies_filters_in_the_store(filled: Store) -> None:
    everything = [a.id for a in filled.search_page("flood", limit=50)]
    assert set(everything) == {a.id for a in ARTICLES if "flood" in a.text}
    polish = [a.id for a in filled.search_page("flood", ArticleFilter(language="pl"), limit=50)]
    assert polish and set(polish) == {i for i in everything if filled.article(i).language == "pl"}
    since = DAY + dt.timedelta(days=3)
    dated = filled.search_page("mayor", ArticleFilter(since=since, entity_id="E0"), limit=50)
    assert dated and all(a.published.value and a.published.value >= since for a in dated)
    assert [a.id for a in filled.search_page("flood", limit=2, offset=2)] == everything[2:4]


def test_semantic_search_ranks_filters_and_sees_new_vectors(filled: Store) -> None:
    rng = np.random.default_rng(3)
    vectors = {a.id: rng.normal(size=8).astype(np.float32) for a in ARTICLES[:12]}
    filled.save_embeddings("m", vectors)
    filled.save_embeddings("other", {ARTICLES[12].id: rng.normal(size=8).astype(np.float32)})
    query = rng.normal(size=8).astype(np.float32)

    def cosine(i: str) -> float:
        return float(vectors[i] @ query / np.linalg.norm(vectors[i]) / np.linalg.norm(query))

    ranked = sorted(vectors, key=lambda i: -cosine(i))
    hits = filled.semantic_page(query, model="m", limit=5)
    assert [a.id for a, _ in hits] == ranked[:5]
    assert [s for _, s in hits] == pytest.approx([cosine(i) for i in ranked[:5]], abs=1e-5)
    assert [a.id for a, _ in filled.semantic_page(query, model="m", limit=3, offset=2)] == ranked[2:5]
    polish = [a.id for a, _ in filled.semantic_page(query, ArticleFilter(language="pl"), model="m", limit=50)]
    assert polish == [i for i in ranked if filled.article(i).language == "pl"]
    # A vector added or replaced after a search is seen by the next one on the same store object.
    filled.save_embeddings("m", {ARTICLES[13].id: query * 2, ranked[0]: -query})
    again = [a.id for a, _ in filled.semantic_page(query, model="m", limit=50)]
    assert again[0] == ARTICLES[13].id and again[-1] == ranked[0] and len(again) == 13
    with pytest.raises(InputError, match="non-zero"):
        filled.semantic_page(np.zeros(8, dtype=np.float32), model="m", limit=5)


def test_the_vector_matrix_is_shared_per_file_and_sees_other_writers(tmp_path: Path) -> None:
    """A server opens one SQLite store per thread: they share one matrix, which follows every writer's rows."""
    path = tmp_path / "v.db"
    rng = np.random.default_rng(5)
    with SQLiteStore(path) as writer, SQLiteStore(path) as reader:
        writer.add_articles([make_article(f"s{i}", "T", "x") for i in range(4)], {})
        vectors = {f"s{i}": rng.normal(size=8).astype(np.float32) for i in range(3)}
        writer.save_embeddings("m", vectors)
        assert len(reader.semantic_page(vectors["s0"], model="m", limit=10)) == 3
        writer.save_embeddings("m", {"s3": vectors["s0"] * 5})
        hits = reader.semantic_page(vectors["s0"], model="m", limit=2)
        assert {a.id for a, _ in hits} == {"s0", "s3"} and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    path.unlink()
    with SQLiteStore(path) as fresh:  # a new file at the same path is another store, not the cached one
        fresh.add_articles([make_article(f"n{i}", "T", "x") for i in range(6)], {})
        fresh.save_embeddings("m", {f"n{i}": vectors["s1"] * (i + 1) for i in range(6)})  # past the old mark
        assert {a.id for a, _ in fresh.semantic_page(vectors["s0"], model="m", limit=10)} == {
            f"n{i}" for i in range(6)
        }
