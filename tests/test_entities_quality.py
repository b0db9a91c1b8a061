"""Quality gate: pinned floors for the name-variant table and the demo entity gold (raise when results improve)."""

from __future__ import annotations

import pytest

from newsloom.stages.entities import Gazetteer
from newsloom.stages.entities.evaluate import DEMO, DEMO_GOLD, VARIANTS, evaluate_mentions, evaluate_variants

# Measured 2026-11-23: variants P 1.000 R 0.967 F1 0.983; demo typed mentions P 0.953 R 0.892 F1 0.922,
# demo linking F1 0.984. Floors sit a little below.
VARIANT_F1 = 0.96
VARIANT_PRECISION = 0.98
MENTION_F1 = 0.90
MENTION_PRECISION = 0.93
DEMO_LINKING_F1 = 0.95


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()[0]


def test_variant_table_is_big_and_varied_enough() -> None:
    import json

    rows = [json.loads(line) for line in VARIANTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    langs = {r["lang_a"] for r in rows} | {r["lang_b"] for r in rows}
    assert len(rows) >= 100 and len(langs) >= 6
    assert sum(not r["same"] for r in rows) >= 30  # hard negatives
    texts = " ".join(r["a"] + r["b"] for r in rows)
    assert any("\u0400" <= c <= "\u04ff" for c in texts) and any("\u0370" <= c <= "\u03ff" for c in texts)


@pytest.mark.slow
def test_linking_floor_on_variant_table(gaz: Gazetteer) -> None:
    scores = evaluate_variants(VARIANTS, gaz)
    assert scores["f1"] >= VARIANT_F1, scores["errors"]
    assert scores["precision"] >= VARIANT_PRECISION, scores["errors"]


@pytest.mark.slow
def test_mention_and_linking_floor_on_demo_gold(gaz: Gazetteer) -> None:
    if not DEMO_GOLD.exists() or not DEMO.exists():
        pytest.skip("demo corpus or entity gold not packaged")
    scores = evaluate_mentions(DEMO_GOLD, DEMO, gaz)
    typed = scores["typed"]
    assert isinstance(typed, dict)
    assert typed["f1"] >= MENTION_F1, scores["errors"]
    assert typed["precision"] >= MENTION_PRECISION, scores["errors"]
    linking = scores["linking"]
    assert isinstance(linking, dict) and linking["f1"] >= DEMO_LINKING_F1
