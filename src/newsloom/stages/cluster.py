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
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from newsloom.stages.similarity import (
    ArticleSignal,
    DocumentFrequency,
    LanguageBaseline,
    SimilarityModel,
    date_factor,
    event_model,
    set_cosine,
    sparse_cosine,
    weighted_terms,
)
from newsloom.stages.stories import build_event, infer_dates

__all__ = ["ArticleSignal", "Assignment", "Clusterer", "build_event", "event_id_for", "infer_dates"]

PROFILE_TERMS = 300  # lexical terms kept per event profile (most frequent), bounding memory and scoring time
PROFILE_ENTITIES = 40
ARCHIVE_TERMS, ARCHIVE_ENTITIES = 60, 20  # what an expired event keeps for late articles


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
    language: str = ""  # the founding article's language: the index row's language for the baseline
    size: int = 0  # articles in the event (members holds only those assigned since it was loaded)
    loaded: bool = True  # False for a stub standing in for an event outside the index

    def add(self, s: ArticleSignal) -> None:
        """Fold one article into the profile."""
        self.members.append(s.article_id)
        self.size += 1
        if self.vec_sum is not None:
            self.vec_sum += s.vector
        self.terms.update(s.terms)
        if len(self.terms) > 2 * PROFILE_TERMS:
            self.terms = Counter(dict(self.terms.most_common(PROFILE_TERMS)))
        self.entities.update(sorted(s.entities))  # sorted: a set's order follows the hash seed
        self.languages[s.language] += 1
        if s.date is not None:
            self.first = s.date if self.first is None else min(self.first, s.date)
            self.last = s.date if self.last is None else max(self.last, s.date)

    def centroid(self) -> npt.NDArray[np.float32]:
        assert self.vec_sum is not None
        norm = float(np.linalg.norm(self.vec_sum))
        return self.vec_sum / (norm or 1.0)

    def span_with(self, date: dt.date | None) -> int:
        """Days the event would span with an article of ``date`` (an undated article never stretches it)."""
        if self.first is None or self.last is None:
            return 0
        if date is None:
            return (self.last - self.first).days
        return (max(self.last, date) - min(self.first, date)).days

    def gap(self, date: dt.date | None) -> int | None:
        """Days between ``date`` and the event's date range (0 inside it, None when unknown)."""
        if date is None or self.first is None or self.last is None:
            return None
        if date < self.first:
            return (self.first - date).days
        return max(0, (date - self.last).days)


class _VectorIndex:
    """Exact cosine search over a dense, growable float32 matrix of event centroids (rows swap on removal)."""

    def __init__(self, dim: int) -> None:
        self.matrix = np.zeros((256, dim), dtype=np.float32)
        self.codes = np.zeros(256, dtype=np.int64)  # language code of each row, for the baseline
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, eid: object) -> bool:
        return eid in self.row_of

    def put(self, eid: str, vector: npt.NDArray[np.float32], code: int) -> None:
        """Add or update a row."""
        row = self.row_of.get(eid)
        if row is None:
            if len(self.ids) == self.matrix.shape[0]:
                self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
                self.codes = np.concatenate([self.codes, np.zeros_like(self.codes)])
            row = len(self.ids)
            self.row_of[eid] = row
            self.ids.append(eid)
        self.matrix[row] = vector
        self.codes[row] = code

    def remove(self, eid: str) -> None:
        """Drop a row (no-op when absent), moving the last row into its place."""
        row = self.row_of.pop(eid, None)
        if row is None:
            return
        last = len(self.ids) - 1
        if row != last:
            moved = self.ids[last]
            self.ids[row] = moved
            self.matrix[row] = self.matrix[last]
            self.codes[row] = self.codes[last]
            self.row_of[moved] = row
        self.ids.pop()

    def search(
        self, vector: npt.NDArray[np.float32], k: int, offsets: npt.NDArray[np.float64] | None = None
    ) -> tuple[npt.NDArray[np.float32], list[int]]:
        """All cosines, and the rows of the ``k`` best after subtracting ``offsets`` (indexed by language code)."""
        n = len(self.ids)
        sims = self.matrix[:n] @ vector
        ranked = sims if offsets is None else sims - offsets[self.codes[:n]]
        if n <= k:
            return sims, list(range(n))
        return sims, [int(r) for r in np.argpartition(-ranked, k - 1)[:k]]


