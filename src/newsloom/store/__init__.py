"""Storage backends behind one factory; SQLite (a single file, no server) is the default."""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from .protocol import Store
from .sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store", "open_store"]


def open_store(location: str | Path, *, read_only: bool = False) -> SQLiteStore:
    """Open the store at ``location``: a SQLite file path (created if absent) or ``:memory:``.

    ``read_only`` never creates, migrates or converts a file (read commands use it); a missing store or a file
    that is not a newsloom store is a clear ``StoreError``.

    >>> store = open_store(":memory:")
    """
    text = str(location)
    if text.startswith(("postgres://", "postgresql://")):
        raise StoreError(f"{text}: this version stores in SQLite only; give a file path (e.g. newsloom.db)")
    return SQLiteStore(text, read_only=read_only)
