"""The whole pipeline on the demo corpus against its gold: ``python -m bench.bench_demo`` (from the repo root).

Writes the ``demo`` section of BENCHMARKS.md: what `newsloom eval demo` reports (languages, dates, duplicates,
events, stories through the real `Tracker.ingest`, with entity ids feeding the clusterer), and how long it took.
"""

from __future__ import annotations

import time

from bench._report import write_section
from newsloom import Tracker
from newsloom.evaluation.demo import evaluate_demo, format_demo_report


def main() -> None:
    start = time.perf_counter()
    report = evaluate_demo(None, Tracker)
    seconds = time.perf_counter() - start
    body = "\n".join(
        [
            "## Demo corpus through the whole pipeline (`bench/bench_demo.py`, same as `newsloom eval demo`)",
            "",
            "46 hand-written articles in 8 languages, 11 gold events in 3 stories plus 2 stand-alone events "
            "(`src/newsloom/data/demo_gold/events.json`). Unlike the events harness above, this runs "
            "`Tracker.ingest` in arrival (file) order with entity ids from the entities stage.",
            "",
            "```",
            format_demo_report(report),
            "```",
            "",
            f"- Wall time {seconds:.1f} s, including loading the language, gazetteer, lemmatiser and embedding "
            "models once.",
        ]
    )
    write_section("demo", body)
    print(body)


if __name__ == "__main__":
    main()
