"""Synthetic multilingual benchmark corpus: title+lead articles grouped into events, with near-duplicates.

Articles are rendered from per-language templates and vocabularies (``bench/corpus_templates.py``,
``bench/corpus_vocab.py``) about invented events (visits, fires, strikes, takeovers, court verdicts, mayoral
elections) in 8 languages. Each event is reported by 3-8 articles in different languages, on the event day or up to two days later; about 10% of articles are
near-duplicate republications of another article (title prefix, a sentence dropped, other outlet). Output is
deterministic for a seed and fast (10,000 articles in well under a second).

Usage: ``python -m bench.corpus --n 10000 --seed 7 --out corpus.jsonl``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from anyascii import anyascii

from bench.corpus_templates import TEMPLATES
from bench.corpus_vocab import (
    BOILERPLATE,
    CONTEXT,
    FIRST_NAMES,
    KINDS,
    LANGUAGES,
    ORG_PREFIXES,
    ORG_SUFFIXES,
    OUTLETS,
    SURNAMES,
    TITLE_TWEAKS,
    WEEKDAYS,
    cities,
)

START: dt.date = dt.date(2024, 1, 1)
DUPLICATE_SHARE = 0.10
MIN_WORDS = 62  # title + body before boilerplate; a dropped sentence in a copy must keep it >= 60
_DATE_LINE_FORMATS = {"en": "%Y-%m-%d", "fr": "%d/%m/%Y"}  # others use the Central European 05.03.2024 style

# Latin -> Cyrillic for names in Russian articles; longest keys first so digraphs win.
_CYRILLIC = {
    "sch": "ш", "sz": "ш", "cz": "ч", "ch": "х", "sh": "ш", "zh": "ж", "kh": "х", "ts": "ц", "ck": "к",
    "ja": "я", "ju": "ю", "je": "е", "ya": "я", "yu": "ю", "ia": "ия", "io": "ио", "ei": "ай", "ie": "е",
    "č": "ч", "š": "ш", "ž": "ж", "ř": "рж", "ě": "е", "ć": "ч", "ś": "ш", "ż": "ж", "ź": "ж", "ł": "л",
    "ș": "ш", "ț": "ц", "ă": "э", "â": "ы", "î": "и", "ü": "ю", "ö": "е", "ä": "е", "ń": "нь", "ň": "нь",
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т",
    "u": "у", "v": "в", "w": "в", "x": "кс", "y": "и", "z": "з",
}  # fmt: skip
_CYRILLIC_KEYS = sorted(_CYRILLIC, key=len, reverse=True)


class SyntheticArticle(TypedDict):
    """One generated article; ``event`` and ``duplicate_of`` are the gold labels."""

    id: str
    title: str
    text: str
    language: str
    published: str
    source: str
    url: str
    event: str
    kind: str
    duplicate_of: str | None


@dataclass(frozen=True)
class _Event:
    id: str
    kind: str
    date: dt.date
    city: dict[str, tuple[str, str]]
    people: tuple[tuple[str, str], tuple[str, str]]
    orgs: tuple[str, str]
    numbers: dict[str, int]


def to_cyrillic(name: str) -> str:
    """Transliterate a Latin-script name into Russian Cyrillic, word by word.

    >>> to_cyrillic("Marek Dvořák")
    'Марек Дворжак'
    """
    words = []
    for word in name.split():
        lower, out, i = word.lower(), [], 0
        while i < len(lower):
            key = next((k for k in _CYRILLIC_KEYS if lower.startswith(k, i)), None)
            if key == "c" and lower[i + 1 : i + 2] not in ("e", "i", "y"):
                out.append("к")  # hard c outside e/i/y: Popescu, Cristina
                i += 1
            elif key is None:
                # Unknown letters: keep their base letter if it has a mapping, else drop the accent only.
                base = unicodedata.normalize("NFKD", lower[i])[0]
                out.append(_CYRILLIC.get(base, base))
                i += 1
            else:
                out.append(_CYRILLIC[key])
                i += len(key)
        cyr = "".join(out)
        words.append(cyr[:1].upper() + cyr[1:])
    return " ".join(words)


def _new_event(rng: random.Random, number: int, places: Sequence[dict[str, tuple[str, str]]]) -> _Event:
    share = rng.randint(51, 68)
    people = tuple((rng.choice(FIRST_NAMES), rng.choice(SURNAMES)) for _ in range(2))
    orgs = tuple(f"{rng.choice(ORG_PREFIXES)} {rng.choice(ORG_SUFFIXES)}" for _ in range(2))
    return _Event(
        id=f"ev{number:06d}",
        kind=rng.choice(KINDS),
        date=START + dt.timedelta(days=rng.randrange(366)),
        city=rng.choice(places),
        people=(people[0], people[1]),
        orgs=(orgs[0], orgs[1] if orgs[1] != orgs[0] else f"{orgs[0]} Group"),
        numbers={
            "N": rng.randint(12, 950),
            "M": rng.randint(2, 15),
            "X": share,
            "Y": 100 - share - rng.randint(2, 12),
            "T": rng.randint(31, 72),
        },
    )


def _slots(event: _Event, lang: str) -> dict[str, str]:
    def name(person: tuple[str, str]) -> tuple[str, str]:
        full, surname = f"{person[0]} {person[1]}", person[1]
        return (to_cyrillic(full), to_cyrillic(surname)) if lang == "ru" else (full, surname)

    (p1, s1), (p2, s2) = name(event.people[0]), name(event.people[1])
    city, city_in = event.city[lang]
    slots = {
        "P": p1,
        "S": s1,
        "P2": p2,
        "S2": s2,
        "C": city,
        "CL": city_in,
        "O": event.orgs[0],
        "O2": event.orgs[1],
    }
    slots["D"] = WEEKDAYS[lang][event.date.weekday()]
    slots.update({key: str(value) for key, value in event.numbers.items()})
    return slots


def _sentence(template: str, slots: dict[str, str]) -> str:
    text = template.format(**slots)
    return text[:1].upper() + text[1:]


def _render(event: _Event, lang: str, rng: random.Random) -> tuple[str, list[str]]:
    """Title and paragraphs (lead first, then a shuffled subset of the body, boilerplate sprinkled in)."""
    templates = TEMPLATES[lang][event.kind]
    slots = _slots(event, lang)
    body = list(templates[2:])
    chosen = rng.sample(body, k=rng.randint(max(len(body) - 1, 1), len(body)))
    paragraphs = [_sentence(templates[1], slots), *(_sentence(t, slots) for t in chosen)]
    # Pad with context sentences at a random place after the lead: real leads vary in length and shape.
    words = len(templates[0].split()) + sum(len(p.split()) for p in paragraphs)
    extra = rng.randint(0, 1)
    for template in rng.sample(CONTEXT[lang], k=len(CONTEXT[lang])):
        if words >= MIN_WORDS and extra == 0:
            break
        extra = max(extra - 1, 0)
        sentence = _sentence(template, slots)
        paragraphs.insert(rng.randint(1, len(paragraphs)), sentence)
        words += len(sentence.split())
    noise = BOILERPLATE[lang]
    if rng.random() < 0.4:
        paragraphs.insert(rng.randint(1, len(paragraphs)), rng.choice(noise))
    if rng.random() < 0.3:
        paragraphs.append(rng.choice(noise))
    return _sentence(templates[0], slots), paragraphs


def _date_line(when: dt.datetime, lang: str) -> str:
    return when.strftime(_DATE_LINE_FORMATS.get(lang, "%d.%m.%Y"))


def _article(event: _Event, lang: str, rng: random.Random) -> SyntheticArticle:
    title, paragraphs = _render(event, lang, rng)
    published = dt.datetime.combine(event.date, dt.time(rng.randint(6, 22), rng.randrange(60)), dt.UTC)
    published += dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
    if rng.random() < 0.3:
        paragraphs.insert(0, _date_line(published, lang))
    source = rng.choice(OUTLETS[lang])
    return SyntheticArticle(
        id="",
        title=title,
        text="\n\n".join(paragraphs),
        language=lang,
        published=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        source=source,
        url="",
        event=event.id,
        kind=event.kind,
        duplicate_of=None,
    )


def _near_duplicate(original: SyntheticArticle, key: str, rng: random.Random) -> SyntheticArticle:
    """A republication: other outlet, later timestamp, a title prefix or a dropped/added paragraph."""
    lang = original["language"]
    paragraphs = original["text"].split("\n\n")
    title = original["title"]
    dropped = rng.randrange(2, len(paragraphs)) if len(paragraphs) > 3 else None
    if dropped is not None and rng.random() < 0.7:
        remaining = len(title.split()) + len(original["text"].split()) - len(paragraphs[dropped].split())
        if remaining >= MIN_WORDS - 2:
            del paragraphs[dropped]  # keep the lead, drop one later paragraph
    if len(paragraphs) == len(original["text"].split("\n\n")):
        paragraphs.append(rng.choice(BOILERPLATE[lang]))
    if rng.random() < 0.5:
        title = TITLE_TWEAKS[lang] + title
    published = dt.datetime.strptime(original["published"], "%Y-%m-%dT%H:%M:%SZ")
    published += dt.timedelta(minutes=rng.randint(5, 600))
    others = [o for o in OUTLETS[lang] if o != original["source"]]
    return SyntheticArticle(
        id="",
        title=title,
        text="\n\n".join(paragraphs),
        language=lang,
        published=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        source=rng.choice(others),
        url="",
        event=original["event"],
        kind=original["kind"],
        duplicate_of=key,
    )


def _slug(text: str) -> str:
    ascii_text = anyascii(text)
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()) or "site"


def generate(n: int, seed: int) -> list[SyntheticArticle]:
    """Generate ``n`` articles in publication order, deterministically for ``seed``.

    >>> articles = generate(20, seed=1)
    >>> len(articles), articles == generate(20, seed=1)
    (20, True)
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = random.Random(seed)
    places = cities()
    n_duplicates = round(n * DUPLICATE_SHARE) if n >= 10 else 0
    base: list[SyntheticArticle] = []
    events = 0
    while len(base) < n - n_duplicates:
        event = _new_event(rng, events, places)
        events += 1
        size = min(rng.randint(3, 8), n - n_duplicates - len(base))
        base.extend(_article(event, lang, rng) for lang in rng.sample(LANGUAGES, size))
    keyed = {f"b{i}": article for i, article in enumerate(base)}
    originals = rng.sample(sorted(keyed), k=min(n_duplicates, len(keyed)))
    for i, key in enumerate(originals):
        keyed[f"d{i}"] = _near_duplicate(keyed[key], key, rng)
    # Stream order is publication order; ids are then numbered in that order.
    order = sorted(keyed, key=lambda k: (keyed[k]["published"], k))
    ids = {key: f"syn{seed}-{i:07d}" for i, key in enumerate(order)}
    out = []
    for key in order:
        article = keyed[key]
        article["id"] = ids[key]
        article["url"] = f"https://{_slug(article['source'])}.example/{article['kind']}/{ids[key]}"
        if article["duplicate_of"] is not None:
            article["duplicate_of"] = ids[article["duplicate_of"]]
        out.append(article)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Write a generated corpus as JSONL (to ``--out`` or standard output)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="number of articles (default 10000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, default=None, help="output JSONL file (default: standard output)")
    args = parser.parse_args(argv)
    lines = (json.dumps(article, ensure_ascii=False) + "\n" for article in generate(args.n, args.seed))
    if args.out is None:
        sys.stdout.writelines(lines)
    else:
        with args.out.open("w", encoding="utf-8") as handle:
            handle.writelines(lines)


if __name__ == "__main__":
    main()
