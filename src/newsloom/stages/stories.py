"""Link events that continue one another into stories with stable ids and a time-ordered timeline.

A story is not a topic bucket: two events join only when they share main actors (entity overlap) AND are
thematically close (embedding centroids and key terms), and are at most ``max_gap_days`` apart. Linking is
done in time order against every earlier story (a story's score is its best event), so a chain
"floods hit Kłodzko" -> "EU funds for flood reconstruction" forms, while "elections in Romania" and
"floods in Romania" stay apart even though they share a country.

The thresholds were chosen on the demo corpus gold stories (``data/demo_gold/events.json``, a grid over
cosine floor, entity floor, score floor and gap: cosine 0.86, entities 0.05-0.15, score 0.5 is the best setting
with story precision 1.0; lower floors gain recall only by linking unrelated events) and agree with SemEval-2022 Task 8 dev pairs whose gold
``entities`` and ``narrative`` scores say "same actors, same narrative" (best precision-weighted split at
cosine 0.88, entity overlap 0.05).

Example::

    stories = link_stories(profiles)                  # {"ev-...": "st-...", ...}
    stories = link_stories(profiles, previous=stories)  # ids stay where the membership allows
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsloom.models import Article, Event, PublicationDate, Story
from newsloom.stages.similarity import ArticleSignal, set_cosine, sparse_cosine


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
    """Thresholds for linking two events (defaults chosen on dev data, see module docstring)."""

    min_cosine: float = 0.86
    min_entities: float = 0.1
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
    main = frozenset(e for e, c in _most_common(counts, top) if c >= need)
    terms: Counter[str] = Counter(t for ts in term_lists for t in set(ts))
    known = sorted(d for d in dates if d is not None)
    centroid = vectors.mean(axis=0)
    centroid = (centroid / (np.linalg.norm(centroid) or 1.0)).astype(np.float32)
    return EventProfile(event_id, centroid, main, tuple(t for t, _ in _most_common(terms, 40)),
                        known[0] if known else None, known[-1] if known else None, len(sets))  # fmt: skip


def _most_common(counts: Counter[str], n: int) -> list[tuple[str, int]]:
    """``Counter.most_common`` with ties broken by the key: the counts come from sets, whose order changes
    with Python's hash seed, and a story must not depend on it."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


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


def attach_stories(
    touched: Sequence[EventProfile],
    candidates: Sequence[EventProfile],
    story_of: Mapping[str, str],
    rule: StoryRule = StoryRule(),
) -> dict[str, str]:
    """Incremental :func:`link_stories`: place the ``touched`` events (new or changed) among ``candidates`` (the
    stored events that could link to them: shared main actors, within the time gap), keeping every story id
    already given. Returns the story id of each event whose story is new or changed.

    A touched event already in a story stays there; one without a story joins the story of its best-scoring
    candidate (scored earlier event first, as :func:`link_stories` does), and a candidate without a story founds
    one with it, named after the earlier of the two.

    >>> v = np.ones(2, np.float32) / np.sqrt(2)
    >>> a = EventProfile("ev-a", v, frozenset({"kim", "putin"}), ("summit",), dt.date(2024, 6, 19), None)
    >>> b = EventProfile("ev-b", v, frozenset({"kim", "putin"}), ("summit",), dt.date(2024, 9, 1), None)
    >>> attach_stories([b], [a], {}) == {"ev-a": story_id_for("ev-a"), "ev-b": story_id_for("ev-a")}
    True
    """
    current = dict(story_of)
    changed: dict[str, str] = {}
    pool = {p.event_id: p for p in candidates}
    ordered = _order(touched)
    for ev in ordered:
        if ev.event_id in current:
            pool[ev.event_id] = ev
            continue
        best, best_score = None, rule.min_score
        # As in link_stories: a touched event meets the stored ones and the touched ones before it in time,
        # so one batch of everything links as the whole-store pass does.
        for other in _order(list(pool.values())):
            first, second = _order([other, ev])
            score = link_score(first, second, rule)
            if score >= best_score:
                best, best_score = other, score
        pool[ev.event_id] = ev
        if best is None:
            continue
        story = current.get(best.event_id) or story_id_for(_order([best, ev])[0].event_id)
        for event_id in (best.event_id, ev.event_id):
            if current.get(event_id) != story:
                current[event_id] = changed[event_id] = story
    return changed


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


def profiles_for(
    members: Mapping[str, Sequence[str]],
    signals: Mapping[str, ArticleSignal],
) -> list[EventProfile]:
    """Event profiles from the clusterer's ``members()`` and the articles' signals (duplicates skipped).

    >>> # link_stories(profiles_for(clusterer.members(), signals_by_article_id))
    """
    out = []
    for eid, ids in members.items():
        sigs = [signals[a] for a in ids if a in signals and signals[a].duplicate_of is None]
        sigs = sigs or [signals[a] for a in ids if a in signals]
        if not sigs:
            continue
        out.append(profile_from(eid, np.stack([s.vector for s in sigs]), [s.entities for s in sigs],
                                [s.terms for s in sigs], [s.date for s in sigs]))  # fmt: skip
    return out


