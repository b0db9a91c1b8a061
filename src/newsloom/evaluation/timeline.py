"""Timeline evaluation on ML-Crisis: events and stories from each topic's articles versus gold timelines.

For each topic the articles (es, fr, it) are clustered into events in date order with the same
:class:`~newsloom.stages.cluster.Clusterer` the pipeline uses. A date's score is the size of the events that
start on it plus ``ref_weight`` times the number of articles that mention it (day-precise automatic TIMEX
values no more than a week before publication). For a gold timeline with ``k`` dates the top ``k`` dates
are predicted (the usual TLS setting: the length is given), each summarised extractively by the opening
sentence(s) of the article nearest its largest event's centroid, in the gold's language when an article in
that language exists.

Metrics (implemented here, small, documented):

- date F1: predicted against gold dates, exact day match;
- alignment ROUGE-1 F1, a simplified form of Martschat & Markert (2017) "align" ROUGE: each predicted day is
  matched one-to-one to the nearest unmatched gold day (greedy by distance), and clipped unigram overlaps
  count with weight ``1 / (1 + distance in days)``; precision divides by all predicted unigrams, recall by
  all gold unigrams. Tokens are ``newsloom.text.tokens`` (folded, transliterated); no stopword removal.

A baseline from the same run picks the days with the most published articles.

Example::

    report = evaluate_timeline(Path("../shared/data/ml_crisis"), ("egypt", "libya"), CachedEmbedder(...))
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsloom.stages.cluster import ArticleSignal, Clusterer
from newsloom.stages.embed import Embedder, lead_words
from newsloom.stages.similarity import capitalised_keys, lexical_terms
from newsloom.text import tokens

DEV_TOPICS = ("egypt", "libya")
REF_WEIGHT = (
    2.0  # chosen on dev topics from {0, 0.5, 1, 2}: date F1 (source-language gold) 0.22/0.34/0.35/0.37
)
TEST_TOPICS = ("syria", "yemen")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def load_crisis(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Articles and gold timeline entries of ML-Crisis."""

    def read(name: str) -> list[dict[str, Any]]:
        with (data_dir / name).open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    return read("articles.jsonl"), read("timelines.jsonl")


def referenced_days(article: Mapping[str, Any], back_days: int = 7) -> list[dt.date]:
    """Day-precise TIMEX values within ``back_days`` before (or on) the publication day."""
    pub = dt.date.fromisoformat(article["date"])
    out = []
    for t in article.get("timex_auto", ()):
        value = str(t.get("value", ""))
        if t.get("type") == "DATE" and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                continue
            if pub - dt.timedelta(days=back_days) <= day <= pub:
                out.append(day)
    return out


def opening(text: str, max_words: int = 40) -> str:
    """The first sentence(s) of ``text`` up to ``max_words`` words."""
    words: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if words and len(words) + len(sentence.split()) > max_words:
            break
        words.extend(sentence.split())
    return " ".join(words[:max_words])


def cluster_topic(articles: Sequence[Mapping[str, Any]], vectors: np.ndarray) -> dict[str, list[int]]:
    """Event id -> indexes of ``articles`` (already in date order)."""
    clusterer = Clusterer(dim=vectors.shape[1])
    index = {str(a["id"]): i for i, a in enumerate(articles)}
    for a, vec in zip(articles, vectors, strict=True):
        text = str(a["text"])
        clusterer.assign(ArticleSignal(str(a["id"]), vec, lexical_terms(text), capitalised_keys(text[:3000]),
                                       dt.date.fromisoformat(a["date"]), str(a["lang"]), str(a["id"])))  # fmt: skip
    return {eid: [index[m] for m in members] for eid, members in clusterer.members().items()}


def rouge1_align(predicted: Mapping[dt.date, str], gold: Mapping[dt.date, str]) -> dict[str, float]:
    """Alignment ROUGE-1 (see module docstring): precision, recall, F1.

    >>> d = dt.date(2011, 1, 25)
    >>> rouge1_align({d: "protests in cairo"}, {d: "protests in cairo"})["f1"]
    1.0
    """
    pred_tokens = {d: Counter(tokens(s)) for d, s in predicted.items()}
    gold_tokens = {d: Counter(tokens(s)) for d, s in gold.items()}
    pairs = sorted(((abs((p - g).days), p, g) for p in pred_tokens for g in gold_tokens), key=lambda x: x[0])
    used_p: set[dt.date] = set()
    used_g: set[dt.date] = set()
    overlap = 0.0
    for dist, p, g in pairs:
        if p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        overlap += sum((pred_tokens[p] & gold_tokens[g]).values()) / (1 + dist)
    n_pred = sum(sum(c.values()) for c in pred_tokens.values())
    n_gold = sum(sum(c.values()) for c in gold_tokens.values())
    precision = overlap / n_pred if n_pred else 0.0
    recall = overlap / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def date_f1(predicted: set[dt.date], gold: set[dt.date]) -> float:
    """F1 of exact day matches: ``date_f1({dt.date(2011, 1, 1)}, {dt.date(2011, 1, 1)})`` -> ``1.0``."""
    hit = len(predicted & gold)
    if not hit:
        return 0.0
    p, r = hit / len(predicted), hit / len(gold)
    return 2 * p * r / (p + r)


