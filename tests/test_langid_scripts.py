"""Every language: scripts settle a language cheaply, py3langid covers the long tail, lingua close neighbours."""

from __future__ import annotations

import pytest
from bench.langid_samples import WORLD

from newsloom.stages.langid import UNDETERMINED, LanguageIdentifier, dominant_script, known_languages

# Codes that name the same language (py3langid's Norwegian is Bokmål).
_SAME = {"no": "nb"}


@pytest.fixture(scope="module")
def ident() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize("lang", ["th", "ka", "ko", "hi", "id", "he", "ar", "zh", "ja"])
def test_languages_a_fixed_list_missed_are_identified(ident: LanguageIdentifier, lang: str) -> None:
    for text in WORLD[lang]:
        guess = ident.identify(text)
        assert guess.code == lang, (text, guess)
        assert guess.confidence >= 0.6


def test_world_sentences_are_right_or_undetermined_never_confidently_wrong(ident: LanguageIdentifier) -> None:
    guesses = [(lang, ident.identify(text)) for lang, texts in WORLD.items() for text in texts]
    right = [g for lang, g in guesses if _SAME.get(g.code, g.code) == lang]
    wrong = [
        (lang, g) for lang, g in guesses if g.code not in (lang, UNDETERMINED) and g.code != _SAME.get(lang)
    ]
    assert len(right) >= 0.9 * len(guesses), guesses
    assert all(g.confidence < 0.9 for _, g in wrong), wrong


def test_kana_makes_japanese_han_alone_chinese(ident: LanguageIdentifier) -> None:
    assert ident.identify("東京都は地震の後、住民に避難を呼びかけた。").code == "ja"
    assert ident.identify("北京市政府在地震后呼吁居民撤离到安全地区。").code == "zh"


def test_dominant_script_and_share() -> None:
    assert dominant_script("Plain ASCII text") == ("Latn", 1.0)
    assert dominant_script("Ελληνικά")[0] == "Grek"
    assert dominant_script("서울 Seoul 시위")[0] == "Hang"
    assert dominant_script("東京で地震")[0] == "Kana"  # Han and kana together
    assert dominant_script("12345 !!!") == ("Latn", 1.0)


def test_mixed_scripts_below_the_floor_are_undetermined(ident: LanguageIdentifier) -> None:
    # Equal parts Thai, Georgian and Korean: no script holds half the letters.
    guess = ident.identify("ภาษาไทยภาษาไทย ქართულიქართული 한국어한국어한국어")
    assert guess.code == UNDETERMINED
    assert guess.confidence < 0.5


def test_restricted_language_set_reports_only_those(ident: LanguageIdentifier) -> None:
    only = LanguageIdentifier(languages=("pl", "cs"))
    assert only.identify("Rząd przyjął wczoraj projekt ustawy o podatku od nieruchomości.").code == "pl"
    assert only.identify(WORLD["th"][0]).code == UNDETERMINED


def test_declared_norwegian_code_is_folded(ident: LanguageIdentifier) -> None:
    guess = ident.identify(WORLD["nb"][0], declared="no")
    assert guess.code == "nb"


def test_knows_the_long_tail() -> None:
    known = known_languages()
    assert len(known) >= 97
    assert {"sw", "vi", "ta", "bn", "hy", "el", "ms", "nn", "mk", "be"} <= known
    assert UNDETERMINED not in known
