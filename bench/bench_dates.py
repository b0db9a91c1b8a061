"""Benchmark of publication-date recovery from text: ML-Crisis articles with their date metadata removed.

Run from the repository root: ``python -m bench.bench_dates``. Every article (es/fr/it) is cleaned and its
language identified once; then the current ``publication_date`` and the baseline (``publication_date`` as of
commit ``BASELINE_COMMIT``, read from git, before the ranking / URL / clock checks) date it from the same
cleaned text, header lines and language, with no metadata. Rules were tuned on the dev topics (egypt, libya);
the test topics (syria, yemen) are reported as held out. Writes the ``dates`` section of BENCHMARKS.md.

Shares are of all articles of the split: exact day, within 1 and 7 days, dated at all, wrong (dated, more than
one day off); precision = within 1 day / dated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._report import write_section
from newsloom.errors import InputError
from newsloom.evaluation.pubdates import DEV_TOPICS, TEST_TOPICS, TODAY, document, load_articles, score
from newsloom.models import Cleaned, PublicationDate
from newsloom.stages.clean import clean
from newsloom.stages.dates import publication_date
from newsloom.stages.langid import LanguageIdentifier

ROOT = Path(__file__).resolve().parents[1]
# The repository sits next to ../shared/data; NEWSLOOM_SHARED_DATA points elsewhere (a git worktree).
SHARED = Path(os.environ.get("NEWSLOOM_SHARED_DATA", ROOT.parent / "shared" / "data"))
BASELINE_COMMIT = "5b56fd2"  # main before the langdates lane
DateFn = Callable[..., PublicationDate]


def baseline_function() -> DateFn:
    """``publication_date`` from ``BASELINE_COMMIT``, loaded from git into a throwaway module."""
    source = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:src/newsloom/stages/dates.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("baseline_dates")
    exec(compile(source, "baseline_dates.py", "exec"), module.__dict__)
    function: DateFn = module.publication_date
    return function


def prepared(rows: list[dict[str, Any]]) -> list[tuple[dt.date, dict[str, Any]]]:
    """Clean and identify each article once; the keyword arguments both methods receive."""
    ident = LanguageIdentifier()
    out = []
    for row in rows:
        try:
            cleaned = clean(document(row))
        except InputError:  # nothing left after boilerplate removal: undated for both methods
            cleaned = Cleaned(title="", text="")
        language = ident.identify(f"{cleaned.title}\n{cleaned.text}", row["lang"]).code
        kwargs = {
            "metadata": None,
            "header_lines": cleaned.header_dates,
            "text": cleaned.text,
            "language": language,
            "today": TODAY,
        }
        out.append((dt.date.fromisoformat(row["date"]), kwargs))
    return out


def run(function: DateFn, items: list[tuple[dt.date, dict[str, Any]]], **extra: Any) -> dict[str, float]:
    start = time.perf_counter()
    pairs = [(gold, function(**kwargs, **extra).value) for gold, kwargs in items]
    result = score(pairs)
    result["ms"] = round(1000 * (time.perf_counter() - start) / max(1, len(items)), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print, do not update BENCHMARKS.md")
    args = parser.parse_args()
    path = SHARED / "ml_crisis" / "articles.jsonl"
    if not path.exists():
        sys.exit(f"{path}: ML-Crisis data not found (set NEWSLOOM_SHARED_DATA)")
    baseline = baseline_function()
    rows = [
        "## Publication dates from text (`bench/bench_dates.py`)",
        "",
        "ML-Crisis articles (es/fr/it) as plain text with the date metadata removed; gold = the corpus's"
        " publication date. Rules tuned on dev (egypt, libya); test (syria, yemen) held out. Baseline ="
        f" `publication_date` of commit `{BASELINE_COMMIT}`, same cleaned text and language, same run."
        " Shares are of all articles; wrong = dated but more than 1 day off; precision = within 1 day / dated.",
        "",
        "| split | method | articles | exact | within 1 d | within 7 d | dated | wrong | precision | ms/article |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for split, topics in (("dev", DEV_TOPICS), ("test", TEST_TOPICS)):
        items = prepared(load_articles(path, topics))
        for name, function in (("baseline", baseline), ("newsloom", publication_date)):
            r = run(function, items)
            rows.append(
                f"| {split} ({', '.join(topics)}) | {name} | {r['n']:.0f} | {r['exact']:.3f} | {r['within_1']:.3f}"
                f" | {r['within_7']:.3f} | {r['dated']:.3f} | {r['wrong']:.3f} | {r['precision']:.3f}"
                f" | {r['ms']:.2f} |"
            )
    text = "\n".join(rows)
    print(text)
    if not args.no_write:
        write_section("dates", text)


if __name__ == "__main__":
    main()
