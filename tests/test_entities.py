"""Entities: comparison keys, mention extraction, linking, corrections."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import make_article

from newsloom.models import Mention
from newsloom.stages.entities import (
    Corrections,
    Gazetteer,
    extract_mentions,
    link_mentions,
    name_key,
    names_match,
    token_key,
)
from newsloom.stages.entities.keys import skeleton, strip_ending


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()[0]


# --- keys ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "lang_a", "b", "lang_b"),
    [
        ("Władimir Putin", "pl", "Владимир Путин", "ru"),
        ("Putinowi", "pl", "Putin", "en"),
        ("Putinovy", "cs", "Путина", "ru"),
        ("Zełenski", "pl", "Selenskyj", "de"),
        ("Зеленський", "uk", "Zelensky", "en"),
        ("Miedwiediew", "pl", "Медведев", "ru"),
        ("Μητσοτάκης", "el", "Mitsotakis", "en"),
        ("Ciolacului", "ro", "Чолаку", "ru"),
    ],
)
def test_spelling_variants_share_a_key(a: str, lang_a: str, b: str, lang_b: str) -> None:
    assert name_key(a, lang_a) == name_key(b, lang_b)


def test_polish_pronoun_kim_is_not_lemmatised_inside_a_name() -> None:
    # simplemma lemmatises "Kim" to the pronoun "kto"; a name token must keep its own form.
    assert token_key("Kim", "pl") == "kim"


@given(st.text(max_size=40))
def test_keys_are_lowercase_ascii_and_idempotent_in_shape(text: str) -> None:
    key = name_key(text, "pl")
    assert key == key.strip()
    assert all(ch.isascii() and (ch.islower() or ch.isdigit() or ch == " ") for ch in key)
    assert "  " not in key


@given(
    st.from_regex(r"[A-Za-zÀ-ž]{1,15}", fullmatch=True),
    st.sampled_from(["pl", "cs", "ro", "en", "de", "und"]),
)
def test_stripping_never_leaves_a_stem_shorter_than_three(word: str, lang: str) -> None:
    skel = skeleton(word, lang)
    stripped = strip_ending(skel)
    assert skel.startswith(stripped)
    assert len(stripped) >= min(len(skel), 2)


def test_hard_negatives_do_not_match() -> None:
    def toks(name: str, lang: str = "en") -> list[str]:
        return name_key(name, lang).split()

    assert not names_match(toks("Kim Jong Un"), toks("Kim Hong-gyun"))
    assert not names_match(toks("Kim Jong Un"), toks("Kim Yo Jong"))
    assert not names_match(toks("Lech Kaczyński", "pl"), toks("Jarosław Kaczyński", "pl"))
    assert not names_match(toks("Andrzej Duda", "pl"), toks("Andrzej Dera", "pl"))
    assert names_match(toks("Kim Dzong Un", "pl"), toks("Kim Jong Un"))
    assert names_match(toks("Ursula von der Leyen"), toks("von der Leyen"))


# --- mentions ---------------------------------------------------------------------------------


def _found(gaz: Gazetteer, text: str, lang: str) -> list[tuple[str, str]]:
    article = make_article("a1", "", text, language=lang)
    mentions = extract_mentions(article, gaz)
    for m in mentions:
        assert article.text[m.start : m.end] == m.text  # offsets index Article.text
        assert m.entity_id is None and m.key
    return [(m.text, m.type) for m in mentions]


def test_polish_article_mentions(gaz: Gazetteer) -> None:
    text = (
        "Prezydent Władimir Putin przyleciał do Pjongjangu. Według rzecznika Kremla Dmitrija Pieskowa "
        "wizyta jest udana. Putinowi towarzyszył minister Siergiej Ławrow, a ONZ milczy."
    )
    found = _found(gaz, text, "pl")
    assert ("Władimir Putin", "PER") in found
    assert ("Pjongjangu", "LOC") in found
    assert ("Kremla", "ORG") in found
    assert ("Dmitrija Pieskowa", "PER") in found
    assert ("Putinowi", "PER") in found
    assert ("ONZ", "ORG") in found
    assert not any(text_ in ("Prezydent", "Według") for text_, _ in found)


def test_demonyms_are_places(gaz: Gazetteer) -> None:
    assert ("severokorejský", "LOC") in _found(gaz, "Přiletěl severokorejský vůdce.", "cs")
    assert ("rosyjskiego", "LOC") in _found(gaz, "To wizyta rosyjskiego przywódcy.", "pl")


def test_sentence_initial_common_words_are_not_names(gaz: Gazetteer) -> None:
    found = _found(gaz, "W środę było zimno. Dziś pada deszcz. Ale nikt nie narzeka.", "pl")
    assert found == []


def test_no_entities_and_empty_text(gaz: Gazetteer) -> None:
    assert _found(gaz, "", "en") == []
    assert _found(gaz, "it rained all day and nobody came.", "en") == []


def test_all_caps_text_keeps_gazetteer_names_only(gaz: Gazetteer) -> None:
    found = _found(gaz, "RUSSIAN TROOPS ENTERED KYIV AND THE UN AND NATO WARNED OF WAR.", "en")
    assert ("KYIV", "LOC") in found
    assert ("NATO", "ORG") in found
    assert all(t not in ("AND", "THE", "WAR", "TROOPS") for t, _ in found)


def test_unexpected_scripts_do_not_crash(gaz: Gazetteer) -> None:
    found = _found(gaz, "Премьер Ким Чен Ын и 金正恩 встретились. بوتين قال", "pl")
    assert all(isinstance(t, str) for t, _ in found)


def test_model_codes_and_possessives(gaz: Gazetteer) -> None:
    found = _found(gaz, "North Korea fired a Hwasong-19. Russia's army moved.", "en")
    assert ("Russia", "LOC") in found
    assert not any("Hwasong" in t for t, _ in found)


# --- linking ----------------------------------------------------------------------------------


def _m(article: str, text: str, etype: str, lang: str) -> Mention:
    return Mention(article, text, 0, len(text), etype, name_key(text, lang))  # type: ignore[arg-type]


def test_linking_across_languages_and_display_name(gaz: Gazetteer) -> None:
    ms = [
        _m("pl1", "Władimir Putin", "PER", "pl"),
        _m("pl1", "Putinowi", "PER", "pl"),
        _m("ru1", "Владимир Путин", "PER", "ru"),
        _m("en1", "Vladimir Putin", "PER", "en"),
        _m("cs1", "Putinovy", "PER", "cs"),
    ]
    res = link_mentions(
        ms, article_language={"pl1": "pl", "ru1": "ru", "en1": "en", "cs1": "cs"}, gazetteer=gaz
    )
    assert len({m.entity_id for m in res.mentions}) == 1
    (entity,) = res.entities
    assert entity.name == "Vladimir Putin" and entity.type == "PER" and entity.mention_count == 5
    assert {(a.text, a.language) for a in entity.aliases} >= {("Putinowi", "pl"), ("Владимир Путин", "ru")}


def test_gazetteer_places_link_with_english_name(gaz: Gazetteer) -> None:
    ms = [
        _m("a", "Pjongjangu", "LOC", "pl"),
        _m("b", "Pchjongjang", "LOC", "cs"),
        _m("c", "Phenian", "LOC", "ro"),
    ]
    res = link_mentions(ms, article_language={"a": "pl", "b": "cs", "c": "ro"}, gazetteer=gaz)
    assert [e.name for e in res.entities] == ["Pyongyang"]


def test_bare_surname_prefers_same_article_and_stays_apart_when_ambiguous(gaz: Gazetteer) -> None:
    ms = [
        _m("a", "Kim Jong Un", "PER", "en"),
        _m("a", "Kim", "PER", "en"),
        _m("b", "Kim Hong-gyun", "PER", "en"),
        _m("b", "Kim", "PER", "en"),
        _m("c", "Kim Jong Un", "PER", "en"),
        _m("c", "Kim Yo Jong", "PER", "en"),
        _m("c", "Kim", "PER", "en"),
    ]
    res = link_mentions(ms, article_language=dict.fromkeys("abc", "en"), gazetteer=gaz).mentions
    assert res[1].entity_id == res[0].entity_id
    assert res[3].entity_id == res[2].entity_id != res[0].entity_id
    assert res[6].entity_id not in (res[4].entity_id, res[5].entity_id)  # two Kims in c: do not guess


def test_bare_surname_uses_the_event_group(gaz: Gazetteer) -> None:
    ms = [
        _m("a", "Jan Kowalski", "PER", "pl"),
        _m("b", "Kowalski", "PER", "pl"),
        _m("c", "Anna Kowalski", "PER", "pl"),
    ]
    langs = dict.fromkeys("abc", "pl")
    res = link_mentions(ms, article_language=langs, article_group={"a": "E1", "b": "E1"}, gazetteer=gaz)
    assert res.mentions[1].entity_id == res.mentions[0].entity_id


def test_entity_ids_are_stable_when_relinking_and_appending(gaz: Gazetteer) -> None:
    ms = [
        _m("a", "Kim Dzong Un", "PER", "pl"),
        _m("b", "Kim Jong Un", "PER", "en"),
        _m("c", "Warszawie", "LOC", "pl"),
        _m("d", "Jan Nowak", "PER", "pl"),
    ]
    assert ms[0].key != ms[1].key  # two spellings of one person, so the canonical key is a real choice
    langs = {"a": "en", "b": "pl", "c": "pl", "d": "pl", "e": "pl"}
    first = link_mentions(ms, article_language=langs, gazetteer=gaz)
    again = link_mentions(list(ms), article_language=langs, gazetteer=gaz)
    assert [m.entity_id for m in first.mentions] == [m.entity_id for m in again.mentions]
    assert first.mentions[0].entity_id == first.mentions[1].entity_id
    # Later articles using the other spelling more often do not move the id.
    more = [
        *ms,
        *(_m("e", "Kim Jong Un", "PER", "en") for _ in range(5)),
        _m("e", "Janem Nowakiem", "PER", "pl"),
    ]
    later = link_mentions(more, article_language=langs, gazetteer=gaz)
    assert [m.entity_id for m in later.mentions[: len(ms)]] == [m.entity_id for m in first.mentions]
    assert later.mentions[-1].entity_id == first.mentions[3].entity_id
    assert all(e.id.startswith("E") and len(e.id) == 11 for e in first.entities)


def test_corrections_merge_and_split_survive_relinking(gaz: Gazetteer) -> None:
    ms = [
        _m("a", "Jan Nowak", "PER", "pl"),
        _m("b", "Nowakowi", "PER", "pl"),
        _m("c", "John Newman", "PER", "en"),
    ]
    langs = {"a": "pl", "b": "pl", "c": "en"}
    base = link_mentions(ms, article_language=langs, gazetteer=gaz)
    jan, newman = base.mentions[0].entity_id, base.mentions[2].entity_id
    assert jan is not None and newman is not None and jan != newman
    corrections = Corrections.from_json(Corrections().merge(newman, jan).split(jan, ms[1].key).to_json())
    fixed = link_mentions(ms, article_language=langs, gazetteer=gaz, corrections=corrections).mentions
    assert fixed[2].entity_id == jan  # merged into Jan Nowak
    assert fixed[1].entity_id not in (jan, newman)  # the bare "Nowakowi" was split out
    assert {
        e.id
        for e in link_mentions(ms, article_language=langs, gazetteer=gaz, corrections=corrections).entities
    } == {m.entity_id for m in fixed}


def test_corrections_reject_bad_json() -> None:
    with pytest.raises(ValueError, match="merges"):
        Corrections.from_json('{"merges": [["only-one"]]}')


_WORDS = st.sampled_from(
    ["Putin", "Władimir", "Pjongjangu", "ONZ", "NATO", "kim", "Kim", "w", "powiedział", "The", "said", "UN",
     "Ким", "Чен", "Ын", "«", "»", "„", ".", ",", "\n", "von", "der", "Leyen", "Hwasong-19", "Russia's", "l'Europe",
     "PREZYDENT", "Storm", "Boris", "Bank", "Polski", "rosyjski", "金正恩", "بوتين", "Μητσοτάκης"]
)  # fmt: skip


@given(st.lists(_WORDS, max_size=40), st.sampled_from(["pl", "en", "cs", "ru", "de", "ro", "und"]))
def test_extraction_and_linking_hold_their_invariants_on_word_soup(
    gaz: Gazetteer, words: list[str], lang: str
) -> None:
    article = make_article("soup", "", " ".join(words), language=lang)
    mentions = extract_mentions(article, gaz)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(article.text) and article.text[m.start : m.end] == m.text
    spans = sorted((m.start, m.end) for m in mentions)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # mentions never overlap
    result = link_mentions(mentions, article_language={"soup": lang}, gazetteer=gaz)
    assert all(m.entity_id for m in result.mentions)
    assert sum(e.mention_count for e in result.entities) == len(mentions)
    assert {e.id for e in result.entities} == {m.entity_id for m in result.mentions}


def test_entity_seen_only_in_cyrillic_gets_a_readable_display_name(gaz: Gazetteer) -> None:
    article = make_article("r1", "Заявление", "Сергей Шойгу заявил, что армия готова.", "ru")
    mentions = extract_mentions(article, gaz)
    result = link_mentions(mentions, article_language={"r1": "ru"}, gazetteer=gaz)
    shoigu = next(e for e in result.entities if e.type == "PER")
    assert shoigu.name == "Sergei Shoigu" or shoigu.name.startswith("Serge")
    assert shoigu.name.isascii()
    assert "Сергей Шойгу" in {a.text for a in shoigu.aliases}


@pytest.mark.parametrize(
    ("text", "lang", "person", "place"),
    [
        ("Prezydent Wrocławia Jacek Sutryk powiedział, że woda opada.", "pl", "Jacek Sutryk", "Wrocławia"),
        ("Starosta Opavy Tomáš Navrátil uvedl, že voda klesá.", "cs", "Tomáš Navrátil", "Opavy"),
    ],
)
def test_title_city_genitive_name_splits_place_from_person(
    gaz: Gazetteer, text: str, lang: str, person: str, place: str
) -> None:
    found = {(m.text, m.type) for m in extract_mentions(make_article("g1", "T", text, lang), gaz)}
    assert (person, "PER") in found
    assert (place, "LOC") in found


def test_first_name_in_the_genitive_before_a_surname_stays_a_name(gaz: Gazetteer) -> None:
    text = "Hnutie ANO bývalého premiéra Andreja Babiša vyhralo voľby."
    found = {(m.text, m.type) for m in extract_mentions(make_article("g2", "T", text, "sk"), gaz)}
    assert ("Andreja Babiša", "PER") in found


def test_a_word_capitalised_inside_sentences_twice_is_a_name_typed_by_its_other_mentions() -> None:
    from newsloom.models import Article, PublicationDate
    from newsloom.stages.entities import Gazetteer, extract_mentions

    gaz, _ = Gazetteer.load()
    text = "Linie Ryanair odwołały loty. Pasażerowie Ryanair czekali. Pogoda była dobra."
    art = Article("r1", "s", "o", "", text, "pl", 1.0, PublicationDate(None, "unknown"))
    found = [(m.text, m.type) for m in extract_mentions(art, gaz)]
    assert ("Ryanair", "ORG") in found
    assert not any(t == "Pogoda" for t, _ in found)  # a dictionary word at a sentence start is no name


def test_a_lone_surname_of_a_person_named_here_is_that_person_not_a_town() -> None:
    from newsloom.models import Article, PublicationDate
    from newsloom.stages.entities import Gazetteer, extract_mentions

    gaz, _ = Gazetteer.load()
    text = "Главният преговарящ Мишел Барние пристигна. Политикът ще се срещне с Барние утре."
    art = Article("b1", "s", "o", "", text, "bg", 1.0, PublicationDate(None, "unknown"))
    found = [(m.text, m.type) for m in extract_mentions(art, gaz)]
    assert ("Барние", "PER") in found


# --- short forms, demonym nouns, prepositions (SlavicNER dev error analysis) ---------------------


def _linked_ids(gaz: Gazetteer, text: str, lang: str) -> dict[str, str]:
    ms = extract_mentions(make_article("a", "", text, language=lang), gaz)
    res = link_mentions(ms, article_language={"a": lang}, gazetteer=gaz)
    return {m.text: str(m.entity_id) for m in res.mentions}


def test_short_form_joins_the_multiword_name_of_the_same_article(gaz: Gazetteer) -> None:
    ids = _linked_ids(gaz, "Velká Británie odchází. Británie podle premiéra nechce dohodu.", "cs")
    assert ids["Británie"] == ids["Velká Británie"]
    ids = _linked_ids(gaz, "Wyjście z Unii Europejskiej to problem. Politycy w Unii milczą.", "pl")
    assert ids["Unii"] == ids["Unii Europejskiej"]


def test_short_form_stays_apart_when_two_names_share_the_word(gaz: Gazetteer) -> None:
    ids = _linked_ids(gaz, "Korea Północna i Korea Południowa rozmawiają. Korei nic nie grozi.", "pl")
    assert ids.get("Korei") not in (ids["Korea Północna"], ids["Korea Południowa"])


def test_demonym_nouns_need_their_country_in_the_article(gaz: Gazetteer) -> None:
    ids = _linked_ids(gaz, "Rosja grozi. Rosjanie twierdzą, że nic się nie stało.", "pl")
    assert ids["Rosjanie"] == ids["Rosja"]
    assert "Rosjanie" not in _linked_ids(gaz, "Rosjanie twierdzą, że nic się nie stało.", "pl")
    ids = _linked_ids(gaz, "Великобритания напуска ЕС, а британците са разделени.", "bg")
    assert ids["британците"] == ids["Великобритания"]


def test_capitalised_prepositions_never_start_a_name(gaz: Gazetteer) -> None:
    found = _found(gaz, "«В Москве тихо», — сказал он. В Москве прошли переговоры.", "ru")
    assert ("Москве", "LOC") in found and not any(t.startswith("В ") for t, _ in found)


def test_display_name_drops_a_case_ending_after_an_apostrophe(gaz: Gazetteer) -> None:
    ms = [Mention("a", "Jeremy’ego Corbyn", 0, 17, "PER", name_key("Jeremy’ego Corbyn", "pl")),
          Mention("b", "Michael O’Leary", 0, 15, "PER", name_key("Michael O’Leary", "pl"))]  # fmt: skip
    res = link_mentions(ms, article_language={"a": "pl", "b": "pl"}, gazetteer=gaz)
    assert sorted(e.name for e in res.entities) == ["Jeremy Corbyn", "Michael O’Leary"]


def test_month_and_weekday_names_are_not_towns(gaz: Gazetteer) -> None:
    found = _found(gaz, "The talks began in August in Geneva. They ended on Monday.", "en")
    assert ("Geneva", "LOC") in found and not any(t in ("August", "Monday") for t, _ in found)
    found = _found(gaz, "Seit August verhandeln Berlin und Paris.", "de")
    assert ("Berlin", "LOC") in found and all(t != "August" for t, _ in found)


def test_a_shouted_month_is_no_organisation(gaz: Gazetteer) -> None:
    found = _found(gaz, "Praha, DUBNU 2019 – Andrej Babiš jednal v Bruselu.", "cs")
    assert all(t != "DUBNU" for t, _ in found) and ("Andrej Babiš", "PER") in found
