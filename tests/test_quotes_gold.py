"""Quotes and speakers on real held-out news: the report-only Czech/Russian scorer and pinned floors.

Floors sit a little below the figures measured on 2026-12-02 (BENCHMARKS.md, section "claims-gold"); raise them
when results improve, lower them only on purpose with a reason in the commit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from newsloom.evaluation.quotes_cs_ru import score_language
from newsloom.evaluation.quotes_de import is_pronoun_speaker
from newsloom.models import Claim, Mention

SHARED_DATA = Path(
    os.environ.get("NEWSLOOM_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
QUOTES = SHARED_DATA / "wikinews_quotes_de"
QUOTES_CS_RU = SHARED_DATA / "quotes_cs_ru"


def _row(sid: str, tokens: list[str], lemmas: list[str], tags: list[str]) -> dict[str, Any]:
    source = " ".join(t for t, g in zip(tokens, tags, strict=True) if g == "source") or None
    return {
        "sentence_id": sid,
        "text": " ".join(tokens),
        "tokens": tokens,
        "lemmas": lemmas,
        "tags": tags,
        "source": source,
        "has_quote": "content" in tags,
    }


def test_capitalised_pronoun_speakers_are_pronouns() -> None:
    assert is_pronoun_speaker("Er") and is_pronoun_speaker("sie") and is_pronoun_speaker("Die")
    assert not is_pronoun_speaker("Merkel") and not is_pronoun_speaker("die Polizei")


def test_cs_ru_scorer_counts_detection_content_and_lemma_speakers() -> None:
    rows = [
        _row(
            "s1",
            ["Путина", "заявил", ",", "что", "война", "идёт"],
            ["Путин", "заявить", ",", "что", "война", "идти"],
            ["source", "cue", "O", "O", "content", "content"],
        ),
        _row("s2", ["Погода", "хорошая"], ["погода", "хороший"], ["O", "O"]),
        _row(
            "s3",
            ["Иван", "сказал", ",", "что", "да", "нет"],
            ["Иван", "сказать", ",", "что", "да", "нет"],
            ["source", "cue", "O", "O", "content", "content"],
        ),
    ]
    claims = [
        Claim("c1", "s1", None, "Putin", "E1", "война идёт", "assert", "indirect", 0, 5),
        Claim("c2", "s2", None, "Ivan", None, "Погода хорошая", "assert", "indirect", 0, 5),
    ]
    mentions = [Mention("s1", "Путина", 0, 6, "PER", "putin", "E1")]
    report = score_language(rows, claims, mentions)
    assert report["detection_precision"] == 0.5 and report["detection_recall"] == 0.5
    assert report["right_speaker"] == 0.5  # s1 by lemma / mention; s3 missed
    assert 0 < report["content_f1"] < 1


@pytest.mark.slow
def test_cs_ru_report_runs_when_present() -> None:
    if not QUOTES_CS_RU.exists():
        pytest.skip("../shared/data/quotes_cs_ru is absent")
    from newsloom.evaluation.quotes_cs_ru import evaluate_quotes_cs_ru

    report = evaluate_quotes_cs_ru(QUOTES_CS_RU)
    assert set(report) == {"cs", "ru"}
    assert report["cs"]["sentences"] == 216 and report["ru"]["sentences"] == 208
