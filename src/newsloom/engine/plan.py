"""Plan the analysis of one batch of new articles: compute everything it changes, write nothing.

:func:`plan_batch` reads only what the batch touches (the name-index rows its mentions can match, the events it
joins, their stored members, mentions and claims, the stories and story candidates around them), runs the pure
stage functions, and returns a :class:`BatchPlan`. The store applies a plan in one transaction
(``Store.apply``), so a crash leaves the last consistent state and the next run plans the same batch again.

Cost per batch follows the batch and the events it touches, not the size of the store.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from ..models import Article, Claim, Entity, Event, Mention, Story
from ..stages.cluster import Clusterer, ClusterState
from ..stages.entities.incremental import BatchLink, NameRow, lookups
from ..stages.stories import EventProfile
from .models import Models
from .protocol import StoreView

if TYPE_CHECKING:
    from ..stages.entities import Corrections

T = TypeVar("T")
Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class BatchPlan:
    """Every row one batch adds or changes; ``Store.apply`` writes it in one transaction."""

    analysed: tuple[str, ...] = ()  # article ids this batch completes
    article_updates: dict[str, dict[str, object]] = field(default_factory=dict, hash=False)  # event, dates
    mentions: tuple[Mention, ...] = ()  # of the analysed articles (replacing any earlier attempt's)
    names: tuple[NameRow, ...] = ()  # new rows of the entity name index
    entities: tuple[Entity, ...] = ()  # touched entities, whole rows
    events: tuple[Event, ...] = ()  # touched events, whole rows with their digest
    merges: dict[str, str] = field(default_factory=dict, hash=False)  # absorbed event id -> survivor
    event_entities: dict[str, frozenset[str]] = field(default_factory=dict, hash=False)  # main entities
    profiles: tuple[EventProfile, ...] = ()  # story-linking profiles of the touched events
    stories: tuple[Story, ...] = ()  # touched stories, whole rows
    claims: tuple[Claim, ...] = ()  # new claims and the regrouped claims of touched events
    cluster: ClusterState | None = None  # the clusterer's changed events and counters
    problems: tuple[str, ...] = ()  # per-article stage failures, reported by origin

    def summary(self) -> str:
        return (
            f"{len(self.analysed)} article(s): {len(self.events)} event(s) and {len(self.stories)} stor"
            f"{'y' if len(self.stories) == 1 else 'ies'} updated, {len(self.entities)} entities, "
            f"{len(self.claims)} claim(s)"
        )


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def guarded(stage: str, article: Article, call: Callable[[Article], list[T]], problems: list[str]) -> list[T]:
    """One article's stage result; a failure on one article is reported by origin and never stops the others."""
    try:
        return call(article)
    except Exception as exc:  # reported to the user with the stage and origin, never swallowed
        problems.append(f"{stage} skipped for {article.origin}: {type(exc).__name__}: {exc}")
        return []


@dataclass
class _Context:
    """Shared inputs of one planning pass (mutable scratch; the plan itself is frozen)."""

    store: StoreView
    models: Models
    clusterer: Clusterer
    batch: list[Article]
    problems: list[str] = field(default_factory=list)