def _date_scores(
    articles: Sequence[Mapping[str, Any]], events: Mapping[str, list[int]], ref_weight: float
) -> dict[dt.date, float]:
    scores: dict[dt.date, float] = defaultdict(float)
    for members in events.values():
        start = min(dt.date.fromisoformat(articles[i]["date"]) for i in members)
        scores[start] += len(members)
    for a in articles:
        for day in set(referenced_days(a)):
            scores[day] += ref_weight
    return scores


def day_members(
    days: Sequence[dt.date], articles: Sequence[Mapping[str, Any]], events: Mapping[str, list[int]]
) -> dict[dt.date, list[int]]:
    """For each day, the members of the largest event starting that day, else the articles published that day
    (possibly none)."""
    by_day: dict[dt.date, list[list[int]]] = defaultdict(list)
    for members in events.values():
        by_day[min(dt.date.fromisoformat(articles[i]["date"]) for i in members)].append(members)
    out = {}
    for day in days:
        groups = sorted(by_day.get(day, []), key=len, reverse=True)
        out[day] = (
            groups[0] if groups else [i for i, a in enumerate(articles) if a["date"] == day.isoformat()]
        )
    return out


def _summaries(
    days: Sequence[dt.date], articles: Sequence[Mapping[str, Any]], events: Mapping[str, list[int]],
    vectors: np.ndarray, language: str,
) -> dict[dt.date, str]:  # fmt: skip
    """Opening sentence of the most central article of the largest event on each day (or published that day)."""
    out = {}
    for day, members in day_members(days, articles, events).items():
        if not members:  # a day chosen only by references: articles that mention it
            members = [i for i, a in enumerate(articles) if day in referenced_days(a)]
        if not members:
            continue
        own = [i for i in members if articles[i]["lang"] == language] or members
        centroid = vectors[members].mean(axis=0)
        best = max(own, key=lambda i: float(vectors[i] @ centroid))
        out[day] = opening(str(articles[best]["text"]))
    return out


def evaluate_topic(
    articles: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]], vectors: np.ndarray,
    ref_weight: float = REF_WEIGHT,
) -> dict[str, Any]:  # fmt: skip
    """Scores for one topic against each gold timeline language (articles sorted by date, with vectors)."""
    events = cluster_topic(articles, vectors)
    system = _date_scores(articles, events, ref_weight)
    published: dict[dt.date, float] = dict(Counter(dt.date.fromisoformat(a["date"]) for a in articles))
    out: dict[str, Any] = {"articles": len(articles), "events": len(events), "by_language": {}}
    gold_by_lang: dict[str, dict[dt.date, str]] = defaultdict(dict)
    for g in gold:
        day = dt.date.fromisoformat(g["date"])
        gold_by_lang[g["lang"]][day] = (gold_by_lang[g["lang"]].get(day, "") + " " + g["summary"]).strip()
    for lang, timeline in sorted(gold_by_lang.items()):
        k = len(timeline)
        row = {}
        for name, scores in (("newsloom", system), ("most-published baseline", published)):
            days = [d for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]
            summaries = _summaries(days, articles, events, vectors, lang)
            row[name] = {"date_f1": date_f1(set(days), set(timeline)),
                         "rouge1_f1": rouge1_align(summaries, timeline)["f1"]}  # fmt: skip
        out["by_language"][lang] = {"gold_dates": k, **row}
    return out


def evaluate_timeline(
    data_dir: Path,
    topics: Sequence[str] = DEV_TOPICS,
    embedder: Embedder | None = None,
    *,
    ref_weight: float = REF_WEIGHT,
) -> dict[str, Any]:
    """Date-selection F1 and alignment ROUGE-1 per topic and gold language, with means per system.

    ``embedder`` defaults to :class:`~newsloom.stages.embed.E5Embedder`; pass a
    :class:`~newsloom.stages.embed.CachedEmbedder` to make reruns fast.

    >>> # evaluate_timeline(Path("../shared/data/ml_crisis"), ("egypt",), embedder)["mean"]
    """
    if embedder is None:
        from newsloom.stages.embed import E5Embedder

        embedder = E5Embedder()
    articles, gold = load_crisis(data_dir)
    report: dict[str, Any] = {"topics": {}}
    for topic in topics:
        mine = sorted((a for a in articles if a["topic"] == topic), key=lambda a: (a["date"], a["id"]))
        vectors = embedder.embed([lead_words(str(a["text"])) for a in mine])
        report["topics"][topic] = evaluate_topic(mine, [g for g in gold if g["topic"] == topic], vectors,
                                                 ref_weight)  # fmt: skip
    report["mean"] = _means(report["topics"])
    return report


def _means(topics: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Mean of each system's metrics over topics, separately for English and source-language gold."""
    acc: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for t in topics.values():
        for lang, row in t["by_language"].items():
            group = "en gold" if lang == "en" else "source-language gold"
            for system in ("newsloom", "most-published baseline"):
                for metric, value in row[system].items():
                    acc[f"{system} / {group}"][metric].append(value)
    return {k: {m: float(np.mean(v)) for m, v in metrics.items()} for k, metrics in sorted(acc.items())}


def format_timeline_report(report: Mapping[str, Any]) -> str:
    """Plain-text table of an :func:`evaluate_timeline` report."""
    lines = [f"{'system / gold':<48} {'date F1':>8} {'ROUGE-1':>8}"]
    for name, m in report["mean"].items():
        lines.append(f"{name:<48} {m['date_f1']:>8.3f} {m['rouge1_f1']:>8.3f}")
    return "\n".join(lines)
