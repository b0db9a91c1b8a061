"""Publication-date recovery from article text alone: ML-Crisis articles with their date metadata removed.

Each article goes through the real per-article pipeline (clean, language, dates) as a plain-text document with
no metadata; the recovered date is compared with the corpus's publication date. A wrong date is worse than none,
so the report counts wrong dates apart from missing ones.

>>> score([(dt.date(2011, 1, 26), dt.date(2011, 1, 26)), (dt.date(2011, 1, 26), None)])["exact"]
0.5
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..config import Settings
from ..models import PublicationDate, RawDocument
from ..pipeline import Pipeline

DEV_TOPICS = ("egypt", "libya")
TEST_TOPICS = ("syria", "yemen")
# The day the evaluation pretends it is: after every article, so "no date after today" never decides.
TODAY = dt.date(2024, 1, 1)


def load_articles(path: Path, topics: Sequence[str]) -> list[dict[str, Any]]:
    """ML-Crisis rows of ``topics`` (``articles.jsonl``)."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if row["topic"] in topics]


def document(row: dict[str, Any]) -> RawDocument:
    """The article as a plain-text document without date metadata (the declared language is kept)."""
    return RawDocument(row["id"], row["id"], row["text"], "text", language=row["lang"])


def pipeline_dates(
    rows: Iterable[dict[str, Any]], pipeline: Pipeline | None = None
) -> list[tuple[dt.date, PublicationDate | None]]:
    """(gold, recovered) for each row; ``None`` when the pipeline rejected the document."""
    pipe = pipeline or Pipeline(Settings(), today=TODAY)
    out: list[tuple[dt.date, PublicationDate | None]] = []
    for row in rows:
        article = pipe.process(document(row))
        out.append((dt.date.fromisoformat(row["date"]), getattr(article, "published", None)))
    return out


def score(pairs: Sequence[tuple[dt.date, dt.date | None]]) -> dict[str, float]:
    """Shares of all articles: exact, within 1 and 7 days, dated, wrong (dated, more than 1 day off)."""
    n = len(pairs)
    deltas = [abs((got - gold).days) for gold, got in pairs if got is not None]
    share: Callable[[int], float] = lambda k: round(k / n, 4) if n else 0.0  # noqa: E731
    return {
        "n": n,
        "dated": share(len(deltas)),
        "exact": share(sum(d == 0 for d in deltas)),
        "within_1": share(sum(d <= 1 for d in deltas)),
        "within_7": share(sum(d <= 7 for d in deltas)),
        "wrong": share(sum(d > 1 for d in deltas)),
        "wrong_over_7": share(sum(d > 7 for d in deltas)),
        "precision": round(sum(d <= 1 for d in deltas) / len(deltas), 4) if deltas else 0.0,
    }
