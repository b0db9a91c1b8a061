"""Spans for claim extraction: word tokens, quotations in any language's marks, sentences, dash paragraphs.

All offsets index the text given; nothing here knows about speakers or stances.

Example::

    [q.inner(text) for q in find_quotes('Putin said: „We will not attack anyone at all”.')]
    # -> ['We will not attack anyone at all']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...text import fold

# (opening, closing) marks: pl/ro „…”, cs/de „…“, en/zh/ko “…” and "…", fr/ru/ar «…», de »…«, ch/fr ‹…›, ja/zh
# 「…」 and 『…』, full-width ＂…＂, Hebrew ״…״ and the single forms. Straight single quotes also serve as
# apostrophes, hence the word-boundary guards.
QUOTE_PAIRS: tuple[tuple[str, str], ...] = (
    ("「", "」"),
    ("『", "』"),
    ("＂", "＂"),
    ("״", "״"),
    ("‹", "›"),
    ("›", "‹"),
    ("„", "”"),
    ("„", "“"),
    ("“", "”"),
    ('"', '"'),
    ("«", "»"),
    ("»", "«"),
    ("‚", "‘"),
    ("‚", "’"),
    ("‘", "’"),
    ("'", "'"),
)
_CURLY_DOUBLE = "„“”"
_IDEOGRAPH = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# French/Italian elisions are their own token ("d'affirmer" -> "d'", "affirmer"; "qu'il" -> "qu'", "il").
# Vowel signs of Indic scripts and Arabic vowel marks are combining marks, which \w leaves out: "कहा" is one word.
_W = r"[\w\u0900-\u0dff\u064b-\u065f\u0e31-\u0e4e]"
_WORD = re.compile(rf"(?i:qu|[dlnsjcmt])['’](?=\w)|{_W}+(?:['’\-]{_W}+)*")
_DASH_LINE = re.compile(r"^[ \t]*[-–—][ \t]+")
_DASH_SEP = re.compile(r"\s[–—-]\s")
# A sentence ends at . ! ? … (optionally followed by a closing mark) before whitespace and a capital,
# digit, opening mark or dash; or at a line break.
_SENT_END = re.compile(
    r"(?<=[.!?…])[\"”“»«’)]*\s+(?=[\"„“«»‚'(\[\-–—]?\s*[^\W\d_a-zа-яё]|\d)|\n+"
    # Chinese and Japanese full stops end a sentence without a space; Arabic and Devanagari have their own marks.
    r"|(?<=[。！？])[」』”）]*\s*|(?<=[؟।])\s+"
)
MIN_QUOTE_WORDS = 2
# Abbreviations and initials after which a full stop does not end a sentence.
_ABBREVIATION = re.compile(
    r"(?:(?<![\w.])[^\W\d_]|\b(?:Mr|Mrs|Ms|Dr|Prof|prof|dr|St|Sen|Gen|Gov|Rep|ul|św|gen|płk|mgr|inż|hr|Mme|Mlle"
    r"|Sr|Sra|Hr|Fr|ks|ing|doc|Ing|Mgr|Bc|Mons|Sig|Dott|Avv))\.$"
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    folded: str


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` enclose the marks, ``inner_start``/``inner_end`` the quoted words."""

    start: int
    end: int
    inner_start: int
    inner_end: int

    def inner(self, text: str) -> str:
        """The quoted words."""
        return text[self.inner_start : self.inner_end]


