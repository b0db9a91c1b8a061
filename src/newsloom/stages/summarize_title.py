"""English event titles with a predicate, without translation: an event type from the bank plus slots.

Slots come from what the event already has: ``actor`` is its most mentioned person or organisation (else a
country), ``target`` the next one, ``place`` its most mentioned place that is not the actor (a town before a
country), ``count`` a number written in digits that the articles agree on, and the dates from the event span.
Names are the entities' English display names. When no type is confident the title is neutral: "Vladimir Putin
and Kim Jong Un in Pyongyang: 4 reports in Czech, Polish", never an untranslated quote.

Example::

    slots = event_slots(mentions, entities, articles)
    english_title(match, slots, "13 Sep 2023", counts="4 reports in Czech, Polish")
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale

from ..models import Article, Entity, Mention
from .event_types import TypeMatch, render_title

__all__ = ["EventSlots", "english_title", "event_slots", "shared_count", "stance_sentence"]

# A number in digits (any script's digits: unicodedata decimal), with thousands separators; years are not counts.
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+|\d+)(?![\w.,]\d)")
_YEARS = range(1900, 2101)
MIN_MENTIONS = 2


@dataclass(frozen=True)
class EventSlots:
    """English fillers for a title template; empty strings when the event does not have them."""

    actor: str = ""
    target: str = ""
    place: str = ""
    count: str = ""
    actor_is_place: bool = False  # no person or organisation: the actor is a country

    def as_dict(self) -> dict[str, str]:
        return {"actor": self.actor, "target": self.target, "place": self.place, "count": self.count}


def event_slots(
    mentions: Sequence[Mention],
    entities: Mapping[str, Entity],
    articles: Sequence[Article],
    speakers: frozenset[str] | set[str] = frozenset(),
) -> EventSlots:
    """Actor, target, place and count of an event from its linked mentions and its articles' leads.

    A place that only appears as a speaker ("Moscow denies") stands for its government: it may be the actor,
    never the venue.
    """
    ranked = _salient(mentions, entities)
    people_orgs = [name for name, kind in ranked if kind in ("PER", "ORG")]
    places = [name for name, kind in ranked if kind == "LOC"]
    countries = [p for p in places if _is_country(p)]
    actor = people_orgs[0] if people_orgs else (countries[0] if countries else "")
    rest = [n for n in people_orgs[1:] + countries if n != actor]
    target = rest[0] if rest else ""
    venues = [p for p in places if p not in (actor, target) and not any(p in s for s in speakers)]
    town = next((p for p in venues if not _is_country(p)), "")
    place = town or (venues[0] if venues else "")
    return EventSlots(actor, target, place, shared_count(articles), actor_is_place=not people_orgs)


def _salient(mentions: Sequence[Mention], entities: Mapping[str, Entity]) -> list[tuple[str, str]]:
    """Linked entities named at least twice, by mention count, ties to the one named first: (English name, type).

    A name met once is too often a stray capitalised word ("El", "Pourquoi Asma") or a gazetteer accident (a town
    with the name of a month) to stand in an English headline.
    """
    counts = Counter(m.entity_id for m in mentions if m.entity_id in entities)
    counts = Counter({eid: n for eid, n in counts.items() if n >= MIN_MENTIONS})
    first: dict[str, int] = {}
    for index, m in enumerate(mentions):
        if m.entity_id:
            first.setdefault(m.entity_id, index)
    ordered = sorted(counts, key=lambda eid: (-counts[eid], first[eid]))  # type: ignore[index]
    return [(entities[eid].name, entities[eid].type) for eid in ordered if eid is not None]


def shared_count(articles: Sequence[Article], lead_words: int = 40) -> str:
    """A number in digits the event agrees on: in the lead of at least half its articles (two at least),
    or in the title of a single article. Years (near the publication year) and numbers below 2
    are not counts.

    >>> from newsloom.models import PublicationDate
    >>> a = Article("a", "s", "o", "Zemětřesení zabilo 2500 lidí", "", "cs", 1.0, PublicationDate(None, "unknown"))
    >>> shared_count([a])
    '2,500'
    """
    seen: Counter[int] = Counter()
    for a in articles:
        text = a.title if len(articles) == 1 else " ".join(f"{a.title} {a.text}".split()[:lead_words])
        year = a.published.value.year if a.published.value else None
        seen.update(set(_numbers(text, year)))
    need = 1 if len(articles) == 1 else max(2, (len(articles) + 1) // 2)
    agreed = [n for n, c in seen.items() if c >= need]
    return f"{max(agreed):,}" if agreed else ""


def _numbers(text: str, year: int | None) -> list[int]:
    """Numbers in digits; a plain four-digit number near the publication year is a year, not a count."""
    years = range(year - 5, year + 6) if year else _YEARS
    out = []
    for m in _NUMBER.finditer(text):
        digits = "".join(ch for ch in m.group(1) if ch.isdigit())
        try:
            value = int(digits)
        except ValueError:
            continue
        plain = m.group(1).isdigit()
        if value >= 2 and not (plain and value in years) and value < 10_000_000:
            out.append(value)
    return out


def english_title(match: TypeMatch | None, slots: EventSlots, dates: str, *, counts: str) -> str:
    """The title: the type's template filled from the slots, or the neutral form; then the dates.

    ``counts`` is the neutral tail ("4 reports in Czech, Polish").
    """
    when = f", {dates}" if dates else ""
    if match is not None:
        head = render_title(match.type.title, slots.as_dict())
        return head[:1].upper() + head[1:] + when
    if slots.actor_is_place and slots.place:  # a country is no actor of its own news: "Marrakesh, Morocco"
        return f"{slots.place}, {slots.actor}{when}: {counts}"
    who = " and ".join(n for n in (slots.actor, slots.target) if n)
    where = f" in {slots.place}" if slots.place else ""
    if who:
        return f"{who}{where}{when}: {counts}"
    return f"News from {slots.place}{when}: {counts}" if where else f"{counts}{when}"


def stance_sentence(asserted: Sequence[str], denied: Sequence[str], questioned: Sequence[str]) -> str:
    """Who asserts, denies or questions one claim group, in English, without the (untranslated) quote.

    >>> stance_sentence(["United States"], ["Russia", "North Korea"], [])
    'United States asserts; Russia and North Korea deny'
    """
    parts = []
    for names, verb in ((asserted, "assert"), (denied, "deny"), (questioned, "question")):
        if names:
            plural = len(names) > 1 or any(" and " in n for n in names)
            form = verb if plural else (verb[:-1] + "ies" if verb.endswith("y") else verb + "s")
            parts.append(f"{_join(names)} {form}")
    return "; ".join(parts)


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@cache
def _countries() -> frozenset[str]:
    """English short names of countries and territories ("Russia", "North Korea"), from babel."""
    return frozenset(str(name) for name in Locale("en").territories.values())


def _is_country(name: str) -> bool:
    return name in _countries()
