"""Scale-out paths on real articles: backfill (local vs Ray 1 and 2 workers), watch, and the NATS worker.

Run from the repository root: ``python -m bench.bench_scale [--articles 300] [--skip-ray]``.

Articles: the first ``--articles`` distinct texts of SemEval-2022 Task 8 (``pairs_test.jsonl``, ``text1`` and
``text2``, 8 languages) from ``../shared/data``. Every measurement below runs in the same process, one after the
other, on the same texts, so the ratios are comparable even on a shared machine (absolute rates are not):

- ``per-article stages``: clean, language, dates, entity mentions and the article embedding (``backfill.ArticleStage``) in this
  process, then through Ray Data ``map_batches`` with 1 and 2 worker actors on a local Ray (``num_cpus=2``), models
  loaded once per worker (the load is inside the timing: it is what a backfill pays per input file);
- ``plain ingest``: ``Tracker.ingest`` of the same JSONL with the analysis off (clean, language, dates, dedup,
  store, no encoder) and the encoder alone (``embed_articles``), which together are the per-article work of a
  local ingest;
- ``engine``: the analysis (entities, events, stories, claims) of the stored backfill, vectors already cached,
  once extracting the mentions itself (backfill with the analysis off, then ``analyze``) and once taking the
  workers' mentions from the handoff (the analysis inside the backfill);
- ``watch``: one poll of a local feed server (127.0.0.1, allow-listed) listing every article as an HTML page,
  analysis off, 8 fetches at once, no per-host interval;
- ``NATS worker``: ``publish`` then one ``run_worker`` draining the stream, analysis off (needs ``nats-server``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench._report import write_section
from newsloom.backfill import ArticleStage, _run_local, _run_ray, documents
from newsloom.config import Settings
from newsloom.fetch import FetchPolicy
from newsloom.stream import document_message
from newsloom.tracker import Tracker

# ../shared/data beside the repository (a git worktree one level deeper looks one level further up)
SHARED = next(
    (
        p / "shared" / "data"
        for p in Path(__file__).resolve().parents[2:4]
        if (p / "shared" / "data").exists()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)


def _texts(count: int) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    with (SHARED / "semeval2022_task8" / "pairs_test.jsonl").open(encoding="utf-8") as rows:
        for line in rows:
            pair = json.loads(line)
            for side in ("1", "2"):
                text = pair[f"text{side}"]
                if text and text.strip() and text not in seen:
                    seen[text] = {"text": text, "language": pair[f"lang{side}"]}
            if len(seen) >= count:
                break
    return list(seen.values())[:count]


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (this process and its finished children) of ``call``."""
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    call()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before, strict=True))
    return wall, cpu


def _html(row: dict[str, str]) -> bytes:
    title, _, body = row["text"].partition("\n")
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()


