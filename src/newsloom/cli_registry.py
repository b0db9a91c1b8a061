"""The sub-command registry shared by the CLI modules (so ``cli`` and ``cli_analysis`` do not import each other).

A command declares how it uses the store: ``"read"`` opens it read-only (never creating, migrating or converting
a file: a missing store is a clear error), ``"write"`` opens or creates it, ``"none"`` needs no store at all.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TextIO

from .progress import Bars, Progress

if TYPE_CHECKING:
    from .tracker import Tracker

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

    def store_use(self, args: argparse.Namespace) -> StoreUse:
        return self.store(args) if callable(self.store) else self.store


COMMANDS: dict[str, Command] = {}


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A command without arguments of its own."""


def command(
    name: str, help: str, arguments: Arguments = _no_arguments, *, store: StoreRule = "write"
) -> Callable[[Handler], Handler]:
    """Register a sub-command: its help line, its handler, its arguments and how it uses the store."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(help, handler, arguments, store)
        return handler

    return register


def progress_bars(stream: TextIO) -> Progress | None:
    # Progress bars only where a person watches; logs and pipes get the summary alone.
    return Bars(stream) if stream.isatty() else None
