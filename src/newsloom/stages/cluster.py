"""Online event clustering: each article joins a recent event or opens a new one, in arrival order.

Only events seen within ``window_days`` of the newest article stay in the index (Event Registry and Miranda et
al. 2018 use such a window), so the cost per article is bounded by the number of recent events, not the store.
The index is an exact dot product over a float32 matrix of event centroids (5 ms at 100k x 384); the best
``candidates`` events by cosine are then scored with the full similarity model (embedding, lexical, entity and
date evidence, :mod:`newsloom.stages.similarity`) against the event's profile.

Event ids are stable: ``ev-`` + sha1 of the founding article id. When an article matches two events strongly
(both above ``merge_threshold``) they are merged into the larger; the absorbed id then resolves to the survivor.

Example::

    clusterer = Clusterer()
    for signal in signals:
        assignment = clusterer.assign(signal)
    clusterer.members()   # {"ev-1a2b3c4d5e": ["a1", "a7"], ...}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from newsloom.models import Article, Event, PublicationDate
from newsloom.stages.similarity import (
    ArticleSignal,
    DocumentFrequency,
    SimilarityModel,
    date_factor,
    default_model,
    set_cosine,
    sparse_cosine,
    weighted_terms,
)

__all__ = ["ArticleSignal", "Assignment", "Clusterer", "build_event", "event_id_for", "infer_dates"]

PROFILE_TERMS = 300  # lexical terms kept per event profile (most frequent), bounding memory and scoring time
PROFILE_ENTITIES = 40


@dataclass(frozen=True)
class Assignment:
    """Where an article went; ``merged_event_ids`` are events this article caused to merge INTO ``event_id``."""

    article_id: str
    event_id: str
    created: bool
    merged_event_ids: tuple[str, ...] = ()
    score: float = 0.0


def event_id_for(article_id: str) -> str:
    """Stable event id from the founding article: ``event_id_for("a1")`` -> ``"ev-" + 10 hex digits``."""
    return "ev-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:10]


@dataclass
class _Event:
    """Mutable profile of one event while it is open (Clusterer internal)."""

    id: str
    members: list[str]
    vec_sum: npt.NDArray[np.float32] | None
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    first: dt.date | None = None
    last: dt.date | None = None
    seen: int = 0  # clock ordinal of the last article, for expiry

    def add(self, s: ArticleSignal) -> None:
        """Fold one article into the profile."""
        self.members.append(s.article_id)
        if self.vec_sum is not None:
            self.vec_sum += s.vector
        self.terms.update(s.terms)
        if len(self.terms) > 2 * PROFILE_TERMS:
            self.terms = Counter(dict(self.terms.most_common(PROFILE_TERMS)))
        self.entities.update(s.entities)
        self.languages[s.language] += 1
        if s.date is not None:
            self.first = s.date if self.first is None else min(self.first, s.date)
            self.last = s.date if self.last is None else max(self.last, s.date)

    def centroid(self) -> npt.NDArray[np.float32]:
        assert self.vec_sum is not None
        norm = float(np.linalg.norm(self.vec_sum))
        return self.vec_sum / (norm or 1.0)

    def gap(self, date: dt.date | None) -> int | None:
        """Days between ``date`` and the event's date range (0 inside it, None when unknown)."""
        if date is None or self.first is None or self.last is None:
            return None
        if date < self.first:
            return (self.first - date).days
        return max(0, (date - self.last).days)


