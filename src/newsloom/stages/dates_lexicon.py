"""Per-language words for dates: month names (from babel's CLDR data), weekdays and relative-day words.

Month names come from CLDR for any language babel knows (format and stand-alone forms, so Slavic genitives such as
"czerwca", "června", "июня" are included). Weekdays after a preposition are inflected ("we wtorek", "ve středu",
"в среду") and relative-day words are not in CLDR, so the main languages have small hand-written tables below; every other
language dateparser knows gets its "today" / "yesterday" / "the day before yesterday" from dateparser's data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from newsloom.text import fold

# Weekday forms used in news after a preposition (Monday first), beyond CLDR's nominative names.
_WEEKDAY_EXTRA: dict[str, tuple[tuple[str, ...], ...]] = {
    "pl": (("poniedziałek",), ("wtorek",), ("środę",), ("czwartek",), ("piątek",), ("sobotę",), ("niedzielę",)),
    "cs": (("pondělí",), ("úterý",), ("středu",), ("čtvrtek",), ("pátek",), ("sobotu",), ("neděli",)),
    "sk": (("pondelok",), ("utorok",), ("stredu",), ("štvrtok",), ("piatok",), ("sobotu",), ("nedeľu",)),
    "ru": (("понедельник",), ("вторник",), ("среду",), ("четверг",), ("пятницу",), ("субботу",), ("воскресенье",)),
    "uk": (("понеділок",), ("вівторок",), ("середу",), ("четвер",), ("п'ятницю", "п’ятницю"), ("суботу",),
           ("неділю",)),
    "it": (("lunedi",), ("martedi",), ("mercoledi",), ("giovedi",), ("venerdi",), ("sabato",), ("domenica",)),
}  # fmt: skip

# Prepositions that may open a weekday expression; included in the span ("we wtorek").
_WEEKDAY_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "pl": ("w", "we"), "cs": ("v", "ve"), "sk": ("v", "vo"), "ru": ("в", "во"), "uk": ("в", "у"),
    "en": ("on",), "de": ("am",), "es": ("el",), "hr": ("u",), "sr": ("у", "u"), "sl": ("v",), "bg": ("в", "във"),
}  # fmt: skip

# A weekday next to one of these words lies in the future ("next Tuesday", "mardi prochain"): not resolved.
_FUTURE_MARKERS: dict[str, tuple[str, ...]] = {
    "en": ("next", "coming"), "pl": ("przyszły", "przyszłą", "najbliższy", "najbliższą"),
    "cs": ("příští",), "sk": ("budúci", "budúcu"), "ru": ("следующий", "следующую", "ближайший", "ближайшую"),
    "uk": ("наступний", "наступну", "найближчий", "найближчу"), "de": ("nächsten", "kommenden", "nächste"),
    "fr": ("prochain",), "es": ("próximo", "próxima"), "it": ("prossimo", "prossima"), "ro": ("viitoare",),
}  # fmt: skip

# Relative-day words and their offset in days from the reference date; "tomorrow" is left out on purpose
# (a resolved relative date must not lie after the reference).
_RELATIVE: dict[str, dict[str, int]] = {
    "pl": {"dzisiaj": 0, "dziś": 0, "wczoraj": -1, "przedwczoraj": -2},
    "cs": {"dnes": 0, "dneska": 0, "včera": -1, "předevčírem": -2},
    "sk": {"dnes": 0, "včera": -1, "predvčerom": -2},
    "ro": {"astăzi": 0, "azi": 0, "ieri": -1, "alaltăieri": -2},
    "ru": {"сегодня": 0, "вчера": -1, "позавчера": -2},
    "uk": {"сьогодні": 0, "вчора": -1, "учора": -1, "позавчора": -2},
    "bg": {"днес": 0, "вчера": -1},
    "en": {"today": 0, "yesterday": -1, "the day before yesterday": -2},
    "de": {"heute": 0, "gestern": -1, "vorgestern": -2},
    "fr": {"aujourd'hui": 0, "aujourd’hui": 0, "hier": -1, "avant-hier": -2},
    "es": {"hoy": 0, "ayer": -1, "anteayer": -2, "antier": -2},
    "it": {"oggi": 0, "ieri": -1, "l'altro ieri": -2, "l’altro ieri": -2, "altroieri": -2},
    "pt": {"hoje": 0, "ontem": -1, "anteontem": -2},
    "hr": {"danas": 0, "jučer": -1, "prekjučer": -2},
    "sr": {"данас": 0, "јуче": -1, "danas": 0, "juče": -1},
    "sl": {"danes": 0, "včeraj": -1},
}

# Words that, right after a number and a month-like word, show it is not a month ("5 mai mulți" = "5 more").
_NOT_A_MONTH_AFTER: dict[str, tuple[str, ...]] = {
    "ro": ("mult", "multe", "mulți", "multă", "puțin", "puține", "puțini", "mare", "mari", "mic", "mici", "bine",
           "rău", "târziu", "devreme", "departe", "ușor", "greu", "tare", "ales", "vechi", "înalt", "scump"),
}  # fmt: skip

# Common abbreviations CLDR does not list.
_EXTRA_MONTHS: dict[str, dict[str, int]] = {"en": {"Sept": 9}}

# Words before a weekday-like word that show it is something else (Romanian "luni" is also "months").
_NOT_A_WEEKDAY_AFTER: dict[str, tuple[str, ...]] = {
    "ro": ("două", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă", "zece", "câteva", "multe", "ultimele",
           "următoarele", "primele", "unsprezece", "douăsprezece"),
}  # fmt: skip

# Languages that capitalise month and weekday names, where a lowercase "may"/"march" is an ordinary word.
_CAPITALISED = frozenset({"en"})
# Languages whose news abbreviates months without a dot ("Jun 19"); elsewhere an abbreviation needs a dot or a
# year after it.
_BARE_ABBREVIATIONS = frozenset({"en"})


@dataclass(frozen=True)
class Lexicon:
    """Compiled date vocabulary for one language; names are looked up by ``fold``-ed form."""

    language: str
    months: dict[str, int]
    month_alternation: str
    wide_month_alternation: str
    abbreviations: frozenset[str]  # trusted only with a dot or a year ("21 mag 2016"; "5 mar" may be the sea)
    weekdays: dict[str, int]
    weekday_alternation: str
    prepositions: str
    relative: dict[str, int]
    relative_alternation: str
    future_markers: frozenset[str]
    not_a_month_after: frozenset[str]
    not_a_weekday_after: frozenset[str]
    capitalised: bool


@functools.lru_cache(maxsize=64)
def lexicon(language: str) -> Lexicon:
    """The date vocabulary of ``language`` (ISO 639-1); unknown languages get English numeric-only data.

    >>> lexicon("pl").months["czerwca"]
    6
    """
    locale = _locale(language)
    months: dict[str, int] = {}
    wide: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    if locale is not None:
        for context in ("format", "stand-alone"):
            for number, name in locale.months[context]["wide"].items():
                wide.setdefault(name, number)
            for number, name in locale.months[context]["abbreviated"].items():
                if len(name.rstrip(".")) >= 3:
                    months.setdefault(name, number)
                    months.setdefault(name.rstrip("."), number)
            for number, name in locale.days[context]["wide"].items():
                weekdays.setdefault(name, number)  # babel numbers Monday as 0
    months.update(wide)
    months.update(_EXTRA_MONTHS.get(language, {}))
    for number, forms in enumerate(_WEEKDAY_EXTRA.get(language, ())):
        for form in forms:
            weekdays.setdefault(form, number)
    relative = _RELATIVE.get(language) or _dateparser_relative(language)
    return Lexicon(
        language=language,
        months=_keyed(months),
        month_alternation=_alternation(months),
        abbreviations=frozenset(key(n) for n in months if key(n) not in {key(w) for w in wide})
        if language not in _BARE_ABBREVIATIONS
        else frozenset(),
        wide_month_alternation=_alternation(wide),
        weekdays=_keyed(weekdays),
        weekday_alternation=_alternation(weekdays),
        prepositions=_alternation(dict.fromkeys(_WEEKDAY_PREPOSITIONS.get(language, ()), 0)),
        relative=_keyed(relative),
        relative_alternation=_alternation(relative),
        future_markers=frozenset(fold(w) for w in _FUTURE_MARKERS.get(language, ())),
        not_a_month_after=frozenset(fold(w) for w in _NOT_A_MONTH_AFTER.get(language, ())),
        not_a_weekday_after=frozenset(fold(w) for w in _NOT_A_WEEKDAY_AFTER.get(language, ())),
        capitalised=language in _CAPITALISED,
    )


# dateparser's per-language "N day ago" phrases: relative-day words for every language it knows (~200).
_DAYS_AGO = {"0 day ago": 0, "1 day ago": -1, "2 day ago": -2}


def _dateparser_relative(language: str) -> dict[str, int]:
    """ "today", "yesterday", "the day before yesterday" in ``language`` from dateparser's data, if it has any."""
    import importlib

    if not language.isalpha():
        return {}
    try:
        module = importlib.import_module(f"dateparser.data.date_translation_data.{language}")
    except ImportError:
        return {}
    table = getattr(module, "info", {}).get("relative-type", {})
    # A word that also means "tomorrow" (Hindi "kal") cannot be resolved; very short words are abbreviations.
    tomorrow = set(table.get("in 1 day", ()))
    return {
        word: offset
        for phrase, offset in _DAYS_AGO.items()
        for word in table.get(phrase, ())
        if isinstance(word, str)
        and (len(word.strip()) >= 3 or not word.isascii())
        and word not in tomorrow
        and not any(c.isdigit() for c in word)
    }


def key(name: str) -> str:
    """The lookup form of a matched name: folded, without an abbreviation dot."""
    return fold(name).rstrip(".")


def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _keyed(table: dict[str, int]) -> dict[str, int]:
    return {key(name): number for name, number in table.items()}


def _alternation(table: dict[str, int]) -> str:
    """A regex alternation matching every name as written or without diacritics, longest first."""
    forms = {name.strip() for name in table} | {fold(name.strip()) for name in table}
    # Romanian is written with both comma-below and cedilla letters, and names may be typed either way.
    forms |= {f.translate(_CEDILLA) for f in forms}
    ordered = sorted((f for f in forms if f), key=lambda f: (-len(f), f))
    return "|".join(re.escape(f) for f in ordered)


_CEDILLA = str.maketrans({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"})
