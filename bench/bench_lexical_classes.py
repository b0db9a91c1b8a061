"""Mean lexical cosine per SemEval pair class (same/different event x mono/cross-lingual) for term variants.

Issue 9: the same-event model's lexical cosine is language-bound (a cross-lingual same-event pair scores like a
monolingual different-event pair). This measures candidate term keys on one pairs file without embeddings:
the current ``lexical_terms`` (words), words plus name keys counted again, and name/number-only keys, each with
IDF from the file's own texts. Results and the decision (not adopted): BENCHMARKS.md, "Events on held-out news".

    python bench/bench_lexical_classes.py [--pairs .../pairs_dev.jsonl]
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsloom.evaluation.semeval import DIFFERENT_MIN, SAME_MAX, load_pairs
from newsloom.stages.similarity import (
    MAX_TERMS,
    STEM,
    DocumentFrequency,
    sparse_cosine,
    weighted_terms,
)
from newsloom.text import latin_key, tokens

ROOT = Path(__file__).resolve().parents[1]
SEMEVAL = Path(os.environ.get("NEWSLOOM_SHARED_DATA", ROOT.parent / "shared" / "data")) / "semeval2022_task8"
_WORD = re.compile(r"[^\W_][\w'-]*", re.UNICODE)
_START = re.compile(r"(?:^|[.!?:\"«»„“]\s+)([^\W\d_][\w'-]*)", re.UNICODE)


def _cased(word: str) -> bool:
    """Whether the word's script has letter case (Arabic, Chinese, ... have none, so no capitals to find)."""
    return word.lower() != word.upper()


def name_terms(text: str, prefix: int = 5, sentence_starts: bool = False, uncased_all: bool = True,
               numbers: bool = True) -> tuple[str, ...]:  # fmt: skip
    """Transliterated prefix keys of capitalised words (names, places) and numbers, with repeats."""
    starts = set() if sentence_starts else {m.start(1) for m in _START.finditer(text)}
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0)
        if w[0].isdigit():
            if numbers:
                out.append(re.sub(r"\D", "", w))
            continue
        if _cased(w):
            if not w[0].isupper() or m.start() in starts:
                continue
        elif not uncased_all:
            continue
        key = latin_key(w)[:prefix]
        if len(key) >= 2:
            out.append(key)
    return tuple(out[:400])


def word_terms(text: str) -> tuple[str, ...]:
    """The lexical terms before issue 9: every folded, transliterated token cut to ``STEM`` letters."""
    return tuple(t[:STEM] for t in tokens(text) if len(t) >= 3 or t.isdigit())[:MAX_TERMS]


VARIANTS: dict[str, Callable[[str], tuple[str, ...]]] = {
    "words (before, stem 6)": word_terms,
    "words + name keys (#-tagged)": lambda t: word_terms(t) + tuple("#" + k for k in name_terms(t)),
    "words, prefix 5": lambda t: tuple(x[:5] for x in word_terms(t)),
    "names+numbers, prefix 5": name_terms,
    "names+numbers, prefix 4": lambda t: name_terms(t, prefix=4),
    "names incl. sentence starts": lambda t: name_terms(t, sentence_starts=True),
    "names+numbers, cased only": lambda t: name_terms(t, uncased_all=False),
    "names only (no numbers)": lambda t: name_terms(t, numbers=False),
}


def classes(pairs: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    """Indices of labelled pairs per class."""
    out: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        if SAME_MAX < p["overall"] < DIFFERENT_MIN:
            continue
        same = "same" if p["overall"] <= SAME_MAX else "different"
        cross = "mono" if p["lang1"] == p["lang2"] else "cross"
        out.setdefault(f"{same} {cross}", []).append(i)
    return out


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """Probability a same-event pair scores above a different-event pair (ties half)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=SEMEVAL / "pairs_dev.jsonl")
    args = ap.parse_args()
    pairs = load_pairs(args.pairs)
    texts = list(dict.fromkeys(t for p in pairs for t in (p["text1"], p["text2"])))
    groups = classes(pairs)
    print(
        f"{args.pairs.name}: {len(texts)} texts; "
        + ", ".join(f"{k} {len(v)}" for k, v in sorted(groups.items()))
    )
    print(f"{'variant':<30} {'same mono':>9} {'same cross':>10} {'diff mono':>9} {'diff cross':>10} "
          f"{'AUC mono':>8} {'AUC cross':>9} {'AUC all':>7} {'ms/text':>7}")  # fmt: skip
    for name, make in VARIANTS.items():
        start = time.perf_counter()
        terms = {t: make(t) for t in texts}
        ms = 1000 * (time.perf_counter() - start) / len(texts)
        df = DocumentFrequency()
        for ts in terms.values():
            df.add(ts)
        vec = {t: weighted_terms(ts, df) for t, ts in terms.items()}
        lex = [sparse_cosine(vec[p["text1"]], vec[p["text2"]]) for p in pairs]
        mean = {k: sum(lex[i] for i in v) / len(v) for k, v in groups.items()}
        get = {k: [lex[i] for i in v] for k, v in groups.items()}
        a_mono = auc(get["same mono"], get["different mono"])
        a_cross = auc(get["same cross"], get["different cross"])
        a_all = auc(get["same mono"] + get["same cross"], get["different mono"] + get["different cross"])
        print(f"{name:<30} {mean['same mono']:>9.3f} {mean['same cross']:>10.3f} {mean['different mono']:>9.3f} "
              f"{mean['different cross']:>10.3f} {a_mono:>8.3f} {a_cross:>9.3f} {a_all:>7.3f} {ms:>7.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
