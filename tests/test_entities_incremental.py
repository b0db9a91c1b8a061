"""The ingest path (``link_batch``, batch by batch against the name index) groups mentions as the whole-corpus
linker does, short forms of multi-word places and bodies included."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest

from newsloom.config import Settings
from newsloom.models import Article, Mention, PublicationDate
from newsloom.stages.entities import Gazetteer, extract_mentions, link_mentions
from newsloom.stages.entities.incremental import link_in_batches
from newsloom.tracker import Tracker

# Small multilingual fixture of one story: each language names a multi-word place or body, then its short form.
TEXTS = {
    "cs": (
        "Velká Británie podpořila Ukrajinu",
        "Premiér Keir Starmer oznámil, že Velká Británie pošle další pomoc. Británie také podpoří sankce, "
        "které navrhla Evropská komise. Komise o nich bude jednat v Bruselu.",
    ),
    "pl": (
        "Wielka Brytania wspiera Ukrainę",
        "Premier Keir Starmer ogłosił, że Wielka Brytania wyśle kolejną pomoc. Brytania poprze także sankcje "
        "Unii Europejskiej, o których Unia rozmawia w Brukseli.",
    ),
    "en": (
        "United Kingdom backs Ukraine",
        "Prime Minister Keir Starmer said the United Kingdom would send more aid. Starmer also backed sanctions "
        "proposed by the European Commission in Brussels.",
    ),
    "de": (
        "Großbritannien unterstützt die Ukraine",
        "Premierminister Keir Starmer sagte, das Vereinigte Königreich werde weitere Hilfe schicken. Starmer "
        "unterstützt auch Sanktionen der Europäischen Kommission in Brüssel.",
    ),
}


def _articles() -> list[Article]:
    return [
        Article(f"a-{lang}", "s", f"{lang}.txt", title, text, lang, 1.0, PublicationDate(None, "unknown"))
        for lang, (title, text) in TEXTS.items()
    ]


def _groups(mentions: Iterable[Mention]) -> set[frozenset[tuple[str, str]]]:
    """The partition of mentions (article, surface) by entity, ids left out (the two paths may name them apart)."""
    members: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in mentions:
        members[m.entity_id or ""].add((m.article_id, m.text))
    return {frozenset(v) for v in members.values()}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()[0]


def test_short_forms_join_their_full_name_on_the_ingest_path(gazetteer: Gazetteer) -> None:
    arts = _articles()
    found = [m for a in arts for m in extract_mentions(a, gazetteer)]
    language = {a.id: a.language for a in arts}
    linked, _ = link_in_batches(found, article_language=language, gazetteer=gazetteer, batch_size=1)
    entity = {(m.article_id, m.text): m.entity_id for m in linked}
    assert entity[("a-cs", "Británie")] == entity[("a-cs", "Velká Británie")]
    assert entity[("a-pl", "Unia")] == entity[("a-pl", "Unii Europejskiej")]


@pytest.mark.parametrize("batch_size", [1, 2, 200])
def test_batches_group_mentions_as_the_whole_corpus_linker(gazetteer: Gazetteer, batch_size: int) -> None:
    arts = _articles()
    found = [m for a in arts for m in extract_mentions(a, gazetteer)]
    language = {a.id: a.language for a in arts}
    whole = link_mentions(found, article_language=language, gazetteer=gazetteer)
    linked, entities = link_in_batches(
        found, article_language=language, gazetteer=gazetteer, batch_size=batch_size
    )
    assert _groups(linked) == _groups(whole.mentions)
    assert {e.id for e in entities.values()} == {m.entity_id for m in linked}


def test_link_in_batches_refuses_an_empty_batch(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        link_in_batches([], article_language={}, gazetteer=gazetteer, batch_size=0)


@pytest.mark.slow
def test_the_engine_groups_entities_as_the_whole_corpus_linker(tmp_path: Path, gazetteer: Gazetteer) -> None:
    for lang, (title, text) in TEXTS.items():
        (tmp_path / f"{lang}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    with Tracker(Settings(db=str(tmp_path / "t.db"), batch_size=1)) as tracker:
        tracker.ingest([str(tmp_path / f"{lang}.txt") for lang in TEXTS])
        stored = tracker.articles()
        mentions = tracker.store.mentions()
    language = {a.id: a.language for a in stored}
    found = [m for a in stored for m in extract_mentions(a, gazetteer)]
    whole = link_mentions(found, article_language=language, gazetteer=gazetteer)
    assert mentions and _groups(mentions) == _groups(whole.mentions)
    by_text = {(m.article_id, m.text): m.entity_id for m in mentions}
    cs = next(a.id for a in stored if a.origin.endswith("cs.txt"))
    assert by_text[(cs, "Británie")] == by_text[(cs, "Velká Británie")]
