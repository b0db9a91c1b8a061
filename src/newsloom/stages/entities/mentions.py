"""Find person, place and organisation mentions in an article of any Latin- or Cyrillic-script language.

No Polish, Czech or Romanian NER model ships on PyPI, so mentions are engineered, JRC-Names style:

1. Tokens are split into capitalised runs (connectors such as "von der" or "of" may sit inside).
2. Inside each run, the longest gazetteer match wins (places, countries, organisations, acronyms, user and
   Wikidata aliases), demonym adjectives ("Russian") and title words ("President") are peeled off, and what
   remains is a candidate name.
3. Candidates are typed by context: organisation head words -> ORG; a title before or a verb of saying
   near -> PER; a place preposition before an unknown single word -> LOC; two or more words -> PER.
   A single unknown word is kept only with such a cue or when it repeats a surname of a person named in the
   same article.
4. A sentence-initial word that the language's lemma dictionary knows as a lowercase word ("W", "The",
   "Prezydent") is never a name on its own; lowercase demonyms ("rosyjski", "severokorejský") are matched
   everywhere. Text that is mostly upper case keeps only gazetteer matches, since capitals say nothing there.

Offsets index ``article.text``; ``Mention.key`` is ``keys.name_key`` of the surface form.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from newsloom.models import Article, EntityType, Mention
from newsloom.stages.entities import cues, lemmas
from newsloom.stages.entities.gazetteer import GazEntry, Gazetteer
from newsloom.stages.entities.keys import name_key, skeleton, token_key
from newsloom.text import fold

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|[A-Z]+\d+|\d+[A-Z]+", re.UNICODE)
_SENTENCE_END = ".!?…\n"
_TRANSPARENT = " \t\"'„“”«»‚‘’()[]—–-*•"
_SIMPLEMMA_LANGS = frozenset(
    [
        "pl",
        "cs",
        "sk",
        "ro",
        "ru",
        "uk",
        "bg",
        "sl",
        "lt",
        "lv",
        "hu",
        "de",
        "el",
        "fr",
        "es",
        "it",
        "pt",
        "nl",
        "sv",
        "fi",
        "da",
        "tr",
        "et",
        "en",
        "ca",
        "ga",
        "nb",
    ]
)
_ELISION = re.compile(r"^(?:[lLdDjJmMnNsStTcC]|[qQ]u|[dD]ell|[nN]ell|[sS]ull|[aA]ll)['’](?=[A-ZÀ-Þ])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_MAX_GAZ_TOKENS = 6
_CAPS_RATIO = 0.6
_MIN_DEMONYM = 3
_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z]")
_OPEN_QUOTES = '"„“«‚‘»'
_CLOSE_QUOTES = '"”“»’‘«'
_COUNTRY = 2_000_000_000  # gazetteer priority of countries; cities rank by population below it
_BIG_CITY = 1_000_000
_LONG_NAME = 7  # a country name this long is never an ordinary word
_FUNCTION_LEN = 2  # longest capitalised dictionary word taken for a preposition ("В", "На", "Za")
_RECURRING = 2  # mid-sentence capitalised occurrences that make an unknown word a name
_DE_NOUN_CITY = 300_000  # below this, a German dictionary noun ("Lage") is a noun, not a city


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    cap: bool
    acronym: bool
    initial: bool


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _TRANSPARENT:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or text[i] == ":"


def _tokenize(text: str) -> list[_Tok]:
    toks = []
    for m in _WORD.finditer(text):
        word = m.group()
        start, end = m.start(), m.end()
        elided = _ELISION.match(word)
        if elided:
            word, start = word[elided.end() :], start + elided.end()  # French/Italian "l'Europe", "d'Italia"
        if word[-2:] in ("'s", "’s") and len(word) > 2:
            word, end = word[:-2], end - 2  # English possessive: "Russia's" names Russia
        if text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit():
            continue  # a model or product code ("Hwasong-19", "F-16"), not a name
        acronym = len(word) >= 2 and word.isupper()
        toks.append(_Tok(word, start, end, word[:1].isupper(), acronym, _sentence_initial(text, m.start())))
    return toks


def _script(word: str) -> str:
    """The Unicode script of a word's first letter ("LATIN", "CYRILLIC"); a name never changes script."""
    return unicodedata.name(word[:1], "?").split(" ", 1)[0]


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text[:5000] if c.isalpha()]
    return len(letters) > 20 and sum(c.isupper() for c in letters) / len(letters) > _CAPS_RATIO


