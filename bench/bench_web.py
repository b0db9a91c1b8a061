"""Latency of the JSON API over a large store: p50/p95/p99 per endpoint, and paced reads alone and during an ingest.

The store is written straight through the store's methods from the synthetic corpus (``bench/corpus.py``):
articles with their events (one story per five events), 2,000 entities with two mentions per article, a claim
per fourth article, and one random unit vector each (the semantic-search cost is the ranking, not what the
vectors mean; the query itself is embedded by the real model). The server runs in its own process on
127.0.0.1; a bounded load generator (httpx, a fixed number of client threads, each request at its scheduled
time) sends the reads, and the concurrent ingest is a third process writing batches of 100 new articles with
their event, mentions, claims and vectors through the store (the engine's writes, without the encoder).

Usage: ``python -m bench.bench_web --n 100000 [--store web100k.db] [--requests 50] [--rate 200] [--seconds 20]
[--write]``
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import httpx
import numpy as np
import uvicorn

from bench._report import write_section
from bench.corpus import generate
from newsloom.config import Settings
from newsloom.engine.plan import BatchPlan
from newsloom.models import Article, Claim, Entity, Event, Mention, PublicationDate, Story
from newsloom.store import SQLiteStore
from newsloom.web import create_app
from newsloom.web.serve import SETTINGS_ENV, patient_healthcheck


def _synthetic_articles(n: int) -> tuple[list[Article], dict[str, list[Article]]]:
    """``n`` synthetic articles with their event ids, and the articles of each event."""
    articles, members = [], {}
    for i, s in enumerate(generate(n, seed=7)):
        day = dt.date.fromisoformat(s["published"][:10])
        article = Article(
            f"{i:016x}",
            s["source"],
            f"bench:{i}",
            s["title"],
            s["text"],
            s["language"],
            0.99,
            PublicationDate(day, "metadata"),
            site=s["source"],
            event_id=f"ev-{s['event']}",
        )
        articles.append(article)
        members.setdefault(f"ev-{s['event']}", []).append(article)
    return articles, members


def _analysis(members: dict[str, list[Article]]) -> BatchPlan:
    """Events (one story per 5 events), 2,000 entities with two mentions per article, a claim per 4th article."""
    stories = {}
    events = []
    for k, (event_id, group) in enumerate(members.items()):
        story_id = f"st-{k // 5}"
        stories.setdefault(story_id, []).append(event_id)
        days = [a.published.value for a in group if a.published.value]
        events.append(
            Event(
                event_id,
                group[0].title,
                min(days),
                max(days),
                tuple(a.id for a in group),
                tuple(sorted({a.language for a in group})),
                len(group),
                story_id=story_id,
            )
        )
    articles = [a for group in members.values() for a in group]
    mentions, claims = [], []
    for i, a in enumerate(articles):
        for j in (i % 2000, (i * 7 + 3) % 2000):
            mentions.append(Mention(a.id, a.title[:8], j, j + 8, "PER", f"k{j}", f"en-{j}"))
        if i % 4 == 0:
            claims.append(
                Claim(
                    f"cl-{i}",
                    a.id,
                    a.event_id,
                    "Speaker",
                    f"en-{i % 2000}",
                    a.title,
                    "assert",
                    "direct",
                    0,
                    8,
                )
            )
    counts = Counter(str(m.entity_id) for m in mentions)
    entities = [Entity(e, f"Person {e[3:]}", "PER", mention_count=n) for e, n in sorted(counts.items())]
    return BatchPlan(
        mentions=tuple(mentions),
        entities=tuple(entities),
        events=tuple(events),
        stories=tuple(Story(s, s, tuple(ids)) for s, ids in stories.items() if len(ids) > 1),
        claims=tuple(claims),
    )


def build(path: Path, n: int) -> None:
    """Write ``n`` synthetic articles, their events, stories, entities, mentions, claims and vectors."""
    articles, members = _synthetic_articles(n)
    rng = np.random.default_rng(7)
    with SQLiteStore(path) as store:
        for lo in range(0, len(articles), 5000):
            store.add_articles(articles[lo : lo + 5000], {})
        store.apply(_analysis(members))
        for lo in range(0, len(articles), 5000):
            chunk = articles[lo : lo + 5000]
            vectors = rng.standard_normal((len(chunk), 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            store.save_embeddings("e5-small-original", {a.id: v for a, v in zip(chunk, vectors, strict=True)})


def ids_of(path: Path) -> tuple[list[str], list[str]]:
    """Article and event ids of a built store."""
    with SQLiteStore(path, read_only=True) as store:
        return (
            [r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY seq")],
            [r[0] for r in store.db.execute("SELECT id FROM events ORDER BY id")],
        )


def serve_forever(path: Path, port: int, embed_threads: int, workers: int = 1) -> None:
    """The server process: the app over ``path`` on 127.0.0.1:``port``, no access log (as a deployment would);
    ``workers`` > 1 runs them as ``newsloom serve --workers`` does (uvicorn's supervisor and worker processes)."""
    settings = Settings(db=str(path), embed_threads=embed_threads)
    if workers == 1:
        app = create_app(settings)
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        return
    os.environ[SETTINGS_ENV] = json.dumps(dataclasses.asdict(settings))
    uvicorn.run(
        "newsloom.web.serve:worker_app",
        factory=True,
        workers=workers,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        **patient_healthcheck(),
    )


def start_server(path: Path, embed_threads: int, workers: int = 1) -> tuple[str, subprocess.Popen[bytes]]:
    """Run the server in its own process (the load generator must not share its GIL) and wait until it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "bench.bench_web", "--serve", str(path), "--port", str(port)]
    command += ["--embed-threads", str(embed_threads), "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1])
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/v1/stories?limit=1", timeout=5).status_code == 200:
                return base, process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def ingest_forever(path: Path, seconds: float, rate: float, batch: int = 50) -> None:
    """The concurrent ingest: batches of new articles with their event, mentions and vectors, through the
    store's write methods (the engine's write pattern without the encoder), ``rate`` articles per second for
    ``seconds``; prints the count."""
    rng = np.random.default_rng(11)
    begin = time.monotonic()
    stop, written, k = begin + seconds, 0, 0
    run = os.getpid()  # new ids in every run over the same store
    with SQLiteStore(path) as store:
        while begin + written / rate < stop:
            time.sleep(max(0.0, begin + written / rate - time.monotonic()))
            synthetic = generate(batch, seed=100 + k)
            articles = [
                Article(
                    f"ingest-{run}-{k}-{i}",
                    s["source"],
                    f"ingest:{run}:{k}:{i}",
                    s["title"],
                    s["text"],
                    s["language"],
                    0.99,
                    PublicationDate(dt.date.fromisoformat(s["published"][:10]), "metadata"),
                    site=s["source"],
                    event_id=f"ev-ingest-{run}-{k}",
                )
                for i, s in enumerate(synthetic)
            ]
            store.add_articles(articles, {})
            store.apply(_analysis({f"ev-ingest-{run}-{k}": articles}))
            vectors = rng.standard_normal((len(articles), 384)).astype(np.float32)
            store.save_embeddings(
                "e5-small-original", {a.id: v for a, v in zip(articles, vectors, strict=True)}
            )
            written += len(articles)
            k += 1
    print(written, flush=True)


def latencies(client: httpx.Client, urls: Sequence[str]) -> list[float]:
    out = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return out


def pct(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a process and its live child processes (the workers) have used so far
    (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(cpu_seconds(int(child)) for child in children)


def paced_load(base: str, urls: Sequence[str], rate: float, seconds: float, clients: int) -> dict[str, float]:
    """Send ``rate`` requests per second for ``seconds`` from ``clients`` threads (each request at its scheduled
    time, or at once if the client is late; at most ``clients`` in flight), and measure what was served."""
    start = time.monotonic() + 0.2
    total = int(rate * seconds)
    ms: list[float] = []
    failed = [0]
    lock = threading.Lock()

    def run(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            for j in range(k, total, clients):
                time.sleep(max(0.0, start + j / rate - time.monotonic()))
                t = time.perf_counter()
                try:
                    ok = client.get(urls[j % len(urls)]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    ms.append((time.perf_counter() - t) * 1000)
                    failed[0] += not ok

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return {"rate": len(ms) / elapsed, "failed": failed[0], "p50": pct(ms, 50), "p95": pct(ms, 95)}


def encoder_alone(urls: Sequence[str], threads: int) -> list[float]:
    """Milliseconds to embed each semantic query alone with the server's model and threads: a semantic search
    is this plus the ranking, so the two are reported side by side."""
    from newsloom.stages.embed import E5Embedder

    embedder = E5Embedder(threads=threads)
    queries = [httpx.URL(u).params["q"] for u in urls]
    embedder.embed(["warm up"])
    out = []
    for q in queries:
        start = time.perf_counter()
        embedder.embed([q])
        out.append((time.perf_counter() - start) * 1000)
    return out


def cases(path: Path, requests: int) -> dict[str, list[str]]:
    """The endpoints measured, each with ``requests`` URLs (random ids where the route takes one)."""
    article_ids, event_ids = ids_of(path)
    rng = np.random.default_rng(1)
    pick = lambda ids: [ids[i] for i in rng.integers(0, len(ids), requests)]  # noqa: E731
    with SQLiteStore(path, read_only=True) as store:
        deep = store.article_page(limit=50, offset=len(article_ids) // 2).next  # a cursor half way down
        stories = [r[0] for r in store.db.execute("SELECT id FROM stories ORDER BY id")]
        source = store.article(article_ids[0]).source
    words = ["strike", "fire", "mayor", "court", "pożar", "soud", "workers", "warehouse"]
    return {
        "GET /api/v1/articles?limit=50": ["/api/v1/articles?limit=50"] * requests,
        "GET /api/v1/articles?language=pl": ["/api/v1/articles?language=pl"] * requests,
        "GET /api/v1/articles?cursor= (half way)": [f"/api/v1/articles?cursor={deep}"] * requests,
        "GET /api/v1/articles?entity=&language=&since=": [
            f"/api/v1/articles?entity=en-{i}&language=pl&since=2024-01-01" for i in range(requests)
        ],
        "GET /api/v1/articles?story=": [f"/api/v1/articles?story={i}" for i in pick(stories)],
        "GET /api/v1/articles?source=&until=": [f"/api/v1/articles?source={source}&until=2025-12-31"]
        * requests,
        "GET /api/v1/articles/{id}": [f"/api/v1/articles/{i}" for i in pick(article_ids)],
        "GET /api/v1/events?limit=50": ["/api/v1/events?limit=50"] * requests,
        "GET /api/v1/events?language=&since=": ["/api/v1/events?language=cs&since=2024-06-01"] * requests,
        "GET /api/v1/events/{id}": [f"/api/v1/events/{i}" for i in pick(event_ids)],
        "GET /api/v1/stories": ["/api/v1/stories"] * requests,
        "GET /api/v1/entities": ["/api/v1/entities"] * requests,
        "GET /api/v1/claims?entity=": [f"/api/v1/claims?entity=en-{i}" for i in range(requests)],
        "GET /api/v1/search?q= (text)": [f"/api/v1/search?q={words[i % 8]}" for i in range(requests)],
        "GET /api/v1/search?q=&language= (text)": [
            f"/api/v1/search?q={words[i % 8]}&language=cs" for i in range(requests)
        ],
        "GET /api/v1/search?mode=semantic": [
            f"/api/v1/search?mode=semantic&q={words[i % 8]}+in+the+city+{i}" for i in range(requests)
        ],
        "GET /api/v1/search?mode=semantic&language=": [
            f"/api/v1/search?mode=semantic&q={words[i % 8]}+{i}&language=pl" for i in range(requests)
        ],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument(
        "--store", type=Path, help="build the store here once and reuse it (a copy is measured)"
    )
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rate", type=float, default=200.0, help="reads per second of the load phases")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--ingest-rate", type=float, default=20.0, help="articles/s of the concurrent ingest")
    parser.add_argument("--embed-threads", type=int, default=1, help="threads of the server's query encoder")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1], help="server processes; the paced load runs for each"
    )
    parser.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ingest", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve_forever(args.serve, args.port, args.embed_threads, args.workers[0])
    if args.ingest:
        return ingest_forever(args.ingest, args.seconds, args.ingest_rate)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        if args.store is not None and args.store.exists():
            shutil.copy(args.store, path)
        else:
            build(path, args.n)
            if args.store is not None:
                shutil.copy(path, args.store)
        print(f"store ready in {time.perf_counter() - start:.0f} s", flush=True)
        body = measure(path, args)
    print(body)
    if args.write:
        write_section("web", body)


def measure(path: Path, args: argparse.Namespace) -> str:
    """Latency per endpoint, then paced load alone and during a concurrent ingest; the BENCHMARKS.md section."""
    with SQLiteStore(path) as store:  # migrates a store built by an older version, before the server opens it
        counts = store.counts()
        counts["mentions"] = int(store.db.execute("SELECT count(*) FROM mentions").fetchone()[0])
    urls = cases(path, args.requests)
    base, server = start_server(path, args.embed_threads)
    try:
        rows = ["| endpoint | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|"]
        with httpx.Client(base_url=base, timeout=120) as client:
            warm = time.perf_counter()
            client.get("/api/v1/search?mode=semantic&q=warm+up")  # the model and the vector matrix, once
            warm_s = time.perf_counter() - warm
            for name, batch in urls.items():
                ms = latencies(client, batch)
                rows.append(f"| `{name}` | {pct(ms, 50):.1f} | {pct(ms, 95):.1f} | {pct(ms, 99):.1f} |")
                print(rows[-1], flush=True)
    finally:
        server.terminate()
        server.wait(30)
    encoder = encoder_alone(
        [u for name, b in urls.items() if "semantic" in name for u in b], args.embed_threads
    )
    rows.append(
        f"| query encoder alone, same queries (in the bench process) | {pct(encoder, 50):.1f} | "
        f"{pct(encoder, 95):.1f} | {pct(encoder, 99):.1f} |"
    )
    print(rows[-1], flush=True)
    mixed = [u for name, batch in urls.items() if "semantic" not in name for u in batch[:10]]
    random.Random(3).shuffle(mixed)
    load = [row for workers in args.workers for row in load_rows(path, mixed, workers, args)]
    return (
        f"## Web API latency (`bench/bench_web.py`)\n\n"
        f"{counts.get('articles', 0)} synthetic articles, {counts.get('events', 0)} events, "
        f"{counts.get('entities', 0)} entities, {counts.get('mentions', 0)} mentions, {counts.get('claims', 0)} "
        "claims, one 384-d vector each, SQLite store. The server runs in its own process on 127.0.0.1 (uvicorn, "
        f"one process, query encoder on {args.embed_threads} thread(s)); {args.requests} sequential requests per "
        "endpoint after one warm-up search "
        f"({warm_s:.1f} s: the model and the vector matrix are loaded once per process).\n\n"
        + "\n".join(rows)
        + f"\n\nPaced load of {args.rate:.0f} reads/s ({args.clients} client threads, every list and detail route "
        f"above but semantic search, {args.seconds:.0f} s each), per number of server processes "
        "(`newsloom serve --workers N`):\n\n"
        "| server processes | phase | reads/s served | errors | p50 ms | p95 ms | server CPU ms per read |\n"
        "|---|---|---|---|---|---|---|\n" + "".join(load)
    )


def load_rows(path: Path, mixed: Sequence[str], workers: int, args: argparse.Namespace) -> list[str]:
    """Paced reads alone, then during a concurrent ingest, against ``workers`` server processes."""
    base, server = start_server(path, args.embed_threads, workers)
    try:
        paced_load(base, mixed, args.rate / 4, 2.0, args.clients)  # every worker opens its connections
        cpu = cpu_seconds(server.pid)
        alone = paced_load(base, mixed, args.rate, args.seconds, args.clients)
        alone["cpu_ms"] = (cpu_seconds(server.pid) - cpu) * 1000 / (alone["rate"] * args.seconds)
        print(workers, "alone", alone, flush=True)
        command = [
            sys.executable,
            "-m",
            "bench.bench_web",
            "--ingest",
            str(path),
            "--seconds",
            str(args.seconds),
        ]
        writer = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE)
        cpu = cpu_seconds(server.pid)
        during = paced_load(base, mixed, args.rate, args.seconds, args.clients)
        during["cpu_ms"] = (cpu_seconds(server.pid) - cpu) * 1000 / (during["rate"] * args.seconds)
        written = int((writer.communicate()[0] or b"0").split()[-1])
        print(workers, "during ingest", during, written, flush=True)
    finally:
        server.terminate()
        server.wait(30)
    ingest = f"during a concurrent ingest ({written} articles written, {written / args.seconds:.0f}/s in batches of 50)"
    return [
        f"| {workers} | {phase} | {r['rate']:.0f} | {r['failed']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
        f"{r['cpu_ms']:.1f} |\n"
        for phase, r in (("reads alone", alone), (ingest, during))
    ]


if __name__ == "__main__":
    main()
