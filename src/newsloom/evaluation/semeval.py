"""Score and evaluate article-pair similarity on SemEval-2022 Task 8 style data.

Input lines carry ``pair_id``, ``text1``, ``text2`` (title and body; the SemEval texts separate them by two
spaces), optional ``lang1``/``lang2`` and, for evaluation, gold ``overall`` (1 = same story ... 4 = unrelated).

Reported: Pearson between predicted similarity and ``-overall`` (so higher is better and the sign matches the
usual reading), overall and per language pair; same-event precision/recall/F1 on pairs with ``overall <= 1.5``
(same) versus ``>= 3.5`` (different), where "same" is the clusterer's decision after clustering ALL articles
of the file together in file order; and the same figures for two baselines computed in the same run: TF-IDF
cosine and embedding cosine (each with its threshold chosen on the evaluated file, an optimistic baseline).

Example::

    report = evaluate_semeval(Path("pairs_dev.jsonl"), E5Embedder())
    print(format_report(report))
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsloom.errors import InputError
from newsloom.stages.cluster import Clusterer
from newsloom.stages.embed import Embedder, lead_words
from newsloom.stages.similarity import (
    FEATURES,
    SIMILARITY_INPUTS,
    ArticleSignal,
    DocumentFrequency,
    LanguageBaseline,
    SimilarityModel,
    capitalised_keys,
    default_model,
    event_model,
    features,
    fit_ridge,
    lexical_terms,
    sparse_cosine,
    weighted_terms,
)

SAME_MAX, DIFFERENT_MIN = 1.5, 3.5


def load_pairs(path: Path) -> list[dict[str, Any]]:
    """Read a pairs JSONL file; a line without ``pair_id``/``text1``/``text2`` is an :class:`InputError`."""
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not all(k in row for k in ("pair_id", "text1", "text2")):
                raise InputError(f"{path}:{no}: a pair needs pair_id, text1 and text2")
            pairs.append(row)
    return pairs


def split_title(text: str) -> tuple[str, str]:
    """SemEval joins title and body with two spaces: ``split_title("T  body")`` -> ``("T", "body")``."""
    head, sep, rest = text.partition("  ")
    return (head.strip(), rest.strip()) if sep and len(head) < 300 else ("", text.strip())


def text_id(text: str) -> str:
    """Article id of a pair text (its content hash), so repeated texts are one article."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def text_signals(
    pairs: Sequence[Mapping[str, Any]],
    embedder: Embedder,
    identify: Callable[[str], str] | None = None,
) -> dict[str, ArticleSignal]:
    """One signal per distinct text of the pairs (title+lead embedded, as for real articles).

    A missing ``lang1``/``lang2`` is filled by ``identify(text)`` when given (the language-pair baseline needs
    it), else ``und``.
    """
    texts: dict[str, tuple[str, str]] = {}
    for p in pairs:
        for side in ("1", "2"):
            text = p[f"text{side}"]
            if text not in texts:
                lang = p.get(f"lang{side}") or (identify(text) if identify else "und")
                texts[text] = (str(lang), text_id(text))
    order = list(texts)
    vectors = embedder.embed([lead_words(t) for t in order])
    out = {}
    for text, vec in zip(order, vectors, strict=True):
        lang, tid = texts[text]
        title, body = split_title(text)
        out[text] = ArticleSignal(tid, vec, lexical_terms(text), capitalised_keys(body), None, lang, tid,
                                  None, title)  # fmt: skip
    return out


def corpus_df(signals: Iterable[ArticleSignal]) -> DocumentFrequency:
    """Document frequencies over the evaluated texts (unsupervised, as the clusterer's online table)."""
    df = DocumentFrequency()
    for s in signals:
        df.add(s.terms)
    return df


def corpus_baseline(signals: Iterable[ArticleSignal], prior_weight: float = 200.0) -> LanguageBaseline:
    """Exact mean cosine per language pair over all distinct texts (unsupervised, like the IDF table).

    Also returns the same-language and cross-language means as fallbacks for pairs the corpus lacks.
    """
    sigs = list(signals)
    matrix = np.stack([s.vector for s in sigs])
    langs = np.array([s.language for s in sigs])
    cosines = matrix @ matrix.T
    pairs: dict[str, float] = {}
    same: list[float] = []
    cross: list[float] = []
    for a in sorted(set(langs)):
        for b in sorted(set(langs)):
            if a > b:
                continue
            block = cosines[np.ix_(langs == a, langs == b)]
            if a == b:  # leave out each text's cosine with itself
                n = block.shape[0]
                if n < 2:
                    continue
                value = float((block.sum() - np.trace(block)) / (n * n - n))
            else:
                value = float(block.mean())
            pairs[LanguageBaseline.key(a, b)] = round(value, 4)
            (same if a == b else cross).append(value)
    return LanguageBaseline(pairs, float(np.mean(same)) if same else 0.79,
                            float(np.mean(cross)) if cross else 0.745, prior_weight)  # fmt: skip


