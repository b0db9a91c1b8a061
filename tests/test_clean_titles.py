"""Plain text without a title line: the first paragraph stays text, whatever the language."""

from __future__ import annotations

import pytest

from newsloom.models import RawDocument
from newsloom.stages.clean import clean, looks_like_title

PARAGRAPHS = {
    "en": "The river rose by two metres overnight. The mayor ordered the evacuation of the old town on Tuesday.",
    "de": "Der Fluss stieg über Nacht um zwei Meter. Der Bürgermeister ordnete die Räumung der Altstadt an.",
    "pl": "Rzeka wezbrała w nocy o dwa metry. Burmistrz zarządził ewakuację starego miasta we wtorek rano.",
    "ru": "За ночь река поднялась на два метра. Мэр распорядился эвакуировать старый город во вторник.",
    "ja": "川の水位が一晩で二メートル上昇した。市長は火曜日に旧市街の避難を命じた。",
}
TITLES = {
    "en": "Floods hit southern Poland as the Oder rises",
    "de": "Hochwasser in Südpolen: Oder steigt weiter",
    "pl": "Powódź na południu. Odra wciąż rośnie",
    "ru": "Наводнение на юге Польши: Одра продолжает подниматься",
    "ja": "南部で洪水、川の水位上昇続く",
}
SECOND = "Rescue teams worked through the night, and more rain is expected on Wednesday."


@pytest.mark.parametrize("lang", sorted(PARAGRAPHS))
def test_untitled_text_keeps_its_first_paragraph(lang: str) -> None:
    cleaned = clean(RawDocument("a", "a", f"{PARAGRAPHS[lang]}\n\n{SECOND}", "text"))
    assert cleaned.title == ""
    assert cleaned.text.startswith(PARAGRAPHS[lang])


@pytest.mark.parametrize("lang", sorted(TITLES))
def test_title_line_is_taken(lang: str) -> None:
    cleaned = clean(RawDocument("a", "a", f"{TITLES[lang]}\n\n{PARAGRAPHS[lang]}\n\n{SECOND}", "text"))
    assert cleaned.title == TITLES[lang]
    assert cleaned.text.startswith(PARAGRAPHS[lang])


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Brexit. Talks resume in Brussels", True),  # a kicker and a headline
        ("EU: transition period probably until the end of 2020 r.", True),  # an abbreviation is not a stop
        ("Court frees Asia Bibi...", True),  # a cut headline
        ("Police said. The man was arrested. He is 45.", False),
        ("A short sentence ends here.", True),  # few words: a headline may end with a full stop
        ("x" * 301, False),
        ("", False),
    ],
)
def test_title_shape(line: str, title: bool) -> None:
    assert looks_like_title(line) is title
