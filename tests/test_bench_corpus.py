"""Tests of the synthetic benchmark corpus generator (bench/corpus.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# bench/ is a top-level folder next to src/, not part of the installed package.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import DUPLICATE_SHARE, SyntheticArticle, generate, main, to_cyrillic  # noqa: E402
from bench.corpus_templates import TEMPLATES  # noqa: E402
from bench.corpus_vocab import BOILERPLATE, FIRST_NAMES, KINDS, LANGUAGES, SURNAMES, cities  # noqa: E402

PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "en": ("in ",), "de": ("in ",), "fr": ("à ",), "ro": ("la ",), "pl": ("w ", "we "), "cs": ("v ", "ve "),
    "sk": ("v ", "vo "), "ru": ("в ", "во "),
}  # fmt: skip
SLOTS = {"P", "S", "P2", "S2", "C", "CL", "O", "O2", "D", "N", "M", "X", "Y", "T"}


@pytest.fixture(scope="module")
def corpus() -> list[SyntheticArticle]:
    return generate(3000, seed=11)


def _words(article: SyntheticArticle) -> int:
    return len(article["title"].split()) + len(article["text"].split())


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def test_templates_cover_every_language_and_kind() -> None:
    assert set(TEMPLATES) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert set(TEMPLATES[lang]) == set(KINDS)
        for kind in KINDS:
            templates = TEMPLATES[lang][kind]
            assert len(templates) >= 6, (lang, kind)  # title, lead, >= 4 body sentences
            for template in templates:
                used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
                assert used <= SLOTS, (lang, kind, template)


def test_cities_have_every_language() -> None:
    for city in cities():
        assert set(city) == set(LANGUAGES)
        for lang, (name, located) in city.items():
            assert name and located.startswith(PREPOSITIONS[lang]), (lang, located)


def test_deterministic_for_a_seed() -> None:
    assert generate(200, seed=3) == generate(200, seed=3)
    assert generate(200, seed=3) != generate(200, seed=4)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(min_value=0, max_value=120), seed=st.integers(min_value=0, max_value=2**32))
def test_exact_count_and_valid_articles(n: int, seed: int) -> None:
    articles = generate(n, seed)
    assert len(articles) == n
    assert len({a["id"] for a in articles}) == n
    for article in articles:
        assert 60 <= _words(article) <= 200, article
        assert "{" not in article["text"] and "}" not in article["title"]
        assert article["language"] in LANGUAGES
        json.dumps(article)


def test_negative_n_is_rejected() -> None:
    with pytest.raises(ValueError, match="n must be"):
        generate(-1, seed=0)


def test_languages_and_dates_spread(corpus: list[SyntheticArticle]) -> None:
    assert {a["language"] for a in corpus} == set(LANGUAGES)
    published = [a["published"] for a in corpus]
    assert published == sorted(published)
    first, last = (dt.datetime.fromisoformat(p) for p in (published[0], published[-1]))
    assert last - first >= dt.timedelta(days=300)


def test_events_group_three_to_eight_languages(corpus: list[SyntheticArticle]) -> None:
    languages: dict[str, list[str]] = defaultdict(list)
    for article in corpus:
        if article["duplicate_of"] is None:
            languages[article["event"]].append(article["language"])
    sizes = [len(langs) for langs in languages.values()]
    assert all(len(set(langs)) == len(langs) for langs in languages.values())
    assert max(sizes) == 8
    assert sum(size < 3 for size in sizes) <= 1  # only the last event may be cut short
    assert 3 <= sum(sizes) / len(sizes) <= 8


def test_near_duplicates(corpus: list[SyntheticArticle]) -> None:
    by_id = {a["id"]: (i, a) for i, a in enumerate(corpus)}
    copies = [a for a in corpus if a["duplicate_of"] is not None]
    assert len(copies) == round(len(corpus) * DUPLICATE_SHARE)
    for copy in copies:
        assert copy["duplicate_of"] is not None
        position, original = by_id[copy["duplicate_of"]]
        assert position < by_id[copy["id"]][0]
        assert original["duplicate_of"] is None
        assert (original["event"], original["language"]) == (copy["event"], copy["language"])
        assert copy["source"] != original["source"]
        assert (copy["title"], copy["text"]) != (original["title"], original["text"])
        a, b = _shingles(copy["text"]), _shingles(original["text"])
        assert len(a & b) / len(a | b) >= 0.6


def test_boilerplate_and_names(corpus: list[SyntheticArticle]) -> None:
    noisy = sum(any(line in a["text"] for line in BOILERPLATE[a["language"]]) for a in corpus)
    assert 0.2 * len(corpus) <= noisy <= 0.8 * len(corpus)
    russian = [a for a in corpus if a["language"] == "ru"]
    assert not any(s in a["text"] for a in russian for s in SURNAMES)


@settings(max_examples=200)
@given(first=st.sampled_from(FIRST_NAMES), last=st.sampled_from(SURNAMES))
def test_to_cyrillic_outputs_only_cyrillic(first: str, last: str) -> None:
    out = to_cyrillic(f"{first} {last}")
    assert re.fullmatch(r"[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+", out), out


def test_to_cyrillic_known_names() -> None:
    assert to_cyrillic("Marek Dvořák") == "Марек Дворжак"
    assert to_cyrillic("Cristina Popescu") == "Кристина Попеску"


def test_main_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    main(["--n", "50", "--seed", "5", "--out", str(out)])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == generate(50, seed=5)


def test_ten_thousand_articles_are_fast() -> None:
    # CPU time of this process, not wall time: other jobs on a shared CI machine must not fail it
    start = time.process_time()
    articles = generate(10_000, seed=7)
    assert len(articles) == 10_000
    assert time.process_time() - start < 5.0
