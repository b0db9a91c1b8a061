"""Per-article stages: clean, language, dates, id. Every failure is a ``Rejected(origin, stage, reason)``.

>>> pipeline = Pipeline(Settings())
>>> pipeline.process(RawDocument("a.txt", "a.txt", "Title\\n\\nBody text of the article.", "text"))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from .config import Settings
from .errors import InputError
from .models import Article, Cleaned, LanguageGuess, RawDocument, Rejected
from .stages.clean import clean
from .stages.dates import publication_date, temporal_expressions
from .stages.ingest import over_budget
from .stages.langid import LanguageIdentifier
from .text import fold

_SPACE = re.compile(r"\s+")
T = TypeVar("T")


def article_id(title: str, text: str) -> str:
    """Stable id from the normalised content: the same article ingested twice gets the same id.

    >>> article_id("Łódź", "Some  text") == article_id("lodz", "some text")
    True
    """
    normalised = _SPACE.sub(" ", fold(f"{title}\n{text}")).strip()
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


class StageFailed(Exception):
    """Carries a rejection out of a stage call."""

    def __init__(self, rejected: Rejected) -> None:
        super().__init__(rejected.reason)
        self.rejected = rejected


class Overtime(BaseException):
    """Raised inside a document's processing when its time budget runs out (a BaseException, so that the
    stages' own ``except Exception`` cannot swallow it)."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`Overtime` in the block after ``seconds`` (an interval timer; main thread only).

    Python code is interrupted at once; a long call inside a C extension (lxml parsing) is interrupted when it
    returns, which the size budgets (``max_chars``, ``max_tags``) keep short. Outside the main thread (a web
    server's worker) only the size budgets apply.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Overtime()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run(stage: str, origin: str, call: Callable[[], T]) -> T:
    # A stage that fails on one article must never stop the batch or drop the article silently.
    try:
        return call()
    except InputError as exc:
        raise StageFailed(Rejected(origin, stage, str(exc))) from exc
    except Exception as exc:
        raise StageFailed(Rejected(origin, stage, f"internal error: {type(exc).__name__}: {exc}")) from exc


class Pipeline:
    """Runs the per-article stages; heavy models are loaded once, on the first article."""

    def __init__(self, settings: Settings, *, today: dt.date | None = None) -> None:
        self.settings = settings
        self.today = today
        self._langid: LanguageIdentifier | None = None

    @property
    def langid(self) -> LanguageIdentifier:
        if self._langid is None:
            self._langid = LanguageIdentifier(min_confidence=self.settings.language_min_confidence)
        return self._langid

    def process(self, doc: RawDocument) -> Article | Rejected:
        """Clean, identify the language and date one document; a ``Rejected`` says which stage failed and why.

        A document that takes longer than ``max_seconds`` is rejected (see :func:`time_budget`).
        """
        _ = self.langid  # loading the identifier is the pipeline's cost, not this document's
        try:
            with time_budget(self.settings.max_seconds):
                return self._process(doc)
        except Overtime:
            return Rejected(
                doc.origin,
                "ingest",
                f"took longer than {self.settings.max_seconds:g} s to clean, identify and date; skipped "
                "(raise max_seconds to accept it)",
            )

    def _process(self, doc: RawDocument) -> Article | Rejected:
        limits = self.settings
        too_big = over_budget(doc, max_chars=limits.max_chars, max_tags=limits.max_tags)
        if too_big is not None:
            return too_big
        try:
            cleaned = _run("clean", doc.origin, lambda: clean(doc))
            if (
                len(cleaned.text) > limits.max_text_chars
            ):  # analysis cost grows with the text: keep it bounded
                return Rejected(
                    doc.origin,
                    "clean",
                    f"article text is longer than the limit ({len(cleaned.text)} > {limits.max_text_chars} "
                    "characters after extraction); raise max_text_chars to accept it",
                )
            language = _run("language", doc.origin, lambda: self._language(doc, cleaned))
            return _run("dates", doc.origin, lambda: self._article(doc, cleaned, language))
        except StageFailed as failure:
            return failure.rejected

    def _language(self, doc: RawDocument, cleaned: Cleaned) -> LanguageGuess:
        return self.langid.identify(f"{cleaned.title}\n{cleaned.text}", doc.language)

    def _article(self, doc: RawDocument, cleaned: Cleaned, language: LanguageGuess) -> Article:
        today = self.today or dt.date.today()
        published = publication_date(
            metadata=cleaned.published or doc.published,
            header_lines=cleaned.header_dates,
            text=cleaned.text,
            language=language.code,
            today=today,
            url=cleaned.url or doc.url,
        )
        temporal = temporal_expressions(cleaned.text, language.code, published.value)
        return Article(
            id=article_id(cleaned.title, cleaned.text),
            source=doc.source,
            origin=doc.origin,
            title=cleaned.title,
            text=cleaned.text,
            language=language.code,
            language_confidence=language.confidence,
            published=published,
            temporal=temporal,
            removed=cleaned.removed,
            url=cleaned.url or doc.url,
            site=cleaned.site or doc.site,
        )
