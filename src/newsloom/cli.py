"""Command line: parse, call the tracker once, print. Exit codes: 0 ok, 1 some input rejected, 2 could not run,
3 internal error, 75 store busy, 130 interrupted (see :mod:`newsloom.cli_errors` and ``docs/cli.md``)."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import itertools
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO, TypeVar

from . import __version__, render
from .cli_errors import EXIT_INTERRUPTED, EXIT_OK, check_ids, describe
from .cli_ops import fetch_args, ingest_with_urls
from .cli_registry import COMMANDS, command, listing, progress_bars, write_json
from .config import DEFAULT_DB, load_settings
from .errors import InputError, MissingExtra, NewsloomError
from .shapes import article_summary, item_detail, plain, search_result
from .store.paging import ArticleFilter, walk
from .terminal import safe
from .tracker import DEMO_CORPUS, IngestReport, Tracker

T = TypeVar("T")


#: Rejections printed after an ingest; the store keeps them all.
MAX_PRINTED_REJECTIONS = 200


def _print_ingest(report: IngestReport, out: TextIO) -> int:
    out.write(render.ingest_report(report))
    for rejected in report.rejected[:MAX_PRINTED_REJECTIONS]:
        sys.stderr.write(safe(f"rejected: {rejected.origin}: [{rejected.stage}] {rejected.reason}") + "\n")
    if len(report.rejected) > MAX_PRINTED_REJECTIONS:  # a terminal is no place for 100,000 lines
        more = len(report.rejected) - MAX_PRINTED_REJECTIONS
        sys.stderr.write(f"rejected: ... and {more} more; 'newsloom rejections' lists them all\n")
    return 0 if report.ok else 1


def _ingest_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--follow-links",
        action="store_true",
        default=None,
        help="follow symbolic links that lead out of an input folder (default: they are rejected)",
    )
    fetch_args(p)


@command(
    "ingest",
    "Ingest files, folders (recursively), - (standard input) or http(s) URLs into the store.",
    _ingest_args,
)
def _ingest(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    if any(p.startswith(("http://", "https://")) for p in args.paths):
        return ingest_with_urls(tracker, args, out, _print_ingest)
    stdin = sys.stdin.buffer if "-" in args.paths else None
    return _print_ingest(tracker.ingest(args.paths, stdin=stdin, progress=progress_bars(sys.stderr)), out)


@command(
    "demo", f"Ingest the bundled demo corpus ({DEMO_CORPUS.name}/) and print the events and stories found."
)
def _demo(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    report = tracker.demo(progress=progress_bars(sys.stderr))
    _print_ingest(report, out)
    out.write(render.stories_and_events(tracker.stories(), tracker.events()))
    return 0 if report.ok else 1


def _articles_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--language", help="only articles in this ISO 639-1 language")
    p.add_argument("--event", help="only articles of this event")
    p.add_argument("--limit", type=int, help="at most this many")


@command(
    "articles",
    "List stored articles: id, language, date, duplicate mark, title.",
    _articles_args,
    store="read",
    json=True,
)
def _articles(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    filters = ArticleFilter(language=args.language, event_id=args.event)
    every = walk(functools.partial(tracker.article_page, filters), size=min(max(args.limit or 500, 1), 500))
    articles = list(every if args.limit is None else itertools.islice(every, max(args.limit, 0)))
    if args.json:
        return write_json(out, listing(articles, article_summary))
    out.write(render.article_table(articles))
    return 0


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help="words to find; diacritics and case do not matter ('lodz' finds 'Łódź')")
    p.add_argument("--limit", type=int, default=20)


@command(
    "search",
    "Full-text search over titles and cleaned text, best match first.",
    _search_args,
    store="read",
    json=True,
)
def _search(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    found = tracker.search(args.query, limit=args.limit)
    if args.json:
        return write_json(out, listing(found, lambda a: search_result(a, None)))
    out.write(render.article_table(found))
    return 0


@command(
    "show",
    "Show one article (or unique id prefix), event, story, entity or claim in full.",
    lambda p: p.add_argument("id"),
    store="read",
    json=True,
)
def _show(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    thing = tracker.show(args.id)
    if args.json:
        return write_json(out, item_detail(tracker, thing))
    out.write(render.item(tracker, thing))
    return 0


@command(
    "rejections",
    "List every input that was rejected, with its origin, stage and reason.",
    store="read",
    json=True,
)
def _rejections(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    if args.json:
        return write_json(out, listing(tracker.rejections(), plain))
    for r in tracker.rejections():
        out.write(safe(f"{r.origin}\t{r.stage}\t{r.reason}") + "\n")
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
    "export",
    "Export articles, entities, events, stories and claims as JSON, JSONL or CSV.",
    _export_args,
    store="read",
)
def _export(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            count = tracker.export(args.format, handle, table=args.table)
        sys.stderr.write(safe(f"wrote {count} records to {args.out}") + "\n")
    else:
        tracker.export(args.format, out, table=args.table)
    return 0


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (default: 1); more serve more reads on more cores, read-only (no token)",
    )


@command(
    "serve",
    "Serve the JSON API (/api/v1/) and the web UI over the store; writes need $NEWSLOOM_TOKEN.",
    _serve_args,
)
def _serve(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    try:
        from .web.serve import serve
    except ImportError as exc:  # fastapi, uvicorn or jinja2 missing
        raise MissingExtra(exc.name or "fastapi", "http") from exc
    return serve(tracker, host=args.host, port=args.port, out=out, workers=args.workers)


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--db, --config and --version, accepted before the command and after it.

    On a sub-command the defaults are SUPPRESS, so ``newsloom --db x events`` keeps the value given before the
    command instead of the sub-parser's ``None`` overwriting it.
    """
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        default=default,
        help=f"SQLite store file or postgresql:// URL (default: $NEWSLOOM_DB or ./{DEFAULT_DB})",
    )
    parser.add_argument(
        "--config",
        default=default,
        metavar="FILE",
        help="settings file (TOML; default: $NEWSLOOM_CONFIG or ./newsloom.toml)",
    )
    parser.add_argument("--version", action="version", version=f"newsloom {__version__}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsloom",
        description="Turn news articles in any language into events, stories, entities and claims.",
        epilog=f"The store is a SQLite file or a postgresql:// URL: --db, else $NEWSLOOM_DB, else ./{DEFAULT_DB}. "
        "--db, --config and --version work before or after the command.",
    )
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, spec in COMMANDS.items():
        child = sub.add_parser(name, help=spec.help, description=spec.help)
        _global_options(child, top=False)
        spec.arguments(child)
        if spec.json:
            child.add_argument(
                "--json", action="store_true", help="print JSON (the HTTP API's shape; see docs/cli.md)"
            )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the ``newsloom`` command; exit codes are listed in :mod:`newsloom.cli_errors`."""
    stream = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `newsloom`: the help, on stdout, as a successful answer (docs/cli.md)
        parser.print_help(stream)
        return EXIT_OK
    spec = COMMANDS[args.command]
    use = spec.store_use(args)
    db = getattr(args, "db", None)
    overrides: dict[str, Any] = {"db": db, "follow_links": getattr(args, "follow_links", None)}
    try:
        check_ids(args)
        config = Path(args.config) if args.config else None
        if config is not None and not config.is_file():  # named on purpose, so it must be there
            raise InputError(f"{config}: settings file named by --config does not exist")
        settings = load_settings(overrides, config_file=config)
        if use == "none":  # evaluation and pair scoring make their own temporary stores
            settings = dataclasses.replace(settings, db=":memory:")
        with Tracker(settings, read_only=use == "read") as tracker:
            return spec.handler(tracker, args, stream)
    except KeyboardInterrupt:
        sys.stderr.write("newsloom: interrupted; everything committed before this point is kept\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader left early (| head): not an error; keep Python's exit flush quiet
        if stream is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # every failure ends as one line on stderr, never a traceback
        if os.environ.get("NEWSLOOM_DEBUG") and not isinstance(exc, NewsloomError):
            raise
        code, message = describe(exc, db or os.environ.get("NEWSLOOM_DB") or DEFAULT_DB)
        sys.stderr.write(safe(f"newsloom: error: {message}") + "\n")
        return code


# Registers the analysis (events, entities, claims, evaluation) and operations (analyze, doctor, publish,
# worker) commands in COMMANDS, after this module's own, for the order of the help.
from . import cli_analysis, cli_ops  # noqa: E402, F401
