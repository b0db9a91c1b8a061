"""Benchmark of language identification on held-out real news: accuracy, speed and memory, old vs new.

Run from the repository root: ``python -m bench.bench_langid``. Each method runs in its own process so its peak
RSS is its own. Methods: ``lingua31`` (the identifier before py3langid: lingua over 31 fixed languages, kept
here as the same-run baseline) and ``newsloom`` (``newsloom.stages.langid.LanguageIdentifier``).

Held-out sets (no rule was written against them): SemEval-2022 Task 8 ``pairs_test`` texts (en de es tr pl ar fr),
SlavicNER ``split_cross_topic == "test"`` (bg cs pl ru sl uk), ML-Crisis test topics syria+yemen (es fr it),
German Wikinews ``test``; at most ``--per-language`` texts per language and set. ``snippet`` is the first
40-90 characters of each text's body (cut at a space), the hard short case. ``world`` is
``bench/langid_samples.py`` (22 languages, 12 scripts, sentences written for newsloom). Writes the ``langid``
section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._report import write_section
from bench.langid_samples import WORLD

ROOT = Path(__file__).resolve().parents[1]
# The repository sits next to ../shared/data; NEWSLOOM_SHARED_DATA points elsewhere (a git worktree).
SHARED = Path(os.environ.get("NEWSLOOM_SHARED_DATA", ROOT.parent / "shared" / "data"))
METHODS = ("lingua31", "newsloom")
Item = tuple[str, str]  # (gold language, text)


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def heldout(per_language: int) -> list[Item]:
    """Real article texts with their gold language, from the test splits of the shared data."""
    items: list[Item] = []
    seen: set[str] = set()
    counts: Counter[tuple[str, str]] = Counter()

    def add(source: str, lang: str, text: str) -> None:
        key = text[:200]
        if key in seen or counts[(source, lang)] >= per_language or len(text) < 200:
            return
        seen.add(key)
        counts[(source, lang)] += 1
        items.append((lang, text))

    for row in _jsonl(SHARED / "semeval2022_task8" / "pairs_test.jsonl"):
        add("semeval", str(row["lang1"]), str(row["text1"]).strip())
        add("semeval", str(row["lang2"]), str(row["text2"]).strip())
    for path in sorted((SHARED / "slavicner").glob("*/*.jsonl")):
        for row in _jsonl(path):
            if row["split_cross_topic"] == "test":
                add("slavicner", str(row["lang"]), str(row["text"]))
    for row in _jsonl(SHARED / "ml_crisis" / "articles.jsonl"):
        if row["topic"] in ("syria", "yemen"):
            add("mlcrisis", str(row["lang"]), str(row["text"]))
    for row in _jsonl(SHARED / "wikinews_quotes_de" / "test.jsonl"):
        add("wikinews", "de", str(row["text"]))
    return items


def snippet(text: str) -> str:
    """40-90 characters from the start of the body (after a title line), cut at a space."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    body = " ".join(lines[1:]) if len(lines) > 1 else lines[0]
    cut = body.rfind(" ", 40, 90)
    return body[: cut if cut > 0 else 90]


def world() -> list[Item]:
    return [(lang, text) for lang, texts in WORLD.items() for text in texts]


