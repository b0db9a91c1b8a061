"""Corpus-level stages run after ingest: entities, embeddings, events, stories, claims and the English digest.

New articles (arrival order after the last analysed one) are processed incrementally: the clusterer's state is kept
in the store, so each article is assigned once, in the order it arrived, and event ids stay stable. Entities and
claim groups are re-linked over the whole store each time (cheap, and deterministic ids make it stable);
``rebuild=True`` starts everything from scratch with the current settings (``newsloom recluster``).
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from .config import Settings
from .models import Article, Claim, Entity, Event, Mention, Story
from .progress import Progress, Silent
from .store import SQLiteStore

if TYPE_CHECKING:
    from .stages.cluster import Clusterer
    from .stages.embed import Embedder
    from .stages.entities import Gazetteer
    from .stages.similarity import ArticleSignal

T = TypeVar("T")
CLUSTER_STATE = "clusterer"
CLAIM_VECTORS_STATE = "claim_vectors"
PROGRESS_STATE = "analysed_articles"


@dataclass(frozen=True)
class Models:
    """Heavy objects built once per analysis run and passed explicitly to the stages."""

    gazetteer: Gazetteer
    embedder: Embedder


def _load_models(store: SQLiteStore, settings: Settings) -> tuple[Models, list[str]]:
    from pathlib import Path

    from .corrections import imported_aliases
    from .stages.embed import E5Embedder
    from .stages.entities import Gazetteer

    gazetteer, rejected = Gazetteer.load([Path(p) for p in settings.alias_files])
    gazetteer.add_aliases(imported_aliases(store))
    notes = [f"alias file problem: {r.origin}: {r.reason}" for r in rejected]
    return Models(gazetteer, E5Embedder(threads=settings.embed_threads)), notes


def _analysed_ids(store: SQLiteStore) -> set[str]:
    raw = store.get_state(PROGRESS_STATE)
    return set(json.loads(raw)) if raw else set()


def analyze(
    store: SQLiteStore,
    settings: Settings,
    *,
    rebuild: bool = False,
    relink: bool = False,
    progress: Progress | None = None,
) -> tuple[str, ...]:
    """Bring entities, events, stories and claims up to date with the stored articles; returns notes for the user.

    ``relink`` runs the pass even without new articles (after an analyst correction or a name import).
    """
    from .stages.cluster import Clusterer

    watch = progress or Silent()
    articles = store.articles()
    done = set() if rebuild else _analysed_ids(store)
    new = [a for a in articles if a.id not in done]
    if not new and not rebuild and not relink:
        return ()
    models, notes = _load_models(store, settings)
    state = None if rebuild else store.get_state(CLUSTER_STATE)
    clusterer = Clusterer.from_state(state) if state else Clusterer()

    problems: list[str] = []
    mentions = _extract_mentions(store, models, articles, new, rebuild, watch, problems)
    linked, _ = _link(
        store, models, articles, mentions, groups={a.id: a.event_id for a in articles if a.event_id}
    )
    vectors = _embed(store, models, articles, new, watch)
    merges = _cluster(clusterer, new, _signals(new, vectors, linked))
    if merges:
        store.add_merges(merges)
    members = clusterer.members()
    event_of = {article_id: event_id for event_id, ids in members.items() for article_id in ids}
    # Linking again with the events known lets a bare surname join the full name used elsewhere in its event;
    # story linking then sees every article with its final entity ids.
    linked, entities = _link(store, models, articles, mentions, groups=event_of)
    signals = _signals(articles, vectors, linked)
    articles = _with_events_and_dates(store, articles, event_of)
    by_event = _group(articles, event_of)
    events, stories = _events_and_stories(store, by_event, members, signals, vectors)
    claims = _claims(
        store,
        models,
        articles,
        new if not (rebuild or relink) else None,
        linked,
        entities,
        event_of,
        problems,
    )
    events, stories = _digests(events, stories, by_event, linked, entities, claims)

    store.replace_entities(entities, [m for ms in linked.values() for m in ms])
    store.replace_events(events, stories)
    store.replace_claims(claims)
    store.set_state(CLUSTER_STATE, clusterer.to_state())
    store.set_state(PROGRESS_STATE, json.dumps(sorted(a.id for a in articles)).encode())
    notes += problems
    notes += [
        f"analysed {len(new)} new article(s): {len(events)} event(s), {len(stories)} stor"
        f"{'y' if len(stories) == 1 else 'ies'}, {len(entities)} entities, {len(claims)} claim(s)"
    ]
    return tuple(notes)


def _extract_mentions(
    store: SQLiteStore,
    models: Models,
    articles: Sequence[Article],
    new: Sequence[Article],
    rebuild: bool,
    watch: Progress,
    problems: list[str],
) -> dict[str, list[Mention]]:
    from .stages.entities import extract_mentions

    known: dict[str, list[Mention]] = {}
    if not rebuild:
        for mention in store.mentions():
            known.setdefault(mention.article_id, []).append(dataclasses.replace(mention, entity_id=None))
    todo = articles if rebuild else new
    for article in watch.track(todo, "entities", total=len(todo)):
        known[article.id] = _guarded(
            "entities",
            article,
            lambda a: extract_mentions(a, models.gazetteer),
            problems,
        )
    return known


def _guarded(
    stage: str, article: Article, call: Callable[[Article], list[T]], problems: list[str]
) -> list[T]:
    """One article's stage result; a failure on one article is reported by origin and never stops the others."""
    try:
        return call(article)
    except Exception as exc:  # reported to the user with the stage and origin, never swallowed
        problems.append(f"{stage} skipped for {article.origin}: {type(exc).__name__}: {exc}")
        return []


