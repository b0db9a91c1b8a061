"""Online clustering on synthetic signals: grouping, duplicates, merges, expiry, persistence, event records."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from conftest import make_article
from newsloom.models import DateValue, PublicationDate, TemporalExpression
from newsloom.stages.cluster import ArticleSignal, Clusterer, build_event, event_id_for, infer_dates

DAY = dt.date(2024, 6, 19)


def topic_vector(rng: np.random.Generator, centre: np.ndarray, noise: float = 0.05) -> np.ndarray:
    v = centre + noise * rng.standard_normal(centre.shape[0])
    return (v / np.linalg.norm(v)).astype(np.float32)


def sig(aid: str, vec: np.ndarray, terms: str, day: dt.date | None = DAY, lang: str = "en",
        dup: str | None = None, source: str = "site") -> ArticleSignal:  # fmt: skip
    words = tuple(terms.split())
    return ArticleSignal(aid, vec, words, frozenset(words[:3]), day, lang, source, dup, terms)


@pytest.fixture
def centres() -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [c / np.linalg.norm(c) for c in rng.standard_normal((3, 64))]


def test_articles_group_by_event(centres: list[np.ndarray]) -> None:
    rng = np.random.default_rng(2)
    c = Clusterer(dim=64, min_cosine=0.0)
    words = ["putin kim pyongyang", "flood opava water", "court election annul"]
    truth = {}
    for i in range(30):
        k = i % 3
        c.assign(sig(f"a{i}", topic_vector(rng, centres[k]), words[k]))
        truth[f"a{i}"] = k
    groups = c.members()
    assert len(groups) == 3
    for members in groups.values():
        assert len({truth[a] for a in members}) == 1


def test_first_article_founds_stable_event_id(centres: list[np.ndarray]) -> None:
    c = Clusterer(dim=64)
    first = c.assign(sig("x1", centres[0], "a b c"))
    assert first.created and first.event_id == event_id_for("x1")
    again = c.assign(sig("x1", centres[0], "a b c"))
    assert not again.created and again.event_id == first.event_id


def test_duplicate_follows_original(centres: list[np.ndarray]) -> None:
    c = Clusterer(dim=64)
    original = c.assign(sig("o", centres[0], "a b c"))
    dup = c.assign(sig("d", centres[2], "x y z", dup="o"))
    assert dup.event_id == original.event_id
    assert c.members()[original.event_id] == ["o", "d"]


def test_bridging_article_merges_events() -> None:
    a = np.array([1.0, 0.0, 0.0], np.float32)
    b = np.array([0.96, 0.28, 0.0], np.float32)
    mid = (a + b) / np.linalg.norm(a + b)
    c = Clusterer(0.9, merge_threshold=0.9, dim=3, min_cosine=0.0)
    # with a model-free threshold the test controls scores through identical lexical evidence
    e1 = c.assign(sig("a1", a, "same words here")).event_id
    c.threshold = 1.01  # force the second article to open its own event
    e2 = c.assign(sig("b1", b, "same words here")).event_id
    c.threshold = 0.5
    c.merge_threshold = 0.5
    bridge = c.assign(sig("m", mid.astype(np.float32), "same words here"))
    assert e1 != e2
    assert bridge.merged_event_ids and {bridge.event_id, *bridge.merged_event_ids} == {e1, e2}
    absorbed = bridge.merged_event_ids[0]
    assert c.resolve(absorbed) == bridge.event_id
    assert sorted(c.members()[bridge.event_id]) == ["a1", "b1", "m"]
    assert absorbed not in c.members()


def test_old_events_leave_the_index(centres: list[np.ndarray]) -> None:
    c = Clusterer(dim=64, window_days=5)
    old = c.assign(sig("old", centres[0], "a b c", day=DAY))
    assert c.open_events == 1
    late = c.assign(sig("late", centres[0], "a b c", day=DAY + dt.timedelta(days=30)))
    assert late.created and late.event_id != old.event_id
    assert c.open_events == 1  # the old event expired


def test_late_articles_find_archived_events(centres: list[np.ndarray]) -> None:
    c = Clusterer(dim=64, window_days=5)
    old = c.assign(sig("old", centres[0], "flood opava water", day=DAY)).event_id
    c.assign(sig("new", centres[1], "court vote annul", day=DAY + dt.timedelta(days=60)))
    assert c.open_events == 1
    undated = c.assign(sig("undated", centres[0], "flood opava water", day=None))
    backfill = c.assign(sig("backfill", centres[0], "flood opava water", day=DAY + dt.timedelta(days=1)))
    assert undated.event_id == old and backfill.event_id == old
    restored = Clusterer.from_state(c.to_state())
    again = restored.assign(sig("undated2", centres[0], "flood opava water", day=None))
    assert again.event_id == old


def test_archive_size_bounds_memory(centres: list[np.ndarray]) -> None:
    c = Clusterer(dim=64, window_days=1, archive_size=0)
    old = c.assign(sig("old", centres[0], "flood opava water", day=DAY)).event_id
    c.assign(sig("new", centres[1], "court vote annul", day=DAY + dt.timedelta(days=60)))
    assert c.assign(sig("late", centres[0], "flood opava water", day=None)).event_id != old


def test_state_round_trip_continues_identically(centres: list[np.ndarray]) -> None:
    rng = np.random.default_rng(3)
    stream = [sig(f"a{i}", topic_vector(rng, centres[i % 2]), ["p k y", "f o w"][i % 2]) for i in range(12)]
    whole = Clusterer(dim=64)
    for s in stream:
        whole.assign(s)
    first = Clusterer(dim=64)
    for s in stream[:6]:
        first.assign(s)
    restored = Clusterer.from_state(first.to_state())
    later = {s.article_id: restored.assign(s).event_id for s in stream[6:]}
    assert later == {s.article_id: whole.event_of(s.article_id) for s in stream[6:]}


def test_changed_only_state_lists_touched_and_removed_events(centres: list[np.ndarray]) -> None:
    c = Clusterer(dim=64, window_days=1, archive_size=0)
    first = c.assign(sig("a", centres[0], "flood opava water", day=DAY)).event_id
    assert [e.id for e in c.to_state(changed_only=True).events] == [first]
    assert c.to_state(changed_only=True).events == ()  # nothing changed since
    second = c.assign(sig("b", centres[1], "court vote annul", day=DAY + dt.timedelta(days=30)))
    changes = c.to_state(changed_only=True)
    assert [e.id for e in changes.events] == [second.event_id]
    assert changes.removed == (first,)  # expired with no archive: it left the index


def test_duplicate_of_a_stored_article_follows_it(centres: list[np.ndarray]) -> None:
    c = Clusterer(dim=64)
    c.remember("stored", "ev-elsewhere")
    dup = c.assign(sig("copy", centres[0], "flood opava water", day=DAY, dup="stored"))
    assert dup.event_id == "ev-elsewhere"
    assert c.to_state().events == ()  # the stub stands for an event the store holds; nothing to save


def test_bad_parameters_rejected() -> None:
    with pytest.raises(ValueError):
        Clusterer(threshold=1.5)


def test_build_event_counts_independent_sources_and_titles() -> None:
    arts = [
        make_article("a", "Putin in Pyongyang", "x", "en", site="bbc.com"),
        make_article("b", "Putin w Pjongjangu", "x", "pl", site="pap.pl"),
        make_article("c", "Putin w Pjongjangu", "x", "pl", site="wp.pl", duplicate_of="b"),
        make_article(
            "d", "Putin v Pchjongjangu", "x", "cs", site="pap.pl", published=DAY + dt.timedelta(days=2)
        ),
    ]
    ev = build_event("ev-1", arts, "st-1")
    assert ev.sources == 2  # bbc.com and pap.pl; the duplicate does not count
    assert ev.title == "Putin in Pyongyang" and ev.titles["pl"] == "Putin w Pjongjangu"
    assert ev.languages[0] == "pl" and set(ev.languages) == {"en", "pl", "cs"}
    assert (ev.start, ev.end) == (DAY, DAY + dt.timedelta(days=2)) and ev.story_id == "st-1"


def test_build_event_start_includes_recent_mentioned_day() -> None:
    day_before = DAY - dt.timedelta(days=1)
    mention = TemporalExpression("yesterday", 0, 9, DateValue(day_before, day_before), "relative")
    old = TemporalExpression("in 1950", 0, 7, DateValue(dt.date(1950, 1, 1), dt.date(1950, 1, 1)), "absolute")
    ev = build_event("ev-1", [make_article("a", "T", "x", temporal=(mention, old))])
    assert ev.start == day_before and ev.end == DAY


def test_build_event_needs_articles() -> None:
    with pytest.raises(ValueError):
        build_event("ev-1", [])


def test_infer_dates_from_event() -> None:
    arts = [
        make_article("a", "T", "x", published=DAY),
        make_article("b", "T", "x", published=DAY + dt.timedelta(days=2)),
        make_article("c", "T", "x", published=DAY + dt.timedelta(days=4)),
        make_article("u", "T", "Rescue continues.", published=None),
        make_article("w", "Wczoraj", "Wczoraj Putin przyleciał.", language="pl", published=None),
        make_article("lone", "T", "x", published=None),
        make_article("d", "Tratat", "Putin a semnat miercuri un tratat.", language="ro", published=None),
    ]
    event_of = dict.fromkeys("abcuwd", "ev-1")
    got = infer_dates(arts, event_of)
    assert set(got) == {"u", "w", "d"}
    assert got["d"].value == DAY  # 2024-06-19 was a Wednesday: the named weekday is the event's first day
    assert got["u"] == PublicationDate(DAY + dt.timedelta(days=2), "inferred", got["u"].evidence)
    assert got["u"].evidence.startswith("event ev-1")
    assert got["w"].value == DAY + dt.timedelta(days=1)


def test_entity_veto_keeps_alike_events_with_different_actors_apart(centres: list[np.ndarray]) -> None:
    words_a = "mayor sentenced corruption holub krakow tomasz court"
    words_b = "mayor sentenced corruption vogel iasi lucie court"
    a = ArticleSignal(
        "a", centres[0], tuple(words_a.split()), frozenset({"holub", "krako", "tomas"}), DAY, "en", "s"
    )
    b = ArticleSignal(
        "b", centres[0], tuple(words_b.split()), frozenset({"vogel", "iasi", "lucie"}), DAY, "en", "s"
    )
    vetoing = Clusterer(0.3, dim=64, entity_veto=3)
    assert vetoing.assign(a).event_id != vetoing.assign(b).event_id
    lenient = Clusterer(0.3, dim=64, entity_veto=0)
    assert lenient.assign(a).event_id == lenient.assign(b).event_id
