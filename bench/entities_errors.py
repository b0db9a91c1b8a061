"""Recall-failure classes of entity identity on SlavicNER dev (error analysis; tune on dev only).

Run from the repository root: ``python -m bench.entities_errors [--split dev] [--data DIR]``. Every missed
same-gold-id pair of mentions (two mentions of one gold entity that do not share one newsloom entity) is put in
the first class that fits, in this order:

1. ``unlinked``: one of the two gold mentions has no newsloom mention (not found, or nested).
2. ``event/product``: gold category EVT or PRO (Brexit, Nord Stream 2), which newsloom does not aim at.
3. ``adjective/demonym``: one surface starts in lower case or its gold lemma is no capitalised name
   ("polski", "российский", "Rosjanie" with lemma of a demonym) while the other is the name.
4. ``partial name``: PER, one surface has fewer words than the other ("Putin" / "Vladimir Putin").
5. ``cross-script``: the two mentions are in different scripts.
6. ``inflection``: same script, same gold lemma, different surface ("Putina" / "Putin").
7. ``other spelling``: same script, different lemma (language-specific spellings, "Trump" / "Trumpa").

Prints the table (share of missed pairs per class and category) and a few examples of each.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from pathlib import Path

from newsloom.evaluation.slavicner import GoldMention, align, articles_and_gold, load_split

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("unlinked", "event/product", "adjective/demonym", "partial name", "cross-script", "inflection",
           "other spelling")  # fmt: skip


def _adjectival(g: GoldMention) -> bool:
    return g.surface[:1].islower() or g.lemma[:1].islower()


def classify(a: GoldMention, b: GoldMention, a_linked: bool, b_linked: bool) -> str:
    """The first failure class that fits a missed pair (see the module docstring)."""
    if not (a_linked and b_linked):
        return "unlinked"
    if a.category in ("EVT", "PRO"):
        return "event/product"
    if _adjectival(a) != _adjectival(b):
        return "adjective/demonym"
    if a.category == "PER" and len(a.lemma.split()) != len(b.lemma.split()):
        return "partial name"
    if a.script != b.script:
        return "cross-script"
    if a.lemma.casefold() == b.lemma.casefold():
        return "inflection"
    return "other spelling"


def analyse(gold: list[GoldMention], entity_of: list[str | None], seed: int = 0) -> dict[str, object]:
    """Missed pairs per class and category, and sampled examples (one random pair per gold id piece pair)."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_id[g.entity].append(i)
    missed: Counter[tuple[str, str]] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    rng = random.Random(seed)
    for ids in by_id.values():
        pieces: dict[str | None, list[int]] = defaultdict(list)
        for i in ids:
            pieces[entity_of[i]].append(i)
        keys = list(pieces)
        # Pairs inside the unlinked piece are missed as well.
        groups = [(k, k) for k in keys if k is None] + [
            (x, y) for n, x in enumerate(keys) for y in keys[n + 1 :]
        ]
        for x, y in groups:
            xs, ys = pieces[x], pieces[y]
            for i in xs:
                for j in ys:
                    if x == y and j <= i:
                        continue
                    a, b = gold[i], gold[j]
                    cls = classify(a, b, entity_of[i] is not None, entity_of[j] is not None)
                    missed[(cls, a.category)] += 1
            i, j = rng.choice(xs), rng.choice(ys)
            a, b = gold[i], gold[j]
            cls = classify(a, b, entity_of[i] is not None, entity_of[j] is not None)
            examples[cls].append(f"{a.entity}: {a.surface!r} ({a.lang}) / {b.surface!r} ({b.lang})")
    return {"missed": missed, "examples": examples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--examples", type=int, default=12)
    args = parser.parse_args()
    from newsloom.stages.entities import Gazetteer, extract_mentions, link_mentions

    articles, gold = articles_and_gold(load_split(args.data / "slavicner", args.split))
    gaz, _ = Gazetteer.load()
    found = [m for a in articles for m in extract_mentions(a, gaz)]
    linked = link_mentions(found, article_language={a.id: a.language for a in articles}, gazetteer=gaz)
    entity_of = [m.entity_id if m is not None else None for m in align(gold, linked.mentions)]
    report = analyse(gold, entity_of)
    missed: Counter[tuple[str, str]] = report["missed"]  # type: ignore[assignment]
    examples: dict[str, list[str]] = report["examples"]  # type: ignore[assignment]
    total = max(1, sum(missed.values()))
    cats = ("PER", "LOC", "ORG", "EVT", "PRO")
    print("| class | missed pairs | share | " + " | ".join(cats) + " |")
    print("|---|---:|---:|" + "---:|" * len(cats))
    for cls in CLASSES:
        n = sum(v for (c, _), v in missed.items() if c == cls)
        print(
            f"| {cls} | {n:,} | {n / total:.3f} | " + " | ".join(f"{missed[(cls, k)]:,}" for k in cats) + " |"
        )
    rng = random.Random(1)
    for cls in CLASSES:
        sample = examples[cls]
        print(f"\n{cls}:")
        for line in rng.sample(sample, min(args.examples, len(sample))):
            print("  " + line)


if __name__ == "__main__":
    main()
