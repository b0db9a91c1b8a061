"""Language identification for every language the news is written in, honest about uncertainty.

Three steps, cheapest first:

1. **Script.** Letters are counted by Unicode script. A script written by one news language settles it (Thai,
   Georgian, Hangul, Hebrew, Greek, Armenian, Bengali, Tamil, Telugu, Gujarati, Khmer ...); kana among Han
   characters is Japanese, Han alone is Chinese. The confidence is the share of letters in that script.
2. **py3langid** (97 languages, byte n-grams, ~0.1 ms a text) for everything else: Latin, Cyrillic, Arabic and
   Devanagari script languages. Regional and historical labels fold into their language (Egyptian Arabic
   ``arz`` -> ``ar``, Wu ``wuu`` -> ``zh``, ``no`` -> ``nb``).
3. **lingua** only among close neighbours, where n-gram models confuse members: Czech/Slovak/Polish and
   Croatian/Serbian/Bosnian/Slovene (Latin), Russian/Ukrainian/Bulgarian/Macedonian/Serbian/Belarusian
   (Cyrillic), Indonesian/Malay, Norwegian/Danish/Swedish. The group's share of py3langid's probability is
   split among its members by lingua's values, so a text that could be either member stays uncertain.

Below ``min_confidence`` the result is ``und`` (undetermined), never a guess presented as certain; the rest of
the pipeline still runs on an ``und`` article. Metadata (``declared``) is a prior that may tip a near tie.

Serbian is written in Cyrillic and Latin; lingua's Serbian model is Cyrillic, so Serbian Latin text is often
labelled ``hr`` or ``bs`` (it cannot be told apart from the text alone); a Cyrillic ``hr``/``bs`` is ``sr``.

Cost (``bench/bench_langid.py``, BENCHMARKS.md): py3langid loads in ~0.7 s and ~60 MB; lingua loads a
neighbour's model (~15-40 MB each) only when a text of that group is seen, at most the 17 languages of the groups.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from newsloom.models import LanguageGuess

UNDETERMINED = "und"

# How much more likely the metadata language is, a priori, than any other; 3 lets metadata settle a near tie
# (0.5 / 0.5 becomes 0.75 / 0.25) but never overturns a clear detection (0.95 / 0.05 stays 0.86 / 0.14).
DECLARED_PRIOR = 3.0

# Close neighbours that lingua tells apart better than n-grams (a language may sit in one group per script).
NEIGHBOURS: dict[str, tuple[tuple[str, ...], ...]] = {
    "Latn": (("cs", "sk", "pl", "hr", "bs", "sr", "sl"), ("id", "ms"), ("nb", "nn", "da", "sv")),
    "Cyrl": (("ru", "uk", "bg", "mk", "sr", "be"),),
}

# Unicode blocks of the scripts that matter for news (start, end inclusive, script); Latin is the default.
_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "Grek"), (0x0400, 0x052F, "Cyrl"), (0x0530, 0x058F, "Armn"), (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"), (0x0750, 0x077F, "Arab"), (0x0780, 0x07BF, "Thaa"),
    (0x08A0, 0x08FF, "Arab"), (0x0900, 0x097F, "Deva"), (0x0980, 0x09FF, "Beng"), (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"), (0x0B00, 0x0B7F, "Orya"), (0x0B80, 0x0BFF, "Taml"), (0x0C00, 0x0C7F, "Telu"),
    (0x0C80, 0x0CFF, "Knda"), (0x0D00, 0x0D7F, "Mlym"), (0x0D80, 0x0DFF, "Sinh"), (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Laoo"), (0x0F00, 0x0FFF, "Tibt"), (0x1000, 0x109F, "Mymr"), (0x10A0, 0x10FF, "Geor"),
    (0x1100, 0x11FF, "Hang"), (0x1200, 0x139F, "Ethi"), (0x1780, 0x17FF, "Khmr"), (0x1800, 0x18AF, "Mong"),
    (0x1C90, 0x1CBF, "Geor"), (0x1F00, 0x1FFF, "Grek"), (0x2D00, 0x2D2F, "Geor"), (0x2DE0, 0x2DFF, "Cyrl"),
    (0x3040, 0x30FF, "Kana"), (0x3130, 0x318F, "Hang"), (0x31F0, 0x31FF, "Kana"), (0x3400, 0x4DBF, "Hani"),
    (0x4E00, 0x9FFF, "Hani"), (0xA640, 0xA69F, "Cyrl"), (0xAC00, 0xD7AF, "Hang"), (0xF900, 0xFAFF, "Hani"),
    (0xFB1D, 0xFB4F, "Hebr"), (0xFB50, 0xFDFF, "Arab"), (0xFE70, 0xFEFF, "Arab"), (0xFF66, 0xFF9F, "Kana"),
)  # fmt: skip
_STARTS = [start for start, _, _ in _BLOCKS]

# Scripts that one news language writes (others of the script are rare enough in news to accept the error).
SCRIPT_LANGUAGE: dict[str, str] = {
    "Grek": "el", "Armn": "hy", "Hebr": "he", "Thaa": "dv", "Beng": "bn", "Guru": "pa", "Gujr": "gu",
    "Orya": "or", "Taml": "ta", "Telu": "te", "Knda": "kn", "Mlym": "ml", "Sinh": "si", "Thai": "th",
    "Laoo": "lo", "Tibt": "bo", "Mymr": "my", "Geor": "ka", "Hang": "ko", "Ethi": "am", "Khmr": "km",
    "Mong": "mn",
}  # fmt: skip
# Japanese writes Han with kana; a tenth of kana among the CJK letters is far above what Chinese text has.
_KANA_SHARE_JA = 0.1

# py3langid labels for a regional variety or a small language of a big language's area fold into it: in news
# they are far rarer than the big language, and on short text they draw its probability (a Spanish headline
# scored as Extremaduran or Aragonese, an English one as Nigerian Pidgin). Other labels without an ISO 639-1
# code (small languages news is seldom written in) are dropped. ``zxx`` is "no language".
_FOLD_LABEL = {
    "ary": "ar", "arz": "ar", "wuu": "zh", "yue": "zh", "hbo": "he", "grc": "el", "uzs": "uz", "no": "nb",
    "gug": "gn", "ext": "es", "an": "es", "pcm": "en", "gcf": "fr", "gcr": "fr", "wa": "fr", "lij": "it",
    "vec": "it", "ltg": "lv", "sdh": "ku", "zxx": UNDETERMINED,
}  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")
_SYLLABIC = frozenset({"Hani", "Kana", "Hang"})
_SYLLABLE_WEIGHT = 2


@functools.cache
def _ngram_model() -> Any:
    """py3langid's model, loaded once per process (read-only afterwards: ``rank`` never changes it)."""
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier as NgramIdentifier

    return NgramIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def known_languages() -> frozenset[str]:
    """Every code :class:`LanguageIdentifier` can report (besides ``und``).

    >>> {"th", "ka", "ko", "hi", "id", "sk"} <= known_languages()
    True
    """
    labels = {
        code for code in (_FOLD_LABEL.get(label, label) for label in _ngram_model().labels) if len(code) == 2
    }
    members = {code for groups in NEIGHBOURS.values() for group in groups for code in group}
    return frozenset((labels | members | set(SCRIPT_LANGUAGE.values()) | {"ja", "zh"}) - {UNDETERMINED})