def build_story(story_id: str, events: Sequence[Event]) -> Story:
    """A :class:`Story` record: events in time order, titled after its largest event (earliest on ties).

    >>> e = Event("ev-1", "Floods in Opava", dt.date(2024, 9, 15), None, ("a",), ("cs",), 1)
    >>> build_story("st-1", [e]).title
    'Floods in Opava'
    """
    if not events:
        raise ValueError(f"story {story_id} has no events")
    ordered = sorted(events, key=lambda e: (e.start or dt.date.max, e.id))
    main = max(ordered, key=lambda e: (len(e.article_ids), -ordered.index(e)))
    return Story(story_id, main.title, tuple(e.id for e in ordered))


# ---- event records and date inference (functions over the clusterer's output) -------------------------------


def build_event(
    event_id: str,
    articles: Sequence[Article],
    story_id: str | None = None,
    vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
) -> Event:
    """Summarise member articles into an :class:`Event` record.

    ``sources`` counts distinct sites/sources among non-duplicates; ``start``/``end`` span publication dates and
    day-precise dates the articles mention within a week before them; ``titles`` holds, per language, the title
    of the article nearest the centroid (``vectors``; without them the first article of that language);
    ``title`` is the English one if any, else the most central title.

    >>> from newsloom.models import PublicationDate
    >>> a = Article("a1", "pap", "o", "Powódź", "Woda.", "pl", 1.0, PublicationDate(dt.date(2024, 9, 16), "text"))
    >>> build_event("ev-1", [a]).title
    'Powódź'
    """
    if not articles:
        raise ValueError(f"event {event_id} has no articles")
    originals = [a for a in articles if a.duplicate_of is None] or list(articles)
    ranked = _by_centrality(originals, vectors)
    titles: dict[str, str] = {}
    for a in ranked:
        if a.title:
            titles.setdefault(a.language, a.title)
    languages = tuple(lang for lang, _ in Counter(a.language for a in articles).most_common())
    main = titles.get("en") or next((a.title for a in ranked if a.title), "")
    start, end = _span(articles)
    sources = len({(a.site or a.source).lower() for a in originals})
    return Event(
        event_id, main, start, end, tuple(a.id for a in articles), languages, sources, story_id, titles
    )


def _by_centrality(
    articles: Sequence[Article], vectors: Mapping[str, npt.NDArray[np.float32]] | None
) -> list[Article]:
    """Articles nearest the centroid first (input order when vectors are missing)."""
    if not vectors or not all(a.id in vectors for a in articles):
        return list(articles)
    matrix = np.stack([vectors[a.id] for a in articles])
    centroid = matrix.mean(axis=0)
    order = np.argsort(-(matrix @ centroid), kind="stable")
    return [articles[int(i)] for i in order]


def _span(articles: Sequence[Article]) -> tuple[dt.date | None, dt.date | None]:
    published = [a.published.value for a in articles if a.published.value is not None]
    if not published:
        return None, None
    lo, hi = min(published), max(published)
    mentioned = [t.value.start for a in articles for t in a.temporal
                 if t.value.granularity == "day" and t.value.start == t.value.end]  # fmt: skip
    # Only dates just before the reporting count: older mentions are background, not the event.
    near = [d for d in mentioned if (lo - dt.timedelta(days=7)) <= d <= hi]
    return min([lo, *near]), max([hi, *near])


def infer_dates(articles: Sequence[Article], event_of: Mapping[str, str]) -> dict[str, PublicationDate]:
    """Publication dates for undated articles, from their event's dated articles.

    The base is the median publication date of the event's dated members; an article that says "yesterday"
    (in its language) is dated one day after the event's earliest date ("the day before yesterday": two); one
    that names the weekday of that earliest date is dated on it (wire copy says "signed on Wednesday" on the
    Wednesday itself more often than later; checked on the demo corpus's undated Romanian article). Articles
    whose event has no dated member are left out.

    >>> from newsloom.models import PublicationDate
    >>> known = Article("a", "s", "o", "T", "x", "en", 1.0, PublicationDate(dt.date(2024, 6, 19), "text"))
    >>> late = Article("b", "s", "o", "T", "Yesterday Putin came.", "en", 1.0, PublicationDate(None, "unknown"))
    >>> infer_dates([known, late], {"a": "ev-1", "b": "ev-1"})["b"].value
    datetime.date(2024, 6, 20)
    """
    dated: dict[str, list[dt.date]] = {}
    for a in articles:
        if a.published.value is not None and a.id in event_of:
            dated.setdefault(event_of[a.id], []).append(a.published.value)
    out: dict[str, PublicationDate] = {}
    for a in articles:
        eid = event_of.get(a.id)
        if a.published.value is not None or eid is None or eid not in dated:
            continue
        days = sorted(dated[eid])
        value, why = days[(len(days) - 1) // 2], f"median of {len(days)} dated article(s)"
        offset = _relative_offset(a, days[0])
        if offset is not None:
            value, why = days[0] + dt.timedelta(days=offset), "its own day reference to the event's first day"
        out[a.id] = PublicationDate(value, "inferred", evidence=f"event {eid}: {why}")
    return out


def _relative_offset(article: Article, first: dt.date) -> int | None:
    """Days after ``first`` implied by "yesterday"/"the day before yesterday" (1, 2) or its weekday (0)."""
    from newsloom.stages.dates_lexicon import key, lexicon

    lex = lexicon(article.language)
    words = [key(w) for w in re.findall(r"\w+", article.body[:1500])]
    for w in words:
        if lex.relative.get(w, 0) < 0:
            return -lex.relative[w]
    if any(lex.weekdays.get(w) == first.weekday() for w in words):
        return 0
    return None
