"""Quotes and speakers on whole German news articles (``../shared/data/wikinews_quotes_de``, CC BY-NC-SA 4.0).

Every quotation of 998 German Wikinews articles is annotated by hand with its span(s), speaker span, cue and
type (Direct, Indirect, FreeIndirect, IndirectFreeIndirect, Reported). How newsloom is scored (the dataset's
README):

1. Each article of the split runs through the entities stage (``extract_mentions``, one ``link_mentions`` call
   over the split) and ``extract_claims``, language ``de``, the whole ``text`` as body so gold offsets index it.
2. A gold quote is **found** when a newsloom claim overlaps one of its spans (any character).
   **Quote precision** = share of newsloom claims that overlap some gold quote.
3. **Right speaker** (for gold quotes with a speaker): some claim overlapping the quote has a speaker that
   (a) names the gold speaker text (``speaker_matches``: comparison-key tokens, fuzzy) or (b) is an entity
   with a mention overlapping the gold speaker span. A gold speaker that is a bare pronoun ("er", "sie") cannot
   be checked without coreference, so the share is also reported over named speakers only.
4. Everything is reported by gold ``type``; Direct is the easy case, Indirect and Reported are most of the data.

Splits: ``dev`` (150 articles, tune here), ``test`` (148, report), ``train`` (700).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Article, Claim, Mention, PublicationDate
from .claims import speaker_matches

SPLITS = ("dev", "test", "train")


@dataclass(frozen=True)
class GoldQuote:
    doc_id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    speaker: str | None
    speaker_spans: tuple[tuple[int, int], ...]


def load_split(folder: Path, split: str) -> tuple[list[Article], list[GoldQuote]]:
    """Articles (German, whole text as body) and gold quotes of ``split``."""
    if split not in SPLITS:
        raise ValueError(f"unknown wikinews_quotes_de split {split!r}; choose one of {', '.join(SPLITS)}")
    path = folder / f"{split}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (is this the wikinews_quotes_de folder?)")
    articles, gold = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        doc = f"wn{row['doc_id']}"
        articles.append(Article(doc, doc, doc, "", row["text"], "de", 1.0, PublicationDate(None, "unknown")))
        for q in row["quotes"]:
            if not q["quote"]:
                continue
            speaker = q["speaker"]
            gold.append(
                GoldQuote(
                    doc,
                    q["type"],
                    tuple((s, e) for s, e in q["quote"]["spans"]),
                    speaker["text"] if speaker else None,
                    tuple((s, e) for s, e in speaker["spans"]) if speaker else (),
                )
            )
    return articles, gold


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(min(e, end) > max(s, start) for s, e in spans)


# Pronouns and relative pronouns that stand as speakers; capitalised at a sentence start ("Er sagte") they are
# still pronouns (the older check took only lowercase words, so "Er" counted as a name).
_PRONOUNS = frozenset(
    [
        "er",
        "sie",
        "es",
        "man",
        "wir",
        "ich",
        "ihr",
        "der",
        "die",
        "das",
        "dieser",
        "diese",
        "welche",
        "welcher",
    ]
)


def is_pronoun_speaker(text: str) -> bool:
    """A gold speaker of one pronoun ("er", "Sie", "man"): unresolvable by span or name without coreference."""
    word = text.strip()
    return " " not in word and (word[:1].islower() or word.lower() in _PRONOUNS)


# Articles, prepositions and the reporting nouns the annotators include in speaker spans ("nach *Angaben des*
# Ministeriums"): a predicted speaker "des" or "Angaben" must not match on them.
_FUNCTION_WORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "von",
        "vom",
        "zum",
        "zur",
        "nach",
        "laut",
        "bei",
        "mit",
        "aus",
        "und",
        "angaben",
        "aussagen",
        "ansicht",
        "meinung",
        "auffassung",
        "einschätzung",
        "informationen",
        "darstellung",
        "sicht",
    ]
)


def _content_words(text: str) -> str:
    return " ".join(w for w in text.split() if w.lower().strip(",.()") not in _FUNCTION_WORDS)


def right_speaker(gold: GoldQuote, claim: Claim, mentions: Sequence[Mention]) -> bool:
    """True when the claim's speaker names the gold speaker or is an entity mentioned at the gold speaker span."""
    if gold.speaker is None:
        return False
    said = _content_words(claim.speaker or "")
    if said and speaker_matches(said, _content_words(gold.speaker) or gold.speaker):
        return True
    return claim.speaker_entity_id is not None and any(
        m.entity_id == claim.speaker_entity_id and _overlaps(gold.speaker_spans, m.start, m.end)
        for m in mentions
    )


