"""Quotes, speakers and stances on real held-out news; writes the "claims-gold" section of BENCHMARKS.md.

Three suites, as in ``newsloom eval quotes``: German Wikinews quotes (dev, where rules were tuned, and test),
Czech/Russian sentences (``quotes_cs_ru``, report only, never tuned on) and the hand-annotated SemEval test-split
quotes in seven languages and two scripts. Run from the repository root: ``python -m bench.bench_quotes_gold``
(``--data DIR`` for the shared data folder; default ``../shared/data``). Skips a dataset whose folder is absent.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench._report import write_section
from newsloom.evaluation.quotes_cs_ru import evaluate_quotes_cs_ru
from newsloom.evaluation.quotes_de import evaluate_quotes_de
from newsloom.evaluation.quotes_semeval import evaluate_quotes_semeval

ROOT = Path(__file__).resolve().parents[1]
# The same harness (and the corrected scorer) over the claims code of main at 463fa05, for comparison.
BEFORE = """Before (claims code of main at 463fa05, same harness and scorer): Wikinews dev recall 0.366, precision
0.886, right speaker 0.210 (named 0.231), Direct 0.669 / 0.367, Indirect 0.409 / 0.251; test recall 0.393,
precision 0.887, right speaker 0.218 (named 0.240), Direct 0.714 / 0.369, Indirect 0.388 / 0.235. quotes_cs_ru:
cs quote F1 0.694, right speaker 0.642 of 81; ru 0.593, 0.354 of 99. SemEval hand gold: recall 0.559, right
speaker 0.441, stance 0.947 (ar and tr: no quote found)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(ROOT / ".." / "shared" / "data"), help="the shared data folder")
    data = Path(parser.parse_args().data)
    lines = ["## Quotes, speakers and stance on real held-out news (`bench/bench_quotes_gold.py`)", ""]
    lines += [
        "Same as `newsloom eval quotes --topics SPLIT`; how each gold is scored: `docs/evaluation.md`. Rules were",
        "chosen on Wikinews dev only; a speaker made of articles or reporting nouns only ('der', 'Angaben des')",
        "no longer counts as right (the earlier scorer let it), so these figures supersede the Wikinews rows of",
        "the entities-gold section.",
        "",
    ]
    started = time.perf_counter()
    if (data / "wikinews_quotes_de").exists():
        lines += [
            "| Wikinews split | gold quotes | claims | quote recall | quote precision | right speaker | "
            "right speaker (named) | Direct R / speaker | Indirect R / speaker |",
            "|---|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for split in ("dev", "test"):
            r = evaluate_quotes_de(data / "wikinews_quotes_de", split)
            d, i = r["by_type"]["Direct"], r["by_type"]["Indirect"]
            lines.append(
                f"| {split} | {r['gold_quotes']} | {r['predicted_claims']} | {r['quote_recall']:.3f} | "
                f"{r['quote_precision']:.3f} | {r['right_speaker']:.3f} | {r['right_speaker_named']:.3f} | "
                f"{d['recall']:.3f} / {d['right_speaker']:.3f} | {i['recall']:.3f} / {i['right_speaker']:.3f} |"
            )
        lines.append("")
    if (data / "quotes_cs_ru").exists():
        lines += [
            "quotes_cs_ru (report only, never tuned on; each sentence a document):",
            "",
            "| lang | sentences | quote P | quote R | quote F1 | content F1 | right speaker |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for lang, r in evaluate_quotes_cs_ru(data / "quotes_cs_ru").items():
            lines.append(
                f"| {lang} | {r['sentences']} | {r['detection_precision']:.3f} | {r['detection_recall']:.3f} | "
                f"{r['detection_f1']:.3f} | {r['content_f1']:.3f} | {r['right_speaker']:.3f} of "
                f"{r['with_source']} |"
            )
        lines.append("")
    pairs = data / "semeval2022_task8" / "pairs_test.jsonl"
    if pairs.exists():
        lines += [
            "SemEval-2022 test-split articles, 34 quotes in 21 articles hand-annotated with speaker and stance "
            "(en, de, es, fr, pl, tr Latin; ar Arabic):",
            "",
            "| lang | gold | recall | right speaker | stance (found) |",
            "|---|---:|---:|---:|---:|",
        ]
        for lang, r in evaluate_quotes_semeval(pairs).items():
            lines.append(
                f"| {lang} | {r['gold']} | {r['recall']:.3f} | {r['right_speaker']:.3f} | "
                f"{r['stance_accuracy']:.3f} |"
            )
        lines.append("")
    lines += [
        BEFORE,
        "",
        f"Total {time.perf_counter() - started:.0f} s on a machine shared with other lanes.",
    ]
    body = "\n".join(lines)
    write_section("claims-gold", body)
    print(body)


if __name__ == "__main__":
    main()
