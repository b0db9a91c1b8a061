"""Comparison keys for names: one spelling for "Władimir Putin", "Vladimir Putin", "Владимир Путин".

A key is built per token in three steps, all deterministic and language-aware:

1. ``base_form``: lemmatise with simplemma only when the lemma still looks like the same name (capitalised,
   sharing a prefix), so Polish "Kim" never becomes the pronoun "kto".
2. ``skeleton``: transliterate (Cyrillic by an English-style table, other scripts with anyascii) and rewrite
   the language's spelling of sounds into one convention (Polish w/sz/cz/rz, Czech č/š/ž/ch, German sch/tsch/z,
   Romanian ș/ț/ce/ci, English j), then collapse cross-language variation (kh/h, y/i, ts/c, doubled letters).
3. ``strip_ending``: drop a case ending common to Slavic and Romanian inflection ("-owi", "-ovi", "-ului",
   "-a", "-u", ...) so that inflected and base forms share a key. The same function runs on every side of a
   comparison, so an English "Duda" and a Polish "Dudy" both become ``dud``.

Keys are compared with rapidfuzz similarity in ``linking``; exact keys index the gazetteer.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from newsloom.stages.entities import lemmas
from newsloom.text import fold

_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "e", "ґ": "g", "ў": "u",
        "ђ": "dj", "ј": "y", "љ": "ly", "њ": "ny", "ћ": "c", "џ": "dzh", "ѓ": "g", "ќ": "k", "ѕ": "dz",
    }
)  # fmt: skip
# Letters whose sound the plain diacritic fold would lose ("č" -> "c" would equal Polish "c" = ts).
_LATIN_SOUNDS = str.maketrans(
    {"č": "ch", "š": "sh", "ž": "zh", "ż": "zh", "ř": "r", "ů": "o", "ș": "sh", "ş": "sh", "ț": "ts", "ţ": "ts",
     "ć": "ch", "ś": "sh", "ź": "zh", "ł": "l", "ё": "e"}
)  # fmt: skip
_SLAVIC_LATIN = frozenset({"pl", "cs", "sk", "hr", "sl", "sr", "bs", "lt", "lv", "hu"})
_VOWELS = "aeiouy"
_CONS = "bcdfghjklmnpqrstvwxz"
_MIN_STEM = 3
_LOOSE = re.compile("dz|ch|zh|j|c(?=[ei])")
_LOOSE_K = re.compile("c(?=[aou]|$)")
_SILENT_H = re.compile("(?<=[aeiou])h(?![aeiou])")
_DIPHTHONG = re.compile("ai(?![aeiou])")
# Inflection endings after ``skeleton``, longest first; Slavic (pl, cs, sk, ru, uk) and Romanian case forms.
_ENDINGS = (
    "ului", "iego", "iemu", "ovi", "owi", "emu", "ego", "eho", "ogo", "ami", "imi", "ach", "ovy",
    "iei", "aia", "ia", "ii", "iu", "om", "em", "ou", "ul", "ei", "ym", "im", "oi", "ie", "oe", "a", "e", "i", "o", "u",
    "y",
)  # fmt: skip
_SPLIT = re.compile(r"[^\w]+", re.UNICODE)


_CYRILLIC_CHAR = re.compile("[\u0400-\u04ff]")
_GREEK_CHAR = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_DIGRAPHS = (("ντ", "d"), ("μπ", "b"), ("γκ", "g"), ("γγ", "ng"), ("ου", "u"), ("αι", "e"), ("ει", "i"),
                   ("οι", "i"), ("τσ", "ts"), ("τζ", "dz"))  # fmt: skip
_PL_SOFT_I = re.compile(f"(?<=[{_CONS}])i(?=[{_VOWELS}])")
_PL_YE = re.compile(f"(?<=[{_CONS}])ye")
_DE_INITIAL_S = re.compile(f"^s(?=[{_VOWELS}])")
_RO_CHE = re.compile("ch(?=[ei])")
_RO_CE = re.compile("c(?=[ei])")
_CI_VOWEL = re.compile("ci(?=[aou])")
_GI_VOWEL = re.compile("gi(?=[aou])")
_RO_HARD_C = re.compile("c(?![eih])")
_NON_ALNUM = re.compile("[^a-z0-9]")
_DOUBLE = re.compile(r"(.)\1+")
_SK_ADJ = re.compile("sk(?:i|ij|a|e|o)$")
_ENDING = re.compile(f"^(.{{{_MIN_STEM},}}?)(?:{'|'.join(_ENDINGS)})$")
_GLOBAL = (("shch", "shh"), ("dzh", "j"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"),
           ("w", "v"), ("ts", "c"), ("tz", "c"), ("y", "i"), ("ee", "i"), ("th", "t"))  # fmt: skip


def _polish(t: str) -> str:
    t = t.replace("ch", "kh").replace("szcz", "shch").replace("sz", "sh").replace("cz", "ch")
    t = t.replace("rz", "zh").replace("dż", "j").replace("dzh", "j").replace("w", "v")
    t = _PL_SOFT_I.sub("y", t)  # "Wiaczesław" -> "vyacheslav"
    return _PL_YE.sub("e", t)  # "Miedwiediew" -> "medvedev": Polish ie after a consonant


def _czech(t: str) -> str:
    return t.replace("ch", "kh").replace("w", "v").replace("ů", "o")  # "dům"/"domu": ů alternates with o


def _german(t: str) -> str:
    t = t.replace("tsch", "\0").replace("sch", "sh").replace("ch", "kh").replace("\0", "ch")
    t = t.replace("w", "v").replace("z", "ts")
    return _DE_INITIAL_S.sub("z", t)  # "Selenskyj": German initial s before a vowel is z


def _romanian(t: str) -> str:
    t = _RO_CHE.sub("k", t).replace("gh", "g")
    t = _CI_VOWEL.sub("ch", t)  # "Ciolacu": the i only softens the c
    t = _RO_CE.sub("ch", t).replace("j", "zh")
    return _RO_HARD_C.sub("k", t)


def _italian(t: str) -> str:
    t = _RO_CHE.sub("k", t).replace("gh", "g")
    t = _GI_VOWEL.sub("dzh", _CI_VOWEL.sub("ch", t))  # "Giorgia" -> "dzhordzha", "Ciampi" -> "champi"
    return _RO_CE.sub("ch", t)


def _czech_female(token: str) -> str:
    """Czech/Slovak female surnames add -ová to the man's form (Merkel -> Merkelová); compare the base."""
    low = token.casefold()
    for end in ("ová", "ové", "ovou", "ovej"):
        if low.endswith(end) and len(low) - len(end) >= _MIN_STEM:
            return token[: -len(end)]
    return token