class LanguageIdentifier:
    """Identify the language of article text.

    >>> ident = LanguageIdentifier()
    >>> ident.identify("Wczoraj w Warszawie odbyło się posiedzenie rządu w sprawie budżetu.").code
    'pl'
    >>> ident.identify("รัฐบาลประกาศมาตรการใหม่เพื่อช่วยเหลือเกษตรกร").code
    'th'
    """

    def __init__(
        self,
        languages: Sequence[str] | None = None,
        *,
        min_confidence: float = 0.5,
        min_letters: int = 12,
        max_chars: int = 1000,
        preload: bool = False,
    ) -> None:
        """Load the n-gram model; ``min_confidence`` is the floor below which ``und`` is reported.

        ``languages``: report only these (ISO 639-1) codes; ``None`` means every language known.
        ``min_letters``: texts with fewer letters are ``und`` (detectors are overconfident on a word or two).
        ``max_chars``: only this prefix is examined, since a paragraph settles the language of an article.
        ``preload``: load lingua's neighbour models now (~1 s, ~450 MB) rather than on first use.
        """
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence}")
        known = known_languages()
        if languages is not None:
            unknown = [code for code in languages if code.lower() not in known]
            if unknown:
                raise ValueError(
                    f"unknown ISO 639-1 language code {unknown[0]!r} (known: {len(known)} codes)"
                )
            if len(set(languages)) < 2:
                raise ValueError("LanguageIdentifier needs at least two languages to choose between")
        self.languages = frozenset(code.lower() for code in languages) if languages is not None else known
        self._restricted = languages is not None
        self.min_confidence = min_confidence
        self.min_letters = min_letters
        self.max_chars = max_chars
        self._ngrams = _ngram_model()
        self._lingua: dict[tuple[str, ...], LanguageDetector] = {}
        if preload:
            for groups in NEIGHBOURS.values():
                for group in groups:
                    self._neighbour_detector(group, preload=True)

    def identify(self, text: str, declared: str | None = None) -> LanguageGuess:
        """Return the language of ``text``; ``declared`` (from metadata) is a prior for ambiguous text.

        >>> LanguageIdentifier().identify("").code
        'und'
        """
        sample = _prefix(text, self.max_chars)
        if len(_LETTER.findall(sample)) < self.min_letters:
            return LanguageGuess(UNDETERMINED, 0.0)
        script, share = dominant_script(sample)
        scores = self._scores(sample, script, share)
        scores = {code: value for code, value in scores.items() if code in self.languages}
        total = sum(scores.values())
        if total <= 0:
            return LanguageGuess(UNDETERMINED, 0.0)
        if self._restricted:  # its members share the probability of the languages left out
            scores = {code: value / total for code, value in scores.items()}
        scores = _apply_prior(scores, _normalise_declared(declared))
        code, confidence = max(scores.items(), key=lambda item: item[1])
        if code in ("hr", "bs") and script == "Cyrl":
            code = "sr"
        confidence = round(min(1.0, confidence), 4)
        if confidence < self.min_confidence:
            return LanguageGuess(UNDETERMINED, confidence)
        return LanguageGuess(code, confidence)

    def _scores(self, sample: str, script: str, share: float) -> dict[str, float]:
        """A probability for each candidate language (they sum to at most 1)."""
        if script in SCRIPT_LANGUAGE:
            return {SCRIPT_LANGUAGE[script]: share}
        if script in ("Kana", "Hani"):
            return {_cjk_language(sample): share}
        scores: dict[str, float] = {}
        for label, value in self._ngrams.rank(sample):
            code = _FOLD_LABEL.get(label, label)
            if len(code) == 2:
                scores[code] = scores.get(code, 0.0) + float(value)
        total = sum(scores.values())
        scores = {code: value / total for code, value in scores.items()} if total > 0 else scores
        top = max(scores, key=scores.__getitem__, default=UNDETERMINED)
        group = next((g for g in NEIGHBOURS.get(script, ()) if top in g), None)
        return self._split_among(group, sample, scores) if group else scores

    def _split_among(self, group: tuple[str, ...], sample: str, scores: dict[str, float]) -> dict[str, float]:
        """Share the group's n-gram probability among its members by lingua's confidence values."""
        mass = sum(scores.get(code, 0.0) for code in group)
        values = self._neighbour_detector(group).compute_language_confidence_values(sample)
        split = {str(v.language.iso_code_639_1.name.lower()): float(v.value) for v in values}
        result = {code: value for code, value in scores.items() if code not in group}
        result.update({code: mass * split.get(code, 0.0) for code in group})
        return result

    def _neighbour_detector(self, group: tuple[str, ...], *, preload: bool = False) -> LanguageDetector:
        # lingua loads each language's model on first use, so memory grows only with the groups seen.
        if group not in self._lingua:
            builder = LanguageDetectorBuilder.from_iso_codes_639_1(
                *(getattr(IsoCode639_1, code.upper()) for code in group)
            )
            if preload:
                builder = builder.with_preloaded_language_models()
            self._lingua[group] = builder.build()
        return self._lingua[group]


