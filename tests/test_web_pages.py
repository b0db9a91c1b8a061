"""The HTML pages over a small store: every page renders, headings and landmarks are there, and hostile article
text (script tags, event handlers, javascript: URLs, bidi overrides, template syntax) comes out inert."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web tests need the http extra: pip install 'newsloom[http,test]'")

from fastapi.testclient import TestClient

from newsloom.web import create_app
from web_store import build_store

PAGES = [
    "/",
    "/?language=pl&since=2024-01-01",
    "/events/ev-1",
    "/events/ev-2",
    "/stories",
    "/stories/st-1",
    "/entities",
    "/entities?type=PER",
    "/entities/Eputin0001",
    "/entities/Ehostile01",
    "/articles/a1en00000001",
    "/articles/a2pl00000002",
    "/articles/a3xx00000003",
    "/search",
    "/search?q=putin",
    "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/watchlists",
]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with TestClient(create_app(build_store(tmp_path / "web.db"))) as c:
        yield c


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_landmarks_and_one_h1(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    tags = parse(response.text)
    names = [t for t, _ in tags.tags]
    assert names.count("h1") == 1
    assert {"header", "nav", "main", "footer"} <= set(names)
    for tag, attrs in tags.tags:
        if tag == "input" and attrs.get("type") not in ("radio", "hidden", None):
            assert attrs.get("id") or attrs.get("name"), "every input is labelled or named"


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_never_becomes_markup(client: TestClient, url: str) -> None:
    html = client.get(url).text
    tags = parse(html)
    for tag, attrs in tags.tags:
        assert tag not in {"script", "iframe", "svg", "img", "object", "embed"}, f"{tag} in {url}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} in {url}"
            assert not (value or "").strip().lower().startswith("javascript:"), f"{name}={value} in {url}"
    assert "\u202e" not in html and "\u202d" not in html, "bidi overrides are shown, not obeyed"


def test_hostile_article_text_is_shown_as_text(client: TestClient) -> None:
    html = client.get("/articles/a3xx00000003").text
    text = "".join(parse(html).text)
    assert '<script>alert("t")</script>' in text, "the title's markup is visible as text"
    assert "<a href=\"javascript:alert('x')\">here</a>" in text
    assert "\ufffdgnp.exe" in text, "the override shows as a replacement character"
    assert "&lt;script&gt;alert(&#39;removed&#39;)&lt;/script&gt;" in html, "removed boilerplate escaped too"
    assert "{{ 7*7 }}" in text, "template syntax in article text stays text"
    assert "<details" in html and "Removed boilerplate" in html


def test_event_page_shows_digest_claims_entities_and_languages(client: TestClient) -> None:
    html = client.get("/events/ev-1").text
    assert "Putin visits Pyongyang" in html
    assert "We will sign a treaty" in html and 'class="stance assert"' in html
    assert 'href="/entities/Eputin0001"' in html
    assert 'href="/stories/st-1"' in html
    assert '<h3 lang="en">en <span' in html and '<h3 lang="en">pl <span' in html, "articles by language"
    assert "Putin przyleciał do Pjongjangu" in html


def test_entity_page_lists_names_by_language(client: TestClient) -> None:
    html = client.get("/entities/Eputin0001").text
    assert 'lang="pl" dir="auto">Władimir Putin' in html
    assert 'lang="en" dir="auto">Vladimir Putin' in html
    assert "2024-06" in html


def test_missing_pages_are_html_errors_with_the_status(client: TestClient) -> None:
    response = client.get("/events/ev-none")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "no event" in response.text and "<h1>404" in response.text
    assert client.get("/search?mode=psychic&q=x").status_code == 422


def test_article_text_marks_mentions_dates_and_claims_at_their_offsets(client: TestClient) -> None:
    html = client.get("/articles/a1en00000001").text
    assert '<a class="mention" href="/entities/Eputin0001">Vladimir Putin</a> arrived' in html
    assert '<mark class="claim assert" title="claim: assert">We will sign a treaty</mark>' in html
    pl = client.get("/articles/a2pl00000002").text
    assert "Władimir Putin</a> przyleciał do Pjongjangu" in pl


def test_the_watch_form_needs_the_token_and_adds_a_watchlist(tmp_path: Path) -> None:
    db = build_store(tmp_path / "web.db")
    form = {"kind": "entity", "target": "Eputin0001", "name": "Vladimir Putin"}
    with TestClient(create_app(db)) as readonly:
        refused = readonly.post("/watchlists", data={**form, "token": "x"})
        assert refused.status_code == 403 and "NEWSLOOM_TOKEN" in refused.text
    with TestClient(create_app(db, token="tok")) as c:
        page = c.get("/entities/Eputin0001").text
        assert 'action="/watchlists" method="post"' in page and 'value="Eputin0001"' in page
        assert c.post("/watchlists", data={**form, "token": "wrong"}).status_code == 401
        assert c.post("/watchlists", data=form).status_code == 401
        assert c.post("/watchlists", data={**form, "token": "tok", "kind": "mood"}).status_code == 422
        added = c.post("/watchlists", data={**form, "token": "tok"}, follow_redirects=False)
        assert added.status_code == 303 and added.headers["location"].startswith("/watchlists/wl-")
        shown = c.get(added.headers["location"]).text
        assert "Putin arrives in Pyongyang" in shown and "/feed" in shown
        assert "Vladimir Putin" in c.get("/watchlists").text


def test_story_page_counts_coverage_by_language_and_day(client: TestClient) -> None:
    html = client.get("/stories/st-1").text
    assert 'id="coverage-h"' in html
    row = html[html.index('<th scope="row">2024-06-19</th>') :].split("</tr>")[0]
    assert row.count('class="n1">1</td>') == 2, "one English and one Polish article that day"
