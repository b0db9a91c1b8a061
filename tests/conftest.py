"""Shared fixtures: small in-memory articles and a temporary store."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from newsloom.models import Article, PublicationDate
from newsloom.store import SQLiteStore

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


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    with SQLiteStore(tmp_path / "test.db") as s:
        yield s