def _link(
    store: SQLiteStore,
    models: Models,
    articles: Sequence[Article],
    mentions: Mapping[str, Sequence[Mention]],
    *,
    groups: Mapping[str, str],
) -> tuple[dict[str, list[Mention]], list[Entity]]:
    from .corrections import corrections
    from .stages.entities import link_mentions

    result = link_mentions(
        [m for ms in mentions.values() for m in ms],
        article_language={a.id: a.language for a in articles},
        article_group=dict(groups),
        gazetteer=models.gazetteer,
        corrections=corrections(store),
    )
    linked: dict[str, list[Mention]] = {}
    for mention in result.mentions:
        linked.setdefault(mention.article_id, []).append(mention)
    return linked, list(result.entities)


def _embed(
    store: SQLiteStore, models: Models, articles: Sequence[Article], new: Sequence[Article], watch: Progress
) -> dict[str, np.ndarray]:
    """Vectors of every article: stored ones are reused, new originals are embedded, duplicates share theirs."""
    from .stages.embed import embed_articles

    embedder = models.embedder
    name = str(getattr(embedder, "name", "embedder"))
    vectors = store.embeddings([a.id for a in articles], name)
    todo = [
        a for a in new if a.id not in vectors and (a.duplicate_of is None or a.duplicate_of not in vectors)
    ]
    chunks = [todo[start : start + 64] for start in range(0, len(todo), 64)]
    for chunk in watch.track(chunks, "embeddings", total=len(chunks), unit="batch of 64"):
        matrix = embed_articles(embedder, chunk)
        fresh = {a.id: matrix[i] for i, a in enumerate(chunk)}
        store.save_embeddings(name, fresh)
        vectors.update(fresh)
    for article in new:
        if article.id not in vectors and article.duplicate_of in vectors:
            vectors[article.id] = vectors[str(article.duplicate_of)]
    return vectors


def _signals(
    articles: Sequence[Article], vectors: Mapping[str, np.ndarray], linked: Mapping[str, Sequence[Mention]]
) -> dict[str, ArticleSignal]:
    from .stages.similarity import make_signal

    return {
        a.id: make_signal(a, vectors[a.id], [m.entity_id for m in linked.get(a.id, ()) if m.entity_id])
        for a in articles
        if a.id in vectors
    }


def _cluster(
    clusterer: Clusterer, new: Sequence[Article], signals: Mapping[str, ArticleSignal]
) -> dict[str, str]:
    """Assign new articles in arrival order; returns the event merges this caused (old id -> new id)."""
    merges: dict[str, str] = {}
    for article in new:
        assignment = clusterer.assign(signals[article.id])
        for old in assignment.merged_event_ids:
            merges[old] = assignment.event_id
    return merges


def _with_events_and_dates(
    store: SQLiteStore, articles: Sequence[Article], event_of: Mapping[str, str]
) -> list[Article]:
    """Record each article's event, and a publication date inferred from its event where it had none."""
    from .stages.cluster import infer_dates

    updated = [dataclasses.replace(a, event_id=event_of.get(a.id)) for a in articles]
    inferred = infer_dates(updated, event_of)
    changes: dict[str, dict[str, object]] = {}
    result = []
    for article in updated:
        published = inferred.get(article.id, article.published)
        columns: dict[str, object] = {"event_id": article.event_id}
        if published != article.published:
            columns.update(
                published=published.value.isoformat() if published.value else None,
                published_how=published.how,
                published_evidence=published.evidence,
            )
        changes[article.id] = columns
        result.append(dataclasses.replace(article, published=published))
    store.update_articles(changes)
    return result


def _group(articles: Sequence[Article], event_of: Mapping[str, str]) -> dict[str, list[Article]]:
    by_event: dict[str, list[Article]] = {}
    for article in articles:
        event_id = event_of.get(article.id)
        if event_id:
            by_event.setdefault(event_id, []).append(article)
    return by_event


def _events_and_stories(
    store: SQLiteStore,
    by_event: Mapping[str, Sequence[Article]],
    members: Mapping[str, Sequence[str]],
    signals: Mapping[str, ArticleSignal],
    vectors: Mapping[str, np.ndarray],
) -> tuple[list[Event], list[Story]]:
    """Event records, and stories of two or more events (a lone event belongs to no story)."""
    from .stages.cluster import build_event
    from .stages.stories import build_story, link_stories, profiles_for

    previous = {e.id: e.story_id for e in store.events() if e.story_id}
    story_of = link_stories(profiles_for(members, signals), previous=previous)
    sizes = Counter(story_of.values())
    shared = {event_id: story for event_id, story in story_of.items() if sizes[story] >= 2}
    events = [
        build_event(event_id, arts, shared.get(event_id), vectors) for event_id, arts in by_event.items()
    ]
    in_story: dict[str, list[Event]] = {}
    for event in events:
        if event.story_id:
            in_story.setdefault(event.story_id, []).append(event)
    return events, [build_story(story_id, members) for story_id, members in in_story.items()]