def _letters(token: str, lang: str) -> str:
    """Lowercase Latin letters in one orthographic convention (English-style transliteration)."""
    t = token.casefold()
    if _CYRILLIC_CHAR.search(t):
        # Ukrainian є is Russian е ("Європа"/"Европа"); romanisations differ (ye/ie/je), the sound does not.
        if lang == "bg":
            t = t.replace("ъ", "a")  # Bulgarian ъ is a vowel (official romanisation "a": Тръмп -> Tramp)
        return anyascii(t.translate(_CYRILLIC)).lower()
    if _GREEK_CHAR.search(t):
        # Modern Greek writes foreign d, b, g, u as digraphs ("Βλαντίμιρ", "Μπάιντεν", "Πούτιν").
        t = unicodedata.normalize("NFD", t)
        t = "".join(c for c in t if not unicodedata.combining(c))
        for old, new in _GREEK_DIGRAPHS:
            t = t.replace(old, new)
        return anyascii(t).lower()
    if lang == "pl":
        t = _polish(t)
    elif lang in _SLAVIC_LATIN:
        t = _czech(_czech_female(t) if lang in ("cs", "sk") else t)
    elif lang == "de":
        t = _german(t)
    elif lang == "ro":
        t = _romanian(t)
    elif lang == "it":
        t = _italian(t)
    t = t.translate(_LATIN_SOUNDS)
    if lang != "en":
        t = t.replace("dzh", "\0").replace("j", "y").replace("\0", "dzh")
    else:
        t = t.replace("j", "dzh")
    if t.isascii():
        return t
    decomposed = unicodedata.normalize("NFKD", fold(t))
    return anyascii("".join(c for c in decomposed if not unicodedata.combining(c))).lower()


