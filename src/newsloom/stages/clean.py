"""Turn a :class:`RawDocument` into a :class:`Cleaned` article: main text, title, header dates, metadata.

HTML goes through trafilatura (precision mode, with metadata) and falls back to a tag-stripped text; every text
then goes through the multilingual line classifier in :mod:`newsloom.stages.boilerplate`, so captions and
"read also" links that survive extraction are dropped too. Each dropped line is kept as a
:class:`RemovedLine` for audit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsloom.errors import InputError
from newsloom.models import Cleaned, RawDocument, RemovedLine
from newsloom.stages.boilerplate import classify_lines, line_reason
from newsloom.text import fold

__all__ = ["clean", "is_date_line", "looks_like_html", "looks_like_title"]

_MAX_TITLE_CHARS = 300
_HEADER_LINES = 4
_ONE_LINE_ARTICLE = 100  # characters: longer than most headlines
_MAX_DATE_LINE = 90
# A line ending with a single full stop (not an ellipsis) and longer than this many words is a sentence.
_TITLE_STOP_WORDS = 8
_TITLE_MAX_BREAKS = 2  # two sentence breaks: a paragraph; one: a kicker ("Brexit. Talks resume")
_FULL_STOP_END = re.compile(r"(?<=[^\W\d_]{2})[.。][\"'”»)\]]*$")
# A sentence boundary inside a line: a word of 3+ letters (not an abbreviation such as "ws.", "W.", "r."), a
# full stop, question or exclamation mark, a space and a capital letter; or a CJK full stop.
_SENTENCE_BREAK = re.compile(r"(?<=[^\W\d_]{3})[.!?][\"'”»)]?\s+[\"'„“«(]?[^\W\d_a-zß-ÿа-яё]|。(?=.)")
_UNSPACED = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of a table literal (kept as text so each language fits on one line)."""
    return tuple(text.split())


# Folded month-name stems (a token is a month when it starts with a stem); en, pl, cs, sk, ro, de, fr, es, it,
# ru, uk. Short stems are safe because a date line also needs a number and almost no other words.
_MONTH_STEMS = _words(
    "jan feb mar apr may jun jul aug sep oct nov dec okt dez mai "  # en, de, sk, ro, ...
    "stycz lut marz kwie maj czerw lip sierp wrzes pazdz listop grud "  # pl
    "leden ledn unor brez dub kvet cerv srp zari rij prosin "  # cs
    "ian iun iul noi "  # ro
    "janv fev avr juin juil aout "  # fr
    "ene abr ago dic "  # es
    "genn febb magg giu lug sett ott "  # it
    "январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр "  # ru
    "сiч січ лют берез квiт квіт трав черв лип серп верес жовт листопад груд"  # uk
)
_MONTH = re.compile("|".join(_MONTH_STEMS))
_WEEKDAYS = frozenset(
    _words(
        "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
        "poniedzialek wtorek sroda czwartek piatek sobota niedziela "
        "pondeli utery streda ctvrtek patek nedele pondelok utorok stvrtok piatok nedela "
        "luni marti miercuri joi vineri sambata duminica "
        "montag dienstag mittwoch donnerstag freitag samstag sonntag "
        "lundi mardi mercredi jeudi vendredi samedi dimanche "
        "lunes martes miercoles jueves viernes sabado domingo "
        "lunedi martedi mercoledi giovedi venerdi "
        "понедельник вторник среда четверг пятница суббота воскресенье "
        "понедiлок понеділок вiвторок вівторок середа четвер пятниця субота неділя недiля"
    )
)
# Words that label or pad a date line: "Data:", "Publicat:", "Aktualizováno", "um ... Uhr", "o godz.".
_DATE_LABELS = frozenset(
    _words(
        "date dated data datum dne den published posted updated modified last update on at am pm the of "
        "opublikowano publikacja aktualizacja zaktualizowano dodano godz godzina o w "
        "publikovano zverejneno aktualizovano aktualizace vydano publikovane aktualizovane hod v "
        "publicat actualizat actualizare ora la data "
        "veroffentlicht aktualisiert zuletzt stand um uhr vom "
        "publie mis jour le a h "
        "publicado actualizado el de "
        "pubblicato aggiornato alle il "
        "опубликовано обновлено дата в г года опубліковано оновлено року о "
        "cet cest utc gmt est edt bst eet eest msk"
    )
)
_DATE_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_NUMERIC_DATE = re.compile(
    r"\b(\d{4}\s?[./-]\s?\d{1,2}(\s?[./-]\s?\d{1,2})?|\d{1,2}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4})\b"
)
_HTML_HINT = re.compile(
    r"<(p|div|br|span|a|article|section|h[1-6]|ul|li|img|html|body|strong|em)\b[^>]*>", re.I
)
_DROP_ELEMENTS = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|li|ul|ol|h[1-6]|tr|table|article|section|header|footer|nav|aside|blockquote|figure"
    r"|figcaption|main|title|dd|dt|pre|hr)\b[^>]*>",
    re.I,
)
_ANY_TAG = re.compile(r"<[^>]*>")
_HTML_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class _Extracted:
    """What the HTML extractor found; ``page_lines`` are the tag-stripped page lines, for the audit trail."""

    text: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None
    page_lines: tuple[str, ...]


