"""Speakers of the error classes found on Wikinews dev: places in prepositional phrases, verb-second order,
collective bodies by the verb, a new speaker named in a quote's sentence, two-word reporting cues."""

from __future__ import annotations

from newsloom.models import EntityType
from test_claims import run

RICE = ("e_rice", "Condoleezza Rice", "PER")
UKRAINE = ("e_ua", "Ukraine", "LOC")
BBC = ("e_bbc", "BBC", "ORG")
HAGEE = ("e_hagee", "Michael Hagee", "PER")
POLICE = ("e_police", "Polizei", "ORG")
BANKE = ("e_banke", "Joachim Banke", "PER")
CELEBI = ("e_celebi", "Gülsen Celebi", "PER")
MINISTRY = ("e_mvd", "Interior Ministry", "ORG")
SHOIGU = ("e_shoigu", "Sergei Shoigu", "PER")
MOSCOW = ("e_moscow", "Moscow", "LOC")
Names = dict[str, tuple[str, str, EntityType]]


def speakers(text: str, language: str, names: Names) -> list[str | None]:
    return [c.speaker for c in run(text, language, names)]


def test_a_place_after_a_preposition_is_not_the_speaker() -> None:
    text = "Rice hatte bei ihrem Aufenthalt in der Ukraine erklärt, die USA würden Folter künftig verbieten."
    assert speakers(text, "de", {"Rice": RICE, "Ukraine": UKRAINE}) == ["Condoleezza Rice"]
    text = "Rice was in Kyiv. During the visit to Ukraine she said that torture would be banned everywhere."
    assert speakers(text, "en", {"Rice": RICE, "Ukraine": UKRAINE}) == ["Condoleezza Rice"]


def test_an_outlet_in_a_prepositional_phrase_is_not_the_speaker() -> None:
    text = (
        "Rice reiste ab. In einem Interview mit der BBC erklärte sie: „Der Anblick ist einfach spektakulär.“"
    )
    assert speakers(text, "de", {"Rice": RICE, "BBC": BBC}) == ["Condoleezza Rice"]


def test_verb_second_order_takes_the_person_after_the_verb() -> None:
    text = "Am Donnerstag sagte General Michael Hagee, die Vorwürfe würden ihn zutiefst beunruhigen."
    assert speakers(text, "de", {"Michael Hagee": HAGEE}) == ["Michael Hagee"]


def test_a_body_right_before_the_verb_speaks_not_a_person_named_earlier() -> None:
    text = (
        "Nach dem Treffen mit Joachim Banke ging alles schnell, und die Polizei glaubt, "
        "er sei für ein Attentat rekrutiert worden."
    )
    assert speakers(text, "de", {"Joachim Banke": BANKE, "Polizei": POLICE}) == ["Polizei"]
    text = "Joachim Banke war in Paris. Das Ministerium erklärte, dass niemand verletzt worden sei."
    assert speakers(text, "de", {"Joachim Banke": BANKE}) == ["Das Ministerium"]


def test_a_person_named_in_the_quotes_sentence_takes_over_from_the_last_speaker() -> None:
    text = (
        "Joachim Banke sagte: „Das Urteil kommt am Montag.“ "
        "Zu dieser Zeit ging Gülsen Celebi noch davon aus, dass der Haftbefehl vollstreckt würde, "
        "„um den Kindern den Anblick zu ersparen“."
    )
    said = speakers(text, "de", {"Joachim Banke": BANKE, "Gülsen Celebi": CELEBI})
    assert said[0] == "Joachim Banke" and said[-1] == "Gülsen Celebi"


def test_two_word_reporting_cue_names_the_source_after_it() -> None:
    text = (
        "Nach Angaben des Innenministeriums haben sich die Menschen illegal versammelt und Steine geworfen."
    )
    (claim,) = run(text, "de", {})
    assert claim.speaker == "des Innenministeriums" and claim.stance == "report"
    text = "Nach Angaben der New York Times wurden drei Soldaten bei dem Angriff verletzt."
    assert speakers(text, "de", {"New York Times": ("e_nyt", "The New York Times", "ORG")}) == [
        "The New York Times"
    ]


def test_russian_place_in_a_prepositional_phrase_is_not_the_speaker() -> None:
    text = "Шойгу прибыл в Москву. В Москве министр заявил, что армия готова к учениям."
    assert speakers(text, "ru", {"Шойгу": SHOIGU, "Москве": MOSCOW, "Москву": MOSCOW}) == ["Sergei Shoigu"]
