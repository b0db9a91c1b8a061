"""Events as bounded happenings, across languages: unit checks of the clusterer's time bound and candidate
choice, and the quality gate on held-out SemEval test pairs (``newsloom eval events``).

Floors sit a little below the measured values (BENCHMARKS.md, section ``events``); raise them when results
improve, lower them only on purpose with the reason in the commit.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pytest

from newsloom.evaluation.events import evaluate_events, format_events_report, score_decisions
from newsloom.stages.cluster import Clusterer
from newsloom.stages.embed import CachedEmbedder, E5Embedder
from newsloom.stages.similarity import ArticleSignal, LanguageBaseline

SHARED = Path(os.environ.get("NEWSLOOM_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
CACHE = Path.home() / ".cache" / "newsloom-tests"

# Held-out SemEval test, run-time entity ids, all texts clustered together (measured 2026-12-02).
TEST_F1_FLOOR = 0.82  # measured 0.849 (embedding-cosine baseline tuned on test 0.861)
TEST_CROSS_F1_FLOOR = 0.50  # measured 0.600 on 55 de-en pairs (baseline 0.615)
TEST_DIFFERENT_TIME_JOINED_CEILING = 0.12  # measured 0.090 of 78 pairs (baseline 0.077)


def _signal(
    aid: str, vec: list[float], date: dt.date | None, lang: str = "en", terms: str = "quake city rescue"
) -> ArticleSignal:
    v = np.asarray(vec, dtype=np.float32)
    words = tuple(terms.split())
    return ArticleSignal(aid, v / np.linalg.norm(v), words, frozenset(words[:1]), date, lang, aid)


def test_follow_up_weeks_later_founds_a_new_event() -> None:
    c = Clusterer(dim=3, window_days=90)
    first = c.assign(_signal("a", [1, 0, 0], dt.date(2024, 6, 1)))
    same = c.assign(_signal("b", [1, 0.01, 0], dt.date(2024, 6, 3)))
    later = c.assign(_signal("c", [1, 0.02, 0], dt.date(2024, 7, 20)))
    assert same.event_id == first.event_id
    assert later.created and later.event_id != first.event_id


def test_undated_article_joins_without_stretching_the_span() -> None:
    c = Clusterer(dim=3, max_span_days=7)
    a = c.assign(_signal("a", [1, 0, 0], dt.date(2024, 6, 1)))
    u = c.assign(_signal("u", [1, 0.01, 0], None))
    late = c.assign(_signal("l", [1, 0.01, 0], dt.date(2024, 6, 12)))
    assert u.event_id == a.event_id
    assert late.event_id != a.event_id  # 11 days after the only dated member


def test_max_span_days_is_checked() -> None:
    with pytest.raises(ValueError, match="max_span_days"):
        Clusterer(dim=3, max_span_days=-1)


def test_candidates_are_ranked_on_language_centred_cosine() -> None:
    """With one candidate slot, the cross-lingual event whose cosine is above its language pair's baseline
    must be the one re-scored, not a same-language event with a higher raw cosine."""
    baseline = LanguageBaseline({"en|en": 0.95, "de|en": 0.70}, same=0.95, cross=0.70, prior_weight=1e9)
    c = Clusterer(dim=3, candidates=1, min_cosine=0.0, threshold=0.45)
    c.baseline = baseline
    c.assign(_signal("en1", [1, -0.15, 0.3], dt.date(2024, 6, 1), "en", "alpha beta gamma"))
    c.assign(_signal("de1", [1, 0.5, 0.45], dt.date(2024, 6, 1), "de"))
    assert c.event_of("en1") != c.event_of("de1")
    probe = _signal("en2", [1, 0, 0.45], dt.date(2024, 6, 1), "en")
    assert c.assign(probe).event_id == c.event_of("de1")


def test_score_decisions_subsets_and_time() -> None:
    pairs = [
        {"overall": 1.0, "time": 1.0, "lang1": "en", "lang2": "en"},
        {"overall": 4.0, "time": 4.0, "lang1": "de", "lang2": "en"},
        {"overall": 1.0, "time": 1.0, "lang1": "de", "lang2": "en"},
    ]
    r = score_decisions(pairs, [True, True, False])
    assert r["monolingual"]["f1"] == 1.0
    assert r["cross-lingual"]["precision"] == 0.0
    assert r["different_time_joined"] == 1.0 and r["different_time_pairs"] == 1


@pytest.mark.slow
def test_semeval_test_events_floors() -> None:
    path = SHARED / "semeval2022_task8" / "pairs_test.jsonl"
    if not path.exists():
        pytest.skip(f"SemEval data not found at {path} (shared evaluation data is not part of the repo)")
    report = evaluate_events(path, CachedEmbedder(E5Embedder(threads=2), CACHE))
    ours = report["newsloom"]
    assert ours["all"]["f1"] >= TEST_F1_FLOOR, format_events_report(report)
    assert ours["cross-lingual"]["f1"] >= TEST_CROSS_F1_FLOOR, format_events_report(report)
    assert ours["different_time_joined"] <= TEST_DIFFERENT_TIME_JOINED_CEILING, format_events_report(report)
