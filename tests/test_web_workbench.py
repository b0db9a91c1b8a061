"""Workbench features over the small store: Last-Modified and conditional reads, merged entity ids redirecting,
watchlists that show what is new since the last visit, merge and split forms, event coverage and timeline."""

from __future__ import annotations

import email.utils
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web tests need the http extra: pip install 'newsloom[http,test]'")

from fastapi.testclient import TestClient

from conftest import make_article
from newsloom.engine.plan import BatchPlan
from newsloom.models import Mention
from newsloom.store import SQLiteStore
from newsloom.web import create_app
from web_store import build_store

TOKEN = "s3cret-token"
GOOD = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_store(tmp_path / "web.db")


@pytest.fixture
def client(db: Path) -> TestClient:
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


def test_reads_carry_last_modified_and_honour_if_modified_since(client: TestClient) -> None:
    first = client.get("/api/v1/events/ev-1")
    stamp = first.headers["last-modified"]
    assert email.utils.parsedate_to_datetime(stamp).tzinfo is not None
    assert client.get("/api/v1/events/ev-1", headers={"If-Modified-Since": stamp}).status_code == 304
    earlier = email.utils.formatdate(email.utils.parsedate_to_datetime(stamp).timestamp() - 3600, usegmt=True)
    assert client.get("/api/v1/events/ev-1", headers={"If-Modified-Since": earlier}).status_code == 200
    # The exact tag decides when both are sent: a stale tag gets the body even with a current date.
    both = {"If-Modified-Since": stamp, "If-None-Match": '"stale"'}
    assert client.get("/api/v1/events/ev-1", headers=both).status_code == 200
    assert client.get("/api/v1/events/ev-1", headers={"If-Modified-Since": "not a date"}).status_code == 200


def test_a_write_moves_last_modified(client: TestClient) -> None:
    before = client.get("/api/v1/entities/Eputin0001").headers["last-modified"]
    time.sleep(1.1)  # Last-Modified has whole seconds
    body = {"into": "Eputin0001"}
    assert client.post("/api/v1/entities/Ehostile01/merge", json=body, headers=GOOD).status_code == 200
    after = client.get("/api/v1/entities/Eputin0001", headers={"If-Modified-Since": before})
    assert after.status_code == 200 and after.headers["last-modified"] != before


