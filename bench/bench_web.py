"""Latency of the JSON API over a large store: p50/p95/p99 per endpoint, and reads per second from a few clients.

The store is written straight through the store's methods from the synthetic corpus (``bench/corpus.py``):
articles with their events and one random unit vector each (the semantic-search cost is the ranking, not what
the vectors mean; the query itself is embedded by the real model). uvicorn serves it on 127.0.0.1 and a bounded
load generator (httpx, sequential per client) measures.

Usage: ``python -m bench.bench_web --n 100000 [--requests 50] [--clients 4] [--seconds 10] [--write]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import numpy as np
import uvicorn

from bench._report import write_section
from bench.corpus import generate
from newsloom.engine.plan import BatchPlan
from newsloom.models import Article, Claim, Entity, Event, Mention, PublicationDate, Story
from newsloom.store import SQLiteStore
from newsloom.web import create_app


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
    entities = [Entity(f"en-{j}", f"Person {j}", "PER", mention_count=0) for j in range(2000)]
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


def serve(path: Path) -> tuple[str, uvicorn.Server]:
    server = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}", server


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


def throughput(base: str, urls: Sequence[str], clients: int, seconds: float) -> tuple[float, int]:
    """Requests per second from ``clients`` threads for ``seconds``, and how many failed."""
    done, failed, stop = [0], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def run(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            i = offset
            while time.monotonic() < stop:
                ok = c.get(urls[i % len(urls)]).status_code == 200
                i += clients
                with lock:
                    done[0] += 1
                    failed[0] += not ok

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / seconds, failed[0]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        article_ids, event_ids = build(path, args.n)
        print(
            f"store of {len(article_ids)} articles, {len(event_ids)} events in {time.perf_counter() - start:.0f} s"
        )
        base, server = serve(path)
        rng = np.random.default_rng(1)
        pick = lambda ids: [ids[i] for i in rng.integers(0, len(ids), args.requests)]  # noqa: E731
        words = ["police", "fire", "mayor", "strike", "court", "pożar", "soud", "primar"]
        cases = {
            "GET /api/v1/articles?limit=50": ["/api/v1/articles?limit=50"] * args.requests,
            "GET /api/v1/articles?language=pl&limit=50": ["/api/v1/articles?language=pl&limit=50"]
            * args.requests,
            "GET /api/v1/articles/{id}": [f"/api/v1/articles/{i}" for i in pick(article_ids)],
            "GET /api/v1/events?limit=50": ["/api/v1/events?limit=50"] * args.requests,
            "GET /api/v1/events/{id}": [f"/api/v1/events/{i}" for i in pick(event_ids)],
            "GET /api/v1/search?q= (text)": [
                f"/api/v1/search?q={words[i % 8]}" for i in range(args.requests)
            ],
            "GET /api/v1/search?mode=semantic": [
                f"/api/v1/search?mode=semantic&q={words[i % 8]}+in+the+city+{i}" for i in range(args.requests)
            ],
        }
        rows = ["| endpoint | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|"]
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/api/v1/search?mode=semantic&q=warm+up")  # loads the model once, as a server does
            for name, urls in cases.items():
                ms = latencies(client, urls)
                rows.append(f"| `{name}` | {pct(ms, 50):.1f} | {pct(ms, 95):.1f} | {pct(ms, 99):.1f} |")
                print(rows[-1], flush=True)
        detail = [f"/api/v1/events/{i}" for i in pick(event_ids)] + [
            f"/api/v1/articles/{i}" for i in pick(article_ids)
        ]
        rate, failed = throughput(base, detail, args.clients, args.seconds)
        server.should_exit = True
    body = (
        f"## Web API latency (`bench/bench_web.py`)\n\n"
        f"{len(article_ids)} synthetic articles, {len(event_ids)} events, one 384-d vector each, SQLite store; "
        f"uvicorn on 127.0.0.1, {args.requests} sequential requests per endpoint after a warm-up.\n\n"
        + "\n".join(rows)
        + f"\n\nDetail reads (events and articles by id) from {args.clients} concurrent clients for "
        f"{args.seconds:.0f} s: **{rate:.0f} req/s**, {failed} errors.\n"
    )
    print(body)
    if args.write:
        write_section("web", body)


if __name__ == "__main__":
    main()
