"""Entity identity across inflection, language and script on SlavicNER (bg, ru, uk, cs, pl, sl).

SlavicNER (``../shared/data/slavicner/<topic>/<lang>.jsonl``, see its README) annotates every entity mention of
5,017 real news articles by hand with offsets, base form (lemma), category and a cross-lingual entity id
("Путина", "Putinowi", "Vladimira Putina" -> ``PER-Vladimir-Putin``). How newsloom is scored:

1. The articles of one split are given to the entities stage exactly as the pipeline does: ``extract_mentions``
   on each article (language from the corpus, the whole ``text`` as body so gold offsets index it), then one
   ``link_mentions`` call over all of them.
2. Each gold mention is aligned to the newsloom mention of the same article that overlaps it most (any
   character overlap); a gold mention with none is "not linked". A newsloom mention strictly inside a gold
   mention of another category names a nested entity (the country in "МИД Великобритании") and is not aligned.
3. Pairwise identity over gold mentions: recall = share of same-gold-id pairs that share one newsloom entity,
   precision = share of one-entity pairs that share one gold id (unlinked mentions are in no entity, so they
   cost recall). Reported overall and restricted to cross-document, cross-language and cross-script pairs, and
   per gold category. Counted from contingency tables, so no pair list is ever built.
4. Display names: every newsloom entity with aligned gold mentions is judged against its majority gold id.
   The name is ``base`` when it equals (after romanisation and case folding) one of that id's gold lemmas in any
   language, ``inflected`` when it equals one of its surface forms that is no lemma (a genitive "Putina" as a
   name), ``other`` otherwise (an English exonym, a partial name).

Splits (the two upstream splits overlap, so they are combined as its README says): ``dev`` = articles ``train``
in both splits, a deterministic sample (by a hash of ``doc_id``) of ``DEV_SAMPLE``; ``test`` =
``split_cross_topic == "test"`` (470 articles, all topics); ``unseen`` = the held-out topic ``us_election_2020``.
Tune on ``dev`` only.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

from anyascii import anyascii

from ..models import Article, Entity, Mention, PublicationDate
from .metrics import prf

SPLITS = ("dev", "test", "unseen")
DEV_SAMPLE = 600
INGEST_BATCH = 200  # articles per ingest transaction (the engine's default ``batch_size``)
_UNSEEN_TOPIC = "us_election_2020"


@dataclass(frozen=True)
class GoldMention:
    doc_id: str
    lang: str
    script: str
    start: int
    end: int
    surface: str
    lemma: str
    category: str
    entity: str


def _in_split(row: dict[str, Any], split: str) -> bool:
    if split == "test":
        return bool(row["split_cross_topic"] == "test")
    if split == "unseen":
        return bool(row["split_single_topic_out"] == "test")
    return bool(row["split_cross_topic"] == "train" and row["split_single_topic_out"] == "train")


def _sample_rank(doc_id: str) -> str:
    return hashlib.sha1(doc_id.encode()).hexdigest()


def load_split(folder: Path, split: str, sample: int | None = None) -> list[dict[str, Any]]:
    """Articles of ``split`` (``dev``, ``test``, ``unseen``), in ``doc_id`` order; ``dev`` is sampled.

    ``sample`` caps the number of articles (a hash of ``doc_id`` picks them, so the sample never changes).
    """
    if split not in SPLITS:
        raise ValueError(f"unknown SlavicNER split {split!r}; choose one of {', '.join(SPLITS)}")
    files = sorted(folder.glob("*/*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{folder}: no <topic>/<lang>.jsonl files (is this the slavicner folder?)")
    rows = [
        row
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for row in [json.loads(line)]
        if _in_split(row, split)
    ]
    cap = sample if sample is not None else (DEV_SAMPLE if split == "dev" else None)
    if cap is not None and len(rows) > cap:
        rows = sorted(rows, key=lambda r: _sample_rank(r["doc_id"]))[:cap]
    return sorted(rows, key=lambda r: r["doc_id"])


def articles_and_gold(rows: Iterable[dict[str, Any]]) -> tuple[list[Article], list[GoldMention]]:
    """Articles as the entities stage sees them (whole text as body) and their gold mentions."""
    articles, gold = [], []
    for row in rows:
        articles.append(
            Article(
                row["doc_id"],
                row["doc_id"],
                row["doc_id"],
                "",
                row["text"],
                row["lang"],
                1.0,
                PublicationDate(None, "unknown"),
            )
        )
        for start, end, surface, lemma, category, entity in row["mentions"]:
            gold.append(
                GoldMention(
                    row["doc_id"], row["lang"], row["script"], start, end, surface, lemma, category, entity
                )
            )
    return articles, gold


def _nested_other_kind(g: GoldMention, m: Mention) -> bool:
    """A newsloom mention strictly inside a gold mention of another kind ("Великобритании" in the ORG "МИД
    Великобритании", "Ukrajině" in the event "válka na Ukrajině") names a different, nested entity."""
    inside = g.start <= m.start and m.end <= g.end and (m.start, m.end) != (g.start, g.end)
    return inside and m.type != g.category


def align(gold: Sequence[GoldMention], predicted: Sequence[Mention]) -> list[Mention | None]:
    """For each gold mention, the predicted mention of the same article overlapping it most (or None).

    A predicted mention nested strictly inside a gold mention of another category is not its alignment.
    """
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in predicted:
        by_doc[m.article_id].append(m)
    out: list[Mention | None] = []
    for g in gold:
        best, best_overlap = None, 0
        for m in by_doc.get(g.doc_id, ()):
            overlap = min(m.end, g.end) - max(m.start, g.start)
            if overlap > best_overlap and not _nested_other_kind(g, m):
                best, best_overlap = m, overlap
        out.append(best)
    return out


def _pair_counts(
    items: Sequence[tuple[str, str | None]], within: Sequence[Hashable] | None = None
) -> tuple[int, int, int]:
    """(true pairs, predicted-same pairs, gold-same pairs) over items (gold id, predicted id or None).

    With ``within``, only pairs whose two items share the ``within`` value are counted.
    """
    groups: Sequence[Hashable] = within if within is not None else [0] * len(items)
    gold_n: Counter[tuple[Hashable, str]] = Counter()
    pred_n: Counter[tuple[Hashable, str]] = Counter()
    both_n: Counter[tuple[Hashable, str, str]] = Counter()
    for (g, p), w in zip(items, groups, strict=True):
        gold_n[(w, g)] += 1
        if p is not None:
            pred_n[(w, p)] += 1
            both_n[(w, g, p)] += 1
    return (
        sum(comb(n, 2) for n in both_n.values()),
        sum(comb(n, 2) for n in pred_n.values()),
        sum(comb(n, 2) for n in gold_n.values()),
    )


def _scores(tp: int, same_pred: int, same_gold: int) -> dict[str, float]:
    return {**prf(tp, same_pred - tp, same_gold - tp), "pairs": float(same_gold)}


def pairwise_identity(
    gold: Sequence[GoldMention], entity_of: Sequence[str | None]
) -> dict[str, dict[str, float]]:
    """Pairwise P/R/F1 of "one gold id = one newsloom entity": all pairs, and cross-document/-language/-script.

    >>> g = [GoldMention("d1", "pl", "Latn", 0, 1, "a", "a", "PER", "X"),
    ...      GoldMention("d2", "ru", "Cyrl", 0, 1, "b", "b", "PER", "X")]
    >>> pairwise_identity(g, ["E1", "E1"])["cross_script"]["recall"]
    1.0
    """
    items = [(g.entity, p) for g, p in zip(gold, entity_of, strict=True)]
    total = _pair_counts(items)
    out = {"all": _scores(*total)}
    splits: dict[str, Callable[[GoldMention], Hashable]] = {
        "cross_document": lambda g: g.doc_id,
        "cross_language": lambda g: g.lang,
        "cross_script": lambda g: g.script,
    }
    for name, key in splits.items():
        inner = _pair_counts(items, [key(g) for g in gold])
        out[name] = _scores(*(t - i for t, i in zip(total, inner, strict=True)))
    return out


def fold_name(text: str) -> str:
    """Romanised, case-folded, single-spaced form used to compare names across scripts."""
    return " ".join(anyascii(text).casefold().replace("'", " ").replace("-", " ").split())


def display_name_forms(
    gold: Sequence[GoldMention], aligned: Sequence[Mention | None], entities: Iterable[Entity]
) -> dict[str, Any]:
    """Share of newsloom entities whose display name is a gold base form, an inflected form, or neither."""
    lemmas: dict[str, set[str]] = defaultdict(set)
    surfaces: dict[str, set[str]] = defaultdict(set)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for g, m in zip(gold, aligned, strict=True):
        lemmas[g.entity].add(fold_name(g.lemma))
        surfaces[g.entity].add(fold_name(g.surface))
        if m is not None and m.entity_id is not None:
            votes[m.entity_id][g.entity] += 1
    counts: Counter[str] = Counter()
    weighted: Counter[str] = Counter()
    inflected_examples: list[str] = []
    for entity in entities:
        if entity.id not in votes:
            continue
        gid, _ = votes[entity.id].most_common(1)[0]
        name = fold_name(entity.name)
        kind = "base" if name in lemmas[gid] else "inflected" if name in surfaces[gid] else "other"
        counts[kind] += 1
        weighted[kind] += sum(votes[entity.id].values())
        if kind == "inflected" and len(inflected_examples) < 25:
            inflected_examples.append(f"{entity.name} ({gid}; lemmas: {', '.join(sorted(lemmas[gid])[:3])})")
    n, w = max(1, sum(counts.values())), max(1, sum(weighted.values()))
    return {
        "entities": sum(counts.values()),
        **{f"{k}_share": counts[k] / n for k in ("base", "inflected", "other")},
        **{f"{k}_share_by_mentions": weighted[k] / w for k in ("base", "inflected", "other")},
        "inflected_examples": inflected_examples,
    }


def _worst_splits(gold: Sequence[GoldMention], entity_of: Sequence[str | None], top: int = 15) -> list[str]:
    """The most-mentioned gold ids split over most newsloom entities, with the surfaces of each part."""
    parts: dict[str, dict[str | None, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for g, p in zip(gold, entity_of, strict=True):
        parts[g.entity][p][g.surface] += 1
    ranked = sorted(parts.items(), key=lambda kv: -sum(sum(c.values()) for c in kv[1].values()))
    out = []
    for gid, pieces in ranked[: top * 3]:
        if len(pieces) < 2:
            continue
        shown = "; ".join(
            f"{p or 'unlinked'}: {', '.join(s for s, _ in c.most_common(3))}"
            for p, c in sorted(pieces.items(), key=lambda kv: -sum(kv[1].values()))[:4]
        )
        out.append(f"{gid} in {len(pieces)} parts -> {shown}")
        if len(out) >= top:
            break
    return out


def _wrong_merges(gold: Sequence[GoldMention], entity_of: Sequence[str | None], top: int = 15) -> list[str]:
    """Newsloom entities holding mentions of several gold ids, largest minority first."""
    members: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, entity_of, strict=True):
        if p is not None:
            members[p][g.entity] += 1
    mixed = [(p, c) for p, c in members.items() if len(c) > 1]
    mixed.sort(key=lambda pc: -(sum(pc[1].values()) - pc[1].most_common(1)[0][1]))
    return [f"{p}: {', '.join(f'{g} x{n}' for g, n in c.most_common(4))}" for p, c in mixed[:top]]


def evaluate_slavicner(folder: Path, split: str = "dev", sample: int | None = None) -> dict[str, Any]:
    """Run mention finding and linking over one split and score entity identity and display names.

    >>> report = evaluate_slavicner(Path("../shared/data/slavicner"), "test")  # doctest: +SKIP
    >>> report["pairwise"]["cross_script"]["recall"]  # doctest: +SKIP
    0.3
    """
    from ..stages.entities import Gazetteer, extract_mentions, link_mentions
    from ..stages.entities.incremental import link_in_batches

    rows = load_split(folder, split, sample)
    articles, gold = articles_and_gold(rows)
    gazetteer, _ = Gazetteer.load()
    found = [m for a in articles for m in extract_mentions(a, gazetteer)]
    language = {a.id: a.language for a in articles}
    result = link_mentions(found, article_language=language, gazetteer=gazetteer)
    # The product links on ingest, batch by batch against the stored name index: score that path too, so a rule
    # only the whole-corpus linker has shows up as a gap between the two.
    batched, batch_entities = link_in_batches(
        found, article_language=language, gazetteer=gazetteer, batch_size=INGEST_BATCH
    )
    batch_of = [m.entity_id if m is not None else None for m in align(gold, batched)]
    aligned = align(gold, result.mentions)
    entity_of = [m.entity_id if m is not None else None for m in aligned]
    by_category: dict[str, dict[str, float]] = {}
    for category in sorted({g.category for g in gold}):
        idx = [i for i, g in enumerate(gold) if g.category == category]
        by_category[category] = pairwise_identity([gold[i] for i in idx], [entity_of[i] for i in idx])["all"]
    return {
        "split": split,
        "articles": len(articles),
        "languages": dict(sorted(Counter(a.language for a in articles).items())),
        "gold_mentions": len(gold),
        "gold_entities": len({g.entity for g in gold}),
        "predicted_mentions": len(result.mentions),
        "predicted_entities": len(result.entities),
        "linked_share": sum(p is not None for p in entity_of) / max(1, len(gold)),
        "pairwise": pairwise_identity(gold, entity_of),
        "incremental": {
            "batch_articles": INGEST_BATCH,
            "predicted_entities": len(batch_entities),
            "pairwise": pairwise_identity(gold, batch_of),
        },
        "by_category": by_category,
        "display_names": display_name_forms(gold, aligned, result.entities),
        "worst_splits": _worst_splits(gold, entity_of),
        "wrong_merges": _wrong_merges(gold, entity_of),
    }


def format_slavicner_report(report: dict[str, Any]) -> str:
    """Plain-text tables of ``evaluate_slavicner``'s report."""
    lines = [
        f"SlavicNER {report['split']}: {report['articles']} articles "
        f"({', '.join(f'{k} {v}' for k, v in report['languages'].items())}), {report['gold_mentions']} gold "
        f"mentions of {report['gold_entities']} entities; newsloom {report['predicted_mentions']} mentions, "
        f"{report['predicted_entities']} entities",
        f"gold mentions linked to an entity: {report['linked_share']:.3f}",
        "",
        f"{'pairs (one gold id = one entity)':<34} {'precision':>9} {'recall':>7} {'F1':>6} {'gold pairs':>11}",
    ]
    rows = [*report["pairwise"].items(), *((f"  {k}", v) for k, v in report["by_category"].items())]
    for name, s in rows:
        lines.append(
            f"{name:<34} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} {int(s['pairs']):>11,}"
        )
    batch = report["incremental"]["batch_articles"]
    for name, s in report["incremental"]["pairwise"].items():
        lines.append(
            f"{f'ingest, batches of {batch}: {name}':<34} {s['precision']:>9.3f} {s['recall']:>7.3f} "
            f"{s['f1']:>6.3f} {int(s['pairs']):>11,}"
        )
    d = report["display_names"]
    lines += [
        "",
        f"display names of {d['entities']} entities: base form {d['base_share']:.3f}, inflected "
        f"{d['inflected_share']:.3f}, other {d['other_share']:.3f} (by mentions: base "
        f"{d['base_share_by_mentions']:.3f}, inflected {d['inflected_share_by_mentions']:.3f})",
    ]
    return "\n".join(lines)


__all__ = [
    "DEV_SAMPLE",
    "SPLITS",
    "GoldMention",
    "align",
    "articles_and_gold",
    "display_name_forms",
    "evaluate_slavicner",
    "fold_name",
    "format_slavicner_report",
    "load_split",
    "pairwise_identity",
]
