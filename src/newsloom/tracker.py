"""The one facade that the CLI (and any HTTP API or UI) calls; it runs stages and persists their results.

>>> tracker = Tracker(Settings(db=":memory:"))
>>> report = tracker.ingest(["articles/"])  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

import numpy as np

from .config import Settings
from .errors import NotFound
from .export import Snapshot, write_export
from .models import Article, Claim, Entity, Event, Mention, RawDocument, Rejected, Story
from .pipeline import Pipeline
from .progress import Progress, Silent
from .stages.dedup import Deduper
from .stages.embed import Embedder
from .stages.ingest import DEFAULT_MAX_LISTED, read_inputs
from .store import open_store
from .store.paging import MAX_LIMIT, NO_FILTER, ArticleFilter, Page
from .store.protocol import Store

if TYPE_CHECKING:
    from .engine.models import Models

DEMO_CORPUS = Path(__file__).parent / "data" / "demo"


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did: nothing is dropped without appearing here."""

    added: int
    already_present: int
    duplicates: int
    rejected: tuple[Rejected, ...]
    analysis: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.rejected


@dataclass(frozen=True)
class DoctorReport:
    """What ``doctor`` found (problems, unanalysed articles), what it did, and what is left after it."""

    problems: tuple[str, ...]
    pending: int
    actions: tuple[str, ...]
    remaining: tuple[str, ...]

    @property
    def healthy(self) -> bool:
        return not self.remaining and (self.pending == 0 or bool(self.actions))


@dataclass(frozen=True)
class ImportReport:
    imported: int
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True)
class EntityProfile:
    """An entity with the articles and events that mention it and mention counts per month."""

    entity: Entity
    articles: tuple[Article, ...]
    events: tuple[Event, ...]
    timeline: tuple[tuple[str, int], ...]


def _input_of(origin: str) -> str:
    """The input a record came from: ``a.jsonl:12`` and ``feed.xml#3`` -> the file."""
    head = origin.split("#", 1)[0]
    name, _, line = head.rpartition(":")
    return name if name and line.isdigit() else head


def summarised(rejected: Sequence[Rejected], per_input: int = DEFAULT_MAX_LISTED) -> list[Rejected]:
    """At most ``per_input`` rejections listed per input, then one that counts the rest by stage (a file of
    100,000 bad records makes a readable report and a small store, and nothing goes unmentioned)."""
    listed: Counter[str] = Counter()
    unlisted: dict[str, Counter[str]] = {}
    out = []
    for item in rejected:
        source = _input_of(item.origin)
        if listed[source] < per_input:
            listed[source] += 1
            out.append(item)
        else:
            unlisted.setdefault(source, Counter())[item.stage] += 1
    for source, stages in unlisted.items():
        counts = ", ".join(f"{n} at {stage}" for stage, n in stages.most_common())
        out.append(
            Rejected(
                source, "summary", f"{sum(stages.values())} more rejected record(s) in this input ({counts})"
            )
        )
    return out


@dataclass
class _Batch:
    articles: list[Article] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)


