"""What one server process holds: a store connection per thread, one writer, the embedding model loaded once.

SQLite connections belong to the thread that opened them, and the server answers requests from a thread pool,
so each thread opens its own read connection (WAL mode lets them read while a write is committing). Writes run
on one writer thread with its own tracker, so an ingest never interleaves with a merge and the pipeline's
models load once. The embedding model is the
slow part of a semantic search; it is loaded on first use and shared.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ..config import Settings
from ..errors import InputError
from ..stages.embed import Embedder, Matrix
from ..tracker import Tracker

T = TypeVar("T")


class Workbench:
    """Trackers for one store file, handed out safely across the server's threads.

    >>> bench = Workbench(Settings(db="news.db"))  # doctest: +SKIP
    >>> with bench.reader() as tracker: tracker.events()  # doctest: +SKIP
    """

    def __init__(self, settings: Settings, embedder_factory: Callable[[], Embedder] | None = None) -> None:
        if settings.db == ":memory:":
            raise InputError(
                "the web server needs a store file (each thread opens it); ':memory:' cannot be shared"
            )
        self.settings = settings
        self.path = Path(settings.db)
        self._local = threading.local()
        self._open: list[Tracker] = []
        self._open_lock = threading.Lock()
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsloom-writer")
        self._writer: Tracker | None = None
        self._embed_lock = threading.Lock()
        self._embedder: _Serialised | None = None
        self._embedder_factory = embedder_factory

    def _tracker(self) -> Tracker:
        tracker: Tracker | None = getattr(self._local, "tracker", None)
        if tracker is None:
            tracker = Tracker(self.settings)
            self._local.tracker = tracker
            with self._open_lock:
                self._open.append(tracker)
        return tracker

    @contextmanager
    def reader(self) -> Iterator[Tracker]:
        """This thread's tracker, for queries."""
        yield self._tracker()

    def write(self, work: Callable[[Tracker], T]) -> T:
        """Run ``work`` on the one writer tracker, in its own thread: one write at a time, models loaded once."""
        return self.submit(work).result()

    def submit(self, work: Callable[[Tracker], T]) -> Future[T]:
        """Queue ``work`` for the writer thread and return at once; reads go on meanwhile."""
        return self._writes.submit(self._write, work)

    def _write(self, work: Callable[[Tracker], T]) -> T:
        if self._writer is None:
            self._writer = Tracker(self.settings)
        return work(self._writer)

    def embedder(self) -> Embedder:
        """The embedding model, loaded once per process on first use; calls into it are serialised."""
        with self._embed_lock:
            if self._embedder is None:
                if self._embedder_factory is not None:
                    inner = self._embedder_factory()
                else:
                    from ..stages.embed import E5Embedder

                    inner = E5Embedder(threads=self.settings.embed_threads)
                self._embedder = _Serialised(inner)
            return self._embedder

    def close(self) -> None:
        """Close every connection the threads opened (SQLite allows closing from another thread at shutdown)."""
        with self._open_lock:
            for tracker in self._open:
                try:
                    tracker.close()
                except (
                    Exception
                ):  # a connection bound to a finished thread cannot always be closed; the OS does it
                    continue
            self._open.clear()
        if self._writer is not None:
            self._writes.submit(self._writer.close).result()
        self._writes.shutdown()


class _Serialised:
    """An embedder whose calls never overlap: the engine underneath is not re-entrant."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Matrix:
        with self._lock:
            return self.inner.embed(texts)
