"""English digest evaluation: event-type accuracy on hand labels, and English timelines on ML-Crisis.

**Event types.** ``data/eval/event_types_gold.jsonl`` labels 120 events (one SemEval-2022 Task 8 pair judged the
same event, ``overall <= 1.5``, or one ML-Crisis article) in ar, de, en, es, fr, it, pl, tr with the bank types
a headline writer could use (several when they overlap; none when the text is site furniture). ``tune`` (83
events) was drawn first and read while the bank was written, and the thresholds are chosen on it; ``heldout``
(37 events, other pairs of the SemEval test split and ML-Crisis test topics) was drawn and labelled after the
bank was frozen. An event counts as right when the chosen type is one of its labels, or when the matcher
abstains on an event labelled none. Baselines from the same run: the nearest type without thresholds, and the
most frequent ``tune`` label for every event.

**English timelines.** As :mod:`newsloom.evaluation.timeline` (same clustering, date scores and top-k dates),
but every selected day is summarised in English by the digest: the event's type title filled with its linked
entities, the main actors and place. Scored against the English gold timelines with alignment ROUGE-1 and
ROUGE-2 (Martschat & Markert 2017, simplified as in ``timeline``), beside the opening sentences in the source
language that the timeline evaluation uses (same days, same run).

Example::

    report = evaluate_event_types(Path("../shared/data"), embedder)
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Article, Entity, Mention, PublicationDate
from ..stages.embed import Embedder, lead_words
from ..stages.event_types import TypeBank
from ..text import tokens
from .timeline import _date_scores, _summaries, cluster_topic, date_f1, day_members, load_crisis

__all__ = ["evaluate_english_timeline", "evaluate_event_types", "format_digest_report", "rouge_n_align"]


def load_type_gold() -> list[dict[str, Any]]:
    """The packaged hand labels (see the module docstring for how they were made)."""
    raw = (resources.files("newsloom") / "data" / "eval" / "event_types_gold.jsonl").read_text(
        encoding="utf-8"
    )
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def _event_texts(data_dir: Path, gold: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """What the pipeline embeds for each labelled event's articles (title + lead)."""
    wanted = {g["id"] for g in gold}
    out: dict[str, list[str]] = {}
    for split in ("dev", "test"):
        with (data_dir / "semeval2022_task8" / f"pairs_{split}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row["pair_id"] in wanted:
                    out[row["pair_id"]] = [lead_words(row["text1"]), lead_words(row["text2"])]
    articles, _ = load_crisis(data_dir / "ml_crisis")
    out.update({a["id"]: [lead_words(a["text"])] for a in articles if a["id"] in wanted})
    missing = wanted - out.keys()
    if missing:
        raise FileNotFoundError(
            f"{len(missing)} labelled events not in {data_dir}, e.g. {sorted(missing)[0]}"
        )
    return out


def evaluate_event_types(data_dir: Path, embedder: Embedder, bank: TypeBank | None = None) -> dict[str, Any]:
    """Event-type accuracy per split (``tune``, ``heldout``), with coverage, precision and baselines."""
    bank = bank or TypeBank.load(embedder.name)
    if bank is None:
        raise FileNotFoundError(f"no event-type vectors ship for {embedder.name}")
    gold = load_type_gold()
    texts = _event_texts(data_dir, gold)
    vectors = {k: embedder.embed(v) for k, v in texts.items()}
    majority = Counter(t for g in gold if g["split"] == "tune" for t in g["types"][:1]).most_common(1)[0][0]
    report: dict[str, Any] = {"bank_types": len(bank.types), "majority_type": majority}
    for split in ("tune", "heldout"):
        rows = [g for g in gold if g["split"] == split]
        right = typed = typed_right = nearest = always = 0
        for g in rows:
            match = bank.match(vectors[g["id"]])
            typed += match is not None
            typed_right += match is not None and match.type.id in g["types"]
            right += (match is None and not g["types"]) or (match is not None and match.type.id in g["types"])
            nearest += bank.ranked(vectors[g["id"]], 1)[0][0].id in g["types"]
            always += majority in g["types"]
        n = len(rows)
        report[split] = {
            "events": n,
            "languages": sorted({g["lang"] for g in rows}),
            "accuracy": right / n,
            "coverage": typed / n,
            "precision": typed_right / typed if typed else 0.0,
            "nearest type, no threshold": nearest / n,
            "majority type": always / n,
        }
    return report


def rouge_n_align(predicted: Mapping[dt.date, str], gold: Mapping[dt.date, str], n: int) -> dict[str, float]:
    """Alignment ROUGE-n F1 (as ``timeline.rouge1_align``, on n-grams of ``newsloom.text.tokens``).

    >>> d = dt.date(2011, 1, 25)
    >>> rouge_n_align({d: "protests in cairo"}, {d: "protests in cairo"}, 2)["f1"]
    1.0
    """

    def grams(text: str) -> Counter[tuple[str, ...]]:
        toks = tokens(text)
        return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))

    pred = {d: grams(s) for d, s in predicted.items()}
    ref = {d: grams(s) for d, s in gold.items()}
    pairs = sorted(((abs((p - g).days), p, g) for p in pred for g in ref), key=lambda x: x[0])
    used_p: set[dt.date] = set()
    used_g: set[dt.date] = set()
    overlap = 0.0
    for dist, p, g in pairs:
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            overlap += sum((pred[p] & ref[g]).values()) / (1 + dist)
    n_pred = sum(sum(c.values()) for c in pred.values())
    n_gold = sum(sum(c.values()) for c in ref.values())
    precision = overlap / n_pred if n_pred else 0.0
    recall = overlap / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _as_article(row: Mapping[str, Any]) -> Article:
    day = dt.date.fromisoformat(row["date"])
    return Article(str(row["id"]), str(row["doc"]) if "doc" in row else "", str(row["id"]), "",
                   str(row["text"]), str(row["lang"]), 1.0, PublicationDate(day, "metadata"))  # fmt: skip