def plan_batch(store: StoreView, models: Models, clusterer: Clusterer, batch: Sequence[Article]) -> BatchPlan:
    """Analyse ``batch`` (new articles, in arrival order) against the stored state; see the module docstring.

    ``clusterer`` is the live clusterer (loaded from the store once per run); it advances with the batch, and
    its changed rows are part of the plan.
    """
    from ..stages.cluster import infer_dates

    ctx = _Context(store, models, clusterer, list(batch))
    raw = _extract_mentions(ctx)
    # Both linking passes see the same mentions: the index rows and corrections are read once.
    known, corrections = store.name_rows(lookups(raw)), store.corrections()
    first_pass = _link(ctx, raw, known, corrections, {}, {})
    vectors = _embed_articles(ctx)
    event_of, merges = _assign(ctx, vectors, first_pass)
    touched = sorted(set(event_of.values()) | set(merges.values()))
    stored_members = store.articles(event_ids=[*touched, *merges]) if touched else []
    stored_mentions = _by_article(store.mentions(article_ids=[a.id for a in stored_members]))
    group_people = _people_by_event(stored_members, stored_mentions, merges)
    link = _link(ctx, raw, known, corrections, event_of, group_people)
    new_mentions = _by_article(link.mentions)
    all_mentions = {**stored_mentions, **new_mentions}

    members = _members(ctx.batch, stored_members, event_of, merges)
    everyone = [a for arts in members.values() for a in arts]
    inferred = infer_dates(everyone, {a.id: eid for eid, arts in members.items() for a in arts})
    members = {eid: [_dated(a, inferred) for a in arts] for eid, arts in members.items()}
    updates = _article_updates(ctx.batch, members, inferred)

    from ..stages.entities.incremental import updated_entities

    languages = {a.id: a.language for a in ctx.batch}
    previous = {
        e.id: e for e in store.entities_by_ids(sorted({m.entity_id for m in link.mentions if m.entity_id}))
    }
    entities = updated_entities(previous, link.mentions, languages, link.gazetteer_names)
    known_entities = {**previous, **{e.id: e for e in entities}}
    member_vectors = store.embeddings([a.id for a in stored_members], models.embedder_name)
    member_vectors.update(vectors)

    claims = _claims(ctx, new_mentions, known_entities, touched, merges, event_of, all_mentions)
    profiles = _profiles(members, member_vectors, all_mentions)
    story_of = _stories(store, profiles, merges)
    events = _events(members, story_of, member_vectors)
    entity_ids = {m.entity_id for ms in all_mentions.values() for m in ms if m.entity_id}
    entity_map = {**{e.id: e for e in store.entities_by_ids(sorted(entity_ids - known_entities.keys()))},
                  **known_entities}  # fmt: skip
    events, stories = _digests(store, events, members, all_mentions, entity_map, claims, story_of,
                               member_vectors)  # fmt: skip
    return BatchPlan(
        analysed=tuple(a.id for a in ctx.batch),
        article_updates=updates,
        mentions=link.mentions,
        names=link.names,
        entities=tuple(entities),
        events=tuple(events),
        merges=merges,
        event_entities={p.event_id: p.entities for p in profiles},
        profiles=tuple(profiles),
        stories=tuple(stories),
        claims=tuple(claims),
        cluster=clusterer.to_state(changed_only=True),
        problems=tuple(ctx.problems),
    )


# ---- entities -------------------------------------------------------------------------------------------------


def _extract_mentions(ctx: _Context) -> list[Mention]:
    """Raw mentions of the batch; those a backfill's workers extracted with the same gazetteer are taken."""
    from ..stages.entities import extract_mentions

    gazetteer, handoff, key = ctx.models.gazetteer, ctx.models.handoff, ctx.models.gazetteer_key
    out: list[Mention] = []
    for a in ctx.batch:
        ready = handoff.take(key, a)  # None unless extracted under this very key
        out.extend(ready if ready is not None else guarded(
            "entities", a, lambda x: extract_mentions(x, gazetteer), ctx.problems))  # fmt: skip
    return out


def _link(
    ctx: _Context,
    mentions: Sequence[Mention],
    known: Sequence[NameRow],
    corrections: Corrections,
    event_of: Mapping[str, str],
    group_people: Mapping[str, set[str]],
) -> BatchLink:
    from ..stages.entities.incremental import link_batch

    return link_batch(
        mentions,
        known=known,
        article_language={a.id: a.language for a in ctx.batch},
        gazetteer=ctx.models.gazetteer,
        article_group=dict(event_of),
        group_people=group_people,
        corrections=corrections,
    )