def skeleton(token: str, lang: str = "und") -> str:
    """The cross-language spelling skeleton of one token (no inflection stripping).

    >>> skeleton("Władimir", "pl") == skeleton("Владимир", "ru") == skeleton("Vladimir", "en")
    True
    """
    t = _NON_ALNUM.sub("", _letters(token, lang))
    for old, new in _GLOBAL:
        t = t.replace(old, new)
    return _SK_ADJ.sub("ski", _DOUBLE.sub(r"\1", t))


def strip_ending(skel: str) -> str:
    """Drop one inflectional ending when a stem of at least three letters remains.

    >>> strip_ending(skeleton("Putinowi", "pl")) == strip_ending(skeleton("Putin", "en"))
    True
    """
    if skel.endswith("ski"):
        return skel[:-1]
    if len(skel) == 3 and skel[1] in _VOWELS and skel[2] == "e":
        return skel[:2]  # English silent e: "Joe" is "Джо"
    match = _ENDING.match(skel)
    return match.group(1) if match else skel


def base_form(token: str, lang: str) -> str:
    """Lemmatise a name token only when the lemma still looks like the same proper name.

    >>> base_form("Putinowi", "pl"), base_form("Kim", "pl")
    ('Putin', 'Kim')
    """
    lang = _LEMMA_ALIAS.get(lang, lang)
    if not token[:1].isupper() or (lang not in _LEMMA_LANGS and lang != "hbs"):
        return token
    lemma: str = lemmas.lemmatize(token, lang)
    # Reject pronoun/common-word lemmas ("Kim" -> "kto") and stem rewrites that change the name itself.
    if not lemma[:1].isupper() or fold(lemma[:3]) != fold(token[:3]):
        return token
    return lemma


@functools.lru_cache(maxsize=200_000)
def token_key(token: str, lang: str = "und") -> str:
    """Language-independent key of one name token: ``token_key("Putinovy", "cs")`` -> ``"putin"``.

    Memoised because names repeat across articles; the function is pure, so the cache never changes results.
    """
    return strip_ending(skeleton(base_form(token, lang), lang))


@functools.lru_cache(maxsize=200_000)
def name_key(name: str, lang: str = "und") -> str:
    """Key of a whole name, tokens joined by spaces; hyphens split tokens ("Hong-gyun").

    >>> name_key("Kim Dżong Un", "pl") == name_key("Kim Jong-un", "en")
    False
    >>> name_key("Władimirowi Putinowi", "pl") == name_key("Vladimir Putin", "en")
    True
    """
    parts = [p for p in _SPLIT.split(name) if p]
    return " ".join(k for k in (token_key(p, lang) for p in parts) if k)


def loose(key: str) -> str:
    """A coarser key where affricates and their transcriptions coincide: Korean "Jong", Polish "Dzong",
    Czech "Čong" -> ``"Cong"``; k/c before a, o, u ("Macron"/"Makron") likewise. English spellings that
    transcriptions by ear do not keep meet them too: a silent h after a vowel ("John"/"Джон") and the
    diphthong written ai or ei ("May"/"Мей")."""
    key = _SILENT_H.sub("", key)
    return _LOOSE_K.sub("k", _LOOSE.sub("C", _DIPHTHONG.sub("ei", key)))


@functools.lru_cache(maxsize=200_000)
def _skeleton_cached(token: str, lang: str) -> str:
    return skeleton(token, lang)


@functools.lru_cache(maxsize=200_000)
def exact_key(name: str, lang: str = "und") -> str:
    """Like ``name_key`` but without lemmatising or stripping endings: tells "Niger" from "Nigeria"."""
    return " ".join(k for k in (_skeleton_cached(p, lang) for p in _SPLIT.split(name) if p) if k)


def token_similarity(a: str, b: str) -> float:
    """Normalised edit similarity of two token keys in [0, 1], the better of strict and loose keys.

    >>> token_similarity("jong", "chong") > 0.9
    True
    """
    if a == b:
        return 1.0
    strict = float(Levenshtein.normalized_similarity(a, b))
    return max(strict, float(Levenshtein.normalized_similarity(loose(a), loose(b))))


# Languages with inflected names where simplemma has a dictionary (hbs covers Serbian/Croatian/Bosnian).
_LEMMA_LANGS = frozenset({"pl", "cs", "sk", "ro", "ru", "uk", "bg", "sl", "lt", "lv", "hu", "de", "el"})
_LEMMA_ALIAS = {"hr": "hbs", "sr": "hbs", "bs": "hbs"}
