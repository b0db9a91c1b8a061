"""Command line: parse, call the tracker once, print. Exit codes: 0 ok, 1 some input rejected, 2 error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO, TypeVar

from . import render
from .config import DEFAULT_DB, load_settings
from .errors import NewsloomError
from .progress import Bars, Progress
from .tracker import DEMO_CORPUS, IngestReport, Tracker

T = TypeVar("T")
Handler = Callable[[Tracker, argparse.Namespace, TextIO], int]
COMMANDS: dict[str, tuple[str, Handler, Callable[[argparse.ArgumentParser], object]]] = {}


Arguments = Callable[[argparse.ArgumentParser], object]


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A command without arguments of its own."""


def command(name: str, help: str, arguments: Arguments = _no_arguments) -> Callable[[Handler], Handler]:
    """Register a sub-command: its help line, its handler and its arguments."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = (help, handler, arguments)
        return handler

    return register


def _progress(stream: TextIO) -> Progress | None:
    # Progress bars only where a person watches; logs and pipes get the summary alone.
    return Bars(stream) if stream.isatty() else None


def _print_ingest(report: IngestReport, out: TextIO) -> int:
    out.write(render.ingest_report(report))
    for rejected in report.rejected:
        sys.stderr.write(f"rejected: {rejected.origin}: [{rejected.stage}] {rejected.reason}\n")
    return 0 if report.ok else 1


@command(
    "ingest",
    "Ingest files, folders (recursively) or - (standard input) into the store.",
    lambda p: p.add_argument("paths", nargs="+", metavar="PATH"),
)
def _ingest(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    stdin = sys.stdin.buffer if "-" in args.paths else None
    return _print_ingest(tracker.ingest(args.paths, stdin=stdin, progress=_progress(sys.stderr)), out)


@command(
    "demo", f"Ingest the bundled demo corpus ({DEMO_CORPUS.name}/) and print the events and stories found."
)
def _demo(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    report = tracker.demo(progress=_progress(sys.stderr))
    _print_ingest(report, out)
    out.write(render.stories_and_events(tracker.stories(), tracker.events()))
    return 0 if report.ok else 1


def _articles_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--language", help="only articles in this ISO 639-1 language")
    p.add_argument("--event", help="only articles of this event")
    p.add_argument("--limit", type=int, help="at most this many")


@command("articles", "List stored articles: id, language, date, duplicate mark, title.", _articles_args)
def _articles(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    out.write(
        render.article_table(tracker.articles(language=args.language, event_id=args.event, limit=args.limit))
    )
    return 0


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help="words to find; diacritics and case do not matter ('lodz' finds 'Łódź')")
    p.add_argument("--limit", type=int, default=20)


@command("search", "Full-text search over titles and cleaned text, best match first.", _search_args)
def _search(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    out.write(render.article_table(tracker.search(args.query, limit=args.limit)))
    return 0


@command(
    "show",
    "Show one article (or unique id prefix), event, story, entity or claim in full.",
    lambda p: p.add_argument("id"),
)
def _show(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    out.write(render.item(tracker, tracker.show(args.id)))
    return 0


@command("rejections", "List every input that was rejected, with its origin, stage and reason.")
def _rejections(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    for r in tracker.rejections():
        out.write(f"{r.origin}\t{r.stage}\t{r.reason}\n")
    return 0


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["json", "jsonl", "csv"], default="json")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.add_argument(
        "--table",
        default="articles",
        choices=["articles", "entities", "events", "stories", "claims"],
        help="which table to write as CSV (json and jsonl always hold everything)",
    )


@command(
    "export", "Export articles, entities, events, stories and claims as JSON, JSONL or CSV.", _export_args
)
def _export(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            count = tracker.export(args.format, handle, table=args.table)
        sys.stderr.write(f"wrote {count} records to {args.out}\n")
    else:
        tracker.export(args.format, out, table=args.table)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsloom",
        description="Turn news articles in any language into events, stories, entities and claims.",
        epilog=f"The store is a SQLite file or a postgresql:// URL: --db, else $NEWSLOOM_DB, else ./{DEFAULT_DB}.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, _, arguments) in COMMANDS.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        child.add_argument(
            "--db", help=f"SQLite store file or postgresql:// URL (default: $NEWSLOOM_DB or ./{DEFAULT_DB})"
        )
        arguments(child)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the ``newsloom`` command."""
    stream = out or sys.stdout
    args = build_parser().parse_args(argv)
    overrides: dict[str, Any] = {"db": args.db}
    try:
        settings = load_settings(overrides)
        with Tracker(settings) as tracker:
            return COMMANDS[args.command][1](tracker, args, stream)
    except NewsloomError as exc:
        sys.stderr.write(f"newsloom: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("newsloom: interrupted; everything committed before this point is kept\n")
        return 130


# Registers the analysis commands (events, entities, claims, evaluation) in COMMANDS; kept in its own module.
from . import cli_analysis  # noqa: E402, F401