def _people_by_event(
    stored: Sequence[Article],
    mentions: Mapping[str, Sequence[Mention]],
    merges: Mapping[str, str],
) -> dict[str, set[str]]:
    """Multi-word person entities each touched event's stored articles name (for bare surnames)."""
    multi = {
        m.entity_id
        for ms in mentions.values()
        for m in ms
        if m.entity_id and m.type == "PER" and " " in m.key
    }
    out: dict[str, set[str]] = {}
    for article in stored:
        event_id = merges.get(article.event_id or "", article.event_id)
        if event_id:
            found = {m.entity_id for m in mentions.get(article.id, ()) if m.entity_id in multi}
            out.setdefault(event_id, set()).update(e for e in found if e)
    return out


# ---- events ---------------------------------------------------------------------------------------------------


def _embed_articles(ctx: _Context) -> dict[str, Vector]:
    """Vectors of the batch: cached ones reused, new originals embedded (and cached), duplicates share."""
    from ..stages.embed import embed_articles

    name = ctx.models.embedder_name
    ids = [a.id for a in ctx.batch] + [a.duplicate_of for a in ctx.batch if a.duplicate_of]
    vectors = ctx.store.embeddings(ids, name)
    todo = [
        a
        for a in ctx.batch
        if a.id not in vectors and (a.duplicate_of is None or a.duplicate_of not in vectors)
    ]
    if todo:
        matrix = embed_articles(ctx.models.embedder, todo)
        fresh = {a.id: matrix[i] for i, a in enumerate(todo)}
        ctx.store.save_embeddings(
            name, fresh
        )  # a cache keyed by article: safe to keep even if the plan is lost
        vectors.update(fresh)
    for article in ctx.batch:
        if article.id not in vectors and article.duplicate_of in vectors:
            vectors[article.id] = vectors[str(article.duplicate_of)]
    return {a.id: vectors[a.id] for a in ctx.batch if a.id in vectors}


def _assign(
    ctx: _Context, vectors: Mapping[str, Vector], link: BatchLink
) -> tuple[dict[str, str], dict[str, str]]:
    """Assign the batch in arrival order; returns each article's event and the merges this caused."""
    from ..stages.similarity import make_signal

    linked = _by_article(link.mentions)
    in_batch = {a.id for a in ctx.batch}
    outside = [a.duplicate_of for a in ctx.batch if a.duplicate_of and a.duplicate_of not in in_batch]
    for original, event_id in ctx.store.event_ids_of(outside).items():
        ctx.clusterer.remember(original, event_id)
    event_of: dict[str, str] = {}
    merges: dict[str, str] = {}
    for article in ctx.batch:
        if article.id not in vectors:
            continue
        signal = make_signal(
            article, vectors[article.id], [m.entity_id for m in linked.get(article.id, ()) if m.entity_id]
        )
        assignment = ctx.clusterer.assign(signal)
        event_of[article.id] = assignment.event_id
        for old in assignment.merged_event_ids:
            merges[old] = assignment.event_id
    # A merge later in the batch can absorb an event an earlier article joined.
    event_of = {a: ctx.clusterer.resolve(e) for a, e in event_of.items()}
    merges = {old: ctx.clusterer.resolve(new) for old, new in merges.items()}
    return event_of, merges


def _members(
    batch: Sequence[Article],
    stored: Sequence[Article],
    event_of: Mapping[str, str],
    merges: Mapping[str, str],
) -> dict[str, list[Article]]:
    """Touched event -> its articles (stored first, in arrival order, then the batch's)."""
    out: dict[str, list[Article]] = {}
    for article in stored:
        event_id = merges.get(article.event_id or "", article.event_id)
        if event_id:
            out.setdefault(event_id, []).append(dataclasses.replace(article, event_id=event_id))
    for article in batch:
        if article.id in event_of:
            out.setdefault(event_of[article.id], []).append(
                dataclasses.replace(article, event_id=event_of[article.id])
            )
    return out


def _dated(article: Article, inferred: Mapping[str, object]) -> Article:
    found = inferred.get(article.id)
    return dataclasses.replace(article, published=found) if found is not None else article  # type: ignore[arg-type]


