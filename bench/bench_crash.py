"""Crash loop: ``kill -9`` an ingest of the demo corpus at random moments, re-run, and compare with a clean run.

Run from the repository root: ``python -m bench.bench_crash [--kills 50] [--seed 7] [--check]``. CI runs it with
``--check`` (exit 1 when the store after the loop differs from a clean run's beyond what arrival order implies).

Each round ingests the first ``--files`` demo files in a fresh process (batches of 4 articles, so reading and analysis are both
long enough to be hit) and kills it after a random delay drawn across the whole run's duration (measured first on
a clean run). After the kills a plain re-run must finish the work. The result must equal the clean run: the same
articles, none twice, no dangling ids, every article analysed, and the event partition within the pinned
agreement (online clustering is order-dependent only across batches, and the order is the same here).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench._report import write_section
from newsloom.evaluation.metrics import pairwise
from newsloom.store import SQLiteStore
from newsloom.tracker import DEMO_CORPUS

BATCH = 4
EVENT_AGREEMENT_FLOOR = 0.95


def _command(db: Path, corpus: Path) -> list[str]:
    code = (
        "from newsloom.config import Settings; from newsloom.tracker import Tracker; "
        f"Tracker(Settings(db={str(db)!r}, batch_size={BATCH})).ingest([{str(corpus)!r}])"
    )
    return [sys.executable, "-c", code]


def _run(db: Path, corpus: Path) -> float:
    start = time.perf_counter()
    subprocess.run(_command(db, corpus), check=True, capture_output=True, timeout=1800)
    return time.perf_counter() - start


def _corpus(folder: Path, files: int) -> Path:
    """The first ``files`` files of the demo corpus (sorted), so a round stays short enough for CI."""
    corpus = folder / "corpus"
    corpus.mkdir()
    for path in sorted(p for p in DEMO_CORPUS.iterdir() if p.is_file())[:files]:
        shutil.copy(path, corpus / path.name)
    return corpus


def _snapshot(db: Path) -> tuple[dict[str, str], list[str], int, int]:
    with SQLiteStore(db, read_only=True) as store:
        articles = store.articles()
        return (
            {a.origin: a.event_id or "" for a in articles},
            store.integrity(),
            store.count_pending(),
            len(articles) - len({a.id for a in articles}),
        )


def crash_loop(kills: int, seed: int, folder: Path, files: int) -> dict[str, object]:
    rng = random.Random(seed)
    corpus = _corpus(folder, files)
    clean_db = folder / "clean.db"
    clean_seconds = _run(clean_db, corpus)
    db = folder / "crashed.db"
    done = hit = 0
    started = time.perf_counter()
    while hit < kills and done < 3 * kills:
        proc = subprocess.Popen(_command(db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, clean_seconds))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            hit += 1
        proc.wait()
        done += 1
        if proc.returncode == 0:  # the run finished before the kill: start over on a fresh store
            db.unlink()
            for suffix in ("-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    _run(db, corpus)
    clean, crashed = _snapshot(clean_db), _snapshot(db)
    agreement = pairwise(crashed[0], clean[0])["f1"]
    return {
        "articles": len(clean[0]),
        "rounds": done,
        "kills": hit,
        "loop_seconds": time.perf_counter() - started,
        "clean_seconds": clean_seconds,
        "same_articles": clean[0].keys() == crashed[0].keys(),
        "duplicates": crashed[3],
        "pending": crashed[2],
        "problems": crashed[1],
        "event_agreement": agreement,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--files", type=int, default=16, help="demo files ingested each round")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless the crashed store equals a clean run"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = crash_loop(args.kills, args.seed, Path(tmp), args.files)
    ok = (
        result["same_articles"]
        and result["duplicates"] == 0
        and result["pending"] == 0
        and not result["problems"]
        and float(result["event_agreement"]) >= EVENT_AGREEMENT_FLOOR  # type: ignore[arg-type]
    )
    body = "\n".join(
        [
            "## Crash loop (`bench/bench_crash.py`)",
            "",
            f"`kill -9` of an ingest of {result['articles']} demo articles (batches of {BATCH}) at random moments "
            "across reading and "
            f"analysis, {result['rounds']} rounds ({result['kills']} killed mid-run), each followed by a plain "
            "re-run on the same store; compared with a clean run.",
            "",
            f"- Same articles as the clean run: {result['same_articles']}; duplicated articles: "
            f"{result['duplicates']}; unanalysed after the re-run: {result['pending']}; integrity problems and "
            f"dangling ids: {len(result['problems'])} {result['problems'] or ''}.",
            f"- Event partition against the clean run, pairwise F1: {float(result['event_agreement']):.3f} "  # type: ignore[arg-type]
            f"(floor {EVENT_AGREEMENT_FLOOR}).",
            f"- Clean run {float(result['clean_seconds']):.0f} s; whole loop {float(result['loop_seconds']):.0f} s.",  # type: ignore[arg-type]
            f"- Verdict: {'PASS' if ok else 'FAIL'}.",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("crash_loop", body)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
