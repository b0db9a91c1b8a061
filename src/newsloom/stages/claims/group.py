"""Claim groups: claims about the same proposition, across articles and languages, within one event.

Average-linkage agglomerative clustering per event on a pair score = cosine of the claim-text embeddings plus a
small bonus when the two claims mention a shared entity (speaker excluded). Multilingual embeddings put a claim
and its translation near 0.9 and unrelated sentences near 0.75, so the default threshold sits between; the
entity bonus lets a denial ("Russia denies supplying missiles") join the assertion it answers.

Example::

    grouped = group_claims(claims, {c.id: vec for c, vec in zip(claims, vectors)}, entity_sets)
    grouped[0].claim_group_id  # "cg_…", equal for claims about the same proposition
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from ...models import Claim

DEFAULT_THRESHOLD = 0.85
DEFAULT_ENTITY_BONUS = 0.04
DEFAULT_DENIAL_MARGIN = 0.05  # a cluster of denials joins the claim it answers at threshold minus this


def group_claims(
    claims: Sequence[Claim],
    vectors: Mapping[str, np.ndarray],
    entity_sets: Mapping[str, frozenset[str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    entity_bonus: float = DEFAULT_ENTITY_BONUS,
    denial_margin: float = DEFAULT_DENIAL_MARGIN,
) -> list[Claim]:
    """The claims with ``claim_group_id`` set; groups never cross events (the key includes ``event_id``).

    ``vectors`` maps claim id to an embedding of its quote (any scale; normalised here); a claim without one is
    a group of its own. ``entity_sets`` maps claim id to the entity ids it mentions. Group ids are stable: a
    hash of the event id and the smallest claim id in the group. Output order follows the input.

    Example::

        group_claims([c1, c2], {c1.id: v1, c2.id: v2}, {})[0].claim_group_id
    """
    by_event: dict[str | None, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_event[claim.event_id].append(claim)
    group_of: dict[str, str] = {}
    for event_id, members in by_event.items():
        for cluster in _cluster(members, vectors, entity_sets, threshold, entity_bonus, denial_margin):
            gid = _group_id(event_id, min(c.id for c in cluster))
            for c in cluster:
                group_of[c.id] = gid
    return [dataclasses.replace(c, claim_group_id=group_of[c.id]) for c in claims]


def _group_id(event_id: str | None, first_claim: str) -> str:
    return "cg_" + hashlib.sha1(f"{event_id or ''}:{first_claim}".encode()).hexdigest()[:16]


def _cluster(
    claims: list[Claim],
    vectors: Mapping[str, np.ndarray],
    entity_sets: Mapping[str, frozenset[str]],
    threshold: float,
    bonus: float,
    denial_margin: float = 0.0,
) -> list[list[Claim]]:
    """Average-linkage clusters of claims whose mean pair score reaches ``threshold``."""
    with_vec = [c for c in claims if c.id in vectors]
    singles = [[c] for c in claims if c.id not in vectors]
    if not with_vec:
        return singles
    matrix = np.stack([np.asarray(vectors[c.id], dtype=np.float64) for c in with_vec])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / np.where(norms == 0, 1.0, norms)
    score = matrix @ matrix.T
    for i, a in enumerate(with_vec):
        for j in range(i + 1, len(with_vec)):
            b = with_vec[j]
            shared = (entity_sets.get(a.id, frozenset()) & entity_sets.get(b.id, frozenset())) - {
                a.speaker_entity_id,
                b.speaker_entity_id,
            }
            if shared:
                score[i, j] += bonus
                score[j, i] += bonus
    clusters = _average_linkage(score, threshold)
    clusters = _attach_denials(clusters, with_vec, score, threshold - denial_margin)
    return [[with_vec[i] for i in sorted(cl)] for cl in clusters] + singles


def _average_linkage(score: np.ndarray, threshold: float) -> list[list[int]]:
    """Merge the two clusters with the highest mean pair score while it reaches ``threshold``.

    Between-cluster score sums are kept and updated on each merge (Lance-Williams), so a step costs one pass
    over the cluster matrix instead of re-averaging every pair of clusters; an event with hundreds of claims
    took minutes the naive way. Ties go to the last pair in row-major order, as a nested loop with ``>=``
    would pick.
    """
    count = len(score)
    clusters: list[list[int]] = [[i] for i in range(count)]
    sums = np.array(score, dtype=np.float64)
    sizes = np.ones(count)
    active = list(range(count))
    while len(active) > 1:
        idx = np.array(active)
        means = sums[np.ix_(idx, idx)] / np.outer(sizes[idx], sizes[idx])
        rows, cols = np.triu_indices(len(idx), k=1)
        values = means[rows, cols]
        best = float(values.max())
        if best < threshold:
            break
        pick = int(np.flatnonzero(values == best)[-1])
        x, y = int(idx[rows[pick]]), int(idx[cols[pick]])
        sums[x, :] += sums[y, :]
        sums[:, x] += sums[:, y]
        sizes[x] += sizes[y]
        clusters[x] = clusters[x] + clusters[y]
        active.remove(y)
    return [clusters[i] for i in active]


def _attach_denials(
    clusters: list[list[int]], claims: list[Claim], score: np.ndarray, floor: float
) -> list[list[int]]:
    """Join each cluster made only of denials or doubts to the closest asserting cluster, when close enough.

    A denial is often worded as its object alone ("arms transfers", "эти обвинения"), far in embedding space
    from the claim it answers; it still belongs with that claim in the grid.
    """

    def answering(cluster: list[int]) -> bool:
        return all(claims[i].stance in ("deny", "question") for i in cluster)

    result = [list(c) for c in clusters]
    for cluster in [c for c in clusters if answering(c)]:
        targets = [t for t in result if t != cluster and not answering(t)]
        if not targets:
            continue
        best = max(targets, key=lambda t: float(score[np.ix_(cluster, t)].mean()))
        if float(score[np.ix_(cluster, best)].mean()) >= floor:
            best.extend(cluster)
            result = [c for c in result if c != cluster]
    return result
