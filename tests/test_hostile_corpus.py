"""The hostile corpus (tests/hostile_corpus.py) ingested as one folder with good articles: every bad input is
answered with a clear reason, every good article is stored, nothing outside the folder leaks in."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tests.hostile_corpus import SECRET, Corpus, build, check, restore

from newsloom.cli import main
from newsloom.cli_errors import EXIT_REJECTED
from newsloom.config import Settings
from newsloom.tracker import Tracker


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    folder = tmp_path / "hostile"
    folder.mkdir()
    built = build(folder)
    yield built
    restore(built)


@pytest.mark.slow  # ~5 s: a 20 MB line, 100,000 bad records and the language models
def test_every_bad_input_answered_and_every_good_article_stored(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSLOOM_ANALYZE", "false")
    db = str(tmp_path / "h.db")
    out = io.StringIO()
    assert main(["ingest", str(corpus.folder), "--db", db], out=out) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "Traceback" not in err and "\x1b" not in err and "\u202e" not in err  # odd names shown escaped
    exported = io.StringIO()
    assert main(["export", "--format", "json", "--db", db], out=exported) == 0
    articles = json.loads(exported.getvalue())["articles"]
    stored = {a["origin"] for a in articles}
    with Tracker(Settings(db=db)) as tracker:
        rejected = [(r.origin, r.reason) for r in tracker.rejections()]
    missing, unanswered = check(corpus, stored, rejected)
    assert not missing
    assert not unanswered
    assert all(SECRET not in a["text"] and SECRET not in a["title"] for a in articles)
    flood = [origin for origin, _ in rejected if origin.startswith(str(corpus.folder / "flood.jsonl"))]
    assert len(flood) == 21
