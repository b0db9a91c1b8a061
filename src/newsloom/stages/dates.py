"""Publication dates and the dates an article mentions, resolved to the calendar.

Candidates are found with compiled regular expressions (numeric dates, day-first and month-first dates with month
names from CLDR, day ranges, month + year, relative-day words, weekdays) and parsed by our own code; dateparser,
which costs milliseconds per call, is used only on a short metadata or header string that nothing else reads.

Measured on ML-Crisis (es/fr/it news, reference = publication date): day-level dates agree with the corpus's
automatic TIMEX3 tags (silver, not gold) at precision 0.76 / recall 0.81 on the dev topics and 0.78 / 0.87 on the
test topics (the tags resolve "tomorrow" and future weekdays, which we skip); ~0.45 ms per 200 words.

Resolution conventions (news conventions, documented because they decide results):

- A date without a year ("19 czerwca", "18-19 iunie") takes the year that puts it nearest to the reference date,
  where a day after the reference counts double: an article of 20 December that mentions "5 stycznia" means next
  January (16 days ahead), while one of 20 June that mentions "5 stycznia" means this January, and "19 September"
  in a June article (92 days ahead, weighted 184) means last September (270 days back) only if that is nearer.
- A weekday ("we wtorek", "on Tuesday") is the most recent such day on or before the reference date: news reports
  what happened this or last week. A weekday next to a future marker ("next Tuesday", "mardi prochain") or right
  before a full date ("Tuesday, June 18, 2024") is not a separate expression.
- A year-less date after a future marker ("el próximo 15 de junio") is the next such day on or after the reference.
- Relative days ("wczoraj", "today") are counted from the reference; "tomorrow" is not extracted. Without a reference date, relative and
  year-less expressions are skipped. No relative expression resolves after the reference.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from newsloom.models import DateValue, PublicationDate, TemporalExpression
from newsloom.stages.dates_lexicon import Lexicon, key, lexicon
from newsloom.text import fold

MIN_YEAR, MAX_YEAR = 1900, 2100
# Only the opening (dateline) of an article is searched for its own date: later dates are usually about events.
# On ML-Crisis (es/fr/it, today = 2024-01-01) the first full date within 300 characters is the publication day
# (+-1) for 54% of the 149 articles that have one; within 1,500 characters only 45% of 289.
TEXT_SEARCH_CHARS = 300
ExpressionKind = Literal["absolute", "partial", "relative"]
_RANGE = r"\s*(?:-|–|—|/|\.-)\s*"


@functools.lru_cache(maxsize=64)
def _patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """Compiled candidate patterns for one language, most specific first."""
    lex = lexicon(language)
    found = [
        r"(?P<iso>(?<![\d.])(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d-]))",
        r"(?P<num>(?<![\d.,/])(?P<nd>\d{1,2})(?P<sep>[./-])\s?(?P<nm>\d{1,2})(?P=sep)\s?(?P<ny>\d{4})(?![\d]|\.\d))",
    ]
    if lex.month_alternation:
        month = rf"(?P<m>{lex.month_alternation})(?!\w)"
        day_first = (
            rf"(?P<dayfirst>(?<![\w.,:/-])(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er|\.)?(?:{_RANGE}(?P<d2>\d{{1,2}})"
            rf"(?:st|nd|rd|th|\.)?)?\s*(?:(?:de|of|del)\s+)?{month}(?:\.?,?\s+(?:(?:de|del)\s+)?(?P<y>\d{{4}}))?"
            r"(?![\d:]))"
        )
        found.append(day_first)
        if language == "en":
            found.append(
                rf"(?P<monthfirst>(?P<m2>{lex.month_alternation})\.?\s+(?P<e1>\d{{1,2}})(?:st|nd|rd|th)?"
                rf"(?:\s*[-–]\s*(?P<e2>\d{{1,2}})(?:st|nd|rd|th)?)?(?![\d:])(?:,?\s+(?P<y2>\d{{4}})(?![\d:]))?)"
            )
        found.append(
            rf"(?P<monthyear>(?<!\w)(?<!\d[\s.])(?P<m3>{lex.wide_month_alternation})(?!\w),?\s+(?P<y3>\d{{4}})(?!\d))"
        )
    if lex.relative_alternation:
        before, after = _word_bounds(language)
        found.append(rf"(?P<relative>{before}(?:{lex.relative_alternation}){after})")
    if lex.weekday_alternation:
        prep = rf"(?:(?:{lex.prepositions})\s+)?" if lex.prepositions else ""
        found.append(rf"(?P<weekday>(?<!\w){prep}(?P<wd>{lex.weekday_alternation})(?!\w))")
    return tuple(re.compile(p, re.IGNORECASE) for p in found)


# Scripts written without spaces between words: a word has no boundary to test. Korean spaces words but
# attaches particles after them ("어제는"), so only the start of a Korean word is tested.
_UNSPACED_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my"})


def _word_bounds(language: str) -> tuple[str, str]:
    if language in _UNSPACED_LANGUAGES:
        return "", ""
    return (r"(?<!\w)", "") if language == "ko" else (r"(?<!\w)", r"(?!\w)")


def temporal_expressions(
    text: str, language: str, reference: dt.date | None
) -> tuple[TemporalExpression, ...]:
    """Dates mentioned in ``text`` with offsets into it, in text order.

    >>> [e.value.iso() for e in temporal_expressions("Spotkanie 18-19 czerwca, wczoraj", "pl", dt.date(2024, 6, 20))]
    ['2024-06-18/2024-06-19', '2024-06-19']
    """
    lex = lexicon(language)
    candidates: list[TemporalExpression] = []
    for pattern in _patterns(language):
        for match in pattern.finditer(text):
            expression = _resolve(match, text, lex, reference)
            if expression is not None:
                candidates.append(expression)
    return _non_overlapping(candidates, text)


def _resolve(
    match: re.Match[str], text: str, lex: Lexicon, reference: dt.date | None
) -> TemporalExpression | None:
    """Turn one regex match into an expression, or ``None`` when it is not a valid date."""
    kind = match.lastgroup or ""
    groups = match.groupdict()
    value: DateValue | None = None
    how: ExpressionKind = "absolute"
    if kind == "iso":
        value = _day(groups["iy"], groups["im"], groups["id"])
    elif kind == "num":
        value = _numeric(groups["nd"], groups["nm"], groups["ny"], groups["sep"], lex.language)
    elif kind in ("dayfirst", "monthfirst"):
        first = kind == "dayfirst"
        month_text = groups["m"] if first else groups["m2"]
        year = groups["y"] if first else groups["y2"]
        if not _month_is_plausible(
            month_text, match.end("m" if first else "m2"), text, lex, has_year=year is not None
        ):
            return None
        how = "absolute" if year else "partial"
        future = fold(_previous_word(text, match.start(kind))) in lex.future_markers
        value = _month_day(
            lex.months[key(month_text)],
            groups["d1"] if first else groups["e1"],
            groups["d2"] if first else groups["e2"],
            year,
            reference,
            future=future,
        )
    elif kind == "monthyear":
        if not _month_is_plausible(groups["m3"], match.end("m3"), text, lex, has_year=True):
            return None
        value = _month(lex.months[key(groups["m3"])], groups["y3"])
    elif kind == "relative" and reference is not None:
        how = "relative"
        day = reference + dt.timedelta(days=lex.relative[key(match.group())])
        value = DateValue(day, day)
    elif kind == "weekday" and reference is not None:
        how = "relative"
        value = _weekday(match, text, lex, reference)
    if value is None:
        return None
    start, end = match.span(kind)
    return TemporalExpression(text=text[start:end], start=start, end=end, value=value, kind=how)


def _year(value: str) -> int | None:
    year = int(value)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _day(year: str, month: str, day: str) -> DateValue | None:
    y = _year(year)
    try:
        return None if y is None else _single(dt.date(y, int(month), int(day)))
    except ValueError:
        return None


def _single(day: dt.date) -> DateValue:
    return DateValue(day, day)


def _numeric(first: str, second: str, year: str, sep: str, language: str) -> DateValue | None:
    """``19.06.2024`` is day-first everywhere; ``6/19/2024`` in English is read by whichever order is valid."""
    a, b = int(first), int(second)
    if sep == "/" and language == "en":
        if a <= 12 and b <= 12 and a != b:
            return None  # 5/6/2024 is May or June depending on the writer; we do not guess
        if a <= 12 < b:
            a, b = b, a
    return _day(year, str(b), str(a))


def _month_day(
    month: int,
    day1: str,
    day2: str | None,
    year: str | None,
    reference: dt.date | None,
    *,
    future: bool = False,
) -> DateValue | None:
    """A day or day range in a month; without a year the year is inferred from ``reference``.

    ``future``: a marker such as "el próximo" precedes it, so it is the next such day on or after the reference.
    """
    first, last = int(day1), int(day2) if day2 else int(day1)
    if last < first:
        return None
    if year is not None:
        y = _year(year)
        return None if y is None else _range(y, month, first, last)
    if reference is None:
        return None
    options = [
        _range(y, month, first, last) for y in (reference.year - 1, reference.year, reference.year + 1)
    ]
    valid = [v for v in options if v is not None and (not future or v.start >= reference)]
    return min(valid, key=lambda v: _distance(v.start, reference), default=None)


def _range(year: int, month: int, first: int, last: int) -> DateValue | None:
    try:
        return DateValue(dt.date(year, month, first), dt.date(year, month, last))
    except ValueError:
        return None


def _distance(day: dt.date, reference: dt.date) -> int:
    """Days from the reference, a day ahead counting double (news mostly reports the past)."""
    delta = (day - reference).days
    return 2 * delta if delta > 0 else -delta


def _month(month: int, year: str) -> DateValue | None:
    y = _year(year)
    if y is None:
        return None
    first = dt.date(y, month, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return DateValue(first, last, "month")


def _month_is_plausible(month_text: str, month_end: int, text: str, lex: Lexicon, *, has_year: bool) -> bool:
    """Reject a lowercase English "may", Romanian "5 mai mulți" ("5 more"), or a bare "5 mar" without a year."""
    if lex.capitalised and not month_text[:1].isupper():
        return False
    dotted = month_text.endswith(".") or text.startswith(".", month_end)
    if key(month_text) in lex.abbreviations and not (has_year or dotted):
        return False
    following = _next_word(text, month_end)
    return not (following and key(following) in lex.not_a_month_after)


def _weekday(match: re.Match[str], text: str, lex: Lexicon, reference: dt.date) -> DateValue | None:
    """The most recent such weekday on or before ``reference``; ``None`` next to a future marker or a date."""
    name = match.group("wd")
    if lex.capitalised and not name[:1].isupper():
        return None
    before, after = _previous_word(text, match.start()), _next_word(text, match.end())
    if fold(before) in lex.future_markers or fold(after) in lex.future_markers:
        return None
    if fold(before) in lex.not_a_weekday_after or re.search(
        r"\d\s*$", text[max(0, match.start() - 4) : match.start()]
    ):
        return None  # "trei luni", "6 luni": Romanian "luni" is also "months"
    back = (reference.weekday() - lex.weekdays[key(name)]) % 7
    return _single(reference - dt.timedelta(days=back))


_WORD_AFTER = re.compile(r"[\s,]*([^\W\d_]+)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s,]*$")


def _next_word(text: str, end: int) -> str:
    found = _WORD_AFTER.match(text, end, min(len(text), end + 40))
    return found.group(1) if found else ""


def _previous_word(text: str, start: int) -> str:
    found = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return found.group(1) if found else ""


def _non_overlapping(candidates: list[TemporalExpression], text: str) -> tuple[TemporalExpression, ...]:
    """Keep the longest candidate where spans overlap; drop a weekday that introduces a full date."""
    chosen: list[TemporalExpression] = []
    for cand in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if chosen and cand.start < chosen[-1].end:
            continue
        chosen.append(cand)
    kept = []
    for n, expr in enumerate(chosen):
        nxt = chosen[n + 1] if n + 1 < len(chosen) else None
        # "Tuesday, June 18, 2024": the weekday names the date that follows, not a separate day.
        introduces = (
            nxt is not None
            and expr.kind == "relative"
            and nxt.kind != "relative"
            and nxt.value.start.weekday() == expr.value.start.weekday()
            and re.fullmatch(r"[\s,]{0,3}", text[expr.end : nxt.start]) is not None
        )
        if not introduces:
            kept.append(expr)
    return tuple(kept)


# Dates in the last part of a text are a page footer's (the day it was saved, a copyright year), not the article's.
_FOOTER_SHARE = 0.9
# How sure each source of a publication date is; a text date must pass the checks in ``_text_date`` first.
CONFIDENCE = {"metadata": 0.95, "url": 0.9, "header": 0.85, "dateline": 0.7, "repeated": 0.6}
# A header or URL date more than this many years after every year the body mentions is a site's clock (the day
# the page was saved), not the article's date.
_CLOCK_YEARS = 1
# ... judged only from a year the body writes this many times (one "opened in 1977" says nothing of the clock).
_CLOCK_EVIDENCE = 2
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
# Characters searched before and after a year for the date it belongs to ("Tuesday, 18-19 June 2024", "2024-06-19").
_YEAR_WINDOW = (40, 12)
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)


def publication_date(
    *,
    metadata: str | None,
    header_lines: Sequence[str],
    text: str,
    language: str,
    today: dt.date | None = None,
    url: str | None = None,
) -> PublicationDate:
    """When the article was published, how we know and how sure: metadata, URL, header lines, then the text.

    A header that gives only a month (``date 2023-09``) yields ``value=None`` with ``how="header"``, the line as
    evidence and the month as ``span``, unless the text names a full date within that month. A header or URL
    date years after everything the body mentions is ignored (a page's clock). Never returns a date after
    ``today``. A date from the text is taken only when it is the latest full date of the most recent year the
    text mentions and either opens the text or is repeated: dates in the body are mostly of events, and a
    historical one ("born on 5 March 1955") is never the latest.

    >>> publication_date(metadata="Wed, 19 Jun 2024 08:00:00 +0200", header_lines=(), text="", language="en")
    PublicationDate(value=datetime.date(2024, 6, 19), how='metadata', evidence='Wed, 19 Jun 2024 08:00:00 +0200', confidence=0.95, span=None)
    """
    today = today or dt.date.today()
    if metadata and metadata.strip():
        value = _standalone(metadata, language, today)
        if value is not None and value.granularity == "day":
            return PublicationDate(value.start, "metadata", metadata.strip(), CONFIDENCE["metadata"])
    latest_year = _latest_year(text, today, times=_CLOCK_EVIDENCE)
    from_url = _url_date(url, today)
    if from_url is not None and not _is_clock(from_url, latest_year):
        return PublicationDate(from_url, "metadata", f"url: {url}", CONFIDENCE["url"])
    coarse: tuple[str, DateValue] | None = None
    unread = ""  # a date line we cannot place in time ("date 5 March": no year), kept as evidence
    for line in header_lines:
        value = _standalone(line, language, today)
        if value is None:
            unread = unread or line.strip()
        if value is None or _is_clock(value.start, latest_year):
            continue
        if value.granularity == "day":
            return PublicationDate(value.start, "header", line.strip(), CONFIDENCE["header"])
        if coarse is None:
            coarse = (line.strip(), value)
    found = _text_date(text, language, today, coarse[1] if coarse else None)
    if found is not None:
        return found
    if coarse is not None:
        return PublicationDate(None, "header", coarse[0], CONFIDENCE["header"], span=coarse[1])
    return PublicationDate(None, "header", unread) if unread else PublicationDate(None, "unknown")


def _text_date(text: str, language: str, today: dt.date, within: DateValue | None) -> PublicationDate | None:
    """The publication date the text itself gives, or ``None`` when its dates look like event dates.

    Candidates are full dates (day, month and year) on or before ``today``. The chosen one must be the latest
    candidate and in the latest year the text mentions, and either be the first date in the opening
    ``TEXT_SEARCH_CHARS`` (a dateline) or be written twice. Tuned on ML-Crisis dev topics (egypt, libya).
    """
    days = [
        e
        for e in _dated_expressions(text, language)
        if e.kind == "absolute"
        and e.value.granularity == "day"
        and e.value.start == e.value.end
        and e.value.start <= today
        and (within is None or within.start <= e.value.start <= within.end)
        and e.start < max(TEXT_SEARCH_CHARS, _FOOTER_SHARE * len(text))
    ]
    if not days:
        return None
    latest = max(e.value.start for e in days)
    if within is None and latest.year != _latest_year(text, today):
        return None  # a header's month already anchors the text; without one, a later year means later events
    first = days[0]
    if first.start < TEXT_SEARCH_CHARS and first.value.start == latest:
        return PublicationDate(latest, "text", first.text, CONFIDENCE["dateline"])
    repeated = [e for e in days if e.value.start == latest]
    if len(repeated) >= 2:
        return PublicationDate(latest, "text", repeated[0].text, CONFIDENCE["repeated"])
    return None


def _dated_expressions(text: str, language: str) -> list[TemporalExpression]:
    """The expressions that carry a year, found only around each four-digit year (a full scan costs ~10x more)."""
    windows: list[list[int]] = []
    for match in _YEAR.finditer(text):
        start, end = max(0, match.start() - _YEAR_WINDOW[0]), match.end() + _YEAR_WINDOW[1]
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    found = []
    for start, end in windows:
        for expr in temporal_expressions(text[start:end], language, None):
            found.append(replace(expr, start=expr.start + start, end=expr.end + start))
    return found


def _latest_year(text: str, today: dt.date, *, times: int = 1) -> int | None:
    """The most recent year (not after ``today``) written in ``text`` as four digits at least ``times`` times."""
    counts = Counter(int(y) for y in _YEAR.findall(text) if int(y) <= today.year)
    return max((year for year, n in counts.items() if n >= times), default=None)


def _is_clock(day: dt.date, latest_year: int | None) -> bool:
    return latest_year is not None and day.year > latest_year + _CLOCK_YEARS


def _url_date(url: str | None, today: dt.date) -> dt.date | None:
    """A date in a URL path: ``/2021/03/05/``, ``/2021-03-05-title``, ``/20210305/`` (never the host)."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.I)
    for match in _URL_DATE.finditer(path):
        try:
            day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        if day.year >= MIN_YEAR and day <= today:
            return day
    return None


_ISO_MONTH = re.compile(r"(?<![\d-])(\d{4})[-/.](\d{1,2})(?![\d-])|(?<![\d/.])(\d{1,2})[/.](\d{4})(?!\d)")


def _standalone(value: str, language: str, today: dt.date) -> DateValue | None:
    """Read a metadata or header string: ISO 8601, RFC 822, our patterns, a month alone, then dateparser."""
    stripped = value.strip()
    day = _iso_or_rfc822(stripped)
    if day is None:
        for expr in temporal_expressions(stripped, language, None):
            if expr.kind == "absolute":
                day = expr.value if expr.value.granularity == "month" else _single(expr.value.start)
                break
    if day is None:
        month = _ISO_MONTH.search(stripped)
        if month is not None:
            year, number = (
                (month.group(1), month.group(2)) if month.group(1) else (month.group(4), month.group(3))
            )
            day = _month(int(number), year) if 1 <= int(number) <= 12 else None
    if day is None and len(stripped) <= 80:
        day = _dateparser(stripped, language, today)
    if day is None or day.start > today:
        return None
    return day


def _iso_or_rfc822(value: str) -> DateValue | None:
    try:
        return _single(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date())
    except ValueError:
        pass
    try:
        return _single(email.utils.parsedate_to_datetime(value).date())
    except (TypeError, ValueError, IndexError):
        return None


def _dateparser(value: str, language: str, today: dt.date) -> DateValue | None:
    """Last resort for a short string: dateparser, requiring day, month and year."""
    import dateparser  # slow to import; only needed for the rare string nothing else reads

    settings = {
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": dt.datetime(today.year, today.month, today.day),
    }
    for languages in ([language], None):
        try:
            parsed = dateparser.parse(value, languages=languages, settings=settings)
        except (ValueError, KeyError, TypeError, OverflowError):
            parsed = None  # dateparser rejects unknown language codes with ValueError
        if parsed is not None:
            return _single(parsed.date())
    return None