def clean(doc: RawDocument) -> Cleaned:
    """Extract the article text, title, header dates and metadata of ``doc``, dropping boilerplate lines.

    Raises :class:`InputError` naming ``doc.origin`` when no article text remains. ``RemovedLine.line_no``
    counts lines of the plain text (for HTML: of the extracted text, paragraphs separated by blank lines;
    lines with reason "not main content (HTML extraction)" count lines of the tag-stripped page instead).

    >>> raw = RawDocument("a.txt", "a.txt", "Flood in Wrocław\\n19.06.2024 14:32\\n\\nThe Oder rose overnight.\\n"
    ...                   "Fot. PAP/Jan Kowalski", "text")
    >>> result = clean(raw)
    >>> (result.title, result.header_dates, result.text, [line.reason for line in result.removed])
    ('Flood in Wrocław', ('19.06.2024 14:32',), 'The Oder rose overnight.', ['photo credit or caption'])
    """
    if doc.format == "html" or (doc.format != "text" and looks_like_html(doc.content)):
        return _clean_html(doc)
    return _clean_text(doc.content, doc, title=doc.title, published=doc.published, url=doc.url, site=doc.site)


def looks_like_html(content: str) -> bool:
    """True when ``content`` holds HTML markup (as feed summaries and JSON ``html`` fields often do).

    >>> looks_like_html("<p>Water rose.</p>"), looks_like_html("Water rose by 2 < 3 metres.")
    (True, False)
    """
    return _HTML_HINT.search(content[:20000]) is not None


def is_date_line(line: str) -> bool:
    """True when ``line`` is nothing but date metadata (``"Publicat: 19 iunie 2024, 10:15"``).

    >>> is_date_line("Aktualizováno 18. 6. 2024"), is_date_line("Police arrest 3 men on 19 June")
    (True, False)
    """
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_DATE_LINE:
        return False
    tokens = _DATE_TOKEN.findall(fold(stripped))
    numbers = [token for token in tokens if token.isdigit()]
    words = [token for token in tokens if not token.isdigit()]
    months = sum(1 for word in words if _is_month(word))
    labels = sum(1 for word in words if word in _DATE_LABELS or word in _WEEKDAYS)
    unknown = len(words) - months - labels
    has_year = any(len(number) == 4 and number[:2] in ("19", "20") for number in numbers)
    numeric = _NUMERIC_DATE.search(stripped) is not None
    is_date = numeric or (months > 0 and bool(numbers)) or (has_year and labels > 0 and len(tokens) <= 4)
    return is_date and unknown <= (2 if numeric or labels else 1) and unknown <= len(tokens) // 2


def _is_month(word: str) -> bool:
    return len(word) <= 12 and _MONTH.match(word) is not None


