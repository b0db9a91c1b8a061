"""Plain-text views of results for the terminal; no logic beyond layout.

Every public view passes through :func:`newsloom.terminal.safe`: titles, quotes and names come from articles,
so escape sequences and bidi overrides in them are shown as visible escapes, never acted on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ParamSpec

from .models import Article, Claim, Entity, Event, Story
from .terminal import safe

if TYPE_CHECKING:
    from .tracker import EntityProfile, IngestReport, Tracker


P = ParamSpec("P")


def _terminal(view: Callable[P, str]) -> Callable[P, str]:
    """Sanitise what a view returns, so no view can forget to."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        return safe(view(*args, **kwargs))

    return wrapper


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@_terminal
def ingest_report(report: IngestReport) -> str:
    lines = [
        f"added {report.added} article(s), {report.duplicates} of them duplicates of earlier ones; "
        f"{report.already_present} already in the store (nothing added for those); "
        f"{len(report.rejected)} rejected"
    ]
    lines.extend(report.analysis)
    return "\n".join(lines) + "\n"


@_terminal
def article_table(articles: Sequence[Article]) -> str:
    rows = []
    for a in articles:
        date = a.published.value.isoformat() if a.published.value else "unknown   "
        dup = f" dup-of:{a.duplicate_of[:8]}" if a.duplicate_of else ""
        rows.append(f"{a.id}  {a.language:3} {date}  {_short(a.title, 70)}{dup}")
    return "\n".join(rows) + ("\n" if rows else "no articles\n")


def _article(a: Article) -> str:
    lines = [
        f"article {a.id}",
        f"title:     {a.title}",
        f"source:    {a.origin}",
        f"language:  {a.language} (confidence {a.language_confidence:.2f})",
        f"published: {a.published.value or 'unknown'} (how: {a.published.how}"
        + (f"; from {a.published.evidence!r})" if a.published.evidence else ")"),
    ]
    if a.url:
        lines.append(f"url:       {a.url}")
    if a.duplicate_of:
        lines.append(f"duplicate of: {a.duplicate_of}")
    if a.event_id:
        lines.append(f"event:     {a.event_id}")
    for t in a.temporal:
        lines.append(f"date in text: {t.text!r} -> {t.value.iso()} ({t.kind}, chars {t.start}-{t.end})")
    lines += ["", a.text, ""]
    if a.removed:
        lines.append(f"removed as boilerplate ({len(a.removed)} lines):")
        lines += [f"  line {r.line_no}: [{r.reason}] {_short(r.text, 90)}" for r in a.removed]
    return "\n".join(lines) + "\n"


def _event(e: Event, articles: Sequence[Article]) -> str:
    span = f"{e.start or '?'} .. {e.end or '?'}"
    lines = [
        f"event {e.id}: {e.title}",
        f"dates: {span}; languages: {', '.join(e.languages)}; "
        f"independent sources: {e.sources}; story: {e.story_id or '-'}",
    ]
    if e.summary:
        lines.append(f"summary: {e.summary}")
    lines += [
        f"  {a.id} [{a.language}] {a.published.value or '?'} {_short(a.title, 80)}"
        + (" (duplicate)" if a.duplicate_of else "")
        for a in articles
    ]
    return "\n".join(lines) + "\n"


def _story(s: Story, events: Sequence[Event]) -> str:
    lines = [f"story {s.id}: {s.title}"]
    if s.summary:
        lines.append(f"summary: {s.summary}")
    by_id = {e.id: e for e in events}
    for event_id in s.event_ids:
        e = by_id.get(event_id)
        if e:
            lines.append(
                f"  {e.start or '?'}  {e.id}  {_short(e.title, 80)} "
                f"[{len(e.article_ids)} articles; {', '.join(e.languages)}]"
            )
    return "\n".join(lines) + "\n"


def _entity(e: Entity) -> str:
    lines = [f"entity {e.id}: {e.name} ({e.type}), {e.mention_count} mentions", "aliases:"]
    by_lang: dict[str, list[str]] = {}
    for alias in e.aliases:
        by_lang.setdefault(alias.language, []).append(f"{alias.text} ({alias.count})")
    lines += [f"  {lang}: {', '.join(texts)}" for lang, texts in sorted(by_lang.items())]
    return "\n".join(lines) + "\n"


@_terminal
def claim_line(c: Claim) -> str:
    return f"{c.id}  [{c.stance}] {c.speaker}: {_short(c.quote, 100)}  (article {c.article_id[:8]})"


@_terminal
def item(tracker: Tracker, thing: Article | Event | Story | Entity | Claim) -> str:
    """Full view of whatever ``show`` found."""
    if isinstance(thing, Article):
        return _article(thing)
    if isinstance(thing, Event):
        return _event(thing, tracker.store.articles(ids=list(thing.article_ids)))
    if isinstance(thing, Story):
        return _story(thing, tracker.events())
    if isinstance(thing, Entity):
        return _entity(thing)
    return claim_line(thing) + "\n"


@_terminal
def stories_and_events(stories: Sequence[Story], events: Sequence[Event]) -> str:
    out = [f"\n{len(events)} event(s) in {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}:\n"]
    in_story: set[str] = set()
    for story in stories:
        out.append(_story(story, events))
        in_story.update(story.event_ids)
    alone = [e for e in events if e.id not in in_story]
    if alone:
        out.append("events outside any story:")
        out += [
            f"  {e.start or '?'}  {e.id}  {_short(e.title, 80)} [{len(e.article_ids)} articles; "
            f"{', '.join(e.languages)}]"
            for e in alone
        ]
    return "\n".join(out) + "\n"


@_terminal
def event_table(events: Sequence[Event]) -> str:
    rows = [
        f"{e.start or '?'}..{e.end or '?'}  {e.id}  {_short(e.title, 70)} "
        f"[{len(e.article_ids)} articles, {e.sources} sources; {', '.join(e.languages)}]"
        + (f" story:{e.story_id}" if e.story_id else "")
        for e in events
    ]
    return "\n".join(rows) + ("\n" if rows else "no events\n")


@_terminal
def entity_table(entities: Sequence[Entity]) -> str:
    rows = [
        f"{e.id}  {e.type}  {e.mention_count:4d}  {e.name}  ({', '.join(sorted({a.text for a in e.aliases})[:6])})"
        for e in entities
    ]
    return "\n".join(rows) + ("\n" if rows else "no entities\n")


@_terminal
def claim_table(claims: Sequence[Claim]) -> str:
    rows = [claim_line(c) + (f"  group:{c.claim_group_id}" if c.claim_group_id else "") for c in claims]
    return "\n".join(rows) + ("\n" if rows else "no claims\n")


@_terminal
def entity_profile(profile: EntityProfile) -> str:
    lines = [_entity(profile.entity).rstrip()]
    lines.append(f"articles ({len(profile.articles)}):")
    lines += [
        f"  {a.id} [{a.language}] {a.published.value or '?'} {_short(a.title, 70)}" for a in profile.articles
    ]
    lines.append(f"events ({len(profile.events)}):")
    lines += [f"  {e.start or '?'}  {e.id}  {_short(e.title, 70)}" for e in profile.events]
    lines.append("mentions by month:")
    lines += [f"  {month}  {'#' * min(count, 60)} {count}" for month, count in profile.timeline]
    return "\n".join(lines) + "\n"