@functools.lru_cache(maxsize=100_000)
def _is_common(word: str, lang: str) -> bool:
    """True when the language's dictionary knows the lowercased word as an ordinary lowercase word."""
    if lang not in _SIMPLEMMA_LANGS:
        return False
    low = word.lower()
    if not lemmas.is_known(low, lang):
        return False
    lemma: str = lemmas.lemmatize(low, lang)
    return lemma[:1].islower()


_CALENDAR_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
_MIN_CALENDAR = 4  # shorter calendar forms are abbreviations ("Sie", "Pon") that real names share


@functools.lru_cache(maxsize=256)
def _calendar_words(lang: str) -> frozenset[str]:
    """Month and weekday names of a language, casefolded, in every form the library data knows: babel's CLDR
    wide names (format and stand-alone: "sierpień", "sierpnia") and dateparser's inflections ("sierpniu")."""
    import importlib

    from babel import Locale, UnknownLocaleError

    words: set[str] = set()
    try:
        loc = Locale.parse(lang)
        for table in (loc.months, loc.days):
            for context in ("format", "stand-alone"):
                words.update(table[context]["wide"].values())
    except (UnknownLocaleError, ValueError, KeyError):
        pass
    try:
        data = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
    except (ImportError, AttributeError):
        data = {}
    for key in _CALENDAR_KEYS:
        words.update(w for w in data.get(key, []) if isinstance(w, str))
    return frozenset(w.casefold() for w in words if len(w) >= _MIN_CALENDAR and w.isalpha())


def _calendar_word(word: str, lang: str) -> bool:
    """True for a month or weekday name in the article's language or in English ("August" is no Augusta)."""
    low = word.casefold()
    return low in _calendar_words(lang) or low in _calendar_words("en")


