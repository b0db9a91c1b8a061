"""Reliability benchmark: the hostile corpus (``tests/hostile_corpus.py``) ingested as one folder.

Run from the repository root: ``python -m bench.bench_hostile [--analyze]``. The ingest runs as a separate
``python -m newsloom ingest`` process, so its peak resident memory and wall time are its own. Reports how many
bad inputs were answered with the expected reason and how many good articles were stored.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tests.hostile_corpus import DEMO, SECRET, build, check, restore

from bench._report import write_section
from newsloom.config import Settings
from newsloom.tracker import Tracker

DESCRIPTION = (
    "One folder: the demo corpus plus the generated hostile inputs of `tests/hostile_corpus.py` (binary, empty, "
    "25 MiB sparse, invalid UTF-8, NUL bytes, mixed encodings, 100,000-deep HTML, 2M characters of tags, a "
    "19.9 MB single line, billion laughs, XXE, malformed JSON/RSS/Atom, 10,000-deep JSON as .json and as a .jsonl "
    "line, 100,000 invalid records, symbolic link loops and escapes, a FIFO named a.txt, an unreadable file, odd "
    "and non-UTF-8 file names), ingested by one `newsloom ingest` process with analysis off.\n\n"
)


# Runs one command and prints its peak RSS: RUSAGE_CHILDREN is the maximum over all children a process waited
# for, so each measured command gets a parent of its own.
_MEASURE = (
    "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _run(folder: Path, db: Path, analyze: bool) -> tuple[int, float, float]:
    """Exit code, wall seconds and peak RSS (MiB) of one ``newsloom ingest`` process."""
    env = {**os.environ, "NEWSLOOM_ANALYZE": "true" if analyze else "false"}
    command = [sys.executable, "-m", "newsloom", "ingest", str(folder), "--db", str(db)]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], env=env, capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - start
    code, peak_kb = done.stdout.split()
    return int(code), elapsed, int(peak_kb) / 1024


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--analyze", action="store_true", help="also run entities, events, stories, claims")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "hostile"
        folder.mkdir()
        corpus = build(folder)
        try:
            code, elapsed, peak = _run(folder, Path(tmp) / "h.db", args.analyze)
        finally:
            restore(corpus)
        with Tracker(Settings(db=str(Path(tmp) / "h.db"))) as tracker:
            articles = tracker.articles()
            rejections = [(r.origin, r.reason) for r in tracker.rejections()]
        _, base_elapsed, base_peak = _run(DEMO, Path(tmp) / "demo.db", args.analyze)
    stored = {a.origin for a in articles}
    missing, unanswered = check(corpus, stored, rejections)
    leaked = sum(SECRET in a.text for a in articles)
    heading = (
        "### The same folder with analysis on (entities, events, stories, claims)\n\n"
        if args.analyze
        else "## Reliability: hostile inputs in one folder (`bench/bench_hostile.py`)\n\n" + DESCRIPTION
    )
    body = (
        heading + "| measure | value |\n|---|---|\n"
        f"| exit code | {code} (1: some inputs rejected) |\n"
        f"| bad inputs answered with the expected reason | {len(corpus.bad) - len(unanswered)} of "
        f"{len(corpus.bad)} |\n"
        f"| good inputs stored | {len(corpus.good) - len(missing)} of {len(corpus.good)} |\n"
        f"| articles stored / rejection rows | {len(articles)} / {len(rejections)} |\n"
        f"| articles containing /etc/passwd | {leaked} |\n"
        f"| wall time | {elapsed:.1f} s |\n"
        f"| peak RSS of the ingest process | {peak:.0f} MiB |\n"
        f"| the demo corpus alone, for comparison | {base_elapsed:.1f} s, {base_peak:.0f} MiB |\n"
    )
    print(body)
    if unanswered or missing:
        print("unanswered:", unanswered, "missing:", missing)
    write_section("reliability" + ("-analyze" if args.analyze else ""), body)


if __name__ == "__main__":
    main()