class Tracker:
    """Ingest articles and query everything derived from them, backed by one store."""

    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        *,
        today: dt.date | None = None,
        read_only: bool = False,
    ):
        """``read_only`` opens the store without writing anything (read commands; any write then fails)."""
        self.settings = settings
        self.store: Store = store if store is not None else open_store(settings.db, read_only=read_only)
        self.today = today
        self._pipeline: Pipeline | None = None
        self._models: Models | None = None
        self._dedup: Deduper | None = None

    @property
    def models(self) -> Models:
        """The gazetteer and encoder, loaded on first use and kept for the life of the tracker (a server or
        worker pays the load once; read commands never load them)."""
        if self._models is None:
            from .engine.models import load_models

            self._models = load_models(self.settings, self.store.imported_aliases())
        return self._models

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self.settings, today=self.today)
        return self._pipeline

    def _deduper(self) -> Deduper:
        """The near-duplicate index: stored articles are found through the store's band rows (what another
        process stored too), so only the articles not flushed yet are held in memory."""
        if self._dedup is None:
            self._dedup = Deduper(
                threshold=self.settings.dedup_threshold, stored=self.store.duplicate_candidates
            )
        return self._dedup

    # ---- ingest ---------------------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[str],
        *,
        stdin: BinaryIO | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Read, clean, identify, date and deduplicate ``paths`` (files, folders, ``-``), store them in batches,
        then run the corpus-level analysis over what is new."""
        items: Iterator[RawDocument | Rejected] = read_inputs(
            paths, stdin=stdin, max_bytes=self.settings.max_bytes, follow_links=self.settings.follow_links
        )
        return self.ingest_documents(items, progress=progress)

    def ingest_documents(
        self, items: Iterable[RawDocument | Rejected], *, progress: Progress | None = None
    ) -> IngestReport:
        """Process and store documents read elsewhere (a stream, an archive), then analyse what is pending.

        Idempotent: a document whose article is stored already counts as already present.
        """
        watch = progress or Silent()
        processed = (
            item if isinstance(item, Rejected) else self.pipeline.process(item)
            for item in watch.track(items, "ingest")
        )
        return self.store_processed(processed, progress=watch)

    def store_processed(
        self,
        results: Iterable[Article | Rejected],
        *,
        progress: Progress | None = None,
        on_flush: Callable[[Sequence[Article]], None] | None = None,
        analyze: bool | None = None,
    ) -> IngestReport:
        """Deduplicate and store articles the per-article stages produced (here, or on a backfill's workers),
        record the rejections, then analyse what is pending. ``on_flush`` sees each stored batch before the
        analysis runs (a backfill caches the vectors its workers computed); ``analyze`` overrides the setting."""
        deduper = self._deduper()
        batch, seen = _Batch(), set[str]()
        added = present = duplicates = 0
        rejected: list[Rejected] = []
        watch = progress or Silent()
        for result in results:
            if isinstance(result, Rejected):
                rejected.append(result)
                continue
            if result.id in seen or self.store.existing_ids([result.id]):
                present += 1
                continue
            signature = deduper.signature(result.body)
            duplicate_of = deduper.add_signature(result.id, signature)
            duplicates += duplicate_of is not None
            batch.articles.append(dataclasses.replace(result, duplicate_of=duplicate_of))
            batch.signatures[result.id] = signature
            seen.add(result.id)
            if len(batch.articles) >= self.settings.batch_size:
                added += self._flush(batch, on_flush)
                batch = _Batch()
        added += self._flush(batch, on_flush)
        rejected = summarised(rejected)
        if rejected:
            self.store.add_rejections(rejected)
        notes: tuple[str, ...] = ()
        # Also when nothing was added: an analysis interrupted earlier (a crash, a kill) is finished now.
        if self.settings.analyze if analyze is None else analyze:
            notes = self.analyze(progress=watch)
        return IngestReport(added, present, duplicates, tuple(rejected), notes)

    def _flush(self, batch: _Batch, on_flush: Callable[[Sequence[Article]], None] | None = None) -> int:
        if batch.articles:
            self.store.add_articles(batch.articles, batch.signatures)
            self._deduper().forget_local()  # the store finds them now
            if on_flush is not None:
                on_flush(batch.articles)
        return len(batch.articles)

    def analyze(self, *, rebuild: bool = False, progress: Progress | None = None) -> tuple[str, ...]:
        """Analyse the stored articles not analysed yet (entities, events, stories, claims), batch by batch;
        ``rebuild`` starts over from every stored article."""
        from .engine.run import analyze

        return analyze(
            self.store,
            lambda: self.models,
            batch_size=self.settings.batch_size,
            rebuild=rebuild,
            progress=progress or Silent(),
        )

    def doctor(self, *, repair: bool = False, progress: Progress | None = None) -> DoctorReport:
        """Check the store (SQLite's integrity check, dangling ids, unanalysed articles); ``repair`` finishes
        pending analysis and, when references still dangle, rebuilds the analysis from the stored articles."""
        problems = tuple(self.store.integrity())
        pending = self.store.count_pending()
        actions: list[str] = []
        if repair and (pending or problems):
            if pending:
                actions += self.analyze(progress=progress)
            if self.store.integrity():
                actions += self.analyze(rebuild=True, progress=progress)
            return DoctorReport(problems, pending, tuple(actions), tuple(self.store.integrity()))
        return DoctorReport(problems, pending, (), problems)

    def recluster(self, *, progress: Progress | None = None) -> tuple[str, ...]:
        """Rebuild entities, events, stories and claims from scratch with the current settings."""
        return self.analyze(rebuild=True, progress=progress)

    def demo(self, *, progress: Progress | None = None) -> IngestReport:
        """Ingest the bundled demo corpus."""
        return self.ingest([str(DEMO_CORPUS)], progress=progress)

    # ---- queries --------------------------------------------------------------------------------------------

    def articles(
        self, *, language: str | None = None, event_id: str | None = None, limit: int | None = None
    ) -> list[Article]:
        if event_id:
            event_id = self.store.resolve_event(event_id)
        return self.store.articles(language=language, event_id=event_id, limit=limit)

    def search(self, query: str, *, limit: int = 20) -> list[Article]:
        return self.store.search(query, limit=limit)

    def semantic_search(
        self, query: str, embedder: Embedder, *, limit: int = 20
    ) -> list[tuple[Article, float]]:
        """Stored articles ranked by cosine between ``query`` and their stored embedding, best first.

        ``embedder`` is passed in so a server loads the model once; its name picks the stored vectors.
        Near-duplicates share their original's vector and are not stored separately, so they are not listed.
        """
        if limit <= 0:
            return []
        # The store ranks (exact over a cached matrix in SQLite, pgvector HNSW in PostgreSQL) and reads only the
        # hits; both report the cosine.
        return self.semantic_page(query, embedder, limit=min(limit, MAX_LIMIT))

    # ---- paged reads: filters and pages in the store's SQL (indexed), for the CLI listings and the HTTP API

    def article_page(
        self, filters: ArticleFilter = NO_FILTER, *, limit: int, cursor: str | None = None, offset: int = 0
    ) -> Page[Article]:
        """One page of stored articles in arrival order; an old (merged) event id finds the event it became.

        >>> tracker.article_page(ArticleFilter(language="pl"), limit=20).items  # doctest: +SKIP
        """
        if filters.event_id:
            filters = dataclasses.replace(filters, event_id=self.store.resolve_event(filters.event_id))
        return self.store.article_page(filters, limit=limit, cursor=cursor, offset=offset)

    def event_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        story_id: str | None = None,
        language: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Page[Event]:
        """One page of events by date (undated last); ``since``/``until`` keep those whose span overlaps."""
        return self.store.event_page(
            limit=limit,
            cursor=cursor,
            offset=offset,
            story_id=story_id,
            language=language,
            since=since,
            until=until,
        )

    def story_page(self, *, limit: int, cursor: str | None = None, offset: int = 0) -> Page[Story]:
        return self.store.story_page(limit=limit, cursor=cursor, offset=offset)

    def entity_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        type: str | None = None,
        event_id: str | None = None,
    ) -> Page[Entity]:
        """One page of entities, most mentioned first."""
        if event_id:
            event_id = self.store.resolve_event(event_id)
        return self.store.entity_page(limit=limit, cursor=cursor, offset=offset, type=type, event_id=event_id)

    def claim_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        event_id: str | None = None,
        entity_id: str | None = None,
        article_id: str | None = None,
    ) -> Page[Claim]:
        """One page of claims by id, of an event, a speaker entity and/or an article."""
        if event_id:
            event_id = self.store.resolve_event(event_id)
        return self.store.claim_page(
            limit=limit,
            cursor=cursor,
            offset=offset,
            event_id=event_id,
            entity_id=entity_id,
            article_id=article_id,
        )

    def search_page(
        self, query: str, filters: ArticleFilter = NO_FILTER, *, limit: int, offset: int = 0
    ) -> list[Article]:
        """Full-text matches that pass ``filters``, best first."""
        return self.store.search_page(query, filters, limit=limit, offset=offset)

    def semantic_page(
        self,
        query: str,
        embedder: Embedder,
        filters: ArticleFilter = NO_FILTER,
        *,
        limit: int,
        offset: int = 0,
    ) -> list[tuple[Article, float]]:
        """Articles nearest ``query`` in meaning that pass ``filters``, with their cosine, best first."""
        if not query.strip():
            return []
        vector = np.asarray(embedder.embed([query])[0], dtype=np.float32)
        return self.store.semantic_page(vector, filters, model=embedder.name, limit=limit, offset=offset)

    def rejections(self) -> list[Rejected]:
        return self.store.rejections()

    def show(self, item_id: str) -> Article | Event | Story | Entity | Claim:
        """Whatever has this id: an article (or unique id prefix), event, story, entity or claim."""
        for lookup in (
            self.store.event,
            self.store.story,
            self.store.entity,
            self.store.claim,
            self.store.article,
        ):
            try:
                return lookup(item_id)
            except NotFound:
                continue
        raise NotFound(f"nothing has the id {item_id!r} (article, event, story, entity or claim)")

    def resolve_event(self, event_id: str) -> str:
        """The id an event has now: an id merged into another event leads to the event it became."""
        return self.store.resolve_event(event_id)

    def article(self, article_id: str) -> Article:
        """One article with its removed boilerplate lines (a unique id prefix is accepted)."""
        return self.store.article(article_id)

    def event(self, event_id: str) -> Event:
        return self.store.event(event_id)

    def story(self, story_id: str) -> Story:
        return self.store.story(story_id)

    def entity(self, entity_id: str) -> Entity:
        return self.store.entity(entity_id)

    def claim(self, claim_id: str) -> Claim:
        return self.store.claim(claim_id)

    def mentions(self, article_id: str) -> list[Mention]:
        """Entity mentions in one article, in text order (offsets into its cleaned text)."""
        return self.store.mentions(article_ids=[article_id])

    def events(self, *, limit: int | None = None, offset: int = 0, newest_first: bool = False) -> list[Event]:
        """Events in time order (or newest first), all of them or one page."""
        return self.store.events(limit=limit, offset=offset, newest_first=newest_first)

    def stories(self) -> list[Story]:
        return self.store.stories()

    def entities(self, *, type: str | None = None, event_id: str | None = None) -> list[Entity]:
        if event_id:
            event_id = self.store.resolve_event(event_id)
        return self.store.entities(type=type, event_id=event_id)

    def claims(self, *, event_id: str | None = None, entity_id: str | None = None) -> list[Claim]:
        if event_id:
            event_id = self.store.resolve_event(event_id)
        return self.store.claims(event_id=event_id, entity_id=entity_id)

    def snapshot(self) -> Snapshot:
        articles = self.store.articles()
        mentions: dict[str, list[Mention]] = {}
        for mention in self.store.mentions():
            mentions.setdefault(mention.article_id, []).append(mention)
        return Snapshot(
            articles,
            mentions,
            self.store.entities(),
            self.store.events(),
            self.store.stories(),
            self.store.claims(),
        )

    def export(self, fmt: str, out: TextIO, *, table: str = "articles") -> int:
        """Write everything in ``fmt`` (json, jsonl, csv) to ``out``; returns the number of records."""
        return write_export(self.snapshot(), fmt, out, table=table)

    # ---- entities: profiles, analyst corrections, imports ----------------------------------------------------

    def entity_profile(self, entity_id: str) -> EntityProfile:
        entity = self.store.entity(entity_id)
        mentions = self.store.mentions(entity_id=entity.id)
        articles = tuple(self.store.articles(ids=sorted({m.article_id for m in mentions})))
        event_ids = {a.event_id for a in articles if a.event_id}
        events = tuple(e for e in self.store.events() if e.id in event_ids)
        per_article = Counter(m.article_id for m in mentions)
        months: Counter[str] = Counter()
        for article in articles:
            month = article.published.value.strftime("%Y-%m") if article.published.value else "unknown"
            months[month] += per_article[article.id]
        return EntityProfile(entity, articles, events, tuple(sorted(months.items())))

    def merge_entities(self, source: str, target: str) -> tuple[str, ...]:
        """Merge entity ``source`` into ``target`` (its id then redirects there); kept in the store and applied
        to every later ingest."""
        source, target = (self.store.entity(e).id for e in (source, target))  # NotFound names a bad id first
        if source == target:
            return (f"{source} and {target} are already one entity",)
        self.store.merge_entity(source, target, {})
        return (f"merged {source} into {target}",)

    def split_entity(self, entity_id: str, alias: str) -> tuple[str, ...]:
        """Take ``alias`` out of ``entity_id`` into an entity of its own; kept for every later ingest."""
        from .stages.entities.linking import split_id

        entity = self.store.entity(entity_id)
        if alias not in {a.text for a in entity.aliases}:
            known = ", ".join(sorted({a.text for a in entity.aliases}))
            raise NotFound(f"entity {entity_id} has no alias {alias!r} (its aliases: {known})")
        # Corrections work on comparison keys, so every inflection of the alias leaves with it.
        keys = {m.key for m in self.store.mentions(entity_id=entity.id) if m.text == alias}
        for key in sorted(keys):
            self.store.split_entity(entity.id, key, split_id(entity.id, key))
        return (f"split {alias!r} out of {entity_id}",)

    def import_entities(self, path: Path) -> ImportReport:
        """Extend the gazetteer with a Wikidata JSON extract (labels and aliases) for every later ingest.

        Stored articles keep their links (entity ids never change under an analyst); ``recluster`` re-links
        everything with the imported names.
        """
        from .stages.entities import load_wikidata

        records, rejected = load_wikidata(path)
        self.store.add_imported_aliases(records)
        if records and self._models is not None:
            self._models.gazetteer.add_aliases(records)
            # Grown in place, it may differ from one built afresh: mentions extracted ahead no longer apply.
            self._models = dataclasses.replace(self._models, gazetteer_key="")
        return ImportReport(len(records), tuple(rejected))

    # ---- digest, pair scoring, evaluation -------------------------------------------------------------------

    def digest(self, *, event_id: str | None = None, story_id: str | None = None, fmt: str = "md") -> str:
        """English digest of one event, one story, or (neither given) every story and event."""
        from .digest import digest_report

        return digest_report(self, event_id=event_id, story_id=story_id, fmt=fmt)

    def score_pairs(self, path: Path) -> Iterator[dict[str, object]]:
        """``newsloom score-pairs``: similarity and same-event decision for each pair of a JSONL file."""
        from .evaluation.semeval import load_pairs, score_pairs
        from .stages.embed import E5Embedder

        embedder = E5Embedder(threads=self.settings.embed_threads)
        # Lines without lang1/lang2 get the language the pipeline's own identifier finds.
        return score_pairs(
            load_pairs(path), embedder, identify=lambda text: self.pipeline.langid.identify(text).code
        )

    def evaluate(
        self, suite: str, *, pairs: str | None = None, data: str | None = None, topics: str | None = None
    ) -> tuple[dict[str, object], str]:
        """Run an evaluation suite (``semeval``, ``timeline``, ``demo``); returns the report and its text form."""
        from .evaluation.run import run_suite

        return run_suite(
            suite, settings=self.settings, pairs=pairs, data=data, topics=topics, open_tracker=type(self)
        )
