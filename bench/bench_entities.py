"""Entities benchmark: mention P/R/F1 on the demo gold, linking P/R/F1 on the name-variant table,
extraction + linking throughput on a generated corpus, and gazetteer load time; writes the "entities" section.

Run from the repository root: ``python -m bench.bench_entities`` (``--articles N --rounds R`` to change the load).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

from bench._report import write_section
from newsloom.models import Article, PublicationDate
from newsloom.stages.entities import Gazetteer, extract_mentions, link_mentions
from newsloom.stages.entities.evaluate import evaluate_mentions, evaluate_variants


def _clear_caches() -> None:
    """Empty every memo of the stage (keys, cue words, common-word checks), as in a fresh process."""
    from newsloom.stages.entities import cues, keys, mentions

    for module in (keys, cues, mentions):
        for value in vars(module).values():
            if callable(value) and hasattr(value, "cache_clear"):
                value.cache_clear()


def _load_times(rounds: int) -> tuple[float, float]:
    """Median gazetteer load seconds (fresh key cache each time is not possible in-process, so the first
    load, which pays for every key, is reported separately as the cold time) and peak MiB of the first load."""
    times = []
    peak = 0.0
    for i in range(rounds):
        _clear_caches()
        if i == 0:
            tracemalloc.start()
        start = time.perf_counter()
        Gazetteer.load()
        times.append(time.perf_counter() - start)
        if i == 0:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return statistics.median(times[1:] or times), peak


def _corpus(n: int) -> list[Article]:
    from bench.corpus import generate

    return [
        Article(
            a["id"],
            a["source"],
            a["id"],
            a["title"],
            a["text"],
            a["language"],
            1.0,
            PublicationDate(None, "unknown"),
        )
        for a in generate(n, seed=7)
    ]


def _long_demo() -> list[Article]:
    """Real demo bodies (46 articles, 8 languages) made news-length by repeating each body five times."""
    from dataclasses import replace

    from newsloom.stages.entities.evaluate import demo_articles

    return [replace(a, text="\n".join([a.text] * 5)) for a in demo_articles()]


def _throughput(gaz: Gazetteer, articles: list[Article], rounds: int) -> tuple[float, int, int]:
    """Median articles/s of extraction + linking over the whole corpus, mentions and entities found."""
    rates = []
    mentions = entities = 0
    langs = {a.id: a.language for a in articles}
    for _ in range(rounds):
        _clear_caches()  # every round starts with cold memos, as a fresh process would
        start = time.perf_counter()
        found = [m for a in articles for m in extract_mentions(a, gaz)]
        result = link_mentions(found, article_language=langs, gazetteer=gaz)
        rates.append(len(articles) / (time.perf_counter() - start))
        mentions, entities = len(found), len(result.entities)
    return statistics.median(rates), mentions, entities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    load_s, load_mib = _load_times(args.rounds)
    gaz, _ = Gazetteer.load()
    variants = evaluate_variants(gazetteer=gaz)
    demo = evaluate_mentions(gazetteer=gaz)
    typed, untyped, linking = demo["typed"], demo["untyped"], demo["linking"]
    assert isinstance(typed, dict) and isinstance(untyped, dict) and isinstance(linking, dict)
    rate, n_mentions, n_entities = _throughput(gaz, _corpus(args.articles), args.rounds)
    small_rate, _, _ = _throughput(gaz, _corpus(40), max(args.rounds, 5))
    long_articles = _long_demo()
    long_chars = sum(len(a.text) for a in long_articles) / len(long_articles)
    long_rate, _, _ = _throughput(gaz, long_articles, args.rounds)

    body = f"""## Entities (mentions, linking, gazetteer)

| measure | value |
|---|---|
| mention P / R / F1, typed, demo gold ({demo["gold_mentions"]} mentions, {demo["articles"]} articles) | {typed["precision"]:.3f} / {typed["recall"]:.3f} / {typed["f1"]:.3f} |
| mention P / R / F1, surface only | {untyped["precision"]:.3f} / {untyped["recall"]:.3f} / {untyped["f1"]:.3f} |
| linking pairwise P / R / F1, demo gold (matched mentions) | {linking["precision"]:.3f} / {linking["recall"]:.3f} / {linking["f1"]:.3f} |
| linking pairwise P / R / F1, name-variant table ({variants["pairs"]} pairs, {variants["positives"]} same, {variants["negatives"]} different, {variants["languages"]} languages) | {variants["precision"]:.3f} / {variants["recall"]:.3f} / {variants["f1"]:.3f} |
| extraction + linking, generated corpus of {args.articles} articles ({n_mentions} mentions -> {n_entities} entities), median of {args.rounds} cold runs | {rate:.0f} articles/s |
| extraction + linking, generated corpus of 40 articles | {small_rate:.0f} articles/s |
| extraction + linking, {len(long_articles)} demo articles with each body repeated 5 times (mean {long_chars:.0f} characters) | {long_rate:.0f} articles/s |
| gazetteer load (median of {args.rounds}, cold memos) / peak traced memory of first load | {load_s:.2f} s / {load_mib:.0f} MiB |

Single process, single thread (the stage is pure Python; a second core is not used); the machine is shared
with other jobs, so rates vary by about +-30 % between runs. simplemma loads each
language's dictionary once per process on first use (about a second per language), outside these medians. The demo entity gold
was drafted from this system's output and then corrected by hand article by article (missing mentions added,
wrong ones removed or retyped), which favours precision; recall errors are the honest part. Variant pairs the
rules miss: {"; ".join(str(e) for e in variants["errors"]) or "none"}.
"""
    write_section("entities", body)
    print(body)


if __name__ == "__main__":
    main()