def _serve(rows: list[dict[str, str]]) -> tuple[ThreadingHTTPServer, int]:
    pages = {f"/a/{i}": _html(r) for i, r in enumerate(rows)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            port = self.server.server_address[1]
            if self.path == "/feed.xml":
                items = "".join(f"<item><link>http://127.0.0.1:{port}{p}</link></item>" for p in pages)
                body, kind = (
                    f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(),
                    "application/rss+xml",
                )
            elif self.path in pages:
                body, kind = pages[self.path], "text/html; charset=utf-8"
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, int(server.server_address[1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _nats(folder: Path, rows: list[dict[str, str]]) -> tuple[float, float] | None:
    binary = shutil.which("nats-server") or (
        "/usr/sbin/nats-server" if os.path.exists("/usr/sbin/nats-server") else None
    )
    if binary is None:
        return None
    from newsloom.stages.ingest import read_inputs
    from newsloom.stream import publish, run_worker

    port = _free_port()
    proc = subprocess.Popen([binary, "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(folder / "js")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        time.sleep(1.5)
        url = f"nats://127.0.0.1:{port}"
        publish(url, read_inputs([str(folder / "corpus.jsonl")]))
        with Tracker(Settings(db=str(folder / "nats.db"), analyze=False)) as tracker:
            return _timed(lambda: run_worker(url, tracker, batch=50, idle_exit=2.0, limit=len(rows)))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--skip-ray", action="store_true")
    args = parser.parse_args()
    rows = _texts(args.articles)
    n = len(rows)
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    settings = Settings(db=str(folder / "x.db"))
    docs = [document_message(d)[0] for d in documents(str(corpus), settings) if not hasattr(d, "reason")]
    results: list[tuple[str, float, float]] = []

    def record(label: str, timing: tuple[float, float]) -> None:
        results.append((label, *timing))
        print(
            f"{label}: {timing[0]:.1f} s wall, {timing[1]:.1f} s CPU, {n / timing[0]:.2f} articles/s",
            flush=True,
        )

    record(
        "per-article stages, this process (ArticleStage)",
        _timed(lambda: list(_run_local(ArticleStage(settings, threads=2), docs))),
    )
    with Tracker(Settings(db=str(folder / "plain.db"), analyze=False)) as tracker:
        record("plain ingest, analysis off (no encoder)", _timed(lambda: tracker.ingest([str(corpus)])))
        articles = tracker.articles()
    from newsloom.stages.embed import E5Embedder, embed_articles

    encoder = E5Embedder(threads=2)
    record("encoder alone (embed_articles)", _timed(lambda: embed_articles(encoder, articles)))
    from newsloom.backfill import backfill

    with Tracker(Settings(db=str(folder / "engine.db"), analyze=False)) as tracker:
        backfill(tracker, [str(corpus)], engine="local")  # analysis off: no mentions handed over
        tracker.models  # noqa: B018  # loaded outside the timing
        record("engine analysis, vectors cached, mentions extracted in the engine", _timed(tracker.analyze))
    with Tracker(Settings(db=str(folder / "handoff.db"))) as tracker:
        tracker.models  # noqa: B018
        analyze, timings = tracker.analyze, list[tuple[float, float]]()

        def timed_analyze(**kwargs: object) -> tuple[str, ...]:
            notes: list[tuple[str, ...]] = []
            timings.append(_timed(lambda: notes.append(analyze(**kwargs))))  # type: ignore[arg-type]
            return notes[0]

        tracker.analyze = timed_analyze  # type: ignore[method-assign]  # the engine part of the backfill only
        backfill(tracker, [str(corpus)], engine="local")
        record("engine analysis, vectors cached, mentions from the workers (handoff)", timings[0])
    if not args.skip_ray:
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        for workers in (1, 2):
            record(
                f"per-article stages, Ray Data, {workers} worker(s)",
                _timed(lambda w=workers: list(_run_ray(docs, settings, None, w))),
            )  # type: ignore[misc]
        ray.shutdown()
    server, port = _serve(rows)
    feeds = folder / "feeds.txt"
    feeds.write_text(f"http://127.0.0.1:{port}/feed.xml\n", encoding="utf-8")
    from newsloom.feeds import watch

    policy = FetchPolicy(allow=("127.0.0.1/32",), host_interval_s=0.0, host_concurrency=8, robots=True)
    with Tracker(Settings(db=str(folder / "watch.db"), analyze=False)) as tracker:
        tracker.pipeline.langid  # noqa: B018
        record("watch: one poll, pages fetched and ingested (analysis off)",
               _timed(lambda: watch(tracker, [f"http://127.0.0.1:{port}/feed.xml"], policy, every_s=1, once=True)))  # fmt: skip
    server.shutdown()
    nats = _nats(folder, rows)
    if nats is not None:
        record("NATS worker: drain the stream into the store (analysis off)", nats)
    shutil.rmtree(folder, ignore_errors=True)
    _write(n, results)


def _write(n: int, results: list[tuple[str, float, float]]) -> None:
    base = results[0][1]
    lines = [
        f"## Scale-out paths (`bench/bench_scale.py`, {n} SemEval-2022 test texts)",
        "",
        "Same texts, same run, one after the other. **The machine was shared with 7 other lanes (load average "
        f"{os.getloadavg()[0]:.0f} on 2 cores at the end)**, so wall times are long and noisy; the ratio column (wall time of the first row "
        "over this row's) is the comparable figure, and CPU seconds count this process and its finished "
        "children only (Ray workers are not children: their CPU is not in the column).",
        "",
        "| path | wall s | CPU s | articles/s | speed vs row 1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, wall, cpu in results:
        lines.append(f"| {label} | {wall:.1f} | {cpu:.1f} | {n / wall:.2f} | {base / wall:.2f}x |")
    by_label = {label: wall for label, wall, _ in results}
    engine = [w for label, w in by_label.items() if label.startswith("engine analysis")]
    handoff = f"{engine[0] / engine[1]:.2f}x" if len(engine) == 2 else "n/a"
    lines += [
        "",
        "Reading: the encoder is most of the per-article stage (compare rows 1 and 3); the rest is clean, "
        "language, dates and, since the mention handoff, entity mention extraction, all of which a backfill "
        "spreads over workers. The engine (linking, events, stories, claims, digests; sequential) ran "
        f"{handoff} as fast when it took the workers' mentions from the handoff as when it extracted them "
        "itself (the two engine rows, same articles, vectors cached in both). Ray rows include actor start, one "
        "model load per actor and serialisation; the second worker's gain is not a measure of scaling on free "
        "cores, the two cores being saturated by other lanes' work. Watch pages/s include serving the pages from "
        "the same process; watch and the NATS worker ran with the analysis off.",
    ]
    write_section("scale", "\n".join(lines))


if __name__ == "__main__":
    main()
