"""Quotes and speakers in Czech and Russian sentences (``../shared/data/quotes_cs_ru``): report only.

216 Czech (UD PDT) and 208 Russian (UD SynTagRus) sentences, about half with a quotation, every token tagged
source / cue / content. Too small to split, so no rule is ever tuned on it; it is reported beside the Wikinews
test split as a check on two more languages, one of them in Cyrillic. How newsloom is scored:

1. Each sentence is a document of its own (language from the corpus): ``extract_mentions``, one
   ``link_mentions`` over the language, ``extract_claims``.
2. Quote detection per sentence: a sentence has a predicted quote when newsloom makes a claim in it; precision,
   recall and F1 against ``has_quote``.
3. Content token F1 over sentences with a gold quote: gold content tokens (folded) against the folded words of
   the predicted claims.
4. Right speaker, over sentences with a gold ``source``: a predicted claim's speaker names the gold source
   (``speaker_matches`` against the source tokens and, so inflected forms count, their lemmas) or is an entity
   mentioned inside the gold source's words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..models import Article, Claim, Mention, PublicationDate
from ..text import fold
from .claims import speaker_matches

LANGUAGES = ("cs", "ru")


def load_sentences(folder: Path, language: str) -> list[dict[str, Any]]:
    """The rows of ``<language>.jsonl``."""
    path = folder / f"{language}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (is this the quotes_cs_ru folder?)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _tagged(row: dict[str, Any], tag: str, field: str = "tokens") -> list[str]:
    return [tok for tok, t in zip(row[field], row["tags"], strict=False) if t == tag]


def right_source(row: dict[str, Any], claim: Claim, mentions: Sequence[Mention]) -> bool:
    """True when the claim's speaker names the gold source (surface or lemma) or is mentioned inside it."""
    if not row["source"] or not claim.speaker:
        return False
    words = _tagged(row, "source")
    lemmas = _tagged(row, "source", "lemmas")
    if speaker_matches(claim.speaker, " ".join(words)) or speaker_matches(claim.speaker, " ".join(lemmas)):
        return True
    folded = {fold(w) for w in words if len(w) > 1}
    return claim.speaker_entity_id is not None and any(
        m.entity_id == claim.speaker_entity_id and fold(m.text).split()[0] in folded for m in mentions
    )


def score_language(
    rows: Sequence[dict[str, Any]], claims: Sequence[Claim], mentions: Sequence[Mention]
) -> dict[str, Any]:
    """Detection P/R/F1, content token F1 and right-speaker share for one language's sentences."""
    claims_of: dict[str, list[Claim]] = {}
    for c in claims:
        claims_of.setdefault(c.article_id, []).append(c)
    mentions_of: dict[str, list[Mention]] = {}
    for m in mentions:
        mentions_of.setdefault(m.article_id, []).append(m)
    tp = fp = fn = 0
    overlap = gold_tokens = predicted_tokens = 0
    sources = right = 0
    for row in rows:
        mine = claims_of.get(row["sentence_id"], [])
        tp += bool(mine) and row["has_quote"]
        fp += bool(mine) and not row["has_quote"]
        fn += not mine and row["has_quote"]
        if row["has_quote"]:
            gold = [fold(t) for t in _tagged(row, "content") if any(ch.isalnum() for ch in t)]
            said = [fold(w) for c in mine for w in c.quote.split()]
            said = [w.strip(".,:;!?\"'„“”«»()") for w in said]
            overlap += sum(min(gold.count(w), said.count(w)) for w in set(gold))
            gold_tokens += len(gold)
            predicted_tokens += len(said)
        if row["source"]:
            sources += 1
            right += any(right_source(row, c, mentions_of.get(row["sentence_id"], [])) for c in mine)
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    c_p = overlap / max(1, predicted_tokens)
    c_r = overlap / max(1, gold_tokens)
    return {
        "sentences": len(rows),
        "with_quote": sum(bool(r["has_quote"]) for r in rows),
        "with_source": sources,
        "detection_precision": precision,
        "detection_recall": recall,
        "detection_f1": 2 * precision * recall / max(1e-9, precision + recall),
        "content_f1": 2 * c_p * c_r / max(1e-9, c_p + c_r),
        "right_speaker": right / max(1, sources),
    }


def evaluate_quotes_cs_ru(folder: Path) -> dict[str, Any]:
    """Run entities and claims over every sentence and score each language (report only; never tune on it).

    >>> evaluate_quotes_cs_ru(Path("../shared/data/quotes_cs_ru"))["ru"]["right_speaker"]  # doctest: +SKIP
    0.4
    """
    from ..stages.claims import extract_claims
    from ..stages.entities import Gazetteer, extract_mentions, link_mentions

    gazetteer, _ = Gazetteer.load()
    report: dict[str, Any] = {}
    for language in LANGUAGES:
        rows = load_sentences(folder, language)
        articles = [
            Article(r["sentence_id"], r["sentence_id"], r["sentence_id"], "", r["text"], language, 1.0,
                    PublicationDate(None, "unknown"))
            for r in rows
        ]  # fmt: skip
        found = [m for a in articles for m in extract_mentions(a, gazetteer)]
        linked = link_mentions(
            found, article_language={a.id: language for a in articles}, gazetteer=gazetteer
        )
        entities = {e.id: e for e in linked.entities}
        per_article: dict[str, list[Mention]] = {}
        for m in linked.mentions:
            per_article.setdefault(m.article_id, []).append(m)
        claims = [c for a in articles for c in extract_claims(a, per_article.get(a.id, []), entities)]
        report[language] = score_language(rows, claims, linked.mentions)
    return report


def format_quotes_cs_ru_report(report: dict[str, Any]) -> str:
    """Plain-text table of ``evaluate_quotes_cs_ru``'s report."""
    lines = [
        "quotes_cs_ru (report only, never tuned on): sentence-level quotes and speakers",
        f"{'lang':<5} {'sentences':>9} {'quote P':>8} {'quote R':>8} {'quote F1':>9} {'content F1':>11} "
        f"{'right speaker':>14}",
    ]
    for language, row in report.items():
        lines.append(
            f"{language:<5} {row['sentences']:>9} {row['detection_precision']:>8.3f} "
            f"{row['detection_recall']:>8.3f} {row['detection_f1']:>9.3f} {row['content_f1']:>11.3f} "
            f"{row['right_speaker']:>9.3f} of {row['with_source']}"
        )
    return "\n".join(lines)


__all__ = [
    "LANGUAGES",
    "evaluate_quotes_cs_ru",
    "format_quotes_cs_ru_report",
    "load_sentences",
    "score_language",
]
