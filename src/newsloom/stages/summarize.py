"""English digests of events and stories, built without machine translation.

An event's headline is the title of its most central English article when it has one; otherwise it is composed
from canonical English entity names (top people, top place), the event dates and the source counts. The summary
is that English article's lead, or the composed headline plus the claim grid ("United States says “…”, Russia
and North Korea deny") and "4 articles in Polish, Czech, Romanian". Key sentences are extractive, in the
original language: the sentences that share the most entities and words with the rest of the event. An optional
backend (``newsloom.backends``) may translate the headline and write the summary; on any ``BackendError`` the
built-in text is kept.

Example::

    digest = event_digest(event, articles, mentions, entities, claims)
    print(render_markdown(digest))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from babel import Locale
from babel.dates import format_date

from ..backends import DigestBackend
from ..errors import BackendError
from ..models import Article, Claim, Entity, Event, Mention, Story
from ..text import tokens
from .claims.spans import split_sentences
from .summarize_claims import claim_grid, presentable_speaker
from .summarize_title import english_title, event_slots, stance_sentence

if TYPE_CHECKING:
    from .event_types import TypeBank, TypeMatch

__all__ = [
    "Digest",
    "KeySentence",
    "date_range",
    "digest_to_json",
    "event_digest",
    "language_names",
    "render_markdown",
    "story_digest",
]

LEAD_WORDS = 60  # words of an English lead kept in the summary
SUMMARY_CLAIM_ROWS = 2  # claim-grid rows woven into the summary; all rows go to claim_lines
MAX_CLAIM_LINES = 10


@dataclass(frozen=True)
class KeySentence:
    """A sentence of an article (original language), with its span in ``Article.text``."""

    article_id: str
    language: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Digest:
    """English headline and summary of an event or story, with key sentences and claim-grid lines.

    ``ref`` is the event or story id, ``kind`` "event" or "story", ``via`` "built-in" or "backend";
    ``event_type`` is the id of the bank type the title was built from ("" for a neutral or English title).
    """

    title: str
    summary: str
    key_sentences: tuple[KeySentence, ...] = ()
    claim_lines: tuple[str, ...] = ()
    ref: str = ""
    kind: str = "event"
    via: str = "built-in"
    event_type: str = ""


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """A compact English date range.

    Example: ``date_range(dt.date(2024, 6, 18), dt.date(2024, 6, 19))`` -> ``"18-19 Jun 2024"``.
    """
    if start is None and end is None:
        return ""
    a, b = start or end, end or start
    assert a is not None and b is not None
    a, b = min(a, b), max(a, b)
    if a == b:
        return format_date(a, "d MMM y", locale="en")
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}-{format_date(b, 'd MMM y', locale='en')}"
    if a.year == b.year:
        return f"{format_date(a, 'd MMM', locale='en')} - {format_date(b, 'd MMM y', locale='en')}"
    return f"{format_date(a, 'd MMM y', locale='en')} - {format_date(b, 'd MMM y', locale='en')}"


def language_names(codes: Sequence[str]) -> list[str]:
    """English names of ISO 639-1 codes, unknown codes kept as they are.

    Example: ``language_names(["pl", "cs"])`` -> ``["Polish", "Czech"]``.
    """
    names = []
    for code in codes:
        try:
            names.append(str(Locale.parse(code).get_display_name("en")))
        except (ValueError, TypeError, LookupError):
            names.append(code)
    return names


def event_digest(
    event: Event,
    articles: Sequence[Article],
    mentions: Sequence[Mention],
    entities: Mapping[str, Entity],
    claims: Sequence[Claim],
    backend: DigestBackend | None = None,
    *,
    key_sentences: int = 3,
    vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
    bank: TypeBank | None = None,
) -> Digest:
    """The English digest of one event (``backend``: a ``newsloom.backends.DigestBackend`` or None).

    ``vectors`` maps article ids to their stored embeddings; with them the title of an event without an English
    article names its type from the event-type bank (``bank``, default: the packaged bank for
    multilingual-e5-small). Without vectors, or when no type is confident, the title is neutral.

    Example::

        event_digest(event, articles, mentions, entities, claims).title  # "Vladimir Putin and Kim Jong Un ..."
    """
    own = [a for a in articles if a.id in set(event.article_ids)]
    originals = [a for a in own if a.duplicate_of is None] or own
    ids = {a.id for a in originals}
    own_mentions = [m for m in mentions if m.article_id in ids]
    own_claims = [c for c in claims if c.article_id in ids]
    languages = {a.id: a.language for a in originals}
    ranked = _rank_sentences(originals, own_mentions)
    keys = _pick_key_sentences(ranked, key_sentences)
    grid = claim_grid(own_claims, languages)
    dates = _event_dates(event, originals)
    english = _central_english(originals, ranked)
    speakers = {c.speaker for c in own_claims}
    counts = _counts(event, originals)
    slots = event_slots(own_mentions, entities, originals, speakers)
    match = _match_type(vectors, bank, originals)
    composed = english_title(match, slots, dates, counts=_reports(originals))
    if not originals:  # nothing to read: keep the event's stored title
        composed = event.title or composed
    title = english.title.strip() if english is not None and english.title.strip() else composed
    if english is not None:
        claims_text = "; ".join(row.sentence() for row in grid[:SUMMARY_CLAIM_ROWS])
        summary = " ".join(p for p in (_lead(english), _sentence(claims_text), _sentence(counts)) if p)
    else:
        summary = _english_summary(composed, slots, grid, counts)
    digest = Digest(
        title=title,
        summary=summary,
        key_sentences=keys,
        claim_lines=tuple(row.line() for row in grid[:MAX_CLAIM_LINES]),
        ref=event.id,
        event_type=match.type.id if match is not None and english is None else "",
    )
    return _with_backend(digest, originals, keys, english is not None, backend)


def story_digest(story: Story, events: Sequence[Event], digests: Mapping[str, Digest]) -> Digest:
    """The English digest of a story: the headline of its largest event and one timeline sentence per event.

    Example::

        story_digest(story, events, {e.id: event_digest(e, ...) for e in events}).summary
    """
    members = [e for e in events if e.id in set(story.event_ids)]
    members.sort(key=lambda e: (e.start or dt.date.max, e.id))
    if not members:
        return Digest(title=story.title, summary="", ref=story.id, kind="story")
    biggest = max(members, key=lambda e: (len(e.article_ids), -members.index(e)))
    title = (digests[biggest.id].title if biggest.id in digests else biggest.title) or story.title
    timeline = []
    for e in members:
        headline = (digests[e.id].title if e.id in digests else e.title) or f"event {e.id}"
        when = date_range(e.start, e.end) or "undated"
        timeline.append(f"{when}: {headline.rstrip('.')}.")
    days = [d for e in members for d in (e.start, e.end) if d is not None]
    span = date_range(min(days), max(days)) if days else ""
    head = f"{len(members)} event{'s' if len(members) != 1 else ''}" + (f", {span}" if span else "")
    keys = tuple(d.key_sentences[0] for e in members if (d := digests.get(e.id)) and d.key_sentences)
    lines: list[str] = []
    for e in members:
        for line in digests[e.id].claim_lines if e.id in digests else ():
            if line not in lines:
                lines.append(line)
    return Digest(
        title=title,
        summary=f"{head}. " + " ".join(timeline),
        key_sentences=keys,
        claim_lines=tuple(lines[:MAX_CLAIM_LINES]),
        ref=story.id,
        kind="story",
    )


def render_markdown(digests: Digest | Sequence[Digest], *, heading: str = "") -> str:
    """A Markdown report an analyst can paste into a brief (one section per digest).

    Example: ``render_markdown(digest).splitlines()[0]`` -> ``"## Vladimir Putin and Kim Jong Un ..."``.
    """
    items = [digests] if isinstance(digests, Digest) else list(digests)
    out: list[str] = [f"# {heading}", ""] if heading else []
    for d in items:
        out += [f"## {_md(d.title)}", ""]
        if d.ref:
            out += [
                f"_{d.kind} `{d.ref}`" + (" · summary by backend" if d.via == "backend" else "") + "_",
                "",
            ]
        out += [_md(d.summary), ""]
        if d.claim_lines:
            out += ["**Claims**", "", *[f"- {_md(line)}" for line in d.claim_lines], ""]
        if d.key_sentences:
            out += ["**Key sentences (original language)**", ""]
            out += [
                f"- ({k.language}) {_md(k.text)} _[{k.article_id}:{k.start}-{k.end}]_"
                for k in d.key_sentences
            ]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def digest_to_json(digest: Digest) -> dict[str, Any]:
    """A JSON-ready dict of a digest (``json.dumps`` it), field names as in the dataclass."""
    return {
        "ref": digest.ref,
        "kind": digest.kind,
        "title": digest.title,
        "summary": digest.summary,
        "via": digest.via,
        "event_type": digest.event_type,
        "claim_lines": list(digest.claim_lines),
        "key_sentences": [
            {
                "article_id": k.article_id,
                "language": k.language,
                "text": k.text,
                "start": k.start,
                "end": k.end,
            }
            for k in digest.key_sentences
        ],
    }


# -- helpers ---------------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Keep a line from turning into Markdown structure (headings, lists) when pasted."""
    return " ".join(text.split()).replace("*", "\\*").replace("_", "\\_")