def _claims(
    store: SQLiteStore,
    models: Models,
    articles: Sequence[Article],
    new: Sequence[Article] | None,
    linked: Mapping[str, Sequence[Mention]],
    entities: Sequence[Entity],
    event_of: Mapping[str, str],
    problems: list[str],
) -> list[Claim]:
    """Claims of the ``new`` articles (all articles when None, after a rebuild or an analyst correction) join the
    stored ones; every claim is placed in its article's current event and grouped by proposition."""
    from .stages.claims import extract_claims, group_claims

    by_id = {e.id: e for e in entities}
    stored = [] if new is None else store.claims()
    # An earlier claim whose speaker entity no longer exists (re-linking renamed it) is extracted again.
    stale = {c.article_id for c in stored if c.speaker_entity_id and c.speaker_entity_id not in by_id}
    fresh_ids = {a.id for a in new} | stale if new is not None else {a.id for a in articles}
    todo = [a for a in articles if a.id in fresh_ids]
    kept = [c for c in stored if c.article_id not in fresh_ids]
    claims = [
        dataclasses.replace(c, event_id=event_of.get(c.article_id))
        for c in [
            *kept,
            *(
                c
                for a in todo
                for c in _guarded(
                    "claims", a, lambda x: extract_claims(x, linked.get(x.id, ()), by_id), problems
                )
            ),
        ]
    ]
    if not claims:
        return []
    vectors = _claim_vectors(store, models, claims)
    return group_claims(claims, vectors, _claim_entities(claims, linked))


def _claim_vectors(store: SQLiteStore, models: Models, claims: Sequence[Claim]) -> dict[str, np.ndarray]:
    """Quote embeddings for claim grouping, cached in the store by claim id."""
    raw = store.get_state(CLAIM_VECTORS_STATE)
    cached: dict[str, np.ndarray] = {}
    if raw:
        with np.load(io.BytesIO(raw)) as data:
            cached = {key: data[key] for key in data.files}
    todo = [c for c in claims if c.id not in cached]
    if todo:
        # Wire copies repeat quotes word for word; each distinct text is embedded once (the model's cost is
        # per text, whatever its length).
        texts = sorted({c.quote for c in todo})
        matrix = models.embedder.embed(texts)
        row = {text: i for i, text in enumerate(texts)}
        cached.update({c.id: matrix[row[c.quote]] for c in todo})
    wanted = {c.id: cached[c.id] for c in claims}
    buffer = io.BytesIO()
    np.savez(buffer, **wanted)  # type: ignore[arg-type]
    store.set_state(CLAIM_VECTORS_STATE, buffer.getvalue())
    return wanted


def _claim_entities(
    claims: Sequence[Claim], linked: Mapping[str, Sequence[Mention]]
) -> dict[str, frozenset[str]]:
    """Entities a claim is about: its speaker and those mentioned inside its span."""
    out = {}
    for claim in claims:
        inside = {
            m.entity_id
            for m in linked.get(claim.article_id, ())
            if m.entity_id and m.start < claim.end and m.end > claim.start
        }
        if claim.speaker_entity_id:
            inside.add(claim.speaker_entity_id)
        out[claim.id] = frozenset(inside)
    return out


def _digests(
    events: Sequence[Event],
    stories: Sequence[Story],
    by_event: Mapping[str, Sequence[Article]],
    linked: Mapping[str, Sequence[Mention]],
    entities: Sequence[Entity],
    claims: Sequence[Claim],
) -> tuple[list[Event], list[Story]]:
    """English titles and summaries from the built-in digest (remote backends run only on request)."""
    from .stages.summarize import Digest, event_digest, story_digest

    by_id = {e.id: e for e in entities}
    claims_of: dict[str | None, list[Claim]] = {}
    for claim in claims:
        claims_of.setdefault(claim.event_id, []).append(claim)
    digests: dict[str, Digest] = {}
    out_events = []
    for event in events:
        members = by_event.get(event.id, ())
        mentions = [m for a in members for m in linked.get(a.id, ())]
        digest = event_digest(event, members, mentions, by_id, claims_of.get(event.id, []))
        digests[event.id] = digest
        out_events.append(dataclasses.replace(event, title=digest.title, summary=digest.summary))
    by_event_id = {e.id: e for e in out_events}
    out_stories = []
    for story in stories:
        digest = story_digest(story, [by_event_id[i] for i in story.event_ids if i in by_event_id], digests)
        out_stories.append(dataclasses.replace(story, title=digest.title, summary=digest.summary))
    return out_events, out_stories
