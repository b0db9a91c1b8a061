"""Checks that the bundled demo corpus and its gold labels still meet their requirements.

The corpus (``src/newsloom/data/demo``) is hand-written test material; these tests read the files
themselves so that an accidental edit (re-encoding a file, dropping an article, breaking the gold)
fails loudly.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import feedparser
import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "newsloom" / "data"
DEMO = DATA / "demo"
GOLD = DATA / "demo_gold" / "events.json"

REQUIRED_LANGUAGES = {"pl", "cs", "ro", "en", "de", "ru"}
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _decode(raw: bytes) -> tuple[str, str]:
    """Decode a demo file, returning (text, encoding); legacy code pages are tried last."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1251")
    # Cyrillic text read as cp1251 is mostly Cyrillic letters; Czech cp1250 text read as cp1251
    # would be mostly Latin with a few stray Cyrillic letters.
    letters = [c for c in text if c.isalpha()]
    if sum(bool(CYRILLIC.match(c)) for c in letters) > len(letters) / 2:
        return text, "cp1251"
    return raw.decode("cp1250"), "cp1250"


def _html_body(page: str) -> tuple[str, str]:
    title = re.search(r"<h1>(.*?)</h1>", page, re.S)
    article = re.search(r"<article[^>]*>(.*?)</article>", page, re.S)
    assert title and article, "HTML page must have <h1> and <article>"
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", article.group(1), re.S)
    body = "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs)
    return html.unescape(title.group(1)), body