def score(gold: Sequence[GoldQuote], claims: Sequence[Claim], mentions: Sequence[Mention]) -> dict[str, Any]:
    """Quote recall and precision, right-speaker shares overall, over named speakers, and by quote type."""
    claims_of: dict[str, list[Claim]] = {}
    for c in claims:
        claims_of.setdefault(c.article_id, []).append(c)
    mentions_of: dict[str, list[Mention]] = {}
    for m in mentions:
        mentions_of.setdefault(m.article_id, []).append(m)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    with_speaker: Counter[str] = Counter()
    right: Counter[str] = Counter()
    named = named_right = 0
    for g in gold:
        hits = [c for c in claims_of.get(g.doc_id, ()) if _overlaps(g.spans, c.start, c.end)]
        total[g.type] += 1
        found[g.type] += bool(hits)
        if g.speaker is None:
            continue
        ok = any(right_speaker(g, c, mentions_of.get(g.doc_id, ())) for c in hits)
        with_speaker[g.type] += 1
        right[g.type] += ok
        if not is_pronoun_speaker(g.speaker):
            named += 1
            named_right += ok
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for g in gold:
        spans_of.setdefault(g.doc_id, []).extend(g.spans)
    precise = sum(_overlaps(spans_of.get(c.article_id, ()), c.start, c.end) for c in claims)
    n_with = sum(with_speaker.values())
    return {
        "gold_quotes": sum(total.values()),
        "gold_with_speaker": n_with,
        "predicted_claims": len(claims),
        "quote_recall": sum(found.values()) / max(1, sum(total.values())),
        "quote_precision": precise / max(1, len(claims)),
        "right_speaker": sum(right.values()) / max(1, n_with),
        "right_speaker_named": named_right / max(1, named),
        "named_speakers": named,
        "by_type": {
            t: {
                "gold": total[t],
                "recall": found[t] / max(1, total[t]),
                "right_speaker": right[t] / max(1, with_speaker[t]),
            }
            for t in sorted(total)
        },
    }


def evaluate_quotes_de(folder: Path, split: str = "dev") -> dict[str, Any]:
    """Run entities and claims over one split and score quotes and speakers.

    >>> evaluate_quotes_de(Path("../shared/data/wikinews_quotes_de"), "test")["right_speaker"]  # doctest: +SKIP
    0.2
    """
    from ..stages.claims import extract_claims
    from ..stages.entities import Gazetteer, extract_mentions, link_mentions

    articles, gold = load_split(folder, split)
    gazetteer, _ = Gazetteer.load()
    found = [m for a in articles for m in extract_mentions(a, gazetteer)]
    linked = link_mentions(found, article_language={a.id: "de" for a in articles}, gazetteer=gazetteer)
    entities = {e.id: e for e in linked.entities}
    per_article: dict[str, list[Mention]] = {}
    for m in linked.mentions:
        per_article.setdefault(m.article_id, []).append(m)
    claims = [c for a in articles for c in extract_claims(a, per_article.get(a.id, []), entities)]
    return {"split": split, "articles": len(articles), **score(gold, claims, linked.mentions)}


def format_quotes_de_report(report: dict[str, Any]) -> str:
    """Plain-text table of ``evaluate_quotes_de``'s report."""
    lines = [
        f"wikinews_quotes_de {report['split']}: {report['articles']} articles, {report['gold_quotes']} gold "
        f"quotes ({report['gold_with_speaker']} with a speaker), {report['predicted_claims']} newsloom claims",
        f"quote recall {report['quote_recall']:.3f}, quote precision {report['quote_precision']:.3f}, right "
        f"speaker {report['right_speaker']:.3f} (named speakers only: {report['right_speaker_named']:.3f} of "
        f"{report['named_speakers']})",
        "",
        f"{'type':<22} {'gold':>5} {'recall':>7} {'right speaker':>14}",
    ]
    for name, row in report["by_type"].items():
        lines.append(f"{name:<22} {row['gold']:>5} {row['recall']:>7.3f} {row['right_speaker']:>14.3f}")
    return "\n".join(lines)


__all__ = [
    "SPLITS",
    "GoldQuote",
    "evaluate_quotes_de",
    "format_quotes_de_report",
    "is_pronoun_speaker",
    "load_split",
    "right_speaker",
    "score",
]
