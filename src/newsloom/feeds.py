"""Feeds and URLs: ``newsloom ingest https://...`` and ``newsloom watch FEEDS``, over :mod:`newsloom.fetch`.

A poll reads each feed with a conditional GET (the ETag and Last-Modified of its last complete poll, kept in
the store's ``state`` table), lists the entries' links, skips those already done (a ``url:`` mark in the same
table, written after the page's article is committed), fetches the rest in parallel (per-host limits in the
fetcher) and hands the pages to the ordinary ingest path (``Tracker.ingest_documents``: trafilatura, language,
dates, dedup, analysis). A page that fails to fetch is reported with its reason and left unmarked; its feed's
validators are not saved, so the next poll reads the feed in full and tries the page again. Nothing is lost.

Feed lists are text files (one URL a line, ``#`` comments) or OPML (``xmlUrl`` of every outline). XML is parsed
by expat (feedparser, ElementTree), whose entity-expansion limits stop "billion laughs" documents.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import InputError
from .fetch import Fetcher, FetchError, FetchPolicy, Response
from .models import RawDocument, Rejected
from .stages.ingest import _feed_date, decode_bytes

if TYPE_CHECKING:
    from .tracker import IngestReport, Tracker

STAGE = "fetch"
_FEED_KEY = "feed:"
_URL_KEY = "url:"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class PollReport:
    """One poll: feeds read (and unchanged), items listed, skipped as done, fetched, and what failed."""

    feeds: int
    not_modified: int
    items: int
    known: int
    ingest: IngestReport
    failures: tuple[Rejected, ...]  # feeds and pages not fetched this time (retried on the next poll)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def read_feed_list(path: str) -> list[str]:
    """The feed URLs of a text file (one a line, ``#`` comments) or an OPML file, in order, without repeats."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read feed list: {exc.strerror or exc}") from exc
    text = decode_bytes(data)
    if text.lstrip().startswith("<"):
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as exc:
            raise InputError(f"{path}: not a valid OPML file: {exc}") from exc
        urls = [node.get("xmlUrl", "").strip() for node in root.iter("outline")]
    else:
        urls = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    urls = [u for u in dict.fromkeys(urls) if u]
    bad = [u for u in urls if not is_url(u)]
    if bad:
        raise InputError(f"{path}: not an http(s) URL: {bad[0]}")
    if not urls:
        raise InputError(f"{path}: no feed URLs found")
    return urls


def parse_feed(data: bytes, feed_url: str) -> list[FeedItem]:
    """The linked entries of an RSS/Atom document; raises :class:`InputError` when it is not a feed."""
    import feedparser

    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # hostile bytes: one clear reason, never a crash
        raise InputError(f"cannot parse feed: {type(exc).__name__}: {exc}") from exc
    entries: list[Any] = list(parsed.get("entries", []))
    if parsed.get("bozo") and not entries:
        raise InputError(f"not a valid RSS/Atom feed: {parsed.get('bozo_exception')}")
    items = []
    for entry in entries:
        link = str(entry.get("link") or "").strip()
        if link:
            absolute = link if is_url(link) else _join(feed_url, link)
            items.append(FeedItem(absolute, _text(entry.get("title")), _feed_date(entry)))
    return list({item.url: item for item in reversed(items)}.values())[::-1]  # first of repeated links


def _join(base: str, link: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, link)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def page_document(response: Response, item: FeedItem) -> RawDocument | Rejected:
    """A fetched page as an HTML document for the ingest path, or a rejection (not HTML, undecodable)."""
    kind = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind and kind not in _HTML_TYPES:
        return Rejected(item.url, STAGE, f"not an HTML page ({kind})")
    try:
        text = decode_bytes(response.body)
    except InputError as exc:
        return Rejected(item.url, STAGE, f"undecodable page: {exc}")
    site = urlsplit(response.url).hostname or ""
    return RawDocument(site, item.url, text, "html", title=item.title, url=item.url, published=item.published)


@dataclass(frozen=True)
class _Fetched:
    item: FeedItem
    result: RawDocument | Rejected
    retry: bool  # a fetch failure to try again on the next poll (the URL is not marked done)


def _fetch_page(fetcher: Fetcher, item: FeedItem) -> _Fetched:
    try:
        response = fetcher.get(item.url)
    except FetchError as exc:
        return _Fetched(item, Rejected(item.url, STAGE, exc.reason), retry=True)
    except Exception as exc:  # a malformed URL or a client bug stays this URL's problem, reported and retried
        return _Fetched(item, Rejected(item.url, STAGE, f"{type(exc).__name__}: {exc}"), retry=True)
    return _Fetched(item, page_document(response, item), retry=False)


def fetch_pages(fetcher: Fetcher, items: Sequence[FeedItem], workers: int) -> Iterator[_Fetched]:
    """Each item's page (or failure), in item order; ``workers`` requests at once over all hosts."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        yield from pool.map(lambda item: _fetch_page(fetcher, item), items)


def fetch_and_ingest(
    tracker: Tracker, fetcher: Fetcher, items: Sequence[FeedItem], *, workers: int = 8
) -> tuple[IngestReport, list[Rejected]]:
    """Fetch ``items`` and ingest the pages; mark each URL done once its article is committed (or its page was
    rejected for its content). Returns the ingest report and the fetch failures, left unmarked so that the next
    attempt fetches them again."""
    fetched = list(fetch_pages(fetcher, items, workers))
    failures = [f.result for f in fetched if f.retry and isinstance(f.result, Rejected)]
    report = tracker.ingest_documents(f.result for f in fetched if not f.retry)
    for f in fetched:  # after the commit: a crash before this line fetches the page again, found present
        if not f.retry:
            tracker.store.set_state(_URL_KEY + f.item.url, b"done")
    return report, failures


def ingest_urls(
    tracker: Tracker, urls: Sequence[str], policy: FetchPolicy
) -> tuple[IngestReport, list[Rejected]]:
    """``newsloom ingest https://...``: fetch each page (even one fetched before) and ingest it."""
    with Fetcher(policy) as fetcher:
        return fetch_and_ingest(tracker, fetcher, [FeedItem(u) for u in dict.fromkeys(urls)], workers=4)


def _read_feed(tracker: Tracker, fetcher: Fetcher, url: str) -> tuple[list[FeedItem] | None, dict[str, str]]:
    """The feed's items (None when unchanged since its last complete poll) and its new validators."""
    saved = tracker.store.get_state(_FEED_KEY + url)
    validators: dict[str, str] = json.loads(saved) if saved else {}
    headers = {}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    response = fetcher.get(url, headers)
    if response.status == 304:
        return None, validators
    fresh = {
        "etag": response.headers.get("etag", ""),
        "last_modified": response.headers.get("last-modified", ""),
    }
    try:
        return parse_feed(response.body, response.url), fresh
    except InputError as exc:
        raise FetchError(url, str(exc), retryable=True) from exc


def poll(tracker: Tracker, fetcher: Fetcher, feeds: Sequence[str], *, workers: int = 8) -> PollReport:
    """One pass over ``feeds``: read each (conditionally), fetch and ingest the new items."""
    failures: list[Rejected] = []
    listed: list[tuple[str, list[FeedItem], dict[str, str]]] = []
    unchanged = 0
    for url in feeds:
        try:
            items, validators = _read_feed(tracker, fetcher, url)
        except FetchError as exc:
            failures.append(Rejected(url, STAGE, f"feed not read: {exc.reason}"))
            continue
        if items is None:
            unchanged += 1
        else:
            listed.append((url, items, validators))
    everything = list({i.url: i for _, items, _ in listed for i in items}.values())
    todo = [i for i in everything if tracker.store.get_state(_URL_KEY + i.url) is None]  # done: no fetch
    report, page_failures = fetch_and_ingest(tracker, fetcher, todo, workers=workers)
    failed = {r.origin for r in page_failures}
    for url, items, validators in listed:
        if not any(i.url in failed for i in items):  # else the next poll must see the whole feed again
            tracker.store.set_state(_FEED_KEY + url, json.dumps(validators).encode())
    failures.extend(page_failures)
    return PollReport(
        len(feeds), unchanged, len(everything), len(everything) - len(todo), report, tuple(failures)
    )


def watch(
    tracker: Tracker,
    feeds: Sequence[str],
    policy: FetchPolicy,
    *,
    every_s: float,
    once: bool = False,
    workers: int = 8,
    on_poll: Callable[[PollReport], None] = lambda report: None,
    sleep: Callable[[float], None] = time.sleep,
) -> PollReport:
    """Poll ``feeds`` every ``every_s`` seconds (once with ``once``); returns the last poll's report."""
    with Fetcher(policy) as fetcher:
        while True:
            started = time.monotonic()
            report = poll(tracker, fetcher, feeds, workers=workers)
            on_poll(report)
            if once:
                return report
            sleep(max(0.0, every_s - (time.monotonic() - started)))


def parse_interval(text: str) -> float:
    """Seconds in ``30s``, ``10m``, ``2h`` or a plain number of seconds.

    >>> parse_interval("10m"), parse_interval("45")
    (600.0, 45.0)
    """
    units = {"s": 1.0, "m": 60.0, "h": 3600.0}
    number, unit = (text[:-1], units[text[-1]]) if text and text[-1] in units else (text, 1.0)
    try:
        seconds = float(number) * unit
    except ValueError:
        raise InputError(f"not an interval: {text!r} (e.g. 30s, 10m, 2h)") from None
    if seconds <= 0:
        raise InputError(f"the interval must be positive, not {text!r}")
    return seconds