def _article_updates(
    batch: Sequence[Article], members: Mapping[str, Sequence[Article]], inferred: Mapping[str, object]
) -> dict[str, dict[str, object]]:
    """Event ids of the batch and of re-pointed stored members, and dates inferred for undated articles."""
    batch_ids = {a.id for a in batch}
    updates: dict[str, dict[str, object]] = {}
    for event_id, articles in members.items():
        for article in articles:
            columns: dict[str, object] = {}
            if article.id in batch_ids or article.event_id != event_id:
                columns["event_id"] = event_id
            if article.id in inferred:
                value = article.published
                columns.update(
                    published=value.value.isoformat() if value.value else None,
                    published_how=value.how,
                    published_evidence=value.evidence,
                )
            if columns or article.id in batch_ids:
                updates[article.id] = {"event_id": event_id, **columns}
    return updates


def _profiles(
    members: Mapping[str, Sequence[Article]],
    vectors: Mapping[str, Vector],
    mentions: Mapping[str, Sequence[Mention]],
) -> list[EventProfile]:
    from ..stages.similarity import lexical_terms
    from ..stages.stories import profile_from

    out = []
    for event_id, articles in sorted(members.items()):
        usable = [a for a in articles if a.id in vectors and a.duplicate_of is None] or [
            a for a in articles if a.id in vectors
        ]
        if not usable:
            continue
        out.append(
            profile_from(
                event_id,
                np.stack([vectors[a.id] for a in usable]),
                [frozenset(m.entity_id for m in mentions.get(a.id, ()) if m.entity_id) for a in usable],
                [lexical_terms(a.body) for a in usable],
                [a.published.value for a in usable],
            )
        )
    return out


def _stories(store: StoreView, profiles: Sequence[EventProfile], merges: Mapping[str, str]) -> dict[str, str]:
    """Story id of every touched event (and of stored events newly joined to one)."""
    from ..stages.stories import attach_stories

    touched = [p.event_id for p in profiles]
    current = store.story_ids([*touched, *merges])
    for old, new in merges.items():  # a survivor without a story inherits the absorbed event's
        if new not in current and old in current:
            current[new] = current[old]
    candidates = store.story_candidates(profiles)
    current.update(store.story_ids([c.event_id for c in candidates]))
    changed = attach_stories(profiles, candidates, {k: v for k, v in current.items() if k not in merges})
    return {**{k: v for k, v in current.items() if k in touched}, **changed}


def _events(
    members: Mapping[str, Sequence[Article]], story_of: Mapping[str, str], vectors: Mapping[str, Vector]
) -> list[Event]:
    from ..stages.cluster import build_event

    return [build_event(eid, arts, story_of.get(eid), vectors) for eid, arts in sorted(members.items())]


# ---- claims and digests --------------------------------------------------------------------------------------


def _claims(
    ctx: _Context,
    new_mentions: Mapping[str, Sequence[Mention]],
    entities: Mapping[str, Entity],
    touched: Sequence[str],
    merges: Mapping[str, str],
    event_of: Mapping[str, str],
    mentions: Mapping[str, Sequence[Mention]],
) -> list[Claim]:
    """New claims, and every claim of the touched events regrouped by proposition."""
    from ..stages.claims import extract_claims, group_claims

    fresh = [
        dataclasses.replace(c, event_id=event_of.get(c.article_id))
        for a in ctx.batch
        for c in guarded(
            "claims", a, lambda x: extract_claims(x, new_mentions.get(x.id, ()), entities), ctx.problems
        )
    ]
    fresh_ids = {c.id for c in fresh}
    stored = [
        dataclasses.replace(c, event_id=merges.get(c.event_id or "", c.event_id))
        for c in ctx.store.claims_of_events([*touched, *merges])
        if c.id not in fresh_ids
    ]
    claims = [*stored, *fresh]
    if not claims:
        return []
    vectors = _quote_vectors(ctx, _compared(claims))
    return group_claims(claims, vectors, _claim_entities(claims, mentions))


