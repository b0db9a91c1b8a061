"""Operations commands: finish pending analysis, check and repair a store, and the NATS stream (publish, worker)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .cli_registry import command, progress_bars
from .errors import MissingExtra
from .stages.ingest import read_inputs
from .terminal import safe
from .tracker import Tracker

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