def _sentence(text: str) -> str:
    text = text.strip()
    return "" if not text else text if text.endswith((".", "!", "?", "…")) else text + "."


def _event_dates(event: Event, articles: Sequence[Article]) -> str:
    if event.start is not None or event.end is not None:
        return date_range(event.start, event.end)
    days = [a.published.value for a in articles if a.published.value is not None]
    return date_range(min(days), max(days)) if days else ""


def _counts(event: Event, articles: Sequence[Article]) -> str:
    codes = sorted({a.language for a in articles if a.language and a.language != "und"})
    sources = event.sources or len({a.source for a in articles})
    n = len(articles)
    text = f"{n} article{'s' if n != 1 else ''}"
    if sources and sources != n:
        text += f" from {sources} source{'s' if sources != 1 else ''}"
    return text + (f" in {', '.join(language_names(codes))}" if codes else "")


def _reports(articles: Sequence[Article]) -> str:
    """The neutral title's tail: "4 reports in Czech, Polish"."""
    codes = sorted({a.language for a in articles if a.language and a.language != "und"})
    n = len(articles)
    text = f"{n} report{'s' if n != 1 else ''}"
    return text + (f" in {', '.join(language_names(codes))}" if codes else "")


def _match_type(
    vectors: Mapping[str, npt.NDArray[np.float32]] | None, bank: TypeBank | None, articles: Sequence[Article]
) -> TypeMatch | None:
    """The confident bank type of the event from its articles' stored vectors (nothing is encoded here)."""
    if not vectors:
        return None
    rows = [vectors[a.id] for a in articles if a.id in vectors]
    if not rows:
        return None
    if bank is None:
        from .event_types import TypeBank

        bank = TypeBank.load()
    if bank is None or any(r.shape != (bank.vectors.shape[1],) for r in rows):
        return None  # another embedding model: its vectors cannot meet the shipped bank's
    return bank.match(rows)


