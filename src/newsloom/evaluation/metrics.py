"""Metrics shared by the evaluation suites, benchmarks and quality gates."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping


def prf(tp: int, fp: int, fn: int, *, empty: float = 0.0) -> dict[str, float]:
    """Precision, recall and F1 from counts; ``empty`` is the value of a ratio with nothing to count.

    >>> prf(3, 1, 0)["precision"]
    0.75
    """
    precision = tp / (tp + fp) if tp + fp else empty
    recall = tp / (tp + fn) if tp + fn else empty
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairwise(
    predicted: Mapping[str, Hashable | None], gold: Mapping[str, Hashable | None], *, empty: float = 0.0
) -> dict[str, float]:
    """Pairwise precision/recall/F1 of "in the same group" over the items of ``gold``.

    ``None`` (or a missing prediction) means "in no group", so two ungrouped items are never counted together.

    >>> pairwise({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "x"})["recall"]
    0.3333333333333333
    """
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        pa, pb = predicted.get(a), predicted.get(b)
        same_pred = pa is not None and pa == pb
        same_gold = gold[a] is not None and gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return {**prf(tp, fp, fn, empty=empty), "pairs": float(tp + fn)}
