"""Entities and speakers on real held-out news: SlavicNER entity identity across languages and scripts, and
German Wikinews quotes with speakers; writes the "entities-gold" section of BENCHMARKS.md.

Run from the repository root: ``python -m bench.bench_entities_gold`` (``--data DIR`` for the shared data
folder; default ``../shared/data``). Skips a dataset whose folder is absent. Splits: SlavicNER ``dev`` (a fixed
600-article sample of articles ``train`` in both upstream splits; thresholds are tuned here), ``test``
(``split_cross_topic == "test"``) and ``unseen`` (topic ``us_election_2020``); Wikinews ``dev`` and ``test``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench._report import write_section
from newsloom.evaluation.quotes_de import evaluate_quotes_de
from newsloom.evaluation.slavicner import evaluate_slavicner

ROOT = Path(__file__).resolve().parents[1]
# The same harness on main before the entities10 changes (commit 463fa05), for comparison.
BEFORE = """Before (main at 463fa05, same harness): SlavicNER dev linked 0.759, P 0.965, R 0.565, cross-script R 0.531,
inflected names 0.071; test linked 0.736, P 0.975, R 0.468, cross-language R 0.448, cross-script R 0.450, inflected
names 0.087; unseen linked 0.712, P 0.988, R 0.439, cross-script R 0.359, inflected names 0.100. Wikinews dev
quote recall 0.366, precision 0.886, right speaker 0.248; test 0.393, 0.887, 0.239.
Ingest path before entities10b brought the short-form join to link_batch (at 576c266, same harness):
dev P 0.966, R 0.602, cross-script R 0.570; test P 0.974, R 0.502, cross-script R 0.484."""


def _slavicner_rows(folder: Path) -> list[str]:
    rows = [
        "| split | articles | gold mentions | linked | P all | R all | P cross-lang | R cross-lang | "
        "P cross-script | R cross-script | R PER | R LOC | R ORG | names base / inflected | ingest P / R all | "
        "ingest R cross-script | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for split in ("dev", "test", "unseen"):
        start = time.perf_counter()
        r: dict[str, Any] = evaluate_slavicner(folder, split)
        took = time.perf_counter() - start
        p, c, d, q = r["pairwise"], r["by_category"], r["display_names"], r["incremental"]["pairwise"]
        rows.append(
            f"| {split} | {r['articles']} | {r['gold_mentions']:,} | {r['linked_share']:.3f} | "
            f"{p['all']['precision']:.3f} | {p['all']['recall']:.3f} | {p['cross_language']['precision']:.3f} | "
            f"{p['cross_language']['recall']:.3f} | {p['cross_script']['precision']:.3f} | "
            f"{p['cross_script']['recall']:.3f} | {c['PER']['recall']:.3f} | {c['LOC']['recall']:.3f} | "
            f"{c['ORG']['recall']:.3f} | {d['base_share']:.3f} / {d['inflected_share']:.3f} | "
            f"{q['all']['precision']:.3f} / {q['all']['recall']:.3f} | {q['cross_script']['recall']:.3f} | "
            f"{took:.0f} |"
        )
    return rows


def _quotes_rows(folder: Path) -> list[str]:
    rows = [
        "| split | gold quotes | claims | quote recall | quote precision | right speaker | right speaker "
        "(named) | Direct R / speaker | Indirect R / speaker |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for split in ("dev", "test"):
        r: dict[str, Any] = evaluate_quotes_de(folder, split)
        t = r["by_type"]
        rows.append(
            f"| {split} | {r['gold_quotes']} | {r['predicted_claims']} | {r['quote_recall']:.3f} | "
            f"{r['quote_precision']:.3f} | {r['right_speaker']:.3f} | {r['right_speaker_named']:.3f} | "
            f"{t['Direct']['recall']:.3f} / {t['Direct']['right_speaker']:.3f} | "
            f"{t['Indirect']['recall']:.3f} / {t['Indirect']['right_speaker']:.3f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    args = parser.parse_args()
    body = [
        "## Entities and speakers on real held-out news (`bench/bench_entities_gold.py`)",
        "",
        "Same as `newsloom eval slavicner --topics SPLIT` and `newsloom eval quotes --topics SPLIT`; how each gold "
        "is scored: `docs/evaluation.md`. Rules are tuned on dev only; test and unseen are reported.",
    ]
    slavic = args.data / "slavicner"
    if slavic.exists():
        body += [
            "",
            "SlavicNER (bg, ru, uk Cyrillic; cs, pl, sl Latin). Pairwise over gold mentions: do two mentions of "
            "one gold entity id get one newsloom entity (recall), do mentions under one newsloom entity share "
            "a gold id (precision); unlinked gold mentions cost recall. Names: share of entities whose display "
            "name is a gold base form / an inflected surface form. Ingest: the same mentions linked as the engine "
            "links them on ingest (`link_batch`, batches of 200 articles against the growing name index); "
            "seconds cover both linkers.",
            "",
            *_slavicner_rows(slavic),
        ]
    quotes = args.data / "wikinews_quotes_de"
    if quotes.exists():
        body += [
            "",
            "Wikinews quotes (German, whole articles): a gold quote is found when a claim overlaps it; the "
            "speaker is right when the claim's speaker names the gold speaker or is an entity mentioned at "
            "its span; 'named' leaves out bare-pronoun gold speakers.",
            "",
            *_quotes_rows(quotes),
        ]
    body += ["", BEFORE]
    write_section("entities-gold", "\n".join(body))


if __name__ == "__main__":
    main()
