"""Benchmark of the per-article pipeline (ingest, clean, language, dates, duplicates, store) on a generated corpus.

Run from the repository root: ``python -m bench.bench_pipeline [--n 10000] [--repeat 3]``. Writes the
``pipeline`` section of BENCHMARKS.md: articles/second per stage and end to end (medians over the repeats), peak
memory, and a baseline from the same run (dateparser's ``search_dates`` over the whole text, the obvious way to do
the dates stage).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench._report import write_section
from bench.corpus import generate
from newsloom.config import Settings
from newsloom.models import Cleaned, RawDocument
from newsloom.pipeline import article_id
from newsloom.stages.clean import clean
from newsloom.stages.dates import publication_date, temporal_expressions
from newsloom.stages.dedup import Deduper
from newsloom.stages.ingest import read_inputs
from newsloom.stages.langid import LanguageIdentifier
from newsloom.tracker import Tracker


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def _stage_times(path: Path, identifier: LanguageIdentifier) -> dict[str, float]:
    """Seconds per stage over the whole corpus, each stage run on the previous stage's output."""
    times: dict[str, float] = {}
    times["read"], docs = _timed(lambda: [d for d in read_inputs([str(path)]) if isinstance(d, RawDocument)])
    times["clean"], cleaned = _timed(lambda: [clean(d) for d in docs])
    times["language"], languages = _timed(
        lambda: [identifier.identify(f"{c.title}\n{c.text}") for c in cleaned]
    )

    def dates() -> list[Any]:
        out = []
        for d, c, lang in zip(docs, cleaned, languages, strict=True):
            pub = publication_date(
                metadata=c.published or d.published,
                header_lines=c.header_dates,
                text=c.text,
                language=lang.code,
            )
            out.append((pub, temporal_expressions(c.text, lang.code, pub.value)))
        return out

    times["dates"], _ = _timed(dates)

    def dedup() -> int:
        deduper, seen, found = Deduper(threshold=Settings().dedup_threshold), set(), 0
        for c in cleaned:
            key = article_id(c.title, c.text)
            if key not in seen:  # the same content twice is "already present", as in Tracker.ingest
                seen.add(key)
                found += deduper.add(key, f"{c.title}\n{c.text}") is not None
        return found

    times["duplicates"], found = _timed(dedup)
    times["_duplicates_found"] = found
    return times


def _end_to_end(path: Path, workdir: Path, run: int) -> tuple[float, int]:
    settings = Settings(db=str(workdir / f"e2e-{run}.db"), analyze=False)
    with Tracker(settings) as tracker:
        seconds, report = _timed(lambda: tracker.ingest([str(path)]))
    return seconds, report.added


def _baseline_dates(cleaned: Sequence[Cleaned], languages: Sequence[str]) -> float:
    """dateparser over whole texts: the straightforward dates stage our candidate-span approach replaces."""
    from dateparser.search import search_dates

    start = time.perf_counter()
    for c, lang in zip(cleaned, languages, strict=True):
        search_dates(c.text, languages=[lang] if lang != "und" else None)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-sample", type=int, default=200)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        corpus.write_text(
            "\n".join(json.dumps(a, ensure_ascii=False) for a in generate(args.n, seed=7)) + "\n"
        )
        identifier = LanguageIdentifier()
        # lingua loads its language models lazily: the first identification pays for them.
        load_seconds, _ = _timed(
            lambda: identifier.identify("Wczoraj w Warszawie odbyło się posiedzenie rządu.")
        )
        runs = [_stage_times(corpus, identifier) for _ in range(args.repeat)]
        e2e = [_end_to_end(corpus, workdir, i) for i in range(args.repeat)]

        docs = [d for d in read_inputs([str(corpus)]) if isinstance(d, RawDocument)][: args.baseline_sample]
        cleaned = [clean(d) for d in docs]
        langs = [identifier.identify(c.text).code for c in cleaned]
        ours_seconds, _ = _timed(
            lambda: [temporal_expressions(c.text, lang, None) for c, lang in zip(cleaned, langs, strict=True)]
        )
        base_seconds = _baseline_dates(cleaned, langs)

    n = args.n
    stages = ["read", "clean", "language", "dates", "duplicates"]
    rows = ["| stage | articles/s (median) | ms/article |", "|---|---:|---:|"]
    for stage in stages:
        median = statistics.median(r[stage] for r in runs)
        rows.append(f"| {stage} | {n / median:,.0f} | {1000 * median / n:.3f} |")
    e2e_median = statistics.median(s for s, _ in e2e)
    rows.append(
        f"| **end to end** (`Tracker.ingest`, store included, analysis off) | **{n / e2e_median:,.0f}** | "
        f"{1000 * e2e_median / n:.3f} |"
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sample = len(cleaned)
    body = "\n".join(
        [
            "## Pipeline: ingest, clean, language, dates, duplicates, store",
            "",
            f"Generated corpus of {n:,} multilingual title+lead articles (`bench/corpus.py`, seed 7; 8 languages, "
            f"~10% near-duplicates); {args.repeat} runs, medians. Target: >= 200 articles/s end to end on 2 cores.",
            "",
            *rows,
            "",
            f"- Added per end-to-end run: {e2e[0][1]:,} articles; duplicates found: {int(runs[0]['_duplicates_found']):,}.",
            f"- Language models load on first use: {load_seconds:.1f} s (once per process, outside the timed runs). "
            f"Peak RSS: {peak_mib:,.0f} MiB.",
            f"- Baseline in the same run, dates in text on {sample} articles: dateparser `search_dates` over the whole "
            f"text {1000 * base_seconds / sample:.1f} ms/article vs newsloom's candidate spans "
            f"{1000 * ours_seconds / sample:.2f} ms/article (x{base_seconds / max(ours_seconds, 1e-9):.0f} faster).",
        ]
    )
    write_section("pipeline", body)
    print(body)


if __name__ == "__main__":
    main()