def _compared(claims: Sequence[Claim]) -> list[Claim]:
    """The claims grouping compares: those sharing their event with another claim.

    A claim alone in its event is a group of its own whatever its vector (the group id hashes only the event and
    the claim id), so its quote is not encoded; a later batch that adds a claim to the event finds the quote
    uncached and encodes it then. ``claims`` holds every claim of each event it names (stored and new).
    """
    per_event = Counter(c.event_id for c in claims)
    return [c for c in claims if per_event[c.event_id] > 1]


def _quote_vectors(ctx: _Context, claims: Sequence[Claim]) -> dict[str, Vector]:
    """Quote embeddings by content hash: wire copies repeat quotes, and a stored quote is never encoded again."""
    if not claims:
        return {}
    name = ctx.models.embedder_name
    hashes = {c.id: text_hash(c.quote) for c in claims}
    cached = ctx.store.text_vectors(sorted(set(hashes.values())), name)
    missing = sorted({c.quote for c in claims if hashes[c.id] not in cached}, key=len)
    if missing:
        matrix = ctx.models.embedder.embed(missing)
        fresh = {text_hash(t): matrix[i] for i, t in enumerate(missing)}
        ctx.store.save_text_vectors(name, fresh)  # a cache keyed by content: safe to keep
        cached.update(fresh)
    return {cid: cached[h] for cid, h in hashes.items()}


def _claim_entities(
    claims: Sequence[Claim], mentions: Mapping[str, Sequence[Mention]]
) -> dict[str, frozenset[str]]:
    """Entities a claim is about: its speaker and those mentioned inside its span."""
    out = {}
    for claim in claims:
        inside = {
            m.entity_id
            for m in mentions.get(claim.article_id, ())
            if m.entity_id and m.start < claim.end and m.end > claim.start
        }
        if claim.speaker_entity_id:
            inside.add(claim.speaker_entity_id)
        out[claim.id] = frozenset(inside)
    return out


def _digests(
    store: StoreView,
    events: Sequence[Event],
    members: Mapping[str, Sequence[Article]],
    mentions: Mapping[str, Sequence[Mention]],
    entities: Mapping[str, Entity],
    claims: Sequence[Claim],
    story_of: Mapping[str, str],
    vectors: Mapping[str, Vector] | None = None,
) -> tuple[list[Event], list[Story]]:
    """English titles and summaries of the touched events and of their stories (built-in digest); the article
    vectors already computed name each event's type (nothing is encoded again)."""
    from ..stages.stories import build_story
    from ..stages.summarize import Digest, event_digest, story_digest

    claims_of: dict[str | None, list[Claim]] = {}
    for claim in claims:
        claims_of.setdefault(claim.event_id, []).append(claim)
    digests: dict[str, Digest] = {}
    out_events = []
    for event in events:
        arts = members.get(event.id, ())
        own = [m for a in arts for m in mentions.get(a.id, ())]
        digest = event_digest(event, arts, own, entities, claims_of.get(event.id, []), vectors=vectors)
        digests[event.id] = digest
        out_events.append(dataclasses.replace(event, title=digest.title, summary=digest.summary))
    fresh = {e.id: e for e in out_events}
    story_ids = sorted(set(story_of.values()))
    stories = []
    for story_id in story_ids:
        stored = {e.id: e for e in store.events_of_story(story_id)}
        stored.update({eid: fresh[eid] for eid, sid in story_of.items() if sid == story_id and eid in fresh})
        in_story = [e for eid, e in stored.items() if story_of.get(eid, e.story_id) == story_id]
        in_story = [dataclasses.replace(e, story_id=story_id) for e in in_story]
        if len(in_story) < 2:
            continue
        story = build_story(story_id, in_story)
        digest = story_digest(story, in_story, digests)
        stories.append(dataclasses.replace(story, title=digest.title, summary=digest.summary))
    # Stored events newly placed in a story (a candidate that founded one with a touched event) get the id too.
    extra = [
        dataclasses.replace(e, story_id=story_of[e.id])
        for e in store.events_by_ids(sorted(set(story_of) - fresh.keys()))
        if e.story_id != story_of[e.id]
    ]
    return [*out_events, *extra], stories


def _by_article(mentions: Sequence[Mention]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.article_id, []).append(m)
    return out
