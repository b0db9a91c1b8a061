"""Language-independent text forms shared by search, deduplication, similarity and entity keys."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Letters that Unicode decomposition does not fold to ASCII (FTS5's remove_diacritics misses them too).
_EXTRA_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "ħ": "h",
    }
)
_TOKEN = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase and strip diacritics, keeping the script: ``fold("Łódź")`` -> ``"lodz"``.

    Cyrillic stays Cyrillic (``"Путин"`` -> ``"путин"``), so a query in either script finds its own script.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def latin_key(text: str) -> str:
    """Fold and transliterate to lowercase ASCII: ``latin_key("Путин")`` -> ``"putin"``."""
    return anyascii(fold(text)).lower()


def tokens(text: str) -> list[str]:
    """Word tokens of the transliterated, folded text; numbers are kept as tokens."""
    return _TOKEN.findall(latin_key(text))