def dominant_script(text: str) -> tuple[str, float]:
    """The script most letters of ``text`` are written in (ISO 15924 code) and their share of the letters.

    Kana and Han count together (Japanese mixes them), so a Japanese text is ``Kana`` when it has any kana.
    A Han, kana or Hangul character counts as two letters: it writes a syllable or a word.

    >>> dominant_script("Tbilisi: თბილისში ათასობით ადამიანი")
    ('Geor', 0.7742)
    """
    if text.isascii():
        return "Latn", 1.0
    counts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            script = _script(ord(char))
            counts[script] += _SYLLABLE_WEIGHT if script in _SYLLABIC else 1
    if not counts:
        return "Latn", 1.0
    if counts["Kana"] and counts["Hani"]:
        counts["Kana"] += counts.pop("Hani")
    script, n = counts.most_common(1)[0]
    return script, round(n / sum(counts.values()), 4)


def _script(codepoint: int) -> str:
    if codepoint < 0x0370:
        return "Latn"
    row = bisect.bisect_right(_STARTS, codepoint) - 1
    if row >= 0 and codepoint <= _BLOCKS[row][1]:
        return _BLOCKS[row][2]
    return "Latn" if 0x1E00 <= codepoint <= 0x1EFF else "Zyyy"


def _cjk_language(text: str) -> str:
    """Japanese when kana make up a tenth of the CJK letters, else Chinese."""
    kana = han = 0
    for char in text:
        script = _script(ord(char)) if char.isalpha() else ""
        kana += script == "Kana"
        han += script == "Hani"
    return "ja" if kana >= _KANA_SHARE_JA * (kana + han) and kana > 0 else "zh"


def _prefix(text: str, max_chars: int) -> str:
    """The first ``max_chars`` characters, cut at a space so no word is split."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars)
    return text[: cut if cut > max_chars // 2 else max_chars]


def _normalise_declared(declared: str | None) -> str | None:
    """``"pl-PL"`` / ``"PL"`` / ``"pl_PL"`` -> ``"pl"``; ``"no"`` -> ``"nb"``; empty -> ``None``."""
    if not declared:
        return None
    code = re.split(r"[-_]", declared.strip().lower(), maxsplit=1)[0]
    return _FOLD_LABEL.get(code, code) or None


def _apply_prior(scores: dict[str, float], declared: str | None) -> dict[str, float]:
    """Multiply the declared language's score by ``DECLARED_PRIOR`` and renormalise (Bayes with a flat prior)."""
    if declared is None or declared not in scores:
        return scores
    weighted = {code: value * (DECLARED_PRIOR if code == declared else 1.0) for code, value in scores.items()}
    total = sum(weighted.values())
    return {code: value / total for code, value in weighted.items()} if total > 0 else scores
