"""Claim extraction: quotes, indirect speech, speakers, stance, across languages."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.models import Article, Claim, Entity, EntityType, Mention, PublicationDate
from newsloom.stages.claims import claim_id, extract_claims, stance_of
from newsloom.stages.claims.lexicon import LANGUAGES, lexicon_for
from newsloom.stages.claims.spans import find_quotes, split_sentences, trim_claim

PESKOV = ("e_peskov", "Dmitry Peskov", "PER")
RUSSIA = ("e_ru", "Russia", "LOC")
NK = ("e_kp", "North Korea", "LOC")
US = ("e_us", "United States", "LOC")


def make(
    text: str, language: str, names: dict[str, tuple[str, str, EntityType]]
) -> tuple[Article, list[Mention], dict[str, Entity]]:
    """An article plus hand-made mentions of every occurrence of each surface form (longest wins)."""
    article = Article(
        id="art1",
        source="src",
        origin="t",
        title="",
        text=text,
        language=language,
        language_confidence=1.0,
        published=PublicationDate(dt.date(2024, 6, 19), "metadata"),
    )
    found: list[Mention] = []
    entities: dict[str, Entity] = {}
    for surface, (eid, name, etype) in names.items():
        entities[eid] = Entity(eid, name, etype)
        for m in re.finditer(re.escape(surface), text):
            found.append(Mention("art1", surface, m.start(), m.end(), etype, surface.lower(), eid))
    kept: list[Mention] = []
    for m in sorted(found, key=lambda m: (m.start, -m.end)):
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return article, kept, entities


def run(text: str, language: str, names: dict[str, tuple[str, str, EntityType]]) -> list[Claim]:
    return extract_claims(*make(text, language, names))


def test_polish_dash_attribution_after_quote_and_collective_denial() -> None:
    text = (
        "„To są całkowicie bezpodstawne oskarżenia” – powiedział Pieskow. "
        "Moskwa i Pjongjang zaprzeczyły, że Korea Północna dostarczała broń Rosji."
    )
    claims = run(text, "pl", {"Pieskow": PESKOV, "Moskwa": RUSSIA, "Pjongjang": NK, "Korea Północna": NK})
    assert [(c.kind, c.stance, c.speaker_entity_id) for c in claims] == [
        ("direct", "deny", "e_peskov"),
        ("indirect", "deny", "e_ru"),
    ]
    assert claims[0].quote == "To są całkowicie bezpodstawne oskarżenia"
    assert claims[1].speaker == "Russia and North Korea"
    assert claims[1].quote == "Korea Północna dostarczała broń Rosji"


def test_role_reference_resolves_to_person_named_in_that_role() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke on Tuesday. "
        '"These reports are simply provocations," the spokesman said.'
    )
    claims = run(text, "en", {"Dmitry Peskov": PESKOV})
    assert len(claims) == 1
    assert claims[0].speaker == "Dmitry Peskov" and claims[0].kind == "direct"


def test_pronoun_resolves_to_last_speaker() -> None:
    text = "Песков заявил, что Россия не получала ракет от КНДР. «Это ложь», – сказал он журналистам."
    claims = run(text, "ru", {"Песков": PESKOV, "Россия": RUSSIA, "КНДР": NK})
    assert [c.speaker_entity_id for c in claims] == ["e_peskov", "e_peskov"]
    assert [c.stance for c in claims] == ["deny", "deny"]


def test_according_to_is_a_report_with_the_source_as_speaker() -> None:
    text = "Według Waszyngtonu Korea Północna przekazała Rosji pociski balistyczne."
    (claim,) = run(text, "pl", {"Waszyngtonu": US, "Korea Północna": NK, "Rosji": RUSSIA})
    assert claim.stance == "report" and claim.speaker == "United States"
    assert claim.quote == "Korea Północna przekazała Rosji pociski balistyczne"


@pytest.mark.parametrize(
    ("language", "text", "stance"),
    [
        ("en", "The US said North Korea had shipped ballistic missiles to Russia.", "assert"),
        ("cs", "Rusko uvedlo, že KLDR žádné rakety nedodala.", "deny"),
        ("cs", "Rusko odmítá, že by KLDR dodala rakety.", "deny"),
        ("ro", "Rusia a negat că ar fi primit rachete din Coreea de Nord.", "deny"),
        ("de", "Russland bestritt, dass Nordkorea Raketen geliefert habe.", "deny"),
        ("fr", "La Russie a démenti que la Corée du Nord ait livré des missiles.", "deny"),
        ("es", "Rusia negó que Corea del Norte le hubiera entregado misiles.", "deny"),
        ("it", "La Russia ha smentito che la Corea del Nord abbia fornito missili.", "deny"),
        ("sk", "Rusko spochybnilo, že KĽDR dodala rakety.", "question"),
        ("pl", "Rosja wątpi, że Korea Północna dostarczyła rakiety.", "question"),
        ("de", "Laut Russland hat Nordkorea keine Raketen geliefert.", "report"),
    ],
)
def test_indirect_speech_and_stance_in_many_languages(language: str, text: str, stance: str) -> None:
    names: dict[str, tuple[str, str, EntityType]] = {
        w: RUSSIA for w in ("Rusko", "Rusia", "Russland", "La Russie", "La Russia", "Rosja", "The US")
    }
    claims = run(text, language, names)
    assert len(claims) == 1
    assert claims[0].stance == stance
    assert claims[0].kind == "indirect"
    assert claims[0].quote == text[claims[0].start : claims[0].end]


def test_czech_dash_dialogue_with_continuation() -> None:
    text = "Peskov promluvil k novinářům.\n– Nic takového se nestalo – řekl Peskov. – Je to provokace Západu."
    claims = run(text, "cs", {"Peskov": PESKOV})
    assert [c.quote for c in claims] == ["Nic takového se nestalo", "Je to provokace Západu"]
    assert {c.speaker_entity_id for c in claims} == {"e_peskov"}


def test_quote_without_any_attribution_is_not_a_claim() -> None:
    text = "The so-called „special military operation” continued in the east of Ukraine."
    assert run(text, "en", {"Ukraine": ("e_ua", "Ukraine", "LOC")}) == []


def test_claim_ids_are_stable_and_span_based() -> None:
    text = "„To kłamstwo i prowokacja” – napisał Pieskow."
    first = run(text, "pl", {"Pieskow": PESKOV})
    again = run(text, "pl", {"Pieskow": PESKOV})
    assert [c.id for c in first] == [c.id for c in again] == [claim_id("art1", first[0].start, first[0].end)]
    assert claim_id("art1", 0, 5) != claim_id("art2", 0, 5)


def test_stance_of_uses_falsity_and_leading_negation() -> None:
    lex = lexicon_for("en")
    assert stance_of("say", ["that", "is", "a", "lie"], lex, indirect=False) == "deny"
    assert stance_of("say", ["russia", "did", "not", "receive"], lex, indirect=True) == "deny"
    assert stance_of("say", ["russia", "received", "missiles"], lex, indirect=True) == "assert"
    assert stance_of("question", ["missiles"], lex, indirect=True) == "question"


def test_every_language_table_has_say_deny_and_complementizers() -> None:
    for lang in ("en", "pl", "cs", "sk", "ro", "de", "fr", "es", "it", "ru"):
        assert lang in LANGUAGES
        classes = set(lexicon_for(lang).cues.values())
        assert {"say", "deny", "question"} <= classes, lang
        assert lexicon_for(lang).complementizers, lang


def test_unknown_language_uses_the_union_without_negation_clashes() -> None:
    lex = lexicon_for("xx")
    assert lex.cue("zaprzeczył") == "deny" and lex.cue("заявил") == "say"
    assert lex.cue("nie") is None


def test_find_quotes_in_many_marks() -> None:
    text = 'A „jeden dwa trzy” b “one two three” c «un deux trois» d »eins zwei drei« e "x y z".'
    assert [q.inner(text) for q in find_quotes(text)] == [
        "jeden dwa trzy",
        "one two three",
        "un deux trois",
        "eins zwei drei",
        "x y z",
    ]


def test_apostrophes_are_not_quotes() -> None:
    assert find_quotes("It's the Kremlin's view and Moscow's line.") == []


_TEXT = st.text(alphabet=st.sampled_from(list("ab cXY.,:;–-\"'„”“«»\n")), max_size=120)


@given(_TEXT)
@settings(max_examples=200, deadline=None)
def test_spans_always_index_the_text(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)
    for a, b in split_sentences(text, find_quotes(text)):
        assert 0 <= a < b <= len(text) and text[a:b].strip() == text[a:b]
    a, b = trim_claim(text, 0, len(text))
    assert 0 <= a <= b <= len(text)


@given(st.text(alphabet=st.sampled_from(list("Pieskow powiedział, że to fałsz. „”–\n")), max_size=150))
@settings(max_examples=200, deadline=None)
def test_extracted_quotes_are_exact_substrings(text: str) -> None:
    for claim in run(text, "pl", {"Pieskow": PESKOV}):
        assert claim.quote == text[claim.start : claim.end] and claim.quote.strip() == claim.quote
        assert claim.speaker_entity_id == "e_peskov"


def test_coordinated_second_verb_makes_a_second_claim() -> None:
    text = "Călin Georgescu a declarat că decizia reprezintă o lovitură de stat și a negat orice legătură cu Rusia."
    georgescu: tuple[str, str, EntityType] = ("e_cg", "Calin Georgescu", "PER")
    claims = run(text, "ro", {"Călin Georgescu": georgescu, "Rusia": RUSSIA})
    assert [(c.stance, c.quote) for c in claims] == [
        ("assert", "decizia reprezintă o lovitură de stat"),
        ("deny", "orice legătură cu Rusia"),
    ]
    assert {c.speaker for c in claims} == {"Calin Georgescu"}


def test_role_of_an_organisation_resolves_to_its_named_holder() -> None:
    nato: tuple[str, str, EntityType] = ("e_nato", "NATO", "ORG")
    rutte: tuple[str, str, EntityType] = ("e_rutte", "Mark Rutte", "PER")
    text = (
        "Sekretarz generalny NATO Mark Rutte był w Brukseli. „To znacząca eskalacja” – powiedział szef NATO."
    )
    (claim,) = run(text, "pl", {"NATO": nato, "Mark Rutte": rutte})
    assert claim.speaker == "Mark Rutte"


def test_unnamed_source_after_according_to_keeps_its_words() -> None:
    text = "Według zachodnich wywiadów Moskwa liczy na północnokoreańskie pociski artyleryjskie."
    (claim,) = run(text, "pl", {"Moskwa": RUSSIA})
    assert claim.speaker == "zachodnich wywiadów" and claim.speaker_entity_id is None
    assert claim.quote.startswith("Moskwa liczy")


def test_short_quoted_phrase_stays_inside_reported_speech() -> None:
    tusk: tuple[str, str, EntityType] = ("e_tusk", "Donald Tusk", "PER")
    text = "Premier Donald Tusk powiedział, że sytuacja jest „dramatyczna”."
    (claim,) = run(text, "pl", {"Donald Tusk": tusk})
    assert claim.quote == "sytuacja jest „dramatyczna”" and claim.speaker == "Donald Tusk"


def test_false_pair_between_two_guillemet_quotes_is_ignored() -> None:
    text = "«Это совершенно ложные сообщения», — сказал Песков. Он добавил, что «договор не направлен против нас»."
    quotes = [q.inner(text) for q in find_quotes(text)]
    assert quotes == ["Это совершенно ложные сообщения", "договор не направлен против нас"]


_WORDS = st.sampled_from(
    ["Pieskow", "Moskwa", "i", "Pjongjang", "powiedział", "że", "według", "zaprzeczył", "said", "that",
     "according", "to", "the", "spokesman", "he", "on", "rzecznik", "nie", "not", "lies", "—", "–", ",", ".",
     ":", "„", "”", "«", "»", '"', "\n", "podle", "по", "словам", "заявил", "что"]
)  # fmt: skip


@given(st.lists(_WORDS, max_size=60), st.sampled_from(["pl", "en", "cs", "ru", "xx"]))
@settings(max_examples=300, deadline=None)
def test_extraction_never_fails_and_spans_hold(words: list[str], language: str) -> None:
    text = " ".join(words)
    names: dict[str, tuple[str, str, EntityType]] = {"Pieskow": PESKOV, "Moskwa": RUSSIA, "Pjongjang": NK}
    claims = run(text, language, names)
    spans = sorted((c.start, c.end) for c in claims)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # claims never overlap
    for c in claims:
        assert c.quote == text[c.start : c.end] and c.quote
        assert c.stance in ("assert", "deny", "question", "report") and c.kind in ("direct", "indirect")


def test_unlinked_name_by_the_verb_beats_an_agency_further_off() -> None:
    afp: tuple[str, str, EntityType] = ("e_afp", "AFP", "ORG")
    text = "« Il est décédé au petit matin à Paris », a indiqué M. Durepaire à l'AFP."
    (claim,) = run(text, "fr", {"AFP": afp})
    assert claim.speaker == "M. Durepaire" and claim.speaker_entity_id is None


def test_parenthetical_as_is_not_a_speaker_name() -> None:
    kim: tuple[str, str, EntityType] = ("e_kim", "Kim Jong Un", "PER")
    text = "Kim Dzong Un zapewnił Putina o poparciu. Jak powiedział, Pjongjang zawsze będzie stał po stronie Moskwy."
    claims = run(text, "pl", {"Kim Dzong Un": kim, "Pjongjang": NK, "Moskwy": RUSSIA})
    assert [c.speaker for c in claims] == ["Kim Jong Un"]


def test_determiner_phrase_is_an_unlinked_speaker() -> None:
    text = "The fire department said they received a call around 4 am about a fire in the factory."
    (claim,) = run(text, "en", {})
    assert claim.speaker == "The fire department"


def test_idioms_of_certainty_are_not_doubt() -> None:
    text = "Sin duda, los ciudadanos griegos deberían tener algo que decir sobre las políticas económicas."
    assert run(text, "es", {}) == []


def test_label_verb_needs_a_quoted_or_false_label() -> None:
    ec: tuple[str, str, EntityType] = ("e_ec", "European Commission", "ORG")
    assert run("KE określa jej minimalną wysokość co roku w rozporządzeniu.", "pl", {"KE": ec}) == []
    (claim,) = run("Rosyjskie MSZ nazwało doniesienia kolejną kampanią propagandową.", "pl", {"MSZ": ec})
    assert claim.stance == "deny"


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Spotkał się z nim dr. Kowalski wczoraj. Potem wrócił. M. Dupont a parlé."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Spotkał się z nim dr. Kowalski wczoraj.",
        "Potem wrócił.",
        "M. Dupont a parlé.",
    ]


def test_source_before_a_postposition_is_the_speaker() -> None:
    text = "Korrespondentenberichten zufolge befinden sich im Krankenhaus zahlreiche verletzte Menschen."
    article = Article("pp", "s", "o", "", text, "de", 1.0, PublicationDate(None, "unknown"))
    claims = extract_claims(article, [], {})
    assert len(claims) == 1
    assert claims[0].speaker == "Korrespondentenberichten"
    assert claims[0].quote.startswith("befinden sich")


def test_german_perfect_participle_is_a_speech_verb() -> None:
    assert lexicon_for("de").cue("angekündigt") == "say"
    assert "zufolge" in lexicon_for("de").report_postpositions


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("岸田首相は『日本は支援を続ける』と述べた。", "日本は支援を続ける"),
        ("外交部发言人表示：「我们不会接受任何指责。」", "我们不会接受任何指责。"),
        ("הוא אמר ״זה לא נכון בכלל״ לכתבים", "זה לא נכון בכלל"),
        ("Er sagte ‹das ist falsch› gestern", "das ist falsch"),
        ("قال المتحدث «لا توجد أي أدلة على ذلك» للصحفيين", "لا توجد أي أدلة على ذلك"),
    ],
)
def test_quotation_marks_of_other_scripts(text: str, inner: str) -> None:
    from newsloom.stages.claims.spans import find_quotes

    assert [q.inner(text) for q in find_quotes(text)] == [inner]


def test_a_full_width_colon_introduces_a_quote_of_a_named_body() -> None:
    text = "外交部发言人说：「我们不会接受任何指责。」"
    article = Article("zh1", "s", "o", "", text, "zh", 1.0, PublicationDate(None, "unknown"))
    mention = Mention("zh1", "外交部", 0, 3, "ORG", "waijiaobu", "E1")
    claims = extract_claims(article, [mention], {"E1": Entity("E1", "Ministry of Foreign Affairs", "ORG")})
    assert [(c.speaker, c.quote) for c in claims] == [("Ministry of Foreign Affairs", "我们不会接受任何指责")]


@pytest.mark.parametrize(
    ("language", "claim", "denied"),
    [
        ("en", "there is no credible evidence of terrorism", True),
        ("de", "es gebe keine konkreten Hinweise auf einen Anschlag", True),
        ("pl", "brak dowodów na udział Rosji", True),
        ("ru", "нет никаких доказательств", True),
        ("en", "this is nothing short of a miracle", False),
        ("en", "the economy shows no sign of slowing", False),
    ],
)
def test_negated_evidence_is_a_denial(language: str, claim: str, denied: bool) -> None:
    from newsloom.text import fold

    assert lexicon_for(language).says_false([fold(w) for w in claim.split()]) is denied


def test_german_separable_verb_of_saying_with_its_particle_at_clause_end() -> None:
    names = {"Airbus": ("e_airbus", "Airbus", "ORG"), "Peskow": PESKOV}
    text = "Airbus gab am Mittwoch in Toulouse bekannt, der neue A380 starte am Freitag zum ersten Testflug."
    (claim,) = run(text, "de", names)
    assert claim.speaker_entity_id == "e_airbus" and claim.kind == "indirect"
    assert claim.quote == "der neue A380 starte am Freitag zum ersten Testflug"
    (denial,) = run("Peskow wies am Dienstag die Berichte über Lieferungen zurück.", "de", names)
    assert denial.stance == "deny" and denial.speaker_entity_id == "e_peskov"
    # The stem without its particle is no verb of saying: "gab" here is "gave".
    assert run("Airbus gab am Mittwoch den Kunden in Toulouse einen neuen Termin.", "de", names) == []


def test_german_reporting_noun_after_modifiers_or_as_a_compound_head() -> None:
    police = {"Polizei": ("e_pol", "Polizei", "ORG"), "Bild": ("e_bild", "Bild", "ORG")}
    (claim,) = run("Nach einem Bericht der Bild hat der Minister seinen Rücktritt eingereicht.", "de", police)
    assert claim.stance == "report" and claim.speaker_entity_id == "e_bild"
    assert claim.quote == "hat der Minister seinen Rücktritt eingereicht"
    (claim,) = run("Nach Polizeiangaben wurden bei dem Unfall drei Menschen verletzt.", "de", police)
    assert claim.stance == "report" and "drei Menschen verletzt" in claim.quote
    # "nach" with a noun that reports nothing is a plain preposition.
    assert run("Nach einem langen Streit hat der Minister seinen Rücktritt eingereicht.", "de", police) == []