def _english_summary(title: str, slots: Any, grid: Sequence[Any], counts: str) -> str:
    """Summary of an event with no English article: the title, who and where, who asserts and denies what."""
    parts = [_sentence(title)]
    named = [n for n in (slots.actor, slots.target) if n]
    if named or slots.place:
        who = f"Main actors: {', '.join(named)}" if named else ""
        where = f"place: {slots.place}" if slots.place else ""
        parts.append(_sentence("; ".join(p for p in (who, where) if p)))
    for row in grid[:SUMMARY_CLAIM_ROWS]:
        said = stance_sentence(
            [presentable_speaker(s) for s in row.asserted_by + row.reported_by if presentable_speaker(s)],
            [presentable_speaker(s) for s in row.denied_by if presentable_speaker(s)],
            [presentable_speaker(s) for s in row.questioned_by if presentable_speaker(s)],
        )
        if said:
            parts.append(_sentence(f"On a claim in {', '.join(language_names(row.languages))}: {said}"))
    parts.append(_sentence(counts))
    return " ".join(p for p in parts if p)


def _central_english(articles: Sequence[Article], ranked: list[tuple[float, KeySentence]]) -> Article | None:
    english = [a for a in articles if a.language == "en"]
    if not english:
        return None
    score: dict[str, float] = {}
    for value, sent in ranked:
        score[sent.article_id] = max(score.get(sent.article_id, 0.0), value)
    return max(english, key=lambda a: (score.get(a.id, 0.0), -english.index(a)))