def score_pairs(
    pairs: Iterable[Mapping[str, Any]],
    embedder: Embedder,
    *,
    model: SimilarityModel | None = None,
    event: SimilarityModel | None = None,
    identify: Callable[[str], str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield ``pair_id``, ``similarity`` (higher = more similar) and ``same_event`` for each pair.

    ``same_event`` is the clusterer's decision after clustering every text of the input in order;
    ``identify`` (text -> ISO 639-1 code) fills missing ``lang1``/``lang2``.

    >>> # for row in score_pairs(load_pairs(Path("pairs.jsonl")), E5Embedder()): print(row)
    """
    rows = list(pairs)
    m = model or default_model()
    signals = text_signals(rows, embedder, identify)
    df = corpus_df(signals.values())
    baseline = corpus_baseline(signals.values())
    clusterer = cluster_all(rows, signals, event or event_model())
    for p in rows:
        a, b = signals[p["text1"]], signals[p["text2"]]
        same = clusterer.event_of(a.article_id) == clusterer.event_of(b.article_id)
        score = m.score(features(a, b, df, baseline))
        yield {"pair_id": p["pair_id"], "similarity": round(score, 4), "same_event": same}


def cluster_all(
    rows: Sequence[Mapping[str, Any]], signals: Mapping[str, ArticleSignal], model: SimilarityModel
) -> Clusterer:
    """Run one clusterer over all texts in file order (text1, text2 of each line)."""
    clusterer = Clusterer(model=model, dim=next(iter(signals.values())).vector.shape[0])
    for p in rows:
        for side in ("text1", "text2"):
            clusterer.assign(signals[p[side]])
    return clusterer


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation (nan for fewer than 3 points or a constant series)."""
    if len(x) < 3:
        return math.nan
    xa, ya = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if xa.std() == 0 or ya.std() == 0:
        return math.nan
    return float(np.corrcoef(xa, ya)[0, 1])


def prf(decisions: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    """Precision, recall, F1 of boolean decisions: ``prf([True], [True])["f1"]`` -> ``1.0``."""
    tp = sum(d and g for d, g in zip(decisions, gold, strict=True))
    fp = sum(d and not g for d, g in zip(decisions, gold, strict=True))
    fn = sum(g and not d for d, g in zip(decisions, gold, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "pairs": len(gold)}


def best_threshold(scores: Sequence[float], gold: Sequence[bool]) -> tuple[float, float]:
    """Threshold maximising F1 of ``score >= t`` (returns threshold, F1)."""
    best = (0.5, -1.0)
    for t in sorted(set(round(s, 4) for s in scores)):
        f1 = prf([s >= t for s in scores], gold)["f1"]
        if f1 > best[1]:
            best = (t, f1)
    return best


def pair_table(pairs: Sequence[Mapping[str, Any]], embedder: Embedder) -> dict[str, Any]:
    """Features and baseline scores per pair (shared by evaluation and fitting)."""
    signals = text_signals(pairs, embedder)
    df = corpus_df(signals.values())
    baseline = corpus_baseline(signals.values())
    feats, tfidf, cosine = [], [], []
    for p in pairs:
        a, b = signals[p["text1"]], signals[p["text2"]]
        feats.append(features(a, b, df, baseline))
        tfidf.append(sparse_cosine(weighted_terms(a.terms, df), weighted_terms(b.terms, df)))
        cosine.append(float(np.dot(a.vector, b.vector)))
    return {"signals": signals, "features": feats, "tfidf": tfidf, "cosine": cosine, "baseline": baseline}


def evaluate_semeval(
    path: Path,
    embedder: Embedder,
    *,
    model: SimilarityModel | None = None,
    event: SimilarityModel | None = None,
) -> dict[str, Any]:
    """Pearson (vs ``-overall``) overall and per language pair, and same-event P/R/F1, with baselines.

    >>> # evaluate_semeval(Path(".../pairs_dev.jsonl"), E5Embedder())["newsloom"]["pearson"]
    """
    m = model or default_model()
    ev = event or event_model()
    pairs = load_pairs(path)
    table = pair_table(pairs, embedder)
    gold = [-float(p["overall"]) for p in pairs]
    systems = {
        "newsloom": [m.score(f) for f in table["features"]],
        "embedding cosine": table["cosine"],
        "tfidf cosine": table["tfidf"],
    }
    labelled = [i for i, p in enumerate(pairs) if p["overall"] <= SAME_MAX or p["overall"] >= DIFFERENT_MIN]
    same_gold = [pairs[i]["overall"] <= SAME_MAX for i in labelled]
    clusterer = cluster_all(pairs, table["signals"], ev)
    report: dict[str, Any] = {
        "pairs": len(pairs),
        "labelled_pairs": len(labelled),
        "features": list(FEATURES),
    }
    for name, scores in systems.items():
        entry: dict[str, Any] = {"pearson": pearson(scores, gold), "by_language": _by_language(pairs, scores)}
        if name == "newsloom":
            sig = table["signals"]
            decisions = [clusterer.event_of(sig[pairs[i]["text1"]].article_id)
                         == clusterer.event_of(sig[pairs[i]["text2"]].article_id) for i in labelled]  # fmt: skip
            entry["same_event"] = prf(decisions, same_gold)
            decided = [ev.score(table["features"][i]) >= ev.threshold for i in labelled]
            entry["same_event_pairwise"] = prf(decided, same_gold)
        else:
            t, _ = best_threshold([scores[i] for i in labelled], same_gold)
            entry["same_event"] = prf([scores[i] >= t for i in labelled], same_gold) | {"threshold": t}
        report[name] = entry
    return report


def _by_language(pairs: Sequence[Mapping[str, Any]], scores: Sequence[float]) -> dict[str, float]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        groups[f"{p.get('lang1', 'und')}-{p.get('lang2', 'und')}"].append(i)
    return {k: pearson([scores[i] for i in v], [-float(pairs[i]["overall"]) for i in v])
            for k, v in sorted(groups.items())}  # fmt: skip


def fit_similarity(
    path: Path, embedder: Embedder, alpha: float = 1.0, inputs: Sequence[str] = SIMILARITY_INPUTS
) -> SimilarityModel:
    """Fit the ridge weights and the same-event threshold on a (dev) pairs file.

    Targets are ``(4 - overall) / 3`` so predictions read as a [0, 1] similarity; the threshold maximises
    same-event F1 of the pairwise decision on the labelled pairs of the same file.
    """
    pairs = load_pairs(path)
    table = pair_table(pairs, embedder)
    targets = [(4.0 - float(p["overall"])) / 3.0 for p in pairs]
    weights, bias = fit_ridge(table["features"], targets, alpha, inputs)
    b = table["baseline"]
    prior = {"pairs": {k: round(b.mean(*k.split("|")), 4) for k in b.counts}, "same": round(b.same, 4),
             "cross": round(b.cross, 4)}  # fmt: skip
    model = SimilarityModel(tuple(inputs), tuple(weights), bias, 0.5, {"language_baseline": prior})
    scores = [model.score(f) for f in table["features"]]
    labelled = [i for i, p in enumerate(pairs) if p["overall"] <= SAME_MAX or p["overall"] >= DIFFERENT_MIN]
    t, f1 = best_threshold([scores[i] for i in labelled], [pairs[i]["overall"] <= SAME_MAX for i in labelled])
    meta = {"fitted_on": path.name, "embedder": embedder.name, "alpha": alpha, "dev_pairwise_f1": round(f1, 4),
            "dev_pearson": round(pearson(scores, [-float(p["overall"]) for p in pairs]), 4),
            "language_baseline": prior}  # fmt: skip
    return SimilarityModel(tuple(inputs), tuple(weights), bias, t, meta)


def format_report(report: Mapping[str, Any]) -> str:
    """A plain-text table of an :func:`evaluate_semeval` report."""
    lines = [f"pairs: {report['pairs']} (same/different labelled: {report['labelled_pairs']})",
             f"{'system':<18} {'pearson':>8} {'P':>6} {'R':>6} {'F1':>6}"]  # fmt: skip
    for name in ("newsloom", "embedding cosine", "tfidf cosine"):
        e = report[name]
        s = e["same_event"]
        lines.append(
            f"{name:<18} {e['pearson']:>8.3f} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}"
        )
    langs = report["newsloom"]["by_language"]
    lines.append(
        "pearson by language pair (newsloom): " + ", ".join(f"{k} {v:.3f}" for k, v in langs.items())
    )
    return "\n".join(lines)
