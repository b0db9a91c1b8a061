"""Evaluation of entity mentions (demo gold) and of linking (the multilingual name-variant table).

- ``evaluate_variants``: each line of ``name_variants.jsonl`` is a pair of names with languages and whether
  they name the same entity. Both names become mentions in two different articles, are linked together,
  and "same entity" is predicted when they get one id; pairwise precision, recall and F1 follow.
- ``evaluate_mentions``: the demo gold maps each demo article (its origin relative to the demo folder:
  ``pl_putin_pjongjang_pap.txt``, ``news.jsonl:2``, ``feed.xml#1``) to the mentions
  in its body (``text``, ``type``, ``entity``). Extracted mentions are matched to gold ones by surface text
  and type, counting duplicates per article (a mention found twice when gold has it once counts once).
  Untyped scores (surface only) are reported too. Linking on the demo is scored pairwise over matched
  mentions: two gold mentions with the same ``entity`` should share an entity id.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations
from pathlib import Path

from newsloom.evaluation.metrics import prf
from newsloom.models import Article, Mention, Rejected
from newsloom.stages.entities.gazetteer import Gazetteer
from newsloom.stages.entities.keys import name_key
from newsloom.stages.entities.linking import link_mentions
from newsloom.stages.entities.mentions import extract_mentions

DATA = Path(__file__).resolve().parents[2] / "data"
VARIANTS = DATA / "eval" / "name_variants.jsonl"
DEMO = DATA / "demo"
DEMO_GOLD = DATA / "demo_gold" / "entities.json"


def evaluate_variants(path: Path = VARIANTS, gazetteer: Gazetteer | None = None) -> dict[str, object]:
    """Pairwise precision/recall/F1 of "same entity" over the name-variant table, plus the errors.

    >>> scores = evaluate_variants()  # doctest: +SKIP
    >>> scores["f1"] >= 0.9  # doctest: +SKIP
    True
    """
    gaz = gazetteer if gazetteer is not None else Gazetteer.load()[0]
    tp = fp = fn = tn = 0
    errors: list[str] = []
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in pairs:
        mentions = [
            Mention(art, text, 0, len(text), row["type"], name_key(text, lang))
            for art, text, lang in (("a", row["a"], row["lang_a"]), ("b", row["b"], row["lang_b"]))
        ]
        result = link_mentions(
            mentions, article_language={"a": row["lang_a"], "b": row["lang_b"]}, gazetteer=gaz
        )
        predicted = result.mentions[0].entity_id == result.mentions[1].entity_id
        if predicted and row["same"]:
            tp += 1
        elif predicted:
            fp += 1
            errors.append(f"merged: {row['a']} ({row['lang_a']}) / {row['b']} ({row['lang_b']})")
        elif row["same"]:
            fn += 1
            errors.append(f"missed: {row['a']} ({row['lang_a']}) / {row['b']} ({row['lang_b']})")
        else:
            tn += 1
    langs = {row["lang_a"] for row in pairs} | {row["lang_b"] for row in pairs}
    return {**prf(tp, fp, fn, empty=1.0), "pairs": len(pairs), "positives": tp + fn, "negatives": fp + tn,
            "languages": len(langs), "errors": errors}  # fmt: skip


def demo_articles(directory: Path = DEMO, origins: Iterable[str] | None = None) -> list[Article]:
    """Demo articles through the real cleaning/language pipeline, ids = origins relative to ``directory``.

    Only articles named in ``origins`` (``"pl_putin_pjongjang_pap.txt"``, ``"news.jsonl:2"``) are kept
    when it is given.
    """
    import datetime as dt

    from newsloom.config import Settings
    from newsloom.pipeline import Pipeline
    from newsloom.stages.ingest import read_inputs

    wanted = set(origins) if origins is not None else None
    pipeline = Pipeline(Settings(), today=dt.date(2025, 6, 1))
    prefix = f"{directory}/"
    articles = []
    for doc in read_inputs([str(directory)]):
        if isinstance(doc, Rejected):
            continue
        art = pipeline.process(doc)
        if isinstance(art, Article):
            origin = art.origin.removeprefix(prefix)
            if wanted is None or origin in wanted:
                articles.append(replace(art, id=origin))
    return sorted(articles, key=lambda a: a.id)


def _count(counts: list[int], want: Counter[str], got: Counter[str]) -> None:
    hit = sum((want & got).values())
    counts[0] += hit
    counts[1] += sum(got.values()) - hit
    counts[2] += sum(want.values()) - hit


def evaluate_mentions(
    gold_path: Path = DEMO_GOLD, demo_dir: Path = DEMO, gazetteer: Gazetteer | None = None
) -> dict[str, object]:
    """Mention precision/recall/F1 (typed and untyped) and pairwise linking scores on the demo gold."""
    gaz = gazetteer if gazetteer is not None else Gazetteer.load()[0]
    gold: dict[str, list[dict[str, str]]] = json.loads(gold_path.read_text(encoding="utf-8"))
    articles = demo_articles(demo_dir, gold)
    found: list[Mention] = []
    for art in articles:
        found.extend(extract_mentions(art, gaz))
    linked = link_mentions(found, article_language={a.id: a.language for a in articles}, gazetteer=gaz)
    typed = [0, 0, 0]
    untyped = [0, 0, 0]
    pairs: list[tuple[str, str]] = []  # (gold entity, predicted entity id) of matched mentions
    errors: list[str] = []
    for art in articles:
        mine = [m for m in linked.mentions if m.article_id == art.id]
        want: Counter[str] = Counter(f"{g['text']}\t{g['type']}" for g in gold[art.id])
        got: Counter[str] = Counter(f"{m.text}\t{m.type}" for m in mine)
        _count(typed, want, got)
        _count(untyped, Counter(k.split("\t")[0] for k in want.elements()),
               Counter(k.split("\t")[0] for k in got.elements()))  # fmt: skip
        errors += [f"{art.id}: missed {k}" for k in (want - got)] + [
            f"{art.id}: extra {k}" for k in (got - want)
        ]
        entity_of = {(g["text"], g["type"]): g["entity"] for g in gold[art.id]}
        pairs += [
            (entity_of[(m.text, m.type)], str(m.entity_id)) for m in mine if (m.text, m.type) in entity_of
        ]
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in combinations(pairs, 2):
        if g1 == g2 and p1 == p2:
            tp += 1
        elif p1 == p2:
            fp += 1
        elif g1 == g2:
            fn += 1
    return {"typed": prf(*typed, empty=1.0), "untyped": prf(*untyped, empty=1.0), "linking": prf(tp, fp, fn, empty=1.0),
            "articles": len(articles), "gold_mentions": typed[0] + typed[2], "errors": errors}  # fmt: skip
