"""Story linking: continuation links, topic buckets stay apart, ids stay stable."""

from __future__ import annotations

import datetime as dt

import numpy as np

from newsloom.models import Event
from newsloom.stages.stories import (
    EventProfile,
    StoryRule,
    build_story,
    link_score,
    link_stories,
    profile_from,
    story_id_for,
    timeline,
)


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def profile(eid: str, vec: np.ndarray, ents: str, terms: str, day: dt.date) -> EventProfile:
    return EventProfile(eid, vec, frozenset(ents.split()), tuple(terms.split()), day, day)


FLOOD = profile("ev-flood", unit(1, 0.1, 0), "klodzko nysa odra", "flood water rescue", dt.date(2024, 9, 15))
REBUILD = profile(
    "ev-rebuild", unit(1, 0.2, 0.05), "klodzko nysa ue", "flood funds rebuild", dt.date(2024, 10, 20)
)
ELECTION = profile(
    "ev-vote", unit(0.3, 1, 0.2), "polska sejm tusk", "vote election seats", dt.date(2024, 10, 1)
)
SAME_PLACE = profile("ev-fire", unit(1, 0.1, 0), "polska warsaw", "fire factory", dt.date(2024, 9, 20))


def test_continuation_links_into_one_story() -> None:
    stories = link_stories([REBUILD, FLOOD, ELECTION])
    assert stories["ev-flood"] == stories["ev-rebuild"] != stories["ev-vote"]
    assert stories["ev-flood"] == story_id_for("ev-flood")  # named after the earliest event


def test_shared_theme_without_shared_actors_stays_apart() -> None:
    stories = link_stories([FLOOD, SAME_PLACE])
    assert stories["ev-flood"] != stories["ev-fire"]
    assert link_score(FLOOD, SAME_PLACE) == 0.0


def test_gap_too_long_breaks_story() -> None:
    later = profile("ev-late", FLOOD.centroid, "klodzko nysa odra", "flood water", dt.date(2026, 1, 1))
    assert link_score(FLOOD, later, StoryRule(max_gap_days=180)) == 0.0


def test_previous_ids_are_kept() -> None:
    first = link_stories([FLOOD, ELECTION])
    renamed = {"ev-flood": "st-kept", "ev-vote": first["ev-vote"]}
    again = link_stories([FLOOD, REBUILD, ELECTION], previous=renamed)
    assert again["ev-flood"] == again["ev-rebuild"] == "st-kept"
    assert again["ev-vote"] == first["ev-vote"]


def test_timeline_in_time_order() -> None:
    events = [REBUILD, FLOOD, ELECTION]
    stories = link_stories(events)
    assert timeline(events, stories)[stories["ev-flood"]] == ["ev-flood", "ev-rebuild"]


def test_profile_main_entities_need_two_mentions() -> None:
    vecs = np.stack([unit(1, 0), unit(1, 0.1)])
    p = profile_from("ev", vecs, [frozenset({"kim", "putin"}), frozenset({"kim", "moscow"})],
                     [("a", "b"), ("b",)], [dt.date(2024, 6, 20), dt.date(2024, 6, 19)])  # fmt: skip
    assert p.entities == frozenset({"kim"})
    assert (p.start, p.end) == (dt.date(2024, 6, 19), dt.date(2024, 6, 20)) and p.key_terms[0] == "b"
    assert abs(float(np.linalg.norm(p.centroid)) - 1.0) < 1e-5


def test_build_story_orders_events_and_takes_largest_title() -> None:
    small = Event("ev-b", "Aid pledged", dt.date(2024, 9, 19), None, ("x",), ("pl",), 1)
    big = Event("ev-a", "Storm Boris floods", dt.date(2024, 9, 15), None, ("y", "z"), ("en", "cs"), 2)
    story = build_story("st-1", [small, big])
    assert story.event_ids == ("ev-a", "ev-b") and story.title == "Storm Boris floods"
