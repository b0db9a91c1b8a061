"""English event titles without translation: the type bank, template filling, slots and the neutral fallback."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import numpy as np
import pytest

from newsloom.errors import InputError
from newsloom.models import Article, Entity, Event, Mention, PublicationDate
from newsloom.stages.event_types import SLOTS, TypeBank, load_types, render_title
from newsloom.stages.summarize import event_digest
from newsloom.stages.summarize_title import EventSlots, english_title, event_slots, shared_count

# A git worktree sits one level deeper than the main checkout: NEWSLOOM_SHARED_DATA points at the data there.
SHARED_DATA = Path(
    os.environ.get("NEWSLOOM_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)

BANK = TypeBank.load()


def test_bank_is_a_few_hundred_types_with_known_slots() -> None:
    types = load_types()
    assert 200 <= len(types) <= 600
    assert len({t.id for t in types}) == len(types)
    for t in types:
        assert t.slots() <= set(SLOTS), t.id
        # Every template reads as an English headline even with every slot empty.
        assert render_title(t.title, {}).strip(), t.id


def test_shipped_vectors_match_the_bank() -> None:
    assert BANK is not None
    assert BANK.vectors.shape == (len(load_types()), 384)
    assert np.allclose(np.linalg.norm(BANK.vectors, axis=1), 1.0, atol=1e-2)
    assert TypeBank.load("some-other-model") is None


def test_bad_bank_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bank.jsonl"
    path.write_text('{"id": "a", "root": "01", "text": "x", "title": "{who} did"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        load_types(path)
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="expected id, root, text, title"):
        load_types(path)


def test_render_drops_optional_parts_and_uses_defaults() -> None:
    template = "Earthquake[ kills {count}][ in {place}]"
    assert (
        render_title(template, {"count": "2,000", "place": "Marrakesh"})
        == "Earthquake kills 2,000 in Marrakesh"
    )
    assert render_title(template, {"place": "Marrakesh"}) == "Earthquake in Marrakesh"
    assert render_title("{actor|Officials} visit {place|abroad}", {}) == "Officials visit abroad"


def _type_vector(type_id: str) -> np.ndarray:
    assert BANK is not None
    index = [t.id for t in BANK.types].index(type_id)
    return BANK.vectors[index]


def test_match_is_confident_only_near_one_type() -> None:
    assert BANK is not None
    quake = _type_vector("earthquake")
    match = BANK.match([quake, quake])
    assert match is not None and match.type.id == "earthquake" and match.score > 0.6
    # Halfway between two unrelated types: no confident type, the caller falls back to the neutral title. (A bank
    # without the news background, so the midpoint is compared as it is.)
    plain = TypeBank(BANK.types, BANK.vectors)
    pure, mid = plain.match([quake]), plain.match([(quake + _type_vector("match")) / 2], min_margin=0.0)
    assert pure is not None and mid is not None and mid.margin < pure.margin / 5
    assert plain.match([(quake + _type_vector("match")) / 2], min_margin=pure.margin / 5) is None
    assert BANK.match([]) is None


def _article(aid: str, lang: str, title: str, text: str) -> Article:
    return Article(
        aid, f"s_{aid}", aid, title, text, lang, 1.0, PublicationDate(dt.date(2023, 9, 9), "metadata")
    )


def _mention(a: Article, surface: str, entity: Entity) -> Mention:
    start = a.text.index(surface)
    return Mention(a.id, surface, start, start + len(surface), entity.type, surface.lower(), entity.id)


MOROCCO = Entity("e_ma", "Morocco", "LOC")
MARRAKESH = Entity("e_mk", "Marrakesh", "LOC")
PUTIN = Entity("e_pu", "Vladimir Putin", "PER")
KIM = Entity("e_kim", "Kim Jong Un", "PER")
PYONGYANG = Entity("e_py", "Pyongyang", "LOC")


def _quake_event() -> tuple[Event, list[Article], list[Mention], dict[str, Entity]]:
    arts = [
        _article("pl1", "pl", "Trzęsienie ziemi w Maroku: 2000 ofiar",
                 "Co najmniej 2000 osób zginęło w trzęsieniu ziemi koło Marrakeszu w Maroku."),
        _article("cs1", "cs", "Zemětřesení v Maroku zabilo 2000 lidí",
                 "Zemětřesení u Marrákeše v Maroku zabilo nejméně 2000 lidí."),
        _article("ru1", "ru", "Землетрясение в Марокко унесло 2000 жизней",
                 "Землетрясение под Марракешем в Марокко унесло не менее 2000 жизней."),
        _article("ar1", "ar", "زلزال في المغرب يقتل 2000 شخص",
                 "قتل زلزال قرب مراكش في المغرب 2000 شخص على الأقل."),
    ]  # fmt: skip
    surfaces = {"pl1": ("Marrakeszu", "Maroku"), "cs1": ("Marrákeše", "Maroku"), "ru1": ("Марракешем", "Марокко"),
                "ar1": ("مراكش", "المغرب")}  # fmt: skip
    mentions = [
        m
        for a in arts
        for m in (_mention(a, surfaces[a.id][0], MARRAKESH), _mention(a, surfaces[a.id][1], MOROCCO))
    ]
    event = Event("q1", "", dt.date(2023, 9, 8), dt.date(2023, 9, 9), tuple(a.id for a in arts),
                  ("ar", "cs", "pl", "ru"), 4)  # fmt: skip
    return event, arts, mentions, {e.id: e for e in (MOROCCO, MARRAKESH)}


def test_slots_take_english_names_and_a_shared_number() -> None:
    _, arts, mentions, entities = _quake_event()
    slots = event_slots(mentions, entities, arts)
    assert slots == EventSlots(
        actor="Morocco", target="", place="Marrakesh", count="2,000", actor_is_place=True
    )


def test_shared_count_needs_agreement_and_skips_years() -> None:
    one = _article("a", "pl", "Powódź 2024", "W 2024 roku 15 osób.")
    two = _article("b", "pl", "Powódź", "Zginęło 7 osób w 2024.")
    assert shared_count([one]) == ""  # a year is not a count, and a lone article's count must be in its title
    assert shared_count([one, two]) == ""  # 15 and 7 disagree
    assert shared_count([_article("c", "cs", "Požár: 12 mrtvých", "")]) == "12"


def test_typed_title_for_an_event_without_english_article() -> None:
    event, arts, mentions, entities = _quake_event()
    vectors = {a.id: _type_vector("earthquake") for a in arts}  # stand-in for the stored article vectors
    digest = event_digest(event, arts, mentions, entities, [], vectors=vectors, bank=BANK)
    assert digest.title == "Earthquake kills 2,000 in Marrakesh, 8-9 Sep 2023"
    assert digest.event_type == "earthquake"
    assert digest.summary.startswith(
        "Earthquake kills 2,000 in Marrakesh, 8-9 Sep 2023. Main actors: Morocco"
    )
    assert "4 articles in Arabic, Czech, Polish, Russian" in digest.summary
    # The original sentences stay beside the English text, one language each.
    assert len({k.language for k in digest.key_sentences}) == len(digest.key_sentences) == 3


def test_neutral_title_without_a_confident_type() -> None:
    slots = EventSlots(actor="Vladimir Putin", target="Kim Jong Un", place="Pyongyang")
    title = english_title(None, slots, "18-19 Jun 2024", counts="3 reports in Czech, Polish")
    assert title == "Vladimir Putin and Kim Jong Un in Pyongyang, 18-19 Jun 2024: 3 reports in Czech, Polish"
    assert english_title(None, EventSlots(place="Kłodzko"), "", counts="1 report in Polish") == (
        "News from Kłodzko: 1 report in Polish"
    )


def test_other_models_vectors_fall_back_to_the_neutral_title() -> None:
    event, arts, mentions, entities = _quake_event()
    digest = event_digest(
        event, arts, mentions, entities, [], vectors={a.id: np.ones(8, np.float32) for a in arts}
    )
    assert digest.event_type == "" and digest.title.startswith("Marrakesh, Morocco, 8-9 Sep 2023: 4 reports")


@pytest.mark.slow
def test_real_articles_in_four_languages_get_an_english_title() -> None:
    """Encoded by the real model, the Polish, Czech, Russian and Arabic quake reports are nearest the earthquake
    type. Before centring its lead over "mass killings" was 0.002 (neutral title); centred it is 0.03 (measured),
    above the margin, so the title has a predicate and English names, no native word."""
    from newsloom.stages.embed import E5Embedder, embed_articles

    event, arts, mentions, entities = _quake_event()
    vectors = dict(zip([a.id for a in arts], embed_articles(E5Embedder(), arts), strict=True))
    assert BANK is not None and BANK.ranked(list(vectors.values()), 1)[0][0].id == "earthquake"
    digest = event_digest(event, arts, mentions, entities, [], vectors=vectors)
    assert digest.title.startswith("Earthquake kills 2,000 in Marrakesh")
    assert all(ord(ch) < 128 for ch in digest.title), digest.title


@pytest.mark.slow
def test_event_type_quality_floors() -> None:
    """Floors a little below the figures measured 2026-12-02 (held-out accuracy 0.243, precision 0.889 on 9
    typed events, nearest type 0.378; tune 0.446 / 0.814 / 0.590)."""
    if not (SHARED_DATA / "semeval2022_task8").exists():
        pytest.skip("shared evaluation data not available")
    from newsloom.evaluation.digest import evaluate_event_types
    from newsloom.stages.embed import E5Embedder

    report = evaluate_event_types(SHARED_DATA, E5Embedder())
    floors = json.loads((Path(__file__).parent / "digest_floors.json").read_text(encoding="utf-8"))
    for split, metrics in floors.items():
        for metric, floor in metrics.items():
            assert report[split][metric] >= floor, (split, metric, report[split][metric])
