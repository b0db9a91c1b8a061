"""Storage backends behind one factory; SQLite (a single file, no server) is the default.

A ``postgresql://`` (or ``postgres://``) URL opens :class:`~newsloom.store.postgres.PostgresStore` (extra
``[postgres]``, imported only then); anything else is a SQLite file path or ``:memory:``.
"""

from __future__ import annotations

from pathlib import Path

from .protocol import Store
from .sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store", "is_postgres_url", "open_store"]


def is_postgres_url(location: str | Path) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a SQLite file.

    >>> is_postgres_url("postgresql://localhost/news"), is_postgres_url("news.db")
    (True, False)
    """
    return str(location).startswith(("postgres://", "postgresql://"))


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open the store at ``location``: a PostgreSQL URL, a SQLite file path (created if absent) or ``:memory:``.

    ``read_only`` never creates, migrates or converts a file (read commands use it); a missing store or a file
    that is not a newsloom store is a clear ``StoreError``.

    >>> store = open_store(":memory:")
    """
    text = str(location)
    if is_postgres_url(text):
        from .postgres import PostgresStore  # psycopg is imported only for a PostgreSQL URL

        # A PostgreSQL store is never created by opening it; a migrated one opens without writing.
        return PostgresStore(text)
    return SQLiteStore(text, read_only=read_only)