def _lead(article: Article) -> str:
    words: list[str] = []
    for start, end in split_sentences(article.text):
        sentence = article.text[start:end].split()
        if words and len(words) + len(sentence) > LEAD_WORDS:
            break
        words += sentence
        if len(words) >= LEAD_WORDS // 2:
            break
    return " ".join(words)


def _rank_sentences(
    articles: Sequence[Article], mentions: Sequence[Mention]
) -> list[tuple[float, KeySentence]]:
    """Sentences scored by how many of the event's entities and words they share with the other articles."""
    by_article: dict[str, list[Mention]] = {}
    for m in mentions:
        by_article.setdefault(m.article_id, []).append(m)
    entity_df: Counter[str] = Counter()
    token_df: Counter[str] = Counter()
    for a in articles:
        entity_df.update({m.entity_id or m.key for m in by_article.get(a.id, [])})
        token_df.update({t for t in tokens(a.text) if len(t) > 3})
    n = max(1, len(articles))
    ranked: list[tuple[float, KeySentence]] = []
    for a in articles:
        spans = split_sentences(a.text)
        for index, (start, end) in enumerate(spans):
            words = {t for t in tokens(a.text[start:end]) if len(t) > 3}
            if len(words) < 4:
                continue
            ents = {m.entity_id or m.key for m in by_article.get(a.id, []) if start <= m.start < end}
            shared = sum(entity_df[e] / n for e in ents) * 2 + sum((token_df[t] - 1) / n for t in words)
            lead_bonus = 0.5 if index == 0 else 0.0
            score = shared / math.sqrt(len(words)) + lead_bonus
            ranked.append((score, KeySentence(a.id, a.language, a.text[start:end], start, end)))
    ranked.sort(key=lambda item: (-item[0], item[1].article_id, item[1].start))
    return ranked


def _pick_key_sentences(ranked: list[tuple[float, KeySentence]], limit: int) -> tuple[KeySentence, ...]:
    """The best sentences, one per article, spreading over languages first."""
    chosen: list[KeySentence] = []
    for spread in (True, False):
        for _, sent in ranked:
            if len(chosen) >= limit:
                break
            if any(c.article_id == sent.article_id for c in chosen):
                continue
            if spread and any(c.language == sent.language for c in chosen):
                continue
            chosen.append(sent)
    return tuple(chosen)


def _with_backend(
    digest: Digest,
    articles: Sequence[Article],
    keys: tuple[KeySentence, ...],
    has_english: bool,
    backend: Any,
) -> Digest:
    """Ask the optional backend for a translated headline and an abstractive summary; keep ours on failure."""
    if backend is None:
        return digest
    title, summary, via = digest.title, digest.summary, digest.via
    if not has_english and articles:
        lead_article = (
            next((a for a in articles if a.id == keys[0].article_id), articles[0]) if keys else articles[0]
        )
        try:
            title = backend.translate(lead_article.title or keys[0].text, lead_article.language)
            via = "backend"
        except (BackendError, IndexError):
            pass
    texts = [a.title for a in articles if a.title] + [k.text for k in keys]
    try:
        summary = backend.summarize(texts)
        via = "backend"
    except BackendError:
        pass
    return dataclasses.replace(digest, title=title, summary=summary, via=via)