def _articles() -> dict[str, tuple[str, str]]:
    """Every article in the demo folder as origin -> (title, body)."""
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(DEMO.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(DEMO).as_posix()
        if path.suffix == ".txt":
            text, _ = _decode(path.read_bytes())
            title, _, body = text.lstrip("\ufeff").partition("\n")
            out[rel] = (title.strip(), body)
        elif path.suffix == ".html":
            out[rel] = _html_body(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            lines = path.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines, start=1):
                row = json.loads(line)
                out[f"{rel}:{number}"] = (row["title"], row["text"])
        elif path.suffix in {".xml", ".rss"}:
            feed = feedparser.parse(path.read_bytes())
            for number, entry in enumerate(feed.entries, start=1):
                content = entry.get("content", [{}])[0].get("value") or entry.get("description", "")
                body = html.unescape(re.sub(r"<[^>]+>", " ", content))
                out[f"{rel}#{number}"] = (entry.title, body)
        else:
            pytest.fail(f"unexpected file type in demo corpus: {rel}")
    return out


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLD.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def articles() -> dict[str, tuple[str, str]]:
    return _articles()


def test_gold_origins_match_corpus_exactly(
    gold: dict[str, Any], articles: dict[str, tuple[str, str]]
) -> None:
    assert set(gold["articles"]) == set(articles)
    keys = {"event", "language", "published", "duplicate_of", "has_year"}
    assert all(set(label) == keys for label in gold["articles"].values())
    assert all(set(event) == {"story", "title", "date"} for event in gold["events"].values())


def test_article_and_language_counts(gold: dict[str, Any]) -> None:
    labels = gold["articles"]
    assert len(labels) >= 34
    per_language = Counter(a["language"] for a in labels.values())
    assert set(per_language) >= REQUIRED_LANGUAGES
    assert {"sk", "fr"} & set(per_language)
    assert len(per_language) >= 7
    assert all(count >= 3 for count in per_language.values()), per_language


def test_events_and_stories_are_consistent(gold: dict[str, Any]) -> None:
    events, stories = gold["events"], gold["stories"]
    used_events = {a["event"] for a in gold["articles"].values()}
    assert used_events == set(events)
    assert len(events) >= 7
    story_events: dict[str, list[str]] = defaultdict(list)
    for name, event in events.items():
        dt.date.fromisoformat(event["date"])
        assert event["title"]
        if event["story"] is not None:
            assert event["story"] in stories
            story_events[event["story"]].append(name)
    assert set(story_events) == set(stories)
    assert sum(len(members) >= 2 for members in story_events.values()) >= 2
    standalone = [name for name, event in events.items() if event["story"] is None]
    assert 1 <= len(standalone) <= 3


def test_stories_span_months(gold: dict[str, Any]) -> None:
    dates: dict[str, list[dt.date]] = defaultdict(list)
    for event in gold["events"].values():
        if event["story"] is not None:
            dates[event["story"]].append(dt.date.fromisoformat(event["date"]))
    spans = [max(d) - min(d) for d in dates.values()]
    assert max(spans) >= dt.timedelta(days=180)
    assert all(span >= dt.timedelta(days=20) for span in spans)


def test_every_event_reported_in_three_languages(gold: dict[str, Any]) -> None:
    languages: dict[str, set[str]] = defaultdict(set)
    for label in gold["articles"].values():
        languages[label["event"]].add(label["language"])
    assert all(len(langs) >= 3 for langs in languages.values()), languages


def test_article_lengths(articles: dict[str, tuple[str, str]]) -> None:
    for origin, (title, body) in articles.items():
        assert title, origin
        words = len(body.split())
        assert 60 <= words <= 260, (origin, words)


def _shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def test_near_duplicates(gold: dict[str, Any], articles: dict[str, tuple[str, str]]) -> None:
    labels = gold["articles"]
    pairs = [(o, a["duplicate_of"]) for o, a in labels.items() if a["duplicate_of"]]
    assert len(pairs) >= 3
    for copy, original in pairs:
        assert labels[original]["duplicate_of"] is None
        assert labels[original]["event"] == labels[copy]["event"]
        a, b = _shingles(articles[copy][1]), _shingles(articles[original][1])
        jaccard = len(a & b) / len(a | b)
        # Near, not exact: boilerplate/byline differ but most of the dispatch is shared.
        assert 0.4 <= jaccard < 1.0, (copy, jaccard)


def test_published_dates_are_plausible(gold: dict[str, Any], articles: dict[str, tuple[str, str]]) -> None:
    labels = gold["articles"]
    for origin, label in labels.items():
        title, body = articles[origin]
        years_in_text = YEAR.findall(title + "\n" + body)
        if label["has_year"]:
            assert years_in_text or ":" in origin or "#" in origin or origin.endswith(".html")
        else:
            assert not years_in_text, origin
        if label["published"] is None:
            continue
        published = dt.date.fromisoformat(label["published"])
        event = dt.date.fromisoformat(gold["events"][label["event"]]["date"])
        assert dt.timedelta(days=-2) <= published - event <= dt.timedelta(days=2), origin
    assert sum(not a["has_year"] for a in labels.values()) >= 2
    assert any(a["published"] is None for a in labels.values())


def test_formats_and_encodings() -> None:
    files = [p for p in DEMO.rglob("*") if p.is_file()]
    suffixes = Counter(p.suffix for p in files)
    assert suffixes[".html"] == 1
    assert suffixes[".jsonl"] == 1
    assert suffixes[".xml"] + suffixes[".rss"] == 1
    encodings = Counter(_decode(p.read_bytes())[1] for p in files if p.suffix == ".txt")
    assert encodings["cp1250"] >= 1
    assert encodings["cp1251"] >= 1
    assert encodings["utf-16"] >= 1
    for path in files:
        if path.suffix == ".txt":
            text, encoding = _decode(path.read_bytes())
            assert "\ufffd" not in text
            if encoding == "cp1250":
                assert re.search("[čřěšžůý]", text), path
            if encoding == "cp1251":
                assert CYRILLIC.search(text), path


def test_jsonl_fields(gold: dict[str, Any]) -> None:
    (path,) = DEMO.rglob("*.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert 4 <= len(rows) <= 6
    for number, row in enumerate(rows, start=1):
        assert row["text"] and row["title"]
        origin = f"{path.relative_to(DEMO).as_posix()}:{number}"
        assert row["language"] == gold["articles"][origin]["language"]
        if "published" in row:
            assert row["published"][:10] == gold["articles"][origin]["published"]


def test_html_metadata() -> None:
    (path,) = DEMO.rglob("*.html")
    page = path.read_text(encoding="utf-8")
    assert re.search(r'<meta property="article:published_time" content="[^"]+"', page)
    assert re.search(r'<link rel="canonical" href="https?://[^"]+"', page)
    assert re.search(r'<meta property="og:site_name" content="[^"]+"', page)
    for boilerplate in ("<nav", "<footer", "<aside", "cookie"):
        assert boilerplate in page


def test_feed_items_have_dates_and_full_text() -> None:
    (path,) = [p for p in DEMO.rglob("*") if p.suffix in {".xml", ".rss"}]
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo
    assert 2 <= len(feed.entries) <= 4
    for entry in feed.entries:
        assert entry.get("published_parsed")


def test_claim_and_noise_material(articles: dict[str, tuple[str, str]]) -> None:
    corpus = "\n".join(body for _, body in articles.values())
    for mark in ("„", "”", "“", "«", "»", '"', "—", "–"):
        assert mark in corpus, mark
    for phrase in ("powiedział", "uvedl", "a declarat", "sagte", "заявил", "according to"):
        assert phrase in corpus, phrase
    for denial in ("zaprzecz", "odmítají", "a negat", "denied", "опровергли"):
        assert denial in corpus, denial
    noise = ("Subskrybuj", "Přihlásit se", "Abonează-te", "Foto:", "Fot.", "komentarz", "komentář")
    noisy = sum(any(n in body for n in noise) for _, body in articles.values())
    assert noisy >= len(articles) // 3
