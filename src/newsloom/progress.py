"""Progress reporting for long work; the library stays silent unless a caller (the CLI) asks for bars."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TextIO, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    """Wraps an iterable so that a person can watch it advance."""

    def track(
        self, items: Iterable[T], desc: str, *, total: int | None = None, unit: str = "doc"
    ) -> Iterator[T]:
        """Yield ``items`` unchanged while showing ``desc`` and the count."""
        ...


class Silent:
    """No progress output (library use, logs, pipes)."""

    def track(
        self, items: Iterable[T], desc: str, *, total: int | None = None, unit: str = "doc"
    ) -> Iterator[T]:
        return iter(items)


class Bars:
    """tqdm bars on ``stream`` (the CLI uses this when standard error is a terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def track(
        self, items: Iterable[T], desc: str, *, total: int | None = None, unit: str = "doc"
    ) -> Iterator[T]:
        from tqdm import tqdm

        return iter(tqdm(items, desc=desc, total=total, unit=unit, file=self.stream, leave=False))
