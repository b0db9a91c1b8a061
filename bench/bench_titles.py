"""Benchmark of titles in plain text: is the first line a title, or the first paragraph of an untitled text?

Run from the repository root: ``python -m bench.bench_titles``. Gold, built from the shared data without
annotation of ours: SlavicNER texts have the title on their first line (``titled``; the same text without that
line is ``untitled``, gold title empty); German Wikinews articles have a ``title`` field and a body without it
(``title + blank line + body`` is titled, the body alone untitled). Rules were tuned on SlavicNER
``split_cross_topic == "train"`` and Wikinews ``dev``; SlavicNER ``test`` and Wikinews ``test`` are held out.
Baseline: ``clean.py`` of commit ``BASELINE_COMMIT`` (a line over 300 characters is the only sign of a
paragraph), read from git and run in the same process. Writes the ``titles`` section of BENCHMARKS.md.
Known gold noise: some SlavicNER first lines are title and lead run together, some bodies open with a subtitle.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._report import write_section
from newsloom.errors import InputError
from newsloom.models import Cleaned, RawDocument
from newsloom.stages.clean import clean

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSLOOM_SHARED_DATA", ROOT.parent / "shared" / "data"))
BASELINE_COMMIT = "5b56fd2"  # main before the langdates lane
Case = tuple[str, str, str]  # (group, gold title, text)


def _jsonl(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        yield from (json.loads(line) for line in handle if line.strip())


def cases(split: str) -> list[Case]:
    """Titled and untitled plain texts of one split (``train``/``test``; Wikinews ``dev``/``test``)."""
    out: list[Case] = []
    for path in sorted((SHARED / "slavicner").glob("*/*.jsonl")):
        for row in _jsonl(path):
            if row["split_cross_topic"] == split:
                first, _, rest = row["text"].partition("\n")
                out.append(("SlavicNER titled", first.strip(), row["text"]))
                out.append(("SlavicNER untitled", "", rest.strip()))
    for row in _jsonl(SHARED / "wikinews_quotes_de" / f"{'dev' if split == 'train' else 'test'}.jsonl"):
        out.append(("Wikinews titled", row["title"].strip(), f"{row['title']}\n\n{row['text']}"))
        out.append(("Wikinews untitled", "", row["text"]))
    return out


def baseline_clean() -> Callable[[RawDocument], Cleaned]:
    source = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:src/newsloom/stages/clean.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("baseline_clean")
    sys.modules[module.__name__] = module  # dataclasses look their module up while the class is built
    exec(compile(source, "baseline_clean.py", "exec"), module.__dict__)
    function: Callable[[RawDocument], Cleaned] = module.clean
    return function


def accuracy(function: Callable[[RawDocument], Cleaned], items: list[Case]) -> dict[str, tuple[int, int]]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for group, gold, text in items:
        try:
            title = function(RawDocument("t", "t", text, "text")).title.strip()
        except InputError:
            title = None
        total[group] += 1
        right[group] += title == gold
    return {group: (right[group], total[group]) for group in sorted(total)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    methods = {"baseline": baseline_clean(), "newsloom": clean}
    rows = [
        "## Titles of plain text (`bench/bench_titles.py`)",
        "",
        "Is the first line a title or the first paragraph? Gold from SlavicNER (title on the first line; the same"
        " text without it is untitled) and German Wikinews (`title` field + body; body alone is untitled). Tuned"
        " on SlavicNER `train` + Wikinews `dev`; `test` splits held out. Share of texts whose title is exactly the"
        f" gold (empty for untitled). Baseline: `clean.py` of commit `{BASELINE_COMMIT}`, same run.",
        "",
        "| split | group | texts | baseline | newsloom |",
        "|---|---|---:|---:|---:|",
    ]
    for split in ("train", "test"):
        items = cases(split)
        results = {name: accuracy(function, items) for name, function in methods.items()}
        groups = list(results["newsloom"])
        for group in [*groups, "all"]:
            if group == "all":
                pairs = {n: tuple(map(sum, zip(*r.values(), strict=True))) for n, r in results.items()}
            else:
                pairs = {n: r[group] for n, r in results.items()}
            b, n = pairs["baseline"][0], pairs["newsloom"]
            rows.append(f"| {split} | {group} | {n[1]} | {b / n[1]:.3f} | {n[0] / n[1]:.3f} |")
    text = "\n".join(rows)
    print(text)
    if not args.no_write:
        write_section("titles", text)


if __name__ == "__main__":
    main()