class _Extractor:
    """Scans one article; holds its tokens and the mentions found so far."""

    def __init__(self, article: Article, gazetteer: Gazetteer) -> None:
        self.article = article
        self.lang = article.language or "und"
        self.gaz = gazetteer
        self.toks = _tokenize(article.text)
        self.caps_text = _mostly_upper(article.text)
        self.found: list[tuple[int, int, EntityType]] = []  # token index span [i, j) and type
        self.pending: list[tuple[int, int]] = []  # unknown single words decided after the whole scan
        self.mid_caps = {token_key(t.text, self.lang) for t in self.toks if t.cap and not t.initial}
        self.mid_count = Counter(token_key(t.text, self.lang) for t in self.toks if t.cap and not t.initial)
        self.resume = 0
        self.gaz_ids: set[str] = set()  # gazetteer entries named here by their own name

    def run(self) -> list[Mention]:
        i = 0
        while i < len(self.toks):
            tok = self.toks[i]
            if not tok.cap and not self.caps_text:
                # Fast path for lowercase words: only a demonym ("rosyjski") can start a mention here.
                if len(tok.text) >= _MIN_DEMONYM and self._demonym_at(i):
                    continue
                i += 1
                continue
            j = self._run_end(i) if (tok.cap and not self.caps_text) else i + 1
            self.resume = j
            self._scan_run(i, j)
            i = max(j, self.resume)
        self._repeat_particle_surnames()
        self._resolve_pending()
        self._demonym_nouns()
        self._split_known_names()
        self._surnames_over_towns()
        if self.caps_text:
            self.mid_caps = set()
        return [self._mention(i, j, t) for i, j, t in sorted(self.found)]

    def _demonym_at(self, i: int) -> bool:
        """Record a lowercase demonym at token i ("rosyjski", "nord-coreean")."""
        if self.gaz.demonym(self.toks[i].text, self.lang) is not None:
            self.found.append((i, i + 1, "LOC"))
        return False

    def _run_end(self, i: int) -> int:
        j = i + 1
        while (
            j < len(self.toks)
            and not self.toks[j].initial
            and self._adjacent(j - 1, j)
            and _script(self.toks[j].text) == _script(self.toks[j - 1].text)
        ):
            if self.toks[j].cap:
                j += 1
            elif (skip := self._connector_span(j)) > 0:
                j += skip + 1
            else:
                break
        return j

    def _connector_span(self, j: int) -> int:
        """Number of connector words at j ("von der") followed by a capitalised word, else 0."""
        n = 0
        if j < len(self.toks) and self.toks[j].text in cues.CONNECTORS:
            n = 1
            if j + 1 < len(self.toks) and self.toks[j + 1].text in cues.CONNECTOR_TAILS:
                n = 2
        end = j + n
        if (
            n
            and end < len(self.toks)
            and self.toks[end].cap
            and all(self._adjacent(a, a + 1) for a in range(j, end))
        ):
            return n
        return 0

    def _adjacent(self, a: int, b: int) -> bool:
        """No punctuation between tokens a and b (only spaces), so they can be one name."""
        gap = self.article.text[self.toks[a].end : self.toks[b].start]
        return gap.strip() == "" and "\n" not in gap

    def _gaz_match(self, i: int, j: int) -> tuple[int, GazEntry] | None:
        """Longest gazetteer match starting at token i; it may run past the capitalised run end j into
        lowercase words of the same phrase ("Evropská unie", "Bílého domu"), never across punctuation."""
        limit = i + 1
        while limit < len(self.toks) and limit - i < min(_MAX_GAZ_TOKENS, self.gaz.max_tokens):
            if not self._adjacent(limit - 1, limit):
                break
            limit += 1
        del j
        for n in range(limit - i, 0, -1):
            words = [t.text for t in self.toks[i : i + n]]
            entry = self._lookup(words)
            if entry is not None and self._plausible(i, n, entry):
                return n, entry
        return None

    def _lookup(self, words: list[str]) -> GazEntry | None:
        if not self.caps_text:
            return self.gaz.lookup_words(words, self.lang)
        # In upper-case text every short word looks like an acronym: try it as one, then as a plain word.
        titled = [w.title() for w in words]
        if len(words) == 1:
            return self.gaz.lookup_words(words, self.lang) or self.gaz.lookup_words(titled, self.lang)
        return self.gaz.lookup_words(titled, self.lang)

    def _plausible(self, i: int, n: int, entry: GazEntry) -> bool:
        tok = self.toks[i]
        if n > 1:
            return True
        if len(tok.text) <= 2 and not tok.acronym:
            return False
        city = entry.priority < _COUNTRY
        if city and _calendar_word(tok.text, self.lang):
            return False  # a month or weekday, not a town that shares its letters
        if self.caps_text:
            common = _is_common(tok.text, self.lang)
            return not common and (not city or entry.priority >= _BIG_CITY)
        if city and not tok.acronym:
            # An ordinary word ("Ale", "Nice", German nouns such as "Lage") is not a small city.
            if _is_common(tok.text, self.lang) and (tok.initial or entry.priority < _BIG_CITY):
                return False
            if self.lang == "de" and entry.priority < _DE_NOUN_CITY and lemmas.is_known(tok.text, "de"):
                return False
        # A long country or curated name opening a sentence is that name even where the dictionary lists it
        # lowercased (Bulgarian "Великобритания"); short ones can be words ("Chad", "Niger").
        if not city and len(tok.text) >= _LONG_NAME:
            return True
        return not (
            tok.initial and not tok.acronym and _is_common(tok.text, self.lang) and self._never_mid(tok)
        )

    def _scan_run(self, i: int, j: int) -> None:
        """Split tokens [i, j) into gazetteer matches, demonyms, titles and candidate names."""
        k = i
        name_start: int | None = None
        while k < j:
            tok = self.toks[k]
            match = self._gaz_match(k, j) if (tok.cap or self.caps_text or tok.acronym) else None
            if match is not None and not self._inside_person(k, match, i, j):
                self._flush(name_start, k)
                name_start = None
                n, entry = match
                self.found.append((k, k + n, entry.type))
                self.gaz_ids.add(entry.id)
                k += n
                if k > j:
                    self.resume = k
                    return
                continue
            if tok.acronym and not self.caps_text and len(tok.text) > 1:
                # An unknown acronym inside a run is its own organisation: "ANO Andreje Babiše".
                self._flush(name_start, k)
                name_start = None
                # A Roman numeral or a shouted month ("MARCH 2019", "DUBNU") is no organisation.
                if not _ROMAN.match(tok.text) and not _calendar_word(tok.text, self.lang):
                    self.found.append((k, k + 1, "ORG"))
                k += 1
                continue
            if k + 1 < j and self.gaz.demonym(f"{tok.text} {self.toks[k + 1].text}", self.lang) is not None:
                self._flush(name_start, k)
                name_start = None
                self.found.append((k, k + 2, "LOC"))
                k += 2
                continue
            if (
                not tok.cap or self.lang == "en" or (tok.initial and name_start is None)
            ) and self.gaz.demonym(tok.text, self.lang) is not None:
                self._flush(name_start, k)
                name_start = None
                self.found.append((k, k + 1, "LOC"))
            elif (
                tok.cap
                and not self.caps_text
                and (cues.is_title(tok.text) or self._common_start(k, name_start))
            ):
                self._flush(name_start, k)
                name_start = None
            elif tok.cap and not self.caps_text and name_start is None:
                name_start = k
            k += 1
        self._flush(name_start, j)

    def _common_start(self, k: int, name_start: int | None) -> bool:
        tok = self.toks[k]
        if name_start is not None or tok.acronym:
            return False
        if self._function_word(tok):
            return True
        if tok.initial or self.lang == "en":
            return _is_common(tok.text, self.lang) and self._never_mid(tok)
        return False

    def _function_word(self, tok: _Tok) -> bool:
        """A capitalised one- or two-letter dictionary word ("В", "На", "V") is a preposition or conjunction,
        never part of a name, even when it is capitalised after a quote or a dash somewhere mid-sentence."""
        return len(tok.text) <= _FUNCTION_LEN and not tok.acronym and _is_common(tok.text, self.lang)

    def _never_mid(self, tok: _Tok) -> bool:
        """The word never appears capitalised mid-sentence here (so "Kim" is the pronoun, not the name)."""
        return token_key(tok.text, self.lang) not in self.mid_caps

    def _inside_person(self, k: int, match: tuple[int, GazEntry], i: int, j: int) -> bool:
        """A one-word city inside a run of unknown capitalised words is a surname ("George Washington")."""
        n, entry = match
        if n > 1 or entry.id.startswith("org:") or self.toks[k].acronym:
            return False
        # After a title a country stays a country ("Prezydent Rosji Władimir Putin"), so the word after
        # counts only for cities ("Vladimir Putin", "George Simion").
        if k > i and self._name_like(k - 1):
            return True
        # After a title, an inflected city followed by a whole name is the title's place: "Prezydent Wrocławia
        # Jacek Sutryk" (genitive). "Prezydent Władimir Putin" (uninflected) and "premiéra Andreja Babiša"
        # (a first name in the genitive, followed by a surname alone) stay names.
        if (
            k > 0
            and cues.is_title(self.toks[k - 1].text)
            and k + 2 < j
            and self._name_like(k + 1)
            and self._name_like(k + 2)
            and self._inflected(self.toks[k].text, entry)
        ):
            return False
        # Small cities only: a big city before a name is usually a genitive ("Burmistrz Bukaresztu Nicușor
        # Dan"), while first names collide with smaller towns ("Vladimir", "Andria", "George").
        return entry.priority < _BIG_CITY and k + 1 < j and self._name_like(k + 1)

    def _inflected(self, word: str, entry: GazEntry) -> bool:
        """``word`` names ``entry`` only once a case ending is stripped ("Wrocławia" for "Wrocław")."""
        return skeleton(word, self.lang) != skeleton(entry.name) and token_key(word, self.lang) == token_key(
            entry.name
        )

    def _name_like(self, k: int) -> bool:
        """An unknown capitalised word that is not a title, a gazetteer name or a sentence-initial common word."""
        tok = self.toks[k]
        if not tok.cap or cues.is_title(tok.text) or self._lookup([tok.text]) is not None:
            return False
        if self._function_word(tok):
            return False
        if tok.initial and self._never_mid(tok):
            return False  # sentence-initial and never seen capitalised elsewhere: no evidence it is a name
        return not (self.lang == "de" and _is_common(tok.text, self.lang))

    def _flush(self, start: int | None, end: int) -> None:
        """Type a candidate name over tokens [start, end), or park a lone word for later."""
        if start is None or end <= start:
            return
        while end > start and self.toks[end - 1].text in cues.CONNECTORS | cues.CONNECTOR_TAILS:
            end -= 1
        if cues.is_weather(self.toks[start].text) or (
            start > 0 and cues.is_weather(self.toks[start - 1].text)
        ):
            return  # a named storm ("Storm Boris", "niż genueński Boris") is an event, not a person
        toks = self.toks[start:end]
        if self.lang == "en" and len(toks) == 1 and fold(toks[0].text) in cues.ENGLISH_CALENDAR:
            return
        # German capitalises every noun: a run of dictionary words needs a person cue to be a name.
        german_nouns = self.lang == "de" and all(lemmas.is_known(t.text, "de") for t in toks)
        if (
            any(cues.is_org_word(t.text) for t in toks)
            or self._quoted(start, end)
            or _CAMEL.search(toks[0].text)
        ):
            # Head words ("Bank"), quoted titles (newspapers: „Rodong Sinmun”), brands ("TikTok").
            self.found.append((start, end, "ORG"))
        elif (
            len(toks) >= 2 and fold(toks[0].text) in cues.COMPASS and self._lookup([t.text for t in toks[1:]])
        ):
            self.found.append((start, end, "LOC"))  # "Eastern Europe", "Lower Austria"
        elif len(toks) == 1 and toks[0].acronym:
            if not _ROMAN.match(toks[0].text):
                self.found.append((start, end, "ORG"))
        elif german_nouns and not self._title_before(start):
            self.pending.append((start, end))
        elif len(toks) >= 2 and start > 0 and cues.is_strong_place_preposition(self.toks[start - 1].text):
            self.found.append((start, end, "LOC"))
        elif len(toks) >= 2 or (self._person_context(start, end) and not _is_common(toks[0].text, self.lang)):
            self.found.append((start, end, "PER"))
        else:
            self.pending.append((start, end))

    def _quoted(self, start: int, end: int) -> bool:
        text = self.article.text
        before = text[self.toks[start].start - 1 : self.toks[start].start]
        after = text[self.toks[end - 1].end : self.toks[end - 1].end + 1]
        return bool(before) and before in _OPEN_QUOTES and bool(after) and after in _CLOSE_QUOTES

    def _title_before(self, start: int) -> bool:
        return start > 0 and cues.is_title(self.toks[start - 1].text)

    def _person_context(self, start: int, end: int) -> bool:
        before = [t.text for t in self.toks[max(0, start - 2) : start]]
        after = [t.text for t in self.toks[end : end + 2]]
        if before and (cues.is_title(before[-1]) or any(cues.is_according(w) for w in before)):
            return True
        return any(cues.is_saying(w) for w in after) or (bool(before) and cues.is_saying(before[-1]))

    def _resolve_pending(self) -> None:
        """Keep a lone unknown word if it repeats a person's surname here, or follows a place preposition."""
        surnames = {
            token_key(self.toks[x].text, self.lang)
            for i, j, t in self.found
            if t == "PER" and j - i >= 2
            for x in (i, j - 1)
        }
        covered = {x for i, j, _ in self.found for x in range(i, j)}
        short_forms = self._short_forms()
        recurring = []
        for start, end in self.pending:
            tok = self.toks[start]
            if start in covered:
                continue
            key = token_key(tok.text, self.lang)
            if key in surnames:
                self.found.append((start, end, "PER"))
            elif len(short_forms.get(key, ())) == 1 and not (tok.initial and _is_common(tok.text, self.lang)):
                self.found.append((start, end, next(iter(short_forms[key]))))
            elif (
                start > 0
                and cues.is_place_preposition(self.toks[start - 1].text)
                and self.lang != "de"
                and not _is_common(tok.text, self.lang)
            ):
                self.found.append((start, end, "LOC"))
            elif self._recurring_name(tok):
                recurring.append((start, end))
        # A recurring name takes the type its other mentions here got ("na Jeseníku" -> LOC), else ORG, the
        # likelier kind of a name with no cue; linking then settles one type per name across the batch.
        kinds = {token_key(self.toks[i].text, self.lang): t for i, j, t in self.found if j - i == 1}
        for start, end in recurring:
            self.found.append((start, end, kinds.get(token_key(self.toks[start].text, self.lang), "ORG")))

    def _demonym_nouns(self) -> None:
        """A demonym noun ("Rosjanie", "британците") names its country when the article names the country
        too: the noun rule is derived from names (``Gazetteer.demonym_noun``), the co-mention confirms it."""
        if not self.gaz_ids:
            return
        spans = {i: n for n, (i, j, _) in enumerate(self.found) if j - i == 1}
        inside = {x for i, j, _ in self.found if j - i > 1 for x in range(i, j)}
        for k, tok in enumerate(self.toks):
            if k in inside or len(tok.text) <= _MIN_DEMONYM or tok.acronym:
                continue
            entry = self.gaz.demonym_noun(tok.text, self.lang)
            if entry is None or entry.id not in self.gaz_ids:
                continue
            if k in spans:
                self.found[spans[k]] = (k, k + 1, "LOC")
            else:
                self.found.append((k, k + 1, "LOC"))

    def _short_forms(self) -> dict[str, set[EntityType]]:
        """Token key -> types of the multi-word gazetteer names found here that hold it: a lone "Unii" after
        "Unii Europejskiej" is its short form (linking joins it to that name when only one name has it)."""
        out: dict[str, set[EntityType]] = defaultdict(set)
        for i, j, t in self.found:
            if j - i >= 2 and t != "PER" and self._lookup([tok.text for tok in self.toks[i:j]]) is not None:
                for tok in self.toks[i:j]:
                    out[token_key(tok.text, self.lang)].add(t)
        return out

    def _person_keys(self) -> tuple[set[str], set[tuple[str, ...]]]:
        """Surname keys and whole-name key sequences of the multi-word persons found in this article."""
        names = {
            tuple(token_key(t.text, self.lang) for t in self.toks[i:j])
            for i, j, t in self.found
            if t == "PER" and j - i >= 2
        }
        return {n[-1] for n in names}, names

    def _surnames_over_towns(self) -> None:
        """A lone word that repeats the surname of a person named here is that person, even when a town
        somewhere has it among its alternate names ("Barnier" -> "Барние" ~ Varna's "Barna")."""
        surnames, _ = self._person_keys()
        for n, (i, j, t) in enumerate(self.found):
            if j - i != 1 or t == "PER" or self.toks[i].acronym:
                continue
            entry = self._lookup([self.toks[i].text])
            town = entry is None or entry.priority < _COUNTRY
            if town and token_key(self.toks[i].text, self.lang) in surnames:
                self.found[n] = (i, j, "PER")

    def _split_known_names(self) -> None:
        """A person run that ends in a whole name found on its own in this article is two mentions: the words
        before it belong to something else ("Брекзит Мишел Барние", "Zjednoczonego Królestwa Theresy May")."""
        _, names = self._person_keys()
        out: list[tuple[int, int, EntityType]] = []
        for i, j, t in self.found:
            cut = None
            if t == "PER" and j - i >= 3:
                keys = tuple(token_key(tok.text, self.lang) for tok in self.toks[i:j])
                cut = next((s for s in range(1, j - i - 1) if keys[s:] in names), None)
            if cut is None:
                out.append((i, j, t))
                continue
            out.append((i + cut, j, "PER"))
            head = keys[:cut]
            if len(head) == 1 and (entry := self._lookup([self.toks[i].text])) is not None:
                out.append((i, i + 1, entry.type))
            elif len(head) >= 2 and head in names:
                out.append((i, i + cut, "PER"))
        self.found = out

    def _recurring_name(self, tok: _Tok) -> bool:
        """A word capitalised inside sentences again and again, unknown to the dictionary as a lowercase word,
        is a name ("Ryanair", "Gazprom") even without a cue; German capitalises every noun, so not there."""
        return (
            self.lang != "de"
            and not self.caps_text
            and len(tok.text) >= _MIN_DEMONYM
            and self.mid_count[token_key(tok.text, self.lang)] >= _RECURRING
            and not _is_common(tok.text, self.lang)
        )

    def _repeat_particle_surnames(self) -> None:
        """A surname with particles ("von der Leyen") recurs in lowercase-initial form; find it again."""
        covered = {x for i, j, _ in self.found for x in range(i, j)}
        for i, j, t in list(self.found):
            first = next((x for x in range(i + 1, j) if self.toks[x].text in cues.CONNECTORS), None)
            if t != "PER" or first is None:
                continue
            tail = [tok.text for tok in self.toks[first:j]]
            for s in range(len(self.toks) - len(tail) + 1):
                span = range(s, s + len(tail))
                if any(x in covered for x in span[:-1]) or [self.toks[x].text for x in span] != tail:
                    continue
                lone = (span[-1], span[-1] + 1)
                if span[-1] in covered and not any(f[:2] == lone for f in self.found):
                    continue  # the surname is part of a longer mention already
                # A lone "Leyen" found by a cue is replaced by the whole "von der Leyen".
                self.found = [f for f in self.found if f[:2] != (span[-1], span[-1] + 1)]
                self.found.append((s, s + len(tail), "PER"))
                covered.update(span)

    def _mention(self, i: int, j: int, etype: EntityType) -> Mention:
        start, end = self.toks[i].start, self.toks[j - 1].end
        surface = self.article.text[start:end]
        return Mention(self.article.id, surface, start, end, etype, name_key(surface, self.lang))


def extract_mentions(article: Article, gazetteer: Gazetteer) -> list[Mention]:
    """Person, place and organisation mentions in ``article.text`` (entity ids are set by linking).

    >>> from newsloom.models import PublicationDate
    >>> gaz, _ = Gazetteer.load()
    >>> art = Article("a1", "s", "o", "", "Prezydent Władimir Putin przyjechał do Pjongjangu.", "pl", 1.0,
    ...               PublicationDate(None, "unknown"))
    >>> [(m.text, m.type) for m in extract_mentions(art, gaz)]
    [('Władimir Putin', 'PER'), ('Pjongjangu', 'LOC')]
    """
    return _Extractor(article, gazetteer).run()
