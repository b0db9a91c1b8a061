"""Quotes, speakers and stances on SemEval-2022 Task 8 test-split articles in seven languages, two scripts.

The gold (``newsloom/data/eval/semeval_quotes_gold.json``) was written by hand for this purpose: 34 quotes in 21
articles (en, de, es, fr, pl, tr in Latin script; ar in Arabic script), each with its speaker (alternatives
separated by "|") and stance. How it was made and its limits: ``docs/evaluation.md``. How newsloom is scored:

1. Each annotated article runs through ``extract_mentions``, one ``link_mentions`` per language, and
   ``extract_claims`` (language from the corpus; text as in ``pairs_test.jsonl``).
2. A gold quote's span runs from its snippet to the end of the quotation marks around it (or the snippet alone
   for a dash quote). It is **found** when a claim overlaps it.
3. **Right speaker**: a claim overlapping it has a speaker that names one gold alternative (``speaker_matches``).
   **Stance**: the overlapping claim's stance equals the gold stance, over found quotes.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

from ..models import Article, Claim, Mention, PublicationDate
from .claims import speaker_matches


def load_gold() -> list[dict[str, Any]]:
    """The hand-annotated quotes."""
    data = resources.files("newsloom").joinpath("data/eval/semeval_quotes_gold.json").read_text("utf-8")
    rows: list[dict[str, Any]] = json.loads(data)["quotes"]
    return rows


def _span(text: str, snippet: str) -> tuple[int, int]:
    from ..stages.claims.spans import find_quotes

    start = text.find(snippet)
    if start == -1:
        raise ValueError(f"gold snippet {snippet!r} is not in its article")
    around = [q for q in find_quotes(text) if q.inner_start <= start < q.inner_end]
    return (start, around[0].inner_end) if around else (start, start + len(snippet))


def evaluate_quotes_semeval(pairs_test: Path) -> dict[str, Any]:
    """Score newsloom on the hand-annotated SemEval test-split quotes, overall and per language."""
    from ..stages.claims import extract_claims
    from ..stages.entities import Gazetteer, extract_mentions, link_mentions

    if not pairs_test.exists():
        raise FileNotFoundError(f"{pairs_test}: not found (the SemEval pairs_test.jsonl file)")
    gold = load_gold()
    wanted = {(g["pair_id"], g["side"]) for g in gold}
    articles: dict[tuple[str, int], Article] = {}
    for line in pairs_test.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for side in (1, 2):
            if (row["pair_id"], side) in wanted:
                doc = f"{row['pair_id']}:{side}"
                articles[(row["pair_id"], side)] = Article(
                    doc,
                    doc,
                    doc,
                    "",
                    row[f"text{side}"],
                    row[f"lang{side}"],
                    1.0,
                    PublicationDate(None, "unknown"),
                )
    gazetteer, _ = Gazetteer.load()
    claims_of: dict[str, list[Claim]] = {}
    for language in sorted({a.language for a in articles.values()}):
        group = [a for a in articles.values() if a.language == language]
        found = [m for a in group for m in extract_mentions(a, gazetteer)]
        linked = link_mentions(found, article_language={a.id: language for a in group}, gazetteer=gazetteer)
        entities = {e.id: e for e in linked.entities}
        per_article: dict[str, list[Mention]] = {}
        for m in linked.mentions:
            per_article.setdefault(m.article_id, []).append(m)
        for a in group:
            claims_of[a.id] = extract_claims(a, per_article.get(a.id, []), entities)
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    right: Counter[str] = Counter()
    stance: Counter[str] = Counter()
    for g in gold:
        article = articles[(g["pair_id"], g["side"])]
        start, end = _span(article.text, g["snippet"])
        hits = [c for c in claims_of[article.id] if c.start < end and start < c.end]
        for key in ("all", g["lang"]):
            total[key] += 1
            hit[key] += bool(hits)
            right[key] += any(c.speaker and speaker_matches(c.speaker, g["speaker"]) for c in hits)
            stance[key] += bool(hits) and hits[0].stance == g["stance"]
    return {
        key: {
            "gold": total[key],
            "recall": hit[key] / total[key],
            "right_speaker": right[key] / total[key],
            "stance_accuracy": stance[key] / max(1, hit[key]),
        }
        for key in ["all", *sorted(k for k in total if k != "all")]
    }


def format_quotes_semeval_report(report: dict[str, Any]) -> str:
    """Plain-text table of ``evaluate_quotes_semeval``'s report."""
    lines = [
        "semeval test-split quotes (hand-annotated, 7 languages, 2 scripts)",
        f"{'lang':<5} {'gold':>5} {'recall':>7} {'right speaker':>14} {'stance (found)':>15}",
    ]
    for key, row in report.items():
        lines.append(
            f"{key:<5} {row['gold']:>5} {row['recall']:>7.3f} {row['right_speaker']:>14.3f} "
            f"{row['stance_accuracy']:>15.3f}"
        )
    return "\n".join(lines)


__all__ = ["evaluate_quotes_semeval", "format_quotes_semeval_report", "load_gold"]
