"""The sub-command registry shared by the CLI modules (so ``cli`` and ``cli_analysis`` do not import each other).

A command declares how it uses the store: ``"read"`` opens it read-only (never creating, migrating or converting
a file: a missing store is a clear error), ``"write"`` opens or creates it, ``"none"`` needs no store at all.
"""

from __future__ import annotations

import argparse
import json as jsonlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TextIO, TypeVar

from .progress import Bars, Progress

if TYPE_CHECKING:
    from .tracker import Tracker

T = TypeVar("T")
Handler = Callable[["Tracker", argparse.Namespace, TextIO], int]
Arguments = Callable[[argparse.ArgumentParser], object]
StoreUse = Literal["read", "write", "none"]
#: How a command uses the store, or a function of its arguments saying so (``entities`` reads, ``entities import``
#: writes).
StoreRule = StoreUse | Callable[[argparse.Namespace], StoreUse]


@dataclass(frozen=True)
class Command:
    help: str
    handler: Handler
    arguments: Arguments
    store: StoreRule
    json: bool = False  # takes --json: prints the API's JSON shape instead of a table

    def store_use(self, args: argparse.Namespace) -> StoreUse:
        return self.store(args) if callable(self.store) else self.store


COMMANDS: dict[str, Command] = {}


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A command without arguments of its own."""


def command(
    name: str,
    help: str,
    arguments: Arguments = _no_arguments,
    *,
    store: StoreRule = "write",
    json: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a sub-command: its help line, its handler, its arguments, how it uses the store and whether it
    takes ``--json``."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(help, handler, arguments, store, json)
        return handler

    return register


def progress_bars(stream: TextIO) -> Progress | None:
    # Progress bars only where a person watches; logs and pipes get the summary alone.
    return Bars(stream) if stream.isatty() else None


def listing(items: Sequence[T], shape: Callable[[T], Any]) -> dict[str, Any]:
    """A listing for ``--json``: ``{"items": [...], "total": N}``, each item as the HTTP API shapes it."""
    return {"items": [shape(item) for item in items], "total": len(items)}


def write_json(out: TextIO, value: object) -> int:
    """``--json`` output: indented UTF-8 JSON (text kept as it is, escaped as JSON escapes it); exit code 0."""
    out.write(jsonlib.dumps(value, ensure_ascii=False, indent=2) + "\n")
    return 0