class _Linker:
    """Mentions per article (extracted once) and entities linked per event, as the pipeline links a batch;
    linking a whole topic at once is quadratic in its names."""

    def __init__(self) -> None:
        from ..stages.entities import Gazetteer

        self.gazetteer, _ = Gazetteer.load()
        self.raw: dict[str, list[Mention]] = {}

    def link(self, articles: Sequence[Article]) -> tuple[list[Mention], dict[str, Entity]]:
        from ..stages.entities import extract_mentions, link_mentions

        for a in articles:
            if a.id not in self.raw:
                self.raw[a.id] = extract_mentions(a, self.gazetteer)
        raw = [m for a in articles for m in self.raw[a.id]]
        result = link_mentions(
            raw, article_language={a.id: a.language for a in articles}, gazetteer=self.gazetteer
        )
        return list(result.mentions), {e.id: e for e in result.entities}


def _english_summaries(
    days: Sequence[dt.date], rows: Sequence[Mapping[str, Any]], events: Mapping[str, list[int]],
    vectors: np.ndarray, linker: _Linker, bank: TypeBank,
) -> dict[dt.date, str]:  # fmt: skip
    """The English digest title and actors line of the largest event starting on each selected day."""
    from ..models import Event
    from ..stages.summarize import event_digest

    out = {}
    for day, members in day_members(days, rows, events).items():
        if not members:
            continue
        # The 30 articles nearest the event's centre keep linking affordable on the largest events.
        centre = vectors[members].mean(axis=0)
        members = sorted(members, key=lambda i: -float(vectors[i] @ centre))[:30]
        arts = [_as_article(rows[i]) for i in members]
        event = Event(f"ev-{day}", "", day, day, tuple(a.id for a in arts), (), len(arts))
        own, entities = linker.link(arts)
        digest = event_digest(event, arts, own, entities, [], vectors={a.id: vectors[i] for a, i in
                              zip(arts, members, strict=False)}, bank=bank)  # fmt: skip
        out[day] = digest.summary
    return out


def evaluate_english_timeline(
    data_dir: Path, topics: Sequence[str], embedder: Embedder, bank: TypeBank | None = None
) -> dict[str, Any]:
    """Date F1 and ROUGE-1/2 against the English gold: English digest summaries vs source-language openings."""
    bank = bank or TypeBank.load(embedder.name)
    if bank is None:
        raise FileNotFoundError(f"no event-type vectors ship for {embedder.name}")
    articles, gold = load_crisis(data_dir)
    per_topic: dict[str, Any] = {}
    for topic in topics:
        rows = sorted((a for a in articles if a["topic"] == topic), key=lambda a: (a["date"], a["id"]))
        timeline = {dt.date.fromisoformat(g["date"]): g["summary"] for g in gold
                    if g["topic"] == topic and g["lang"] == "en"}  # fmt: skip
        if not timeline:
            continue
        vectors = embedder.embed([lead_words(str(a["text"])) for a in rows])
        events = cluster_topic(rows, vectors)
        scores = _date_scores(rows, events, 2.0)
        days = [d for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[: len(timeline)]]
        linker = _Linker()
        systems = {
            "source-language openings (timeline baseline)": _summaries(days, rows, events, vectors, "en"),
            "English digest (event type + entities)": _english_summaries(
                days, rows, events, vectors, linker, bank
            ),
        }
        per_topic[topic] = {
            "date_f1": date_f1(set(days), set(timeline)),
            **{
                name: {f"rouge{n}": rouge_n_align(s, timeline, n)["f1"] for n in (1, 2)}
                for name, s in systems.items()
            },
        }
    return {"topics": per_topic, "mean": _mean(per_topic)}


def _mean(per_topic: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"date_f1": float(np.mean([t["date_f1"] for t in per_topic.values()]))}
    names = {k for t in per_topic.values() for k in t if k != "date_f1"}
    for name in sorted(names):
        out[name] = {
            m: float(np.mean([t[name][m] for t in per_topic.values()])) for m in ("rouge1", "rouge2")
        }
    return out


def format_digest_report(types: Mapping[str, Any], timeline: Mapping[str, Mapping[str, Any]]) -> str:
    """Markdown tables of :func:`evaluate_event_types` and :func:`evaluate_english_timeline` reports."""
    lines = ["| split | events | languages | accuracy | coverage | precision | nearest type | majority type |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for split in ("tune", "heldout"):
        r = types[split]
        lines.append(f"| {split} | {r['events']} | {' '.join(r['languages'])} | {r['accuracy']:.3f} | "
                     f"{r['coverage']:.3f} | {r['precision']:.3f} | {r['nearest type, no threshold']:.3f} | "
                     f"{r['majority type']:.3f} |")  # fmt: skip
    lines += ["", "| topics | summaries | date F1 | ROUGE-1 | ROUGE-2 |", "|---|---|---:|---:|---:|"]
    for label, report in timeline.items():
        mean = report["mean"]
        for name, scores in mean.items():
            if name != "date_f1":
                lines.append(f"| {label} | {name} | {mean['date_f1']:.3f} | {scores['rouge1']:.3f} | "
                             f"{scores['rouge2']:.3f} |")  # fmt: skip
    return "\n".join(lines)
