"""Quality gate for events and stories: pinned floors on SemEval dev and on the demo corpus's own gold.

Floors sit a little below the measured values (BENCHMARKS.md, section ``events``); raise them when results
improve, lower them only on purpose with the reason in the commit. Embeddings are cached under
``~/.cache/newsloom-tests`` (keyed by model and text hash), so reruns take seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsloom.errors import InputError
from newsloom.evaluation.demo import EventsStageRun, events_stage_on_demo
from newsloom.evaluation.metrics import pairwise
from newsloom.evaluation.semeval import (
    best_threshold,
    evaluate_semeval,
    load_pairs,
    pearson,
    prf,
    score_pairs,
    split_title,
)
from newsloom.evaluation.timeline import date_f1, opening, referenced_days, rouge1_align
from newsloom.stages.embed import CachedEmbedder, E5Embedder

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DATA = Path(__file__).resolve().parents[1] / "src" / "newsloom" / "data"
CACHE = Path.home() / ".cache" / "newsloom-tests"

SEMEVAL_PEARSON_FLOOR = 0.745  # measured 0.754 (embedding-cosine baseline 0.736)
SEMEVAL_F1_FLOOR = 0.855  # measured 0.868, online clusterer over all dev texts (pairwise 0.895)
DEMO_EVENT_F1_FLOOR = 0.88  # measured 0.901 (P 1.0, R 0.819)
DEMO_EVENT_PRECISION_FLOOR = 0.95
DEMO_STORY_PURITY_FLOOR = 0.95  # measured 1.0
DEMO_STORY_F1_FLOOR = 0.70  # measured 0.722 (P 1.0, R 0.565: split flood events lower recall)


@pytest.fixture(scope="module")
def embedder() -> CachedEmbedder:
    return CachedEmbedder(E5Embedder(threads=2), CACHE)


@pytest.mark.slow
def test_semeval_dev_floors(embedder: CachedEmbedder) -> None:
    path = SHARED / "semeval2022_task8" / "pairs_dev.jsonl"
    if not path.exists():
        pytest.skip(f"SemEval data not found at {path} (shared evaluation data is not part of the repo)")
    report = evaluate_semeval(path, embedder)
    assert report["newsloom"]["pearson"] >= SEMEVAL_PEARSON_FLOOR
    assert report["newsloom"]["pearson"] > report["tfidf cosine"]["pearson"]
    assert report["newsloom"]["same_event"]["f1"] >= SEMEVAL_F1_FLOOR


@pytest.fixture(scope="module")
def demo(embedder: CachedEmbedder) -> EventsStageRun:
    """The events stage alone over the demo corpus (per-article pipeline, dedup, embeddings, clusterer, stories)."""
    return events_stage_on_demo(embedder)


@pytest.mark.slow
def test_demo_events_floor(demo: EventsStageRun) -> None:
    predicted = {a.id: demo.clusterer.event_of(a.id) for a in demo.articles}
    scores = pairwise(predicted, demo.gold_event)
    assert scores["precision"] >= DEMO_EVENT_PRECISION_FLOOR, scores
    assert scores["f1"] >= DEMO_EVENT_F1_FLOOR, scores


@pytest.mark.slow
def test_demo_stories_floor(demo: EventsStageRun) -> None:
    by_story: dict[str, list[str]] = {}
    for event_id, story_id in demo.stories.items():
        by_story.setdefault(story_id, []).append(demo.story_truth[event_id])
    purity = sum(Counter(v).most_common(1)[0][1] for v in by_story.values()) / len(demo.stories)
    assert purity >= DEMO_STORY_PURITY_FLOOR
    assert pairwise(demo.stories, demo.story_truth)["f1"] >= DEMO_STORY_F1_FLOOR


# ---- the harness itself (fast: fake embedder, tiny inputs) ---------------------------------------------------


class LetterEmbedder:
    """Deterministic stand-in for a model: normalised letter counts."""

    name = "letters"
    dim = 26

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.array([[t.lower().count(chr(97 + i)) + 0.01 for i in range(26)] for t in texts], np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_score_pairs_output_shape(tmp_path: Path) -> None:
    lines = [
        {"pair_id": "1_2", "text1": "Floods  Water rose in Opava.", "text2": "Floods  Water rose in Opava!"},
        {"pair_id": "3_4", "text1": "Court  Judges annul the vote.", "text2": "Zebra  Quiz jazz fox."},
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    rows = list(score_pairs(load_pairs(path), LetterEmbedder()))
    assert [r["pair_id"] for r in rows] == ["1_2", "3_4"]
    assert rows[0]["similarity"] > rows[1]["similarity"] and rows[0]["same_event"]
    assert all(0.0 <= r["similarity"] <= 1.0 and isinstance(r["same_event"], bool) for r in rows)


def test_load_pairs_rejects_incomplete_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"pair_id": "1"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:1"):
        load_pairs(path)


def test_pearson_prf_and_threshold() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))
    assert prf([True, True, False], [True, False, True]) == pytest.approx(
        {"precision": 0.5, "recall": 0.5, "f1": 0.5, "pairs": 3}
    )
    t, f1 = best_threshold([0.9, 0.8, 0.2], [True, True, False])
    assert f1 == 1.0 and 0.2 < t <= 0.8


@given(st.text(max_size=40), st.text(max_size=200))
def test_split_title_round_trip(title: str, body: str) -> None:
    head, rest = split_title(f"{title.strip()}  {body.strip()}")
    assert (head + " " + rest).split() == (title + " " + body).split() or head == ""


def test_rouge_alignment_and_date_f1() -> None:
    d = dt.date(2011, 1, 25)
    gold = {d: "protests in cairo", d + dt.timedelta(days=10): "mubarak resigns"}
    assert rouge1_align(gold, gold)["f1"] == pytest.approx(1.0)
    shifted = {d + dt.timedelta(days=1): "protests in cairo"}
    r = rouge1_align(shifted, gold)
    assert 0 < r["precision"] < 1 and r["recall"] < r["precision"]
    assert date_f1({d}, set(gold)) == pytest.approx(2 / 3)
    assert date_f1(set(), set(gold)) == 0.0


def test_referenced_days_keeps_recent_day_values() -> None:
    article = {"date": "2011-01-26", "timex_auto": [
        {"type": "DATE", "value": "2011-01-25"}, {"type": "DATE", "value": "2010-01-25"},
        {"type": "DATE", "value": "FUTURE_REF"}, {"type": "DURATION", "value": "P8D"},
    ]}  # fmt: skip
    assert referenced_days(article) == [dt.date(2011, 1, 25)]
    assert opening("One. Two three. Four five six.", max_words=3) == "One. Two three."
