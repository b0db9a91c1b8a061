"""``newsloom digest``: English digests of events and stories from what the store holds.

The built-in digest needs nothing but the store; a configured backend (``backend`` settings) may translate or
summarise, and any backend failure falls back to the built-in text inside ``event_digest``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .errors import InputError
from .models import Event, Story

if TYPE_CHECKING:
    from .backends import DigestBackend
    from .stages.summarize import Digest
    from .tracker import Tracker


def _event_digest(tracker: Tracker, event: Event, backend: DigestBackend | None) -> Digest:
    from .stages.event_types import DEFAULT_MODEL
    from .stages.summarize import event_digest

    store = tracker.store
    articles = store.articles(ids=list(event.article_ids))
    mentions = store.mentions(article_ids=list(event.article_ids))
    entities = {e.id: e for e in store.entities(event_id=event.id)}
    # The stored vectors of the default model name the event type; another model's simply are not found.
    vectors = store.embeddings(list(event.article_ids), DEFAULT_MODEL)
    return event_digest(event, articles, mentions, entities, store.claims(event_id=event.id), backend,
                        vectors=vectors)  # fmt: skip


def _story_digest(
    tracker: Tracker, story: Story, backend: DigestBackend | None
) -> tuple[Digest, list[Digest]]:
    from .stages.summarize import story_digest

    events = [tracker.store.event(event_id) for event_id in story.event_ids]
    digests = {e.id: _event_digest(tracker, e, backend) for e in events}
    return story_digest(story, events, digests), list(digests.values())


def digest_report(tracker: Tracker, *, event_id: str | None, story_id: str | None, fmt: str) -> str:
    """Markdown (``md``) or JSON (``json``) digest of one event, one story, or all stories and lone events."""
    from .backends import BackendSettings, make_backend
    from .stages.summarize import digest_to_json, render_markdown

    if fmt not in ("md", "json"):
        raise InputError(f"unknown digest format {fmt!r}; choose md or json")
    backend = make_backend(BackendSettings.from_settings(tracker.settings))
    digests: list[Digest] = []
    if event_id:
        digests.append(_event_digest(tracker, tracker.store.event(event_id), backend))
    elif story_id:
        story_digest, event_digests = _story_digest(tracker, tracker.store.story(story_id), backend)
        digests += [story_digest, *event_digests]
    else:
        in_story: set[str] = set()
        for story in tracker.store.stories():
            story_digest, event_digests = _story_digest(tracker, story, backend)
            digests += [story_digest, *event_digests]
            in_story.update(story.event_ids)
        digests += [
            _event_digest(tracker, e, backend) for e in tracker.store.events() if e.id not in in_story
        ]
    if fmt == "json":
        return json.dumps([digest_to_json(d) for d in digests], ensure_ascii=False, indent=2) + "\n"
    return render_markdown(digests, heading="newsloom digest")