def word_tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of ``text[start:end]`` with absolute offsets and folded forms.

    Example: ``[t.folded for t in word_tokens("Pieskow zaprzeczył")]`` -> ``["pieskow", "zaprzeczyl"]``.
    """
    stop = len(text) if end is None else end
    return [Token(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text, start, stop)]


def _pair_pattern(open_mark: str, close_mark: str) -> re.Pattern[str]:
    banned = set(open_mark + close_mark)
    if banned & set(_CURLY_DOUBLE):
        banned |= set(_CURLY_DOUBLE)  # „…“ and „…” share marks: never let one span two quotations
    body = f"[^{re.escape(''.join(sorted(banned)))}\\n]{{2,1500}}?"
    if open_mark == '"':
        # Straight double quotes open and close alike: the opening one follows a space or bracket and hugs the
        # next word, the closing one hugs the last word, so a closing and the next opening never pair up.
        return re.compile(rf'(?:(?<=^)|(?<=[\s(\[–—-]))"(?=\S)({body})(?<=\S)"(?!\w)')
    if open_mark == "'":
        # Straight single quotes double as apostrophes ("qu'il", "don't"): the quoted words must hug the marks.
        return re.compile(rf"(?<![\w'])'(?=\S)({body})(?<=\S)'(?![\w'])")
    return re.compile(f"{re.escape(open_mark)}({body}){re.escape(close_mark)}")


def word_count(text: str, start: int, end: int) -> int:
    """Words between ``start`` and ``end``; Chinese and Japanese write no spaces, so there two characters of
    Han or kana count as a word (their average word length)."""
    words = len(_WORD.findall(text, start, end))
    ideographs = len(_IDEOGRAPH.findall(text, start, end))
    return max(words, ideographs // 2)


def find_quotes(text: str, min_words: int = MIN_QUOTE_WORDS) -> list[Quote]:
    """Quotations of at least ``min_words`` words, outermost first-come, without overlaps, in text order.

    Example: ``len(find_quotes("Er sagte: »Das ist eine Lüge«."))`` -> ``1``.
    """
    found: list[Quote] = []
    for open_mark, close_mark in QUOTE_PAIRS:
        for m in _pair_pattern(open_mark, close_mark).finditer(text):
            inner_start, inner_end = m.start(1), m.end(1)
            while inner_start < inner_end and text[inner_start].isspace():
                inner_start += 1
            while inner_end > inner_start and text[inner_end - 1].isspace():
                inner_end -= 1
            if word_count(text, inner_start, inner_end) >= min_words:
                found.append(Quote(m.start(), m.end(), inner_start, inner_end))
    # Earliest first (then longest), so a quote nested inside another („… ‚…‘ …”) loses to the outer one and a
    # false pair between two quotations (the »…« in "«a», — b «c»") loses to the real first quotation.
    kept: list[Quote] = []
    for q in sorted(found, key=lambda q: (q.start, q.start - q.end)):
        if all(q.end <= k.start or q.start >= k.end for k in kept):
            kept.append(q)
    return sorted(kept, key=lambda q: q.start)


def split_sentences(text: str, protect: list[Quote] | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)``; a boundary inside a protected quotation is ignored.

    Example: ``split_sentences("One two. Three four.")`` -> ``[(0, 8), (9, 20)]``.
    """
    guards = protect or []
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if "\n" not in m.group() and any(q.start < m.start() < q.end - 1 for q in guards):
            continue
        if "\n" not in m.group() and _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()):
            continue  # "M. Rutte", "Mr. Smith", "ul. Długa", "J. Smith": not a sentence end
        end = m.start() + len(m.group().rstrip())
        spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [_trim(text, a, b) for a, b in spans if text[a:b].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def trim_claim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a claim span past spaces, commas, dashes and final punctuation at either end.

    Example: ``trim_claim("x, it was false. ", 1, 17)`` -> ``(3, 15)``.
    """
    strip = " \t\n,;:.!?–—-，。、：！？।؟،"
    while start < end and text[start] in strip:
        start += 1
    # An opening mark left at the end belongs to a quotation that starts after the claim.
    while end > start and (text[end - 1] in strip or text[end - 1] in "„«‚"):
        end -= 1
    return start, end


def dash_lines(text: str) -> list[tuple[int, int]]:
    """Lines opened by a dash (the dialogue style of pl/cs/ru news): spans after the dash to the line end.

    Example: ``dash_lines("Intro\\n– To kłamstwo – powiedział.")`` -> ``[(8, 33)]``.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        m = _DASH_LINE.match(line)
        if m and line[m.end() :].strip():
            spans.append(_trim(text, pos + m.end(), pos + len(line)))
        pos += len(line) + 1
    return spans


def dash_separators(text: str, start: int, end: int) -> list[int]:
    """Positions of spaced dashes (`` – ``) inside ``text[start:end]``, where an attribution may begin."""
    return [m.start() + 1 for m in _DASH_SEP.finditer(text, start, end)]
