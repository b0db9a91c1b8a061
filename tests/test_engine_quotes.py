"""Quote vectors in the engine: only quotes that grouping compares are encoded, and the groups are unchanged."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.engine.plan import _compared
from newsloom.models import Claim
from newsloom.stages.claims import group_claims


def claim(cid: str, event: str | None) -> Claim:
    return Claim(cid, "a_" + cid, event, "X", None, f"quote {cid}", "assert", "indirect", 0, 8)


def test_a_claim_alone_in_its_event_is_not_encoded() -> None:
    claims = [claim("c1", "e1"), claim("c2", "e1"), claim("c3", "e2"), claim("c4", None), claim("c5", None)]
    assert [c.id for c in _compared(claims)] == ["c1", "c2", "c4", "c5"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["e1", "e2", "e3", None]), min_size=1, max_size=12), st.integers(0, 2**16))
def test_groups_are_the_same_without_the_vectors_of_lone_claims(events: list[str | None], seed: int) -> None:
    rng = np.random.default_rng(seed)
    claims = [claim(f"c{i}", e) for i, e in enumerate(events)]
    # Few directions, so some claims group and some do not.
    basis = rng.normal(size=(3, 8)).astype(np.float32)
    vectors = {c.id: basis[rng.integers(0, 3)] + 0.1 * rng.normal(size=8).astype(np.float32) for c in claims}
    every = group_claims(claims, vectors, {})
    compared = {c.id: vectors[c.id] for c in _compared(claims)}
    assert [c.claim_group_id for c in group_claims(claims, compared, {})] == [c.claim_group_id for c in every]
