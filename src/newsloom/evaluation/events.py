"""Same-event decisions on held-out SemEval-2022 Task 8 articles, as the pipeline makes them at run time.

The gold is SemEval's own human judgement of each pair (see docs/evaluation.md, "Events on held-out news"):
``overall <= 1.5`` is *same event*, ``overall >= 3.5`` *different*; the ``time`` dimension (1 = same time ...
4 = unrelated times) checks that an event is a bounded happening: a pair judged ``time >= 3.5`` must not be put
in one event however alike it reads.

Unlike ``newsloom eval semeval`` (capitalised words stand in for entities), every text goes through the
entities stage first (``extract_mentions`` per article, one ``link_mentions`` over the file), so the clusterer
sees the entity ids it sees at run time. All texts are clustered together in file order.

Reported, for newsloom and for a baseline from the same run (embedding cosine, each pair decided on its own
with the threshold that is best on the evaluated file, so optimistic for it): same-event P/R/F1 over all
labelled pairs and split into monolingual and cross-lingual pairs; the share of different-time pairs put in
one event; and F1 against a strict gold where "same" also needs ``time <= 1.5``.

Example::

    report = evaluate_events(Path(".../pairs_test.jsonl"), E5Embedder())
    print(format_events_report(report))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from newsloom.evaluation.semeval import (
    DIFFERENT_MIN,
    SAME_MAX,
    best_threshold,
    cluster_all,
    load_pairs,
    prf,
    split_title,
    text_signals,
)
from newsloom.models import Article, PublicationDate
from newsloom.stages.embed import Embedder
from newsloom.stages.similarity import ArticleSignal, SimilarityModel, event_model

Pair = Mapping[str, Any]
SUBSETS: dict[str, Callable[[Pair], bool]] = {
    "all": lambda p: True,
    "monolingual": lambda p: p.get("lang1") == p.get("lang2"),
    "cross-lingual": lambda p: p.get("lang1") != p.get("lang2"),
}


def with_entity_ids(signals: Mapping[str, ArticleSignal]) -> dict[str, ArticleSignal]:
    """The signals with the entity ids the entities stage gives their texts (replacing capitalised words)."""
    from newsloom.stages.entities import Gazetteer, extract_mentions, link_mentions

    gazetteer, _ = Gazetteer.load()
    articles = []
    for text, s in signals.items():
        title, body = split_title(text)
        articles.append(Article(s.article_id, "semeval", s.article_id, title, body, s.language, 1.0,
                                PublicationDate(None, "unknown")))  # fmt: skip
    found = [m for a in articles for m in extract_mentions(a, gazetteer)]
    linked = link_mentions(found, article_language={a.id: a.language for a in articles}, gazetteer=gazetteer)
    ids: dict[str, set[str]] = {}
    for m in linked.mentions:
        if m.entity_id:
            ids.setdefault(m.article_id, set()).add(m.entity_id)
    return {t: replace(s, entities=frozenset(ids.get(s.article_id, ()))) for t, s in signals.items()}


def labelled(pairs: Sequence[Pair]) -> list[Pair]:
    """Pairs the gold calls clearly the same event or clearly different."""
    return [p for p in pairs if p["overall"] <= SAME_MAX or p["overall"] >= DIFFERENT_MIN]


def score_decisions(pairs: Sequence[Pair], same: Sequence[bool]) -> dict[str, Any]:
    """P/R/F1 per subset, the share of different-time pairs joined, and F1 against the strict same-time gold."""
    out: dict[str, Any] = {}
    for name, keep in SUBSETS.items():
        idx = [i for i, p in enumerate(pairs) if keep(p)]
        out[name] = prf([same[i] for i in idx], [pairs[i]["overall"] <= SAME_MAX for i in idx])
    other_time = [i for i, p in enumerate(pairs) if float(p.get("time", 0)) >= DIFFERENT_MIN]
    out["different_time_joined"] = sum(same[i] for i in other_time) / len(other_time) if other_time else 0.0
    out["different_time_pairs"] = len(other_time)
    strict = [p["overall"] <= SAME_MAX and float(p.get("time", 4)) <= SAME_MAX for p in pairs]
    out["same_time_gold"] = prf(list(same), strict)
    return out


def evaluate_events(
    path: Path,
    embedder: Embedder,
    *,
    event: SimilarityModel | None = None,
    signals: Mapping[str, ArticleSignal] | None = None,
) -> dict[str, Any]:
    """Cluster every text of a SemEval pairs file with run-time entity ids and score same-event decisions.

    ``signals`` (text -> signal, entity ids included) skips embedding and entity linking when given.
    """
    pairs = load_pairs(path)
    if signals is None:
        signals = with_entity_ids(text_signals(pairs, embedder))
    gold = labelled(pairs)
    clusterer = cluster_all(pairs, signals, event or event_model())
    ids = [(signals[p["text1"]].article_id, signals[p["text2"]].article_id) for p in gold]
    ours = [clusterer.event_of(a) == clusterer.event_of(b) for a, b in ids]
    cosine = [float(np.dot(signals[p["text1"]].vector, signals[p["text2"]].vector)) for p in gold]
    t, _ = best_threshold(cosine, [p["overall"] <= SAME_MAX for p in gold])
    languages = sorted({str(p.get(k, "und")) for p in pairs for k in ("lang1", "lang2")})
    return {
        "file": path.name,
        "pairs": len(pairs),
        "labelled_pairs": len(gold),
        "languages": languages,
        "events": len(clusterer.members()),
        "newsloom": score_decisions(gold, ours),
        "embedding cosine": score_decisions(gold, [c >= t for c in cosine]) | {"threshold": round(t, 4)},
    }


def format_events_report(report: Mapping[str, Any]) -> str:
    """A plain-text table of an :func:`evaluate_events` report."""
    lines = [f"{report['file']}: {report['pairs']} pairs ({report['labelled_pairs']} same/different), "
             f"languages {', '.join(report['languages'])}; newsloom made {report['events']} events",
             f"{'system':<18} {'subset':<14} {'pairs':>5} {'P':>6} {'R':>6} {'F1':>6}"]  # fmt: skip
    for name in ("newsloom", "embedding cosine"):
        r = report[name]
        for subset in (*SUBSETS, "same_time_gold"):
            s = r[subset]
            lines.append(f"{name:<18} {subset:<14} {s['pairs']:>5} {s['precision']:>6.3f} {s['recall']:>6.3f} "
                         f"{s['f1']:>6.3f}")  # fmt: skip
        lines.append(f"{name:<18} different-time pairs joined: {r['different_time_joined']:.3f} "
                     f"of {r['different_time_pairs']}")  # fmt: skip
    return "\n".join(lines)
