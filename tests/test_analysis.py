"""Corpus-level analysis: a stage failing on one article is reported and never stops the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsloom.config import Settings
from newsloom.models import Article, Mention
from newsloom.stages import entities
from newsloom.tracker import Tracker

pytestmark = pytest.mark.slow

GOOD = "Powódź we Wrocławiu\n\nPrezydent Wrocławia Jacek Sutryk powiedział, że woda opada i sytuacja jest stabilna.\n"
BAD = "Storm in Opava\n\nThe mayor of Opava said on Sunday that the river had reached its highest level in decades.\n"


def test_a_failing_article_is_reported_and_the_rest_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = entities.extract_mentions

    def flaky(article: Article, gazetteer: entities.Gazetteer) -> list[Mention]:
        if "Opava" in article.title:
            raise RuntimeError("simulated extractor bug")
        return real(article, gazetteer)

    monkeypatch.setattr(entities, "extract_mentions", flaky)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    with Tracker(Settings(db=str(tmp_path / "t.db"))) as tracker:
        report = tracker.ingest([str(tmp_path)])
        assert report.added == 2
        problem = next(n for n in report.analysis if "skipped" in n)
        assert (
            "entities skipped for" in problem
            and "bad.txt" in problem
            and "simulated extractor bug" in problem
        )
        assert all(a.event_id for a in tracker.articles()), "both articles still get events"
        assert any(e.name.startswith("Jacek") for e in tracker.entities())