class Clusterer:
    """Assign articles to events online, over an index of recent events.

    Parameters (defaults fitted on SemEval dev where they can be, see BENCHMARKS.md):
    ``threshold`` minimum similarity to join an event (default: the similarity model's dev-fitted threshold);
    ``merge_threshold`` similarity to a second event above which the two merge (default ``threshold + 0.1``);
    ``window_days`` events idle longer than this (by article dates) leave the index for the archive;
    ``archive_size`` expired events kept (most recent first, profiles pruned) for articles that arrive late:
    undated ones, or ones dated before the window (back-fills); older events are forgotten;
    ``candidates`` events re-scored with the full model; ``min_cosine`` embedding pre-filter, on cosines
    centred per language pair (the same-language baseline added back), so the pre-filter and the choice of
    candidates do not favour events in the article's own language: e5 gives any two texts of one language a
    higher cosine than a translation pair of the same length;
    ``max_span_days`` an event is a bounded happening: an article joins (and two events merge) only when the
    event's publication dates then span at most this many days; an undated article never stretches the span, and
    a follow-up weeks later (a death after a mutiny, a second attack) founds a new event, which story linking
    ties to the first;
    ``entity_veto`` when the article and the event both name at least this many entities and share none, the
    article does not join (two verdicts against two different mayors are two events however alike the
    wording); on SemEval dev this vetoes 5 of 180 same-event pairs and 78 of 334 different ones; 0 disables.
    """

    def __init__(
        self,
        threshold: float | None = None,
        *,
        merge_threshold: float | None = None,
        window_days: int = 10,
        archive_size: int = 20_000,
        candidates: int = 10,
        min_cosine: float = 0.75,
        entity_veto: int = 5,
        max_span_days: int = 7,
        model: SimilarityModel | None = None,
        dim: int = 384,
    ) -> None:
        self.model = model or event_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        self.merge_threshold = self.threshold + 0.1 if merge_threshold is None else merge_threshold
        if not 0.0 <= self.threshold <= 1.0 or window_days < 1 or candidates < 1 or archive_size < 0:
            raise ValueError("threshold must be in [0, 1]; window_days, candidates >= 1; archive_size >= 0")
        if max_span_days < 0:
            raise ValueError("max_span_days must be >= 0")
        self.max_span_days = max_span_days
        self.window_days = window_days
        self.archive_size = archive_size
        self.candidates = candidates
        self.min_cosine = min_cosine
        self.entity_veto = entity_veto
        self.dim = dim
        self.df = DocumentFrequency()
        self.baseline: LanguageBaseline = self.model.baseline()
        self._lang_ids: dict[str, int] = {}
        self._events: dict[str, _Event] = {}
        self._article_event: dict[str, str] = {}
        self._merged: dict[str, str] = {}
        self._open = _VectorIndex(dim)
        self._archive = _VectorIndex(dim)
        self._archived_order: list[str] = []  # expiry order, oldest first (may hold stale ids)
        self._clock = 0  # newest article date seen (ordinal); undated articles use it
        self._expired_at = 0
        self._dirty: set[str] = set()  # events changed since the state was last saved or loaded

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
            return self._found(signal, scored[0][0] if scored else 0.0)
        best_score, best = scored[0]
        # Only a dated article may bridge two open events: without a date, two similar events months apart
        # (the same actors again) would look like one.
        bridge = signal.date is not None and best_score >= self.merge_threshold and best in self._open
        to_merge = [e for s, e in scored[1:]
                    if bridge and s >= self.merge_threshold and e in self._open and self._span_ok(best, e)]  # fmt: skip
        merged = tuple(self._merge(best, other) for other in to_merge)
        target = self.resolve(best)
        self._join(target, signal, best_score)
        return Assignment(
            signal.article_id, target, False, tuple(m for m in merged if m != target), best_score
        )

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
        """Event id -> article ids in arrival order, for live (not merged-away) events.

        A clusterer continued with :meth:`from_state` knows only the articles assigned since (the store keeps
        the rest).
        """
        return {
            eid: list(ev.members)
            for eid, ev in self._events.items()
            if eid not in self._merged and ev.members
        }

    def merges(self) -> dict[str, str]:
        """Merged-away event id -> the id it was merged into (directly)."""
        return dict(self._merged)

    @property
    def open_events(self) -> int:
        """Number of events in the index (inside the time window)."""
        return len(self._open)

    # ---- scoring --------------------------------------------------------------------------------------------
    def _span_ok(self, a: str, b: str) -> bool:
        """Whether events ``a`` and ``b`` together span at most ``max_span_days``."""
        ea, eb = self._events[self.resolve(a)], self._events[self.resolve(b)]
        dates = [d for d in (ea.first, ea.last, eb.first, eb.last) if d is not None]
        return not dates or (max(dates) - min(dates)).days <= self.max_span_days

    def _offsets(self, language: str) -> npt.NDArray[np.float64] | None:
        """Per language code: how much higher than the same-language baseline an unrelated row scores."""
        if not self._lang_ids:
            return None
        return np.array([self.baseline.mean(language, name) for name in self._lang_ids]) - self.baseline.same

    def _score_candidates(self, s: ArticleSignal) -> list[tuple[float, str]]:
        found: dict[str, float] = {}
        offsets = self._offsets(s.language)
        sims, rows = self._open.search(s.vector, self.candidates, offsets)
        if len(self._open):
            self._observe_baseline(s.language, sims)
        late = s.date is None or s.date.toordinal() < self._clock - self.window_days
        pools = [(self._open, sims, rows)]
        if late and len(self._archive):
            pools.append((self._archive, *self._archive.search(s.vector, self.candidates, offsets)))
        weighted = weighted_terms(s.terms, self.df)
        for index, pool_sims, pool_rows in pools:
            for row in pool_rows:
                cos = float(pool_sims[row])
                shift = 0.0 if offsets is None else float(offsets[index.codes[row]])
                if cos - shift >= self.min_cosine:
                    ev = self._events[index.ids[row]]
                    found[ev.id] = self._event_score(s, ev, cos, weighted)
        return sorted(((score, eid) for eid, score in found.items()), reverse=True)

    def _observe_baseline(self, language: str, sims: npt.NDArray[np.float32]) -> None:
        """Most index rows are unrelated to a new article: their cosines estimate the language-pair baseline."""
        names = list(self._lang_ids)
        codes = self._open.codes[: sims.shape[0]]
        totals = np.bincount(codes, weights=sims, minlength=len(names))
        counts = np.bincount(codes, minlength=len(names))
        for code in np.nonzero(counts)[0]:
            self.baseline.observe(language, names[code], float(totals[code]), int(counts[code]))

    def _event_score(self, s: ArticleSignal, ev: _Event, cos: float, weighted: dict[str, float]) -> float:
        lex = sparse_cosine(weighted, weighted_terms(ev.terms, self.df))
        top_entities = {e for e, _ in ev.entities.most_common(PROFILE_ENTITIES)}
        vetoable = self.entity_veto and min(len(s.entities), len(top_entities)) >= self.entity_veto
        if vetoable and not s.entities & ev.entities.keys():
            return 0.0
        if ev.span_with(s.date) > self.max_span_days:
            return 0.0
        ent = set_cosine(s.entities, top_entities)
        same = s.language in ev.languages
        other = s.language if same else ev.languages.most_common(1)[0][0]
        centred = cos - self.baseline.mean(s.language, other)
        return self.model.score([centred, lex, ent, float(same)]) * date_factor(ev.gap(s.date))

    # ---- mutation -------------------------------------------------------------------------------------------
    def _found(self, s: ArticleSignal, score: float) -> Assignment:
        eid = event_id_for(s.article_id)
        while eid in self._events:  # an id collision (re-used founding id after a merge) gets a suffix
            eid = eid + "x"
        self._events[eid] = _Event(eid, [], np.zeros(self.dim, dtype=np.float32), language=s.language)
        self._join(eid, s, score)
        return Assignment(s.article_id, eid, True, (), score)

    def _code(self, language: str) -> int:
        return self._lang_ids.setdefault(language, len(self._lang_ids))

    def _join(self, eid: str, s: ArticleSignal, score: float, dup: bool = False) -> Assignment:
        ev = self._events[eid]
        self._dirty.add(eid)
        if dup:  # a duplicate adds a member but must not weigh the profile twice
            ev.members.append(s.article_id)
            ev.size += 1
        else:
            ev.add(s)
        self._article_event[s.article_id] = eid
        if ev.vec_sum is not None and not dup:
            ev.seen = max(ev.seen, self._clock if s.date is None else s.date.toordinal())
            if eid in self._archive and ev.seen >= self._clock - self.window_days:
                self._archive.remove(eid)  # a late article brought it back into the window
            if eid not in self._archive:
                self._open.put(eid, ev.centroid(), self._code(ev.language))
            else:
                self._archive.put(eid, ev.centroid(), self._code(ev.language))
        return Assignment(s.article_id, eid, False, (), score)

    def _merge(self, keep: str, other: str) -> str:
        """Merge ``other`` into ``keep`` (or the reverse if ``other`` is larger); returns the absorbed id."""
        keep, other = self.resolve(keep), self.resolve(other)
        if keep == other:
            return keep
        a, b = self._events[keep], self._events[other]
        if b.size > a.size:
            a, b = b, a
        a.members.extend(b.members)
        a.size += b.size
        self._dirty.update((a.id, b.id))
        if a.vec_sum is not None and b.vec_sum is not None:
            a.vec_sum += b.vec_sum
        a.terms.update(b.terms)
        a.entities.update(b.entities)
        a.languages.update(b.languages)
        a.seen = max(a.seen, b.seen)
        for d in (b.first, b.last):
            if d is not None:
                a.first = d if a.first is None else min(a.first, d)
                a.last = d if a.last is None else max(a.last, d)
        self._merged[b.id] = a.id
        self._open.remove(b.id)
        self._archive.remove(b.id)
        b.vec_sum, b.terms, b.entities = None, Counter(), Counter()
        index = self._archive if a.id in self._archive else self._open
        if a.vec_sum is not None:
            index.put(a.id, a.centroid(), self._code(a.language))
        return b.id

    def _expire(self) -> None:
        """Move events idle for more than the window to the archive (pruned); forget the oldest archived."""
        self._expired_at = self._clock
        horizon = self._clock - self.window_days
        for eid in [e for e in self._open.ids if self._events[e].seen < horizon]:
            ev = self._events[eid]
            self._dirty.add(eid)
            self._open.remove(eid)
            ev.terms = Counter(dict(ev.terms.most_common(ARCHIVE_TERMS)))
            ev.entities = Counter(dict(ev.entities.most_common(ARCHIVE_ENTITIES)))
            if self.archive_size and ev.vec_sum is not None:
                self._archive.put(eid, ev.centroid(), self._code(ev.language))
                self._archived_order.append(eid)
            else:
                ev.vec_sum, ev.terms, ev.entities = None, Counter(), Counter()
        while len(self._archive) > self.archive_size:
            old = self._archived_order.pop(0)
            if old in self._archive:
                self._dirty.add(old)
                self._archive.remove(old)
                ev = self._events[old]
                ev.vec_sum, ev.terms, ev.entities = None, Counter(), Counter()

    # ---- persistence ----------------------------------------------------------------------------------------
    def remember(self, article_id: str, event_id: str) -> None:
        """Record where an already stored article went, so its wire duplicates in a later batch follow it.

        The event need not be in the index any more: a duplicate of an article in a forgotten event still joins
        that event (as a member only; nothing of it is loaded).
        """
        self._article_event[article_id] = event_id
        if event_id not in self._events:
            self._events[event_id] = _Event(event_id, [], None, loaded=False)

    def to_state(self, *, changed_only: bool = False) -> ClusterState:
        """What continuing later needs: the settings and counters, and every event still in the index.

        ``changed_only`` gives the events changed since the last :meth:`to_state` or :meth:`from_state` (and the
        ids that left the index), so a store rewrites only those rows.
        """
        rank = {eid: i for i, eid in enumerate(dict.fromkeys(self._archived_order))}
        rows = []
        wanted = self._dirty if changed_only else set(self._open.ids) | set(self._archive.ids)
        for eid in sorted(wanted):
            ev = self._events.get(eid)
            if ev is None or ev.vec_sum is None or not ev.loaded:
                continue
            pool = "open" if eid in self._open else "archive" if eid in self._archive else ""
            if pool:
                rows.append(EventState(eid, pool, ev.size, ev.vec_sum.astype(np.float32).tobytes(), dict(ev.terms),
                                       dict(ev.entities), dict(ev.languages), ev.first, ev.last, ev.seen,
                                       ev.language, rank.get(eid, -1)))  # fmt: skip
        live = {r.id for r in rows}
        gone = tuple(sorted(e for e in self._dirty if e not in live)) if changed_only else ()
        meta: dict[str, Any] = {
            "version": 2, "threshold": self.threshold, "merge_threshold": self.merge_threshold,
            "window_days": self.window_days, "archive_size": self.archive_size, "candidates": self.candidates,
            "min_cosine": self.min_cosine, "entity_veto": self.entity_veto, "dim": self.dim,
            "max_span_days": self.max_span_days,
            "clock": self._clock, "expired_at": self._expired_at, "documents": self.df.documents,
            "baseline": self.baseline.to_dict(),
        }  # fmt: skip
        self._dirty = set()
        return ClusterState(meta, self.df.counts.astype(np.int32).tobytes(), tuple(rows), gone)

    @classmethod
    def from_state(cls, state: ClusterState, model: SimilarityModel | None = None) -> Clusterer:
        """Continue from :meth:`to_state` (the whole state: settings, counters and the indexed events)."""
        meta = state.meta
        c = cls(meta["threshold"], merge_threshold=meta["merge_threshold"], window_days=meta["window_days"],
                archive_size=meta["archive_size"], candidates=meta["candidates"], min_cosine=meta["min_cosine"],
                entity_veto=meta["entity_veto"], max_span_days=int(meta.get("max_span_days", 7)), model=model,
                dim=meta["dim"])  # fmt: skip
        c.df = DocumentFrequency(
            np.frombuffer(state.df_counts, dtype=np.int32).copy(), int(meta["documents"])
        )
        c.baseline = LanguageBaseline.from_dict(meta["baseline"])
        c._clock, c._expired_at = int(meta["clock"]), int(meta["expired_at"])
        archived = []
        for row in state.events:
            ev = _Event(row.id, [], np.frombuffer(row.vec_sum, dtype=np.float32).copy(), Counter(row.terms),
                        Counter(row.entities), Counter(row.languages), row.first, row.last, row.seen,
                        row.language, size=row.size)  # fmt: skip
            c._events[ev.id] = ev
            (c._open if row.pool == "open" else c._archive).put(ev.id, ev.centroid(), c._code(ev.language))
            if row.pool == "archive":
                archived.append((row.archived_rank, ev.id))
        c._archived_order = [eid for _, eid in sorted(archived)]
        c._dirty = set()
        return c


@dataclass(frozen=True)
class EventState:
    """One indexed event as a store row: its vector sum (centroid direction), profile, dates and pool."""

    id: str
    pool: str  # "open" (inside the time window) or "archive"
    size: int
    vec_sum: bytes  # float32
    terms: dict[str, int]
    entities: dict[str, int]
    languages: dict[str, int]
    first: dt.date | None
    last: dt.date | None
    seen: int
    language: str
    archived_rank: int  # expiry order in the archive (oldest first); -1 in the open pool


@dataclass(frozen=True)
class ClusterState:
    """The clusterer's persistent state: settings and counters (``meta``), document frequencies, the indexed
    events (all of them, or only those changed), and the ids that left the index since the last save."""

    meta: dict[str, Any] = field(hash=False)
    df_counts: bytes
    events: tuple[EventState, ...]
    removed: tuple[str, ...] = ()