def _clean_text(
    content: str,
    doc: RawDocument,
    *,
    title: str | None,
    published: str | None,
    url: str | None,
    site: str | None,
    extra_removed: Sequence[RemovedLine] = (),
) -> Cleaned:
    lines = [
        _SPACES.sub(" ", line).strip()
        for line in content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    used = [False] * len(lines)  # title and header-date lines, taken out before classification
    header_dates: list[str] = []
    header_rows = [row for row, line in enumerate(lines) if line][:_HEADER_LINES]
    for row in header_rows:
        if is_date_line(lines[row]):
            header_dates.append(lines[row])
            used[row] = True
    given_title = title
    title = _pick_title(lines, used, header_rows, title)
    body = ["" if taken else line for line, taken in zip(lines, used, strict=True)]
    reasons = classify_lines(body)
    removed = [*extra_removed]
    kept: list[str] = []
    for row, (line, reason) in enumerate(zip(body, reasons, strict=True)):
        if reason is not None:
            removed.append(RemovedLine(row + 1, line, reason))
        elif line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text and len(title) >= _ONE_LINE_ARTICLE and not given_title and line_reason(title) is None:
        # A one-line article (title and body run together): keep the line as text rather than lose it;
        # a bare headline stays an error.
        text, title = title, ""
    if not text:
        raise InputError(f"{doc.origin}: no article text found after removing boilerplate")
    return Cleaned(
        title=title or "",
        text=text,
        removed=tuple(removed),
        published=published,
        header_dates=tuple(header_dates),
        url=url,
        site=site,
    )


def _pick_title(lines: list[str], used: list[bool], header_rows: list[int], given: str | None) -> str:
    """The document's own title, or the first header line that is neither a date nor boilerplate.

    A given title that the text repeats on its first line is taken out of the body, so it is not said twice.
    """
    given = _SPACES.sub(" ", given).strip() if given else ""
    if given:
        # A kicker ("Staatsbesuch") or a date may come before the repeated title.
        for row in header_rows:
            if not used[row] and fold(lines[row]) == fold(given):
                used[row] = True
                break
        return given
    for row in header_rows:
        if used[row]:
            continue
        line = lines[row]
        if not looks_like_title(line):
            return ""  # the text starts with a paragraph: no title line to take
        if line_reason(line) is None:
            used[row] = True
            return line
    return ""


def looks_like_title(line: str) -> bool:
    """True when ``line`` has the shape of a headline rather than of a first paragraph, in any language.

    A headline is short and does not end with a full stop; a paragraph ends with one and often holds several
    sentences. Tuned on SlavicNER ``train`` and German Wikinews ``dev`` (titled and untitled plain text).

    >>> looks_like_title("Floods hit southern Poland as the Oder rises")
    True
    >>> looks_like_title("The Oder rose by two metres overnight, and the mayor ordered an evacuation of the old town.")
    False
    """
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_TITLE_CHARS:
        return False
    words = len(stripped.split())
    if words < 15 and not stripped.isascii():
        words = max(words, len(_UNSPACED.findall(stripped)) // 2)
    if _FULL_STOP_END.search(stripped) and words > _TITLE_STOP_WORDS:
        return False
    return len(_SENTENCE_BREAK.findall(stripped)) < _TITLE_MAX_BREAKS


def _clean_html(doc: RawDocument) -> Cleaned:
    extracted = _extract_html(doc.content, doc.url)
    title = doc.title or extracted.title
    published = doc.published or extracted.published
    url = extracted.url or doc.url
    site = doc.site or extracted.site
    kept_keys = {fold(line) for line in extracted.text.split("\n") if line.strip()}
    audit = [
        RemovedLine(row + 1, line, "not main content (HTML extraction)")
        for row, line in enumerate(extracted.page_lines)
        if line and fold(line) not in kept_keys and (not title or fold(line) != fold(title))
    ]
    # trafilatura gives one paragraph per line; the house format is one blank line between paragraphs.
    paragraphs = "\n\n".join(line for line in extracted.text.split("\n") if line.strip())
    return _clean_text(
        paragraphs, doc, title=title, published=published, url=url, site=site, extra_removed=audit
    )


def _extract_html(content: str, url: str | None) -> _Extracted:
    page_lines = tuple(line for line in _strip_tags(content).split("\n") if line)
    title_match = _HTML_TITLE.search(content)
    fallback_title = _one_line(html.unescape(title_match.group(1))) if title_match else None
    fallback = _Extracted("\n".join(page_lines), fallback_title or None, None, None, None, page_lines)
    # Imported here (loading it costs ~0.3 s, plain-text runs never need it) and outside the try below: a broken
    # install must fail loudly, not turn every HTML page into tag-stripped text.
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            content,
            url=url,
            favor_precision=True,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            deduplicate=False,
        )
    except Exception:  # trafilatura and lxml raise assorted errors on hostile markup: use the fallback
        return fallback
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        return fallback
    return _Extracted(
        text=text,
        title=_text_attr(result, "title") or fallback_title,
        published=_text_attr(result, "date"),
        url=_text_attr(result, "url"),
        site=_text_attr(result, "sitename"),
        page_lines=page_lines,
    )


def _text_attr(result: object, name: str) -> str | None:
    value = getattr(result, name, None)
    return _one_line(value) or None if isinstance(value, str) else None


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _strip_tags(content: str) -> str:
    """Plain text of a page: scripts and comments dropped, one line per block element."""
    text = _DROP_ELEMENTS.sub(" ", content)
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_ANY_TAG.sub(" ", text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
