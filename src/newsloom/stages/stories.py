"""Link events that continue one another into stories with stable ids and a time-ordered timeline.

A story is not a topic bucket: two events join only when they share main actors (entity overlap) AND are
thematically close (embedding centroids and key terms), and are at most ``max_gap_days`` apart. Linking is
done in time order against every earlier story (a story's score is its best event), so a chain
"floods hit Kłodzko" -> "EU funds for flood reconstruction" forms, while "elections in Romania" and
"floods in Romania" stay apart even though they share a country.

The thresholds were chosen on SemEval-2022 Task 8 dev pairs using the gold ``entities`` and ``narrative``
scores (same main actors and same narrative = same story) — see BENCHMARKS.md.

Example::

    stories = link_stories(profiles)                  # {"ev-...": "st-...", ...}
    stories = link_stories(profiles, previous=stories)  # ids stay where the membership allows
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsloom.stages.similarity import set_cosine, sparse_cosine


@dataclass(frozen=True)
class EventProfile:
    """What story linking needs from an event: centroid, main entities, key terms and dates."""

    event_id: str
    centroid: npt.NDArray[np.float32]
    entities: frozenset[str]
    key_terms: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    size: int = 1


@dataclass(frozen=True)
class StoryRule:
    """Thresholds for linking two events (defaults chosen on SemEval dev, see module docstring)."""

    min_cosine: float = 0.86
    min_entities: float = 0.2
    min_score: float = 0.5
    max_gap_days: int = 180


def story_id_for(event_id: str) -> str:
    """Stable story id from its earliest event: ``story_id_for("ev-1")`` -> ``"st-" + 10 hex digits``."""
    return "st-" + hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:10]


def profile_from(
    event_id: str,
    vectors: npt.NDArray[np.float32],
    entity_sets: Iterable[frozenset[str]],
    term_lists: Iterable[Sequence[str]],
    dates: Iterable[dt.date | None],
    top: int = 15,
) -> EventProfile:
    """Build a profile from the member articles' vectors, entities, terms and dates.

    Main entities are those named by at least two members (or all of a single-article event), at most ``top``.

    >>> p = profile_from("ev-1", np.ones((1, 2), np.float32), [frozenset({"kim"})], [("rocket",)], [None])
    >>> p.entities
    frozenset({'kim'})
    """
    sets = list(entity_sets)
    counts: Counter[str] = Counter(e for s in sets for e in s)
    need = 2 if len(sets) > 1 else 1
    main = frozenset(e for e, c in counts.most_common(top) if c >= need)
    terms: Counter[str] = Counter(t for ts in term_lists for t in set(ts))
    known = sorted(d for d in dates if d is not None)
    centroid = vectors.mean(axis=0)
    centroid = (centroid / (np.linalg.norm(centroid) or 1.0)).astype(np.float32)
    return EventProfile(event_id, centroid, main, tuple(t for t, _ in terms.most_common(40)),
                        known[0] if known else None, known[-1] if known else None, len(sets))  # fmt: skip


def link_score(a: EventProfile, b: EventProfile, rule: StoryRule = StoryRule()) -> float:
    """Score in [0, 1] that ``b`` continues ``a``; 0 unless actors, theme and time gap all pass.

    >>> v = np.ones(2, np.float32) / np.sqrt(2)
    >>> x = EventProfile("a", v, frozenset({"kim", "putin"}), ("summit",), None, None)
    >>> link_score(x, x) > 0
    True
    """
    if a.start and b.start:
        gap = abs((b.start - (a.end or a.start)).days)
        if gap > rule.max_gap_days:
            return 0.0
    cos = float(np.dot(a.centroid, b.centroid))
    ent = set_cosine(a.entities, b.entities)
    if cos < rule.min_cosine or ent < rule.min_entities:
        return 0.0
    lex = sparse_cosine(dict.fromkeys(a.key_terms, 1.0), dict.fromkeys(b.key_terms, 1.0))
    # Centred on the cosine floor so that the combination reads as "how far past the minimum" both go.
    score = 0.5 * (cos - rule.min_cosine) / (1 - rule.min_cosine) + 0.3 * ent + 0.2 * lex + 0.3
    return min(1.0, score)


def _order(events: Sequence[EventProfile]) -> list[EventProfile]:
    return sorted(events, key=lambda e: (e.start or dt.date.max, e.event_id))


def link_stories(
    events: Sequence[EventProfile],
    previous: Mapping[str, str] | None = None,
    rule: StoryRule = StoryRule(),
) -> dict[str, str]:
    """Assign every event a story id; linked events share one.

    Events are visited in time order; each joins the earlier story with the best :func:`link_score` (at least
    ``rule.min_score``) or starts its own. Story ids derive from the earliest event; when ``previous`` (the
    last linking) gave most of a story's events one id, that id is kept so links stay stable across runs.

    >>> v = np.ones(2, np.float32) / np.sqrt(2)
    >>> a = EventProfile("ev-a", v, frozenset({"kim", "putin"}), ("summit",), dt.date(2024, 6, 19), None)
    >>> b = EventProfile("ev-b", v, frozenset({"kim", "putin"}), ("summit",), dt.date(2024, 9, 1), None)
    >>> s = link_stories([a, b]); s["ev-a"] == s["ev-b"]
    True
    """
    groups: list[list[EventProfile]] = []
    for ev in _order(events):
        best, best_score = None, rule.min_score
        for group in groups:
            score = max(link_score(other, ev, rule) for other in group)
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            groups.append([ev])
        else:
            best.append(ev)
    return _name_groups(groups, previous or {})


def _name_groups(groups: list[list[EventProfile]], previous: Mapping[str, str]) -> dict[str, str]:
    """Give each group a stable id: the previous id most of it had (if unclaimed), else from its first event."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for group in sorted(groups, key=len, reverse=True):
        votes = Counter(previous[e.event_id] for e in group if e.event_id in previous)
        name = next((sid for sid, _ in votes.most_common() if sid not in used), None)
        if name is None:
            name = story_id_for(group[0].event_id)
        used.add(name)
        for e in group:
            out[e.event_id] = name
    return out


def timeline(events: Sequence[EventProfile], stories: Mapping[str, str]) -> dict[str, list[str]]:
    """Story id -> its event ids in time order (undated events last)."""
    out: dict[str, list[str]] = {}
    for ev in _order(events):
        out.setdefault(stories[ev.event_id], []).append(ev.event_id)
    return out
