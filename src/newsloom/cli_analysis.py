"""Analysis commands: events, stories, entities, claims, digest, pair scoring and evaluation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from . import render
from .cli_registry import command, listing, progress_bars, write_json
from .errors import InputError
from .shapes import entity_detail, plain
from .store.paging import walk
from .terminal import safe
from .tracker import Tracker


@command("events", "List events: date span, id, title, article count and languages.", store="read", json=True)
def _events(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    events = list(walk(tracker.event_page))
    if args.json:
        return write_json(out, listing(events, plain))
    out.write(render.event_table(events))
    return 0


@command("stories", "List stories with their events in time order.", store="read", json=True)
def _stories(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    if args.json:
        return write_json(out, listing(tracker.stories(), plain))
    out.write(render.stories_and_events(tracker.stories(), tracker.events()))
    return 0


@command("recluster", "Rebuild entities, events, stories and claims from scratch with the current settings.")
def _recluster(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    out.write(safe("\n".join(tracker.recluster(progress=progress_bars(sys.stderr)))) + "\n")
    return 0


def _entities_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action", nargs="?", choices=["import"], help="'import FILE' reads a Wikidata JSON extract"
    )
    p.add_argument("file", nargs="?", help="the Wikidata JSON dump extract (labels and aliases) to import")
    p.add_argument("--type", choices=["PER", "LOC", "ORG"], help="only entities of this type")
    p.add_argument("--event", help="only entities mentioned in this event")


@command(
    "entities",
    "List entities (people, places, organisations) with mention counts; "
    "'newsloom entities import FILE' extends the gazetteer from a Wikidata JSON extract.",
    _entities_args,
    store=lambda args: "write" if args.action == "import" else "read",
    json=True,
)
def _entities(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "import":
        if not args.file:
            raise InputError("entities import needs a FILE (a Wikidata JSON dump extract)")
        report = tracker.import_entities(Path(args.file))
        out.write(safe(f"imported {report.imported} name record(s) from {args.file}") + "\n")
        for rejected in report.rejected:
            sys.stderr.write(safe(f"rejected: {rejected.origin}: {rejected.reason}") + "\n")
        return 0 if not report.rejected else 1
    entities = tracker.entities(type=args.type, event_id=args.event)
    if args.json:
        return write_json(out, listing(entities, plain))
    out.write(render.entity_table(entities))
    return 0


@command(
    "entity",
    "Show one entity: aliases by language, articles, events and a timeline of mentions.",
    lambda p: p.add_argument("id"),
    store="read",
    json=True,
)
def _entity(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    profile = tracker.entity_profile(args.id)
    if args.json:
        return write_json(out, entity_detail(profile))
    out.write(render.entity_profile(profile))
    return 0


def _merge_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="A", help="entity to merge away")
    p.add_argument("target", metavar="B", help="entity that keeps the merged aliases")


@command(
    "merge-entities",
    "Merge entity A into entity B (an analyst correction kept across reprocessing).",
    _merge_args,
)
def _merge(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    out.write(safe("\n".join(tracker.merge_entities(args.source, args.target))) + "\n")
    return 0


def _split_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="entity to split")
    p.add_argument("alias", help="the alias (surface form) to take out into an entity of its own")


@command("split", "Take one alias out of an entity into its own (an analyst correction kept across reprocessing).",
         _split_args)  # fmt: skip
def _split(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    out.write(safe("\n".join(tracker.split_entity(args.id, args.alias))) + "\n")
    return 0


def _claims_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--event", help="only claims in this event")
    p.add_argument("--entity", help="only claims whose speaker is this entity")


@command(
    "claims",
    "List attributed quotes and claims: stance, speaker, quote, claim group.",
    _claims_args,
    store="read",
    json=True,
)
def _claims(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    claims = tracker.claims(event_id=args.event, entity_id=args.entity)
    if args.json:
        return write_json(out, listing(claims, plain))
    out.write(render.claim_table(claims))
    return 0


def _digest_args(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--event", help="digest of this event")
    group.add_argument("--story", help="digest of this story")
    p.add_argument("--format", choices=["md", "json"], default="md")


@command(
    "digest",
    "English digest (headline, summary, claims, key sentences) of one event or story, or of all stories and "
    "events, as Markdown or JSON.",
    _digest_args,
    store="read",
)
def _digest(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    digest = tracker.digest(event_id=args.event, story_id=args.story, fmt=args.format)
    out.write(digest if args.format == "json" else safe(digest))  # JSON escapes as JSON does
    return 0


def _score_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("pairs", help="JSONL with pair_id, text1, text2 (optional lang1, lang2)")
    p.add_argument("--out", help="file to write (default: standard output)")


@command(
    "score-pairs",
    "Score article pairs: one JSON line per pair with pair_id, similarity and same_event.",
    _score_args,
    store="none",
)
def _score_pairs(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    target = open(args.out, "w", encoding="utf-8") if args.out else out  # noqa: SIM115 - closed below
    try:
        for row in tracker.score_pairs(Path(args.pairs)):
            target.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if args.out:
            target.close()
    return 0


def _eval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("suite", choices=["semeval", "events", "timeline", "demo", "slavicner", "quotes", "digest"],
                   help="semeval: pair similarity and same-event F1; events: same-event decisions on SemEval "
                   "pairs with run-time entity ids, cross-lingual and different-time pairs apart; "
                   "timeline: ML-Crisis timelines; "
                   "demo: the demo corpus's gold events, stories, entities and claims; slavicner: entity "
                   "identity across languages and scripts; quotes: German Wikinews quotes and speakers, plus the "
                   "Czech/Russian sentences and hand-annotated SemEval quotes when present; "
                   "digest: English event-type accuracy and English ML-Crisis timelines (ROUGE-1/2)")  # fmt: skip
    p.add_argument("--pairs", help="semeval, events: the pairs JSONL file with gold 'overall' scores")
    p.add_argument(
        "--data",
        help="timeline: the ML-Crisis folder (articles.jsonl, timelines.jsonl); slavicner, "
        "quotes: the data folder (default ../shared/data/slavicner, .../wikinews_quotes_de); digest: the "
        "shared data folder holding semeval2022_task8 and ml_crisis (default ../shared/data)",
    )
    p.add_argument(
        "--topics",
        help="timeline: comma-separated topics (default: dev topics egypt,libya); "
        "slavicner: split dev|test|unseen; quotes: split dev|test|train (default dev); "
        "events: SemEval split dev|test (default test); digest: ML-Crisis topics (default: test topics syria,yemen)",
    )
    p.add_argument("--json", action="store_true", help="print the full report as JSON")


@command("eval", "Evaluate newsloom with baselines: 'eval semeval --pairs FILE', 'eval events --topics test', "
         "'eval timeline', 'eval demo', "
         "'eval slavicner --topics test', 'eval quotes --topics test', 'eval digest'.",
         _eval_args, store="none")  # fmt: skip
def _eval(tracker: Tracker, args: argparse.Namespace, out: TextIO) -> int:
    report, text = tracker.evaluate(args.suite, pairs=args.pairs, data=args.data, topics=args.topics)
    out.write(
        (json.dumps(report, indent=2, ensure_ascii=False, default=str) if args.json else safe(text)) + "\n"
    )
    return 0