class Clusterer:
    """Assign articles to events online, over an index of recent events.

    Parameters (defaults fitted on SemEval dev where they can be, see BENCHMARKS.md):
    ``threshold`` minimum similarity to join an event (default: the similarity model's dev-fitted threshold);
    ``merge_threshold`` similarity to a second event above which the two merge (default ``threshold + 0.1``);
    ``window_days`` events idle longer than this (by article dates) leave the index;
    ``candidates`` events re-scored with the full model; ``min_cosine`` embedding pre-filter.
    """

    def __init__(
        self,
        threshold: float | None = None,
        *,
        merge_threshold: float | None = None,
        window_days: int = 10,
        candidates: int = 10,
        min_cosine: float = 0.75,
        model: SimilarityModel | None = None,
        dim: int = 384,
    ) -> None:
        self.model = model or default_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        self.merge_threshold = self.threshold + 0.1 if merge_threshold is None else merge_threshold
        if not 0.0 <= self.threshold <= 1.0 or window_days < 1 or candidates < 1:
            raise ValueError("threshold must be in [0, 1]; window_days and candidates must be >= 1")
        self.window_days = window_days
        self.candidates = candidates
        self.min_cosine = min_cosine
        self.dim = dim
        self.df = DocumentFrequency()
        self._events: dict[str, _Event] = {}
        self._article_event: dict[str, str] = {}
        self._merged: dict[str, str] = {}
        self._matrix = np.zeros((1024, dim), dtype=np.float32)
        self._rows: list[str] = []  # row -> event id, for open events only
        self._row_of: dict[str, int] = {}
        self._clock = 0  # newest article date seen (ordinal); undated articles use it
        self._expired_at = 0

    # ---- public API -------------------------------------------------------------------------------------
    def assign(self, signal: ArticleSignal) -> Assignment:
        """Put one article into an event (existing, merged, or new) and return where it went."""
        if signal.article_id in self._article_event:
            return Assignment(signal.article_id, self.resolve(self._article_event[signal.article_id]), False)
        if signal.date is not None:
            self._clock = max(self._clock, signal.date.toordinal())
        if self._clock - self._expired_at >= 1:
            self._expire()
        if signal.duplicate_of and signal.duplicate_of in self._article_event:
            return self._join(self.resolve(self._article_event[signal.duplicate_of]), signal, 1.0, dup=True)
        self.df.add(signal.terms)
        scored = self._score_candidates(signal)
        if not scored or scored[0][0] < self.threshold:
            return self._open(signal, scored[0][0] if scored else 0.0)
        best_score, best = scored[0]
        to_merge = [e for s, e in scored[1:] if s >= self.merge_threshold and best_score >= self.merge_threshold]
        merged = tuple(self._merge(best, other) for other in to_merge)
        target = self.resolve(best)
        self._join(target, signal, best_score)
        return Assignment(signal.article_id, target, False, tuple(m for m in merged if m != target), best_score)

    def resolve(self, event_id: str) -> str:
        """The current id of an event (follows merges): a merged-away id resolves to its survivor."""
        seen = 0
        while event_id in self._merged and seen < 1000:
            event_id, seen = self._merged[event_id], seen + 1
        return event_id

    def event_of(self, article_id: str) -> str | None:
        """Current event id of an article, or None if never assigned."""
        ev = self._article_event.get(article_id)
        return self.resolve(ev) if ev else None

    def members(self) -> dict[str, list[str]]:
        """Event id -> article ids in arrival order, for live (not merged-away) events."""
        return {eid: list(ev.members) for eid, ev in self._events.items() if eid not in self._merged}

    def merges(self) -> dict[str, str]:
        """Merged-away event id -> the id it was merged into (directly)."""
        return dict(self._merged)

    @property
    def open_events(self) -> int:
        """Number of events in the index (inside the time window)."""
        return len(self._rows)

    # ---- scoring --------------------------------------------------------------------------------------------
    def _score_candidates(self, s: ArticleSignal) -> list[tuple[float, str]]:
        n = len(self._rows)
        if n == 0:
            return []
        sims = self._matrix[:n] @ s.vector
        k = min(self.candidates, n)
        top = np.argpartition(-sims, k - 1)[:k] if n > k else np.arange(n)
        weighted = weighted_terms(s.terms, self.df)
        scored = []
        for row in top:
            cos = float(sims[row])
            if cos < self.min_cosine:
                continue
            ev = self._events[self._rows[row]]
            scored.append((self._event_score(s, ev, cos, weighted), ev.id))
        scored.sort(reverse=True)
        return scored

    def _event_score(self, s: ArticleSignal, ev: _Event, cos: float, weighted: dict[str, float]) -> float:
        lex = sparse_cosine(weighted, weighted_terms(ev.terms, self.df))
        top_entities = {e for e, _ in ev.entities.most_common(PROFILE_ENTITIES)}
        ent = set_cosine(s.entities, top_entities)
        same = 1.0 if s.language in ev.languages else 0.0
        return self.model.score([cos, lex, ent, same]) * date_factor(ev.gap(s.date))

    # ---- mutation -------------------------------------------------------------------------------------------
    def _open(self, s: ArticleSignal, score: float) -> Assignment:
        eid = event_id_for(s.article_id)
        while eid in self._events:  # an id collision (re-used founding id after a merge) gets a suffix
            eid = eid + "x"
        ev = _Event(eid, [], np.zeros(self.dim, dtype=np.float32))
        self._events[eid] = ev
        self._index_add(eid)
        self._join(eid, s, score)
        return Assignment(s.article_id, eid, True, (), score)

    def _join(self, eid: str, s: ArticleSignal, score: float, dup: bool = False) -> Assignment:
        ev = self._events[eid]
        if dup:  # a duplicate adds a member but must not weigh the profile twice
            ev.members.append(s.article_id)
        else:
            ev.add(s)
        ev.seen = self._clock
        self._article_event[s.article_id] = eid
        if eid in self._row_of and not dup:
            self._matrix[self._row_of[eid]] = ev.centroid()
        return Assignment(s.article_id, eid, False, (), score)

    def _merge(self, keep: str, other: str) -> str:
        """Merge ``other`` into ``keep`` (or the reverse if ``other`` is larger); returns the absorbed id."""
        keep, other = self.resolve(keep), self.resolve(other)
        if keep == other:
            return keep
        a, b = self._events[keep], self._events[other]
        if len(b.members) > len(a.members):
            a, b = b, a
        a.members.extend(b.members)
        if a.vec_sum is not None and b.vec_sum is not None:
            a.vec_sum += b.vec_sum
        a.terms.update(b.terms)
        a.entities.update(b.entities)
        a.languages.update(b.languages)
        for d in (b.first, b.last):
            if d is not None:
                a.first = d if a.first is None else min(a.first, d)
                a.last = d if a.last is None else max(a.last, d)
        self._merged[b.id] = a.id
        self._index_remove(b.id)
        if a.id in self._row_of:
            self._matrix[self._row_of[a.id]] = a.centroid()
        return b.id

    def _index_add(self, eid: str) -> None:
        if len(self._rows) == self._matrix.shape[0]:
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
        self._row_of[eid] = len(self._rows)
        self._rows.append(eid)
        self._matrix[self._row_of[eid]] = self._events[eid].centroid()

    def _index_remove(self, eid: str) -> None:
        row = self._row_of.pop(eid, None)
        if row is None:
            return
        last = len(self._rows) - 1
        if row != last:  # swap the last row in, keeping the matrix dense
            moved = self._rows[last]
            self._rows[row] = moved
            self._matrix[row] = self._matrix[last]
            self._row_of[moved] = row
        self._rows.pop()

    def _expire(self) -> None:
        """Drop events idle for more than the window from the index, and their heavy profile data."""
        self._expired_at = self._clock
        horizon = self._clock - self.window_days
        for eid in [e for e in self._rows if self._events[e].seen < horizon]:
            self._index_remove(eid)
            ev = self._events[eid]
            ev.vec_sum, ev.terms, ev.entities = None, Counter(), Counter()

    # ---- persistence ----------------------------------------------------------------------------------------
    def to_state(self) -> bytes:
        """Serialise everything needed to continue clustering later (compact: npz + JSON metadata)."""
        events = []
        open_ids = list(self._rows)
        for ev in self._events.values():
            events.append({"id": ev.id, "members": ev.members, "languages": dict(ev.languages),
                           "first": ev.first.isoformat() if ev.first else None,
                           "last": ev.last.isoformat() if ev.last else None, "seen": ev.seen,
                           "terms": dict(ev.terms) if ev.vec_sum is not None else {},
                           "entities": dict(ev.entities) if ev.vec_sum is not None else {}})  # fmt: skip
        meta: dict[str, Any] = {
            "version": 1, "threshold": self.threshold, "merge_threshold": self.merge_threshold,
            "window_days": self.window_days, "candidates": self.candidates, "min_cosine": self.min_cosine,
            "dim": self.dim, "clock": self._clock, "expired_at": self._expired_at, "documents": self.df.documents,
            "events": events, "merged": self._merged, "open": open_ids,
        }  # fmt: skip
        sums = np.stack([_sum(self._events[e]) for e in open_ids]) if open_ids else np.zeros((0, self.dim))
        buf = io.BytesIO()
        np.savez_compressed(buf, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                            sums=sums.astype(np.float32), df=self.df.counts)  # fmt: skip
        return buf.getvalue()

    @classmethod
    def from_state(cls, state: bytes, model: SimilarityModel | None = None) -> Clusterer:
        """Rebuild a clusterer saved by :meth:`to_state`."""
        with np.load(io.BytesIO(state)) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            sums, counts = data["sums"], data["df"]
        c = cls(meta["threshold"], merge_threshold=meta["merge_threshold"], window_days=meta["window_days"],
                candidates=meta["candidates"], min_cosine=meta["min_cosine"], model=model, dim=meta["dim"])  # fmt: skip
        c.df = DocumentFrequency(counts.astype(np.int32), int(meta["documents"]))
        c._clock, c._expired_at, c._merged = meta["clock"], meta["expired_at"], dict(meta["merged"])
        for e in meta["events"]:
            ev = _Event(e["id"], list(e["members"]), None, Counter(e["terms"]), Counter(e["entities"]),
                        Counter(e["languages"]), _date(e["first"]), _date(e["last"]), e["seen"])  # fmt: skip
            c._events[ev.id] = ev
            for a in ev.members:
                c._article_event[a] = ev.id
        for eid, vec in zip(meta["open"], sums, strict=True):
            c._events[eid].vec_sum = vec.astype(np.float32)
            c._index_add(eid)
        return c


def _sum(ev: _Event) -> npt.NDArray[np.float32]:
    assert ev.vec_sum is not None  # open events always carry their vector sum
    return ev.vec_sum


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


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
    return Event(event_id, main, start, end, tuple(a.id for a in articles), languages, sources, story_id, titles)


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
    (in its language) about the event is dated one day after the event's earliest date, one that names the
    weekday of that earliest date one day after it (news says "on Tuesday" from a later day). Articles whose
    event has no dated member are left out.

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
    """Days after ``first`` implied by "yesterday"/"the day before yesterday" or the weekday of ``first``."""
    from newsloom.stages.dates_lexicon import key, lexicon

    lex = lexicon(article.language)
    words = [key(w) for w in re.findall(r"\w+", article.body[:1500])]
    for w in words:
        if lex.relative.get(w, 0) < 0:
            return -lex.relative[w]
    if any(lex.weekdays.get(w) == first.weekday() for w in words):
        return 1
    return None
