"""Frozen dataclasses that every stage reads and returns.

The flow is ``RawDocument -> Cleaned -> Article`` (per article), then corpus-level results that point back at
article ids and character offsets in ``Article.text`` so that every event, date, entity link and claim can be
traced to the text it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

DocumentFormat = Literal["text", "html", "json", "feed"]
EntityType = Literal["PER", "LOC", "ORG"]
Stance = Literal["assert", "deny", "question", "report"]
QuoteKind = Literal["direct", "indirect"]
# How a date was obtained; stored with every date so an analyst can judge it.
DateHow = Literal["metadata", "header", "text", "inferred", "unknown"]


@dataclass(frozen=True)
class RawDocument:
    """One article as read from an input, before cleaning.

    ``origin`` names exactly where it came from (``feed.jsonl:12``) so errors and audits can point at it.
    """

    source: str
    origin: str
    content: str
    format: DocumentFormat
    title: str | None = None
    url: str | None = None
    published: str | None = None
    site: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Rejected:
    """An input or article that a stage could not use, with the reason in words a user understands."""

    origin: str
    stage: str
    reason: str


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleaner dropped as boilerplate, kept for audit."""

    line_no: int
    text: str
    reason: str


@dataclass(frozen=True)
class Cleaned:
    """Main text and metadata after boilerplate removal.

    ``header_dates`` are date lines found at the top of plain text (``date 2023-09``), removed from the body.
    """

    title: str
    text: str
    removed: tuple[RemovedLine, ...] = ()
    published: str | None = None
    header_dates: tuple[str, ...] = ()
    url: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class LanguageGuess:
    """ISO 639-1 code (``und`` when unsure) and the detector's confidence in [0, 1]."""

    code: str
    confidence: float


@dataclass(frozen=True)
class DateValue:
    """A calendar date, or a day range, with the precision the text gave.

    ``granularity`` is ``day``, ``month`` or ``year``; for month and year ``start`` is the first day.
    """

    start: dt.date
    end: dt.date
    granularity: Literal["day", "month", "year"] = "day"

    def iso(self) -> str:
        if self.granularity == "year":
            return f"{self.start.year:04d}"
        if self.granularity == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@dataclass(frozen=True)
class TemporalExpression:
    """A date mentioned in the text, resolved to the calendar.

    ``kind``: ``absolute`` ("19 czerwca 2024"), ``partial`` (no year: "18-19 iunie"), ``relative``
    ("wczoraj", "we wtorek"), resolved against the publication date.
    """

    text: str
    start: int
    end: int
    value: DateValue
    kind: Literal["absolute", "partial", "relative"]


@dataclass(frozen=True)
class PublicationDate:
    """The publication date and how it was obtained (``how``), with the evidence text.

    ``confidence`` in [0, 1] says how sure the date is (``None``: not assessed); ``span`` keeps a coarser date
    when the day is unknown (a header ``date 2021-03`` gives ``value=None`` and the month as ``span``).
    """

    value: dt.date | None
    how: DateHow
    evidence: str = ""
    confidence: float | None = None
    span: DateValue | None = None

    @property
    def needs_inference(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Article:
    """A cleaned, language-tagged, dated article: the unit everything else points at."""

    id: str
    source: str
    origin: str
    title: str
    text: str
    language: str
    language_confidence: float
    published: PublicationDate
    temporal: tuple[TemporalExpression, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    url: str | None = None
    site: str | None = None
    duplicate_of: str | None = None
    event_id: str | None = None

    @property
    def body(self) -> str:
        """Title and text together, as most similarity measures want them."""
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class Mention:
    """A span of ``Article.text`` (offsets into the cleaned text) that names an entity.

    ``key`` is the language-independent comparison key (folded, transliterated, lemmatised).
    """

    article_id: str
    text: str
    start: int
    end: int
    type: EntityType
    key: str
    entity_id: str | None = None


@dataclass(frozen=True)
class Alias:
    text: str
    language: str
    count: int


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: EntityType
    aliases: tuple[Alias, ...] = ()
    mention_count: int = 0


@dataclass(frozen=True)
class Event:
    """Articles that report the same happening, in any language.

    ``sources`` counts independent sources (duplicates excluded). ``merged_into`` is set on an event that a
    later article merged into another; its id still resolves through it.
    """

    id: str
    title: str
    start: dt.date | None
    end: dt.date | None
    article_ids: tuple[str, ...]
    languages: tuple[str, ...]
    sources: int
    story_id: str | None = None
    titles: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    summary: str = ""
    merged_into: str | None = None


@dataclass(frozen=True)
class Story:
    """Events that continue one another, in time order."""

    id: str
    title: str
    event_ids: tuple[str, ...]
    summary: str = ""


@dataclass(frozen=True)
class Claim:
    """An attributed quote or reported statement, with the speaker and stance, traceable to its span."""

    id: str
    article_id: str
    event_id: str | None
    speaker: str
    speaker_entity_id: str | None
    quote: str
    stance: Stance
    kind: QuoteKind
    start: int
    end: int
    claim_group_id: str | None = None
