"""Benchmark of boilerplate lines: what the line classifier removes from held-out real articles, old vs new.

Run from the repository root: ``python -m bench.bench_boilerplate``. Texts: SlavicNER ``test`` (bg cs pl ru sl uk,
web boilerplate partly present), German Wikinews ``test`` (clean encyclopaedic news: every removal there is
suspect) and SemEval ``pairs_test`` texts (en de es tr pl ar fr). Reports lines removed per reason for the
current classifier and for ``boilerplate.py`` of commit ``BASELINE_COMMIT`` (read from git, same run), and lists
the lines only one of them removes so a reader can judge them. Writes the ``boilerplate`` section.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from bench._report import write_section
from newsloom.stages.boilerplate import classify_lines

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSLOOM_SHARED_DATA", ROOT.parent / "shared" / "data"))
BASELINE_COMMIT = "5b56fd2"
Classifier = Callable[[Sequence[str]], list[str | None]]


def _jsonl(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        yield from (json.loads(line) for line in handle if line.strip())


def texts() -> list[str]:
    out = [
        row["text"]
        for path in sorted((SHARED / "slavicner").glob("*/*.jsonl"))
        for row in _jsonl(path)
        if row["split_cross_topic"] == "test"
    ]
    out += [row["text"] for row in _jsonl(SHARED / "wikinews_quotes_de" / "test.jsonl")]
    for row in _jsonl(SHARED / "semeval2022_task8" / "pairs_test.jsonl"):
        out += [row["text1"], row["text2"]]
    return list(dict.fromkeys(out))


def baseline() -> Classifier:
    source = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:src/newsloom/stages/boilerplate.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("baseline_boilerplate")
    sys.modules[module.__name__] = module
    exec(compile(source, "baseline_boilerplate.py", "exec"), module.__dict__)
    function: Classifier = module.classify_lines
    return function


def removed(classify: Classifier, corpus: list[str]) -> list[tuple[str, str]]:
    out = []
    for text in corpus:
        lines = text.split("\n")
        out += [(line.strip(), r) for line, r in zip(lines, classify(lines), strict=True) if r is not None]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    corpus = texts()
    old, new = removed(baseline(), corpus), removed(classify_lines, corpus)
    count_old, count_new = Counter(r for _, r in old), Counter(r for _, r in new)
    rows = [
        "## Boilerplate lines (`bench/bench_boilerplate.py`)",
        "",
        f"{len(corpus)} held-out real texts (SlavicNER `test`, Wikinews `test`, SemEval `pairs_test`); lines removed"
        f" per reason by `boilerplate.py` of commit `{BASELINE_COMMIT}` (baseline) and now, same run.",
        "",
        "| reason | baseline | newsloom |",
        "|---|---:|---:|",
    ]
    for reason in sorted(set(count_old) | set(count_new)):
        rows.append(f"| {reason} | {count_old[reason]} | {count_new[reason]} |")
    only_new = sorted(set(new) - set(old))
    only_old = sorted(set(old) - set(new))
    rows += ["", f"Removed only now ({len(only_new)}):", ""]
    rows += [f"- {reason}: `{line[:100]}`" for line, reason in only_new[:40]]
    rows += ["", f"Removed only by the baseline ({len(only_old)}):", ""]
    rows += [f"- {reason}: `{line[:100]}`" for line, reason in only_old[:40]]
    text = "\n".join(rows)
    print(text)
    if not args.no_write:
        write_section("boilerplate", text)


if __name__ == "__main__":
    main()