def _lingua31() -> Callable[[str], str]:
    """The identifier as it was before py3langid: lingua over 31 fixed languages (same-run baseline)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    languages = "pl cs sk ru uk bg sr hr bs sl mk ro en de fr es it pt nl hu tr ar el fi sv lt lv he fa zh ja"
    codes = [getattr(IsoCode639_1, code.upper()) for code in languages.split()]
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()

    def identify(text: str) -> str:
        sample = text[:1000]
        if sum(ch.isalpha() for ch in sample) < 12:
            return "und"
        values = detector.compute_language_confidence_values(sample)
        if not values or values[0].value < 0.5:
            return "und"
        return str(values[0].language.iso_code_639_1.name.lower())

    return identify


def _newsloom() -> Callable[[str], str]:
    from newsloom.stages.langid import LanguageIdentifier

    ident = LanguageIdentifier()
    return lambda text: ident.identify(text).code


# Codes that name the same language at the precision the gold uses.
_SAME = {"nb": "no", "nn": "no"}


def score(identify: Callable[[str], str], items: list[Item]) -> dict[str, object]:
    """Share right / undetermined / wrong, per-language errors, and milliseconds per text."""
    right = und = 0
    errors: dict[str, Counter[str]] = defaultdict(Counter)
    start = time.perf_counter()
    guesses = [identify(text) for _, text in items]
    elapsed = time.perf_counter() - start
    for (gold, _), guess in zip(items, guesses, strict=True):
        if _SAME.get(guess, guess) == _SAME.get(gold, gold):
            right += 1
        elif guess == "und":
            und += 1
            errors[gold]["und"] += 1
        else:
            errors[gold][guess] += 1
    n = len(items)
    return {
        "n": n,
        "right": right / n,
        "und": und / n,
        "wrong": (n - right - und) / n,
        "ms": 1000 * elapsed / n,
        "errors": {lang: dict(c.most_common(3)) for lang, c in sorted(errors.items())},
    }


def run_method(method: str, per_language: int) -> dict[str, object]:
    start = time.perf_counter()
    identify = _lingua31() if method == "lingua31" else _newsloom()
    long_items = heldout(per_language)
    for _, text in world() + long_items[:: max(1, len(long_items) // 100)]:
        identify(text)  # warm-up: model loads are counted in load_s, not as identification time
    warm = time.perf_counter() - start
    sets = {
        "long": long_items,
        "snippet": [(lang, snippet(text)) for lang, text in long_items],
        "world": world(),
    }
    result: dict[str, object] = {name: score(identify, items) for name, items in sets.items()}
    result["load_s"] = warm
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def report(results: dict[str, dict[str, object]], per_language: int) -> str:
    rows = [
        "## Language identification (`bench/bench_langid.py`)",
        "",
        "Held-out real news: SemEval-2022 Task 8 `pairs_test` (en de es tr pl ar fr), SlavicNER cross-topic `test`"
        " (bg cs pl ru sl uk), ML-Crisis test topics syria+yemen (es fr it), German Wikinews `test`; at most"
        f" {per_language} texts per language and set. `snippet`: 40-90 characters of each body. `world`: 2"
        " written sentences in each of 23 languages, 12 scripts (`bench/langid_samples.py`). Each method in its"
        " own process; `lingua31` is the identifier before py3langid, measured in the same run.",
        "",
        "| method | set | texts | right | und | wrong | ms/text |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for method, result in results.items():
        for name in ("long", "snippet", "world"):
            s = result[name]
            assert isinstance(s, dict)
            rows.append(
                f"| {method} | {name} | {s['n']} | {s['right']:.3f} | {s['und']:.3f} | {s['wrong']:.3f}"
                f" | {s['ms']:.2f} |"
            )
    rows += ["", "| method | peak RSS (MiB) | load + first text (s) |", "|---|---:|---:|"]
    rows += [f"| {m} | {r['rss_mib']:.0f} | {r['load_s']:.1f} |" for m, r in results.items()]
    for method, result in results.items():
        for name in ("snippet", "world"):
            s = result[name]
            assert isinstance(s, dict)
            rows.append(f"\n{method} `{name}` errors (gold: guess count): `{json.dumps(s['errors'])}`")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=60)
    parser.add_argument("--method", choices=METHODS, help="run one method here and print JSON (internal)")
    parser.add_argument("--no-write", action="store_true", help="print, do not update BENCHMARKS.md")
    args = parser.parse_args()
    if args.method:
        print(json.dumps(run_method(args.method, args.per_language)))
        return
    results = {}
    for method in METHODS:
        command = [sys.executable, "-m", "bench.bench_langid", "--method", method]
        command += ["--per-language", str(args.per_language)]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        results[method] = json.loads(out.strip().splitlines()[-1])
    text = report(results, args.per_language)
    print(text)
    if not args.no_write:
        write_section("langid", text)


if __name__ == "__main__":
    main()
