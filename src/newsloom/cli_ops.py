"""Operations commands: finish pending analysis, check and repair a store, and the NATS stream (publish, worker)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from .cli_registry import command, progress_bars
from .errors import MissingExtra
from .fetch import FetchPolicy
from .models import Rejected
from .stages.ingest import read_inputs
from .terminal import safe
from .tracker import IngestReport, Tracker

if TYPE_CHECKING:
    from .feeds import PollReport

DEFAULT_NATS = "nats://127.0.0.1:4222"


@command(
    "analyze",
    "Analyse every stored article not analysed yet (after a crash, or an ingest with analysis off).",
)
def _analyze(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    notes = tracker.analyze(progress=progress_bars(sys.stderr))
    out.write(
        safe("\n".join(notes) if notes else "nothing to analyse: every stored article is analysed") + "\n"
    )
    return 0


def _doctor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--repair", action="store_true", help="finish pending analysis; rebuild it if ids still dangle"
    )


@command(
    "doctor",
    "Check the store: SQLite integrity, dangling ids, unanalysed articles; --repair fixes what it can.",
    _doctor_args,
    store=lambda args: "write" if args.repair else "read",
)
def _doctor(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    report = tracker.doctor(repair=args.repair, progress=progress_bars(sys.stderr))
    lines = [f"problem: {p}" for p in report.problems]
    if report.pending:
        lines.append(f"unanalysed articles: {report.pending}")
    lines += [f"repair: {a}" for a in report.actions]
    lines += [f"still wrong: {p}" for p in report.remaining if args.repair]
    if not lines:
        lines.append("store is healthy: integrity ok, no dangling ids, every article analysed")
    elif not args.repair:
        lines.append("run 'newsloom doctor --repair' to fix what can be fixed")
    out.write(safe("\n".join(lines)) + "\n")
    return 0 if report.healthy or (not report.problems and not report.pending) else 1


def _stream_extra() -> None:
    try:
        import nats  # noqa: F401
    except ImportError as exc:
        raise MissingExtra("nats-py", "stream") from exc


def _publish_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to enqueue (as for ingest)")
    p.add_argument(
        "--nats", default=DEFAULT_NATS, help=f"NATS server with JetStream (default {DEFAULT_NATS})"
    )


@command(
    "publish",
    "Enqueue documents on a NATS JetStream stream for 'newsloom worker'.",
    _publish_args,
    store="none",
)
def _publish(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    _stream_extra()
    from .stream import publish

    items = read_inputs(
        args.paths, max_bytes=tracker.settings.max_bytes, follow_links=tracker.settings.follow_links
    )
    report = publish(args.nats, items)
    out.write(f"published {report.published} document(s); {report.duplicates} already in the stream\n")
    for rejected in report.rejected:
        sys.stderr.write(safe(f"rejected: {rejected.origin}: [{rejected.stage}] {rejected.reason}") + "\n")
    return 0 if not report.rejected else 1


def _worker_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--nats", default=DEFAULT_NATS, help=f"NATS server with JetStream (default {DEFAULT_NATS})"
    )
    p.add_argument(
        "--batch", type=int, default=50, help="messages stored and analysed per batch (default 50)"
    )
    p.add_argument("--idle-exit", type=float, help="stop after this many seconds without messages")


@command(
    "worker",
    "Consume documents from NATS JetStream into the store (acknowledged once stored and analysed).",
    _worker_args,
)
def _worker(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    _stream_extra()
    from .stream import run_worker

    report = run_worker(args.nats, tracker, batch=args.batch, idle_exit=args.idle_exit)
    out.write(
        f"{report.messages} message(s): {report.added} article(s) added, {report.already_present} already present, "
        f"{len(report.rejected)} rejected\n"
    )
    return 0 if not report.rejected else 1


def fetch_args(p: argparse.ArgumentParser) -> None:
    """Options of the commands that fetch over HTTP (``ingest URL``, ``watch``)."""
    p.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="HOST|NETWORK",
        help="fetch from this host name or network (CIDR) although it is loopback/private/reserved (repeatable)",
    )
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per request (default 20)")
    p.add_argument(
        "--host-interval", type=float, default=1.0, help="seconds between requests to one host (default 1)"
    )
    p.add_argument("--host-concurrency", type=int, default=2, help="requests at once to one host (default 2)")
    p.add_argument("--retries", type=int, default=2, help="retries after a failed request (default 2)")
    p.add_argument(
        "--max-page-bytes", type=int, default=10 * 1024 * 1024, help="largest page or feed (default 10 MiB)"
    )
    p.add_argument("--ignore-robots", action="store_true", help="do not read or obey robots.txt")


def _policy(args: argparse.Namespace) -> FetchPolicy:
    return FetchPolicy(
        allow=tuple(args.allow),
        timeout_s=args.timeout,
        host_interval_s=args.host_interval,
        host_concurrency=args.host_concurrency,
        retries=args.retries,
        max_bytes=args.max_page_bytes,
        robots=not args.ignore_robots,
    )


def _print_failures(failures: Sequence[Rejected]) -> None:
    for failure in failures:
        sys.stderr.write(safe(f"not fetched: {failure.origin}: {failure.reason} (retried next time)") + "\n")


def ingest_with_urls(
    tracker: Tracker,
    args: argparse.Namespace,
    out: TextIO,
    print_report: Callable[[IngestReport, TextIO], int],
) -> int:
    """``newsloom ingest`` given URLs (and maybe paths): the pages are fetched, the paths read, all ingested."""
    from .feeds import ingest_urls

    urls = [p for p in args.paths if p.startswith(("http://", "https://"))]
    paths = [p for p in args.paths if p not in urls]
    code = 0
    if paths:
        stdin = sys.stdin.buffer if "-" in paths else None
        code = print_report(tracker.ingest(paths, stdin=stdin, progress=progress_bars(sys.stderr)), out)
    report, failures = ingest_urls(tracker, urls, _policy(args))
    code = max(code, print_report(report, out))
    _print_failures(failures)
    return 1 if failures else code


def _watch_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("feeds", metavar="FEEDS", help="a text file of feed URLs (one a line) or an OPML file")
    p.add_argument("--every", default="10m", help="poll interval: 30s, 10m, 2h (default 10m)")
    p.add_argument("--once", action="store_true", help="poll once and exit")
    p.add_argument("--workers", type=int, default=8, help="pages fetched at once over all hosts (default 8)")
    fetch_args(p)


@command(
    "watch",
    "Poll RSS/Atom feeds (a list or OPML) and ingest each new item's page; failures are retried next poll.",
    _watch_args,
)
def _watch(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    from .feeds import parse_interval, read_feed_list, watch

    feeds = read_feed_list(args.feeds)
    every = parse_interval(args.every)

    def show(report: PollReport) -> None:
        ingest = report.ingest
        out.write(
            f"polled {report.feeds} feed(s) ({report.not_modified} unchanged): {report.items} item(s), "
            f"{report.known} done before, {ingest.added} added, {ingest.already_present} already present, "
            f"{len(ingest.rejected)} rejected, {len(report.failures)} not fetched\n"
        )
        for rejected in ingest.rejected:
            sys.stderr.write(
                safe(f"rejected: {rejected.origin}: [{rejected.stage}] {rejected.reason}") + "\n"
            )
        _print_failures(report.failures)
        out.flush()

    last = watch(
        tracker, feeds, _policy(args), every_s=every, once=args.once, on_poll=show, workers=args.workers
    )
    return 0 if not last.failures and last.ingest.ok else 1


def _backfill_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL, Parquet, WARC/ARC files or folders")
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="where the per-article stages run: this process (local) or Ray workers (extra [distributed])",
    )
    p.add_argument(
        "--address", help="a running Ray cluster (HOST:PORT or ray://...); default: start one here"
    )
    p.add_argument(
        "--workers", type=int, default=2, help="Ray workers (actors), each loading the models once"
    )


@command(
    "backfill",
    "Backfill archives: per-article stages on Ray workers or locally, then the engine in publication order.",
    _backfill_args,
)
def _backfill(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    from .backfill import backfill

    report = backfill(tracker, args.inputs, engine=args.engine, address=args.address, workers=args.workers)
    out.write(
        f"backfilled {report.inputs} input file(s), {report.documents} document(s): {report.added} added\n"
    )
    for item in report.reports:
        for note in item.analysis:
            out.write(safe(note) + "\n")
    for rejected in report.rejected:
        sys.stderr.write(safe(f"rejected: {rejected.origin}: [{rejected.stage}] {rejected.reason}") + "\n")
    return 0 if not report.rejected else 1