def test_the_atom_feed_is_conditional_too(client: TestClient) -> None:
    made = client.post(
        "/api/v1/watchlists", json={"name": "P", "kind": "query", "target": "putin"}, headers=GOOD
    )
    feed = client.get(f"/api/v1/watchlists/{made.json()['id']}/feed")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    again = client.get(feed.url, headers={"If-None-Match": feed.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_merged_entity_id_redirects_on_the_api_and_the_page(client: TestClient) -> None:
    merged = client.post("/api/v1/entities/Ehostile01/merge", json={"into": "Eputin0001"}, headers=GOOD)
    assert merged.status_code == 200
    for url, target in [
        ("/api/v1/entities/Ehostile01", "/api/v1/entities/Eputin0001"),
        ("/entities/Ehostile01", "/entities/Eputin0001"),
    ]:
        moved = client.get(url, follow_redirects=False)
        assert moved.status_code == 308 and moved.headers["location"] == target
        assert client.get(url).status_code == 200


def _add_article(db: Path, article_id: str, title: str) -> None:
    # Another process's ingest: a new article lands in the store while the server runs.
    with SQLiteStore(db) as store:
        store.add_articles([make_article(article_id, title, title + " text.", "en")], {})


def test_a_watchlist_shows_what_is_new_since_the_last_visit(client: TestClient, db: Path) -> None:
    made = client.post(
        "/api/v1/watchlists", json={"name": "P", "kind": "query", "target": "putin"}, headers=GOOD
    )
    wl = made.json()["id"]
    assert made.json()["seen_at"] is not None
    assert client.get(f"/api/v1/watchlists/{wl}").json()["new"] == [], "what it found when added is not new"
    assert "new</span>" not in client.get("/watchlists").text
    _add_article(db, "a9new0000009", "Putin meets Kim again")
    assert client.get(f"/api/v1/watchlists/{wl}").json()["new"] == ["a9new0000009"]
    assert '<span class="badge">1 new</span>' in client.get("/watchlists").text, (
        "the index counts what is new"
    )
    page = client.get(f"/watchlists/{wl}").text
    new_part = page[page.index('id="new-h"') : page.index('id="articles-h"')]
    assert "1 new since your last visit" in new_part and "Putin meets Kim again" in new_part
    assert "Putin arrives in Pyongyang" not in new_part
    # Opening the page moved the marker: a second visit has nothing new, and the API agrees.
    assert "0 new since your last visit" in client.get(f"/watchlists/{wl}").text
    assert client.get(f"/api/v1/watchlists/{wl}").json()["new"] == []
    assert "seen" not in client.get(f"/api/v1/watchlists/{wl}").json(), "the id list stays out of the API"


def test_the_api_marks_a_watchlist_seen_with_the_token(client: TestClient, db: Path) -> None:
    wl = client.post(
        "/api/v1/watchlists", json={"name": "E", "kind": "entity", "target": "Eputin0001"}, headers=GOOD
    ).json()["id"]
    with SQLiteStore(db) as store:
        store.add_articles([make_article("a8new0000008", "Putin again", "Putin again.", "en")], {})
        store.apply(
            BatchPlan(
                analysed=("a8new0000008",),
                mentions=(Mention("a8new0000008", "Putin", 0, 5, "PER", "putin", "Eputin0001"),),
            )
        )
    assert client.get(f"/api/v1/watchlists/{wl}").json()["new"] == ["a8new0000008"]
    assert client.post(f"/api/v1/watchlists/{wl}/seen").status_code == 401
    assert client.post(f"/api/v1/watchlists/{wl}/seen", headers=GOOD).status_code == 200
    assert client.get(f"/api/v1/watchlists/{wl}").json()["new"] == []


def test_merge_and_split_forms_show_errors_and_apply_with_the_token(client: TestClient) -> None:
    bad_alias = client.post("/entities/Eputin0001/split", data={"alias": "Nobody Here", "token": TOKEN})
    assert (
        bad_alias.status_code in (404, 422)
        and 'role="alert"' in bad_alias.text
        and "Nobody Here" in bad_alias.text
    )
    page = client.get("/entities/Ehostile01").text
    assert 'action="/entities/Ehostile01/merge"' in page and 'action="/entities/Ehostile01/split"' in page
    wrong = client.post("/entities/Ehostile01/merge", data={"into": "Eputin0001", "token": "nope"})
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text and "token" in wrong.text
    unknown = client.post("/entities/Ehostile01/merge", data={"into": "Enobody", "token": TOKEN})
    assert unknown.status_code == 404 and "Enobody" in unknown.text and "<h1" in unknown.text
    done = client.post(
        "/entities/Ehostile01/merge", data={"into": "Eputin0001", "token": TOKEN}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/entities/Eputin0001"
    assert client.get("/api/v1/entities/Ehostile01", follow_redirects=False).status_code == 308
    split = client.post(
        "/entities/Eputin0001/split", data={"alias": "Władimir Putin", "token": TOKEN}, follow_redirects=False
    )
    assert split.status_code == 303 and split.headers["location"].startswith("/entities")
    assert client.get(split.headers["location"]).status_code == 200


def test_read_only_server_says_so_on_the_forms(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSLOOM_TOKEN", raising=False)
    with TestClient(create_app(db)) as c:
        assert "read-only" in c.get("/entities/Eputin0001").text
        refused = c.post("/entities/Eputin0001/split", data={"alias": "Władimir Putin", "token": "x"})
        assert refused.status_code == 403 and "NEWSLOOM_TOKEN" in refused.text


def test_entity_page_lists_co_occurring_entities(client: TestClient, db: Path) -> None:
    with SQLiteStore(db) as store:  # the hostile organisation is named in the English Putin article too
        store.apply(
            BatchPlan(mentions=(Mention("a1en00000001", "Pyongyang", 27, 36, "ORG", "x", "Ehostile01"),))
        )
    page = client.get("/entities/Eputin0001").text
    part = page[page.index('id="together-h"') :]
    assert "/entities/Ehostile01" in part and "1 article" in part


def test_event_page_charts_coverage_and_a_timeline(client: TestClient) -> None:
    page = client.get("/events/ev-1").text
    assert 'id="by-language"' in page and 'id="by-outlet"' in page
    by_language = page[page.index('id="by-language"') : page.index('id="by-outlet"')]
    assert "<meter" in by_language and ">en<" in by_language and ">pl<" in by_language
    timeline = page[page.index('id="timeline-h"') : page.index('id="articles-h"')]
    assert timeline.index("Putin arrives in Pyongyang") >= 0 and "Putin przyleciał" in timeline
