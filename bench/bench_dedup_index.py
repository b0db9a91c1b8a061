"""Near-duplicate index at scale: band rows looked up per article against the in-memory LSH it replaced.

Run from the repository root: ``python -m bench.bench_dedup_index [--n 50000]``. Stores ``--n`` signatures of
random 120-word texts in a SQLite store, then adds 200 new texts (half of them copies of stored ones with a few
words added) through a :class:`Deduper` that asks the store (``stored=``), and through the old way: an in-memory
index rebuilt from every stored signature, as each process did before. Reports CPU seconds, memory and whether
both find the same originals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import tempfile
import time
from pathlib import Path

from bench._report import write_section
from newsloom.models import Article, PublicationDate
from newsloom.stages.dedup import Deduper
from newsloom.store import SQLiteStore


def _article(article_id: str) -> Article:
    return Article(
        id=article_id, source="bench", origin=article_id, title="T", text="x", language="en",
        language_confidence=1.0, published=PublicationDate(dt.date(2024, 6, 19), "metadata"),
    )  # fmt: skip


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    args = parser.parse_args()
    rng, vocab, d = random.Random(5), [f"w{i}" for i in range(20_000)], Deduper()
    texts = [" ".join(rng.choices(vocab, k=120)) for _ in range(args.n)]
    path = Path(tempfile.mkdtemp()) / "dedup.db"
    with SQLiteStore(path) as store:
        for start in range(0, args.n, 1000):
            ids = [f"a{j}" for j in range(start, min(args.n, start + 1000))]
            store.add_articles([_article(i) for i in ids], {i: d.signature(texts[int(i[1:])]) for i in ids})
    new = [
        texts[rng.randrange(args.n)] + " with a few words added"
        if k % 2
        else " ".join(rng.choices(vocab, k=120))
        for k in range(200)
    ]
    with SQLiteStore(path) as store:
        before, cpu = _peak_mib(), time.process_time()
        stored = Deduper(stored=store.duplicate_candidates)
        found_rows = [stored.add(f"n{k}", text) for k, text in enumerate(new)]
        rows_cpu, rows_mib = time.process_time() - cpu, _peak_mib() - before
        before, cpu = _peak_mib(), time.process_time()
        memory = Deduper()
        for article_id, signature in store.signatures():
            memory.add_signature(article_id, signature)
        rebuild_cpu = time.process_time() - cpu
        found_memory = [memory.add(f"n{k}", text) for k, text in enumerate(new)]
        memory_cpu, memory_mib = time.process_time() - cpu, _peak_mib() - before
    body = "\n".join([
        f"## Near-duplicate index at {args.n:,} stored articles (`bench/bench_dedup_index.py`)",
        "",
        f"{args.n:,} signatures of random 120-word texts stored; then 200 new texts (100 copies of stored ones with "
        "words added) deduplicated against them. CPU seconds of this process; peak RSS growth.",
        "",
        "| index | CPU s (200 new texts, index included) | peak RSS growth MiB | copies found |",
        "|---|---:|---:|---:|",
        f"| band rows in the store (`dedup_bands`) | {rows_cpu:.2f} | {rows_mib:.0f} | "
        f"{sum(f is not None for f in found_rows)} |",
        f"| in memory, rebuilt from every signature (before) | {memory_cpu:.2f} (rebuild {rebuild_cpu:.2f}) | "
        f"{memory_mib:.0f} | {sum(f is not None for f in found_memory)} |",
        "",
        f"Same originals found both ways: {found_rows == found_memory}. Store file {path.stat().st_size / 2**20:.0f} MiB.",
    ])  # fmt: skip
    write_section("dedup_index", body)
    print(body)


if __name__ == "__main__":
    main()
