"""The JSON API over a small store: shapes, filters, paging, ETags, redirects, errors and write tokens."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the http extra: pip install 'newsloom[http,test]'")

from fastapi.testclient import TestClient

from newsloom.config import Settings
from newsloom.web import create_app
from web_store import build_store

TOKEN = "s3cret-token"
GOOD = {"Authorization": f"Bearer {TOKEN}"}
BAD = {"Authorization": "Bearer wrong"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_store(tmp_path / "web.db")


@pytest.fixture
def client(db: Path) -> TestClient:
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


@pytest.fixture
def readonly(db: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.delenv("NEWSLOOM_TOKEN", raising=False)
    with TestClient(create_app(db)) as c:
        yield c


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """The one error shape: exactly ``{"error": {"status", "code", "message"}}``, status matching the HTTP one."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return dict(body["error"])


def test_error_shape_is_the_same_for_every_error(client: TestClient, readonly: TestClient) -> None:
    assert assert_error(client.get("/api/v1/events/ev-none"), 404)["code"] == "not_found"
    assert "ev-none" in assert_error(client.get("/api/v1/events/ev-none"), 404)["message"]
    assert_error(client.get("/api/v1/articles/zzzz"), 404)
    assert_error(client.get("/api/v1/stories/nope"), 404)
    assert_error(client.get("/api/v1/entities/nope"), 404)
    assert_error(client.get("/api/v1/claims/nope"), 404)
    assert_error(client.get("/api/v1/no-such-route"), 404)
    assert "limit" in assert_error(client.get("/api/v1/articles?limit=100000"), 422)["message"]
    assert_error(client.get("/api/v1/articles?since=yesterday"), 422)
    assert_error(client.get("/api/v1/search"), 422)
    assert_error(client.get("/api/v1/search?q=x&mode=psychic"), 422)
    assert_error(client.post("/api/v1/watchlists", json={}), 401)
    assert_error(client.delete("/api/v1/articles"), 405)
    assert_error(readonly.post("/api/v1/ingest", content=b"{}"), 403)


def test_lists_page_with_a_bounded_size_and_a_next_link(client: TestClient) -> None:
    first = client.get("/api/v1/articles?limit=2").json()
    assert first["total"] is None, "not counted: the store read only one article past the page"
    assert len(first["items"]) == 2 and first["offset"] == 0
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None and second["total"] == 3
    filtered = client.get("/api/v1/articles?limit=2&since=2000-01-01").json()
    assert filtered["total"] is None and client.get(filtered["next"]).json()["total"] == 3, "filters page too"
    events = client.get("/api/v1/events?limit=1").json()
    assert events["total"] is None and events["next"]
    assert client.get(events["next"]).json()["total"] == 2
    assert "cursor=" in events["next"]
    assert_error(client.get("/api/v1/events?cursor=garbage"), 422)
    seen = [a["id"] for a in first["items"] + second["items"]]
    assert len(set(seen)) == 3
    assert "text" not in first["items"][0], "listings leave the full text to the detail route"


def test_one_object_by_id_for_each_kind(client: TestClient) -> None:
    article = client.get("/api/v1/articles/a2pl00000002").json()
    assert article["language"] == "pl" and "Pjongjangu" in article["text"]
    assert article["removed"][0]["text"].startswith("Czytaj")
    assert article["mentions"][0]["entity_id"] == "Eputin0001"
    assert client.get("/api/v1/articles/a2pl").json()["id"] == "a2pl00000002", "a unique prefix is enough"
    event = client.get("/api/v1/events/ev-1").json()
    assert event["article_ids"] == ["a1en00000001", "a2pl00000002"] and event["start"] == "2024-06-19"
    assert client.get("/api/v1/stories/st-1").json()["event_ids"] == ["ev-1"]
    entity = client.get("/api/v1/entities/Eputin0001").json()
    assert {a["language"] for a in entity["aliases"]} == {"en", "pl"}
    assert entity["event_ids"] == ["ev-1"] and entity["timeline"] == [{"month": "2024-06", "mentions": 2}]
    claim = client.get("/api/v1/claims/cl-1").json()
    assert claim["speaker_entity_id"] == "Eputin0001" and claim["stance"] == "assert"


def test_a_merged_event_id_redirects_to_the_event_it_became(client: TestClient) -> None:
    moved = client.get("/api/v1/events/ev-old", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/api/v1/events/ev-1"
    assert client.get("/api/v1/events/ev-old").json()["id"] == "ev-1"
    page = client.get("/events/ev-old", follow_redirects=False)
    assert page.status_code == 308 and page.headers["location"] == "/events/ev-1"


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_filters(client: TestClient) -> None:
    assert ids(client.get("/api/v1/articles?language=pl")) == ["a2pl00000002"]
    assert ids(client.get("/api/v1/articles?event=ev-old")) == ["a1en00000001", "a2pl00000002"]
    assert ids(client.get("/api/v1/articles?entity=Ehostile01")) == ["a3xx00000003"]
    assert ids(client.get("/api/v1/articles?story=st-1")) == ["a1en00000001", "a2pl00000002"]
    assert ids(client.get("/api/v1/articles?since=2024-06-20")) == ["a3xx00000003"]
    assert ids(client.get("/api/v1/articles?until=2024-06-19&language=en")) == ["a1en00000001"]
    assert ids(client.get("/api/v1/articles?source=East Wire")) == ["a1en00000001"]
    assert ids(client.get("/api/v1/events?story=st-1")) == ["ev-1"]
    assert ids(client.get("/api/v1/events?language=pl")) == ["ev-1"]
    assert ids(client.get("/api/v1/events?since=2024-06-19&until=2024-06-19")) == ["ev-1"]
    assert ids(client.get("/api/v1/entities?type=PER")) == ["Eputin0001"]
    assert ids(client.get("/api/v1/entities?event=ev-1")) == ["Eputin0001"]
    assert ids(client.get("/api/v1/claims?event=ev-1")) == ["cl-1"]
    assert ids(client.get("/api/v1/claims?entity=Eputin0001")) == ["cl-1"]
    assert_error(client.get("/api/v1/articles?event=ev-missing"), 404)
    assert_error(client.get("/api/v1/claims?entity=E-missing"), 404)


def test_full_text_search_folds_diacritics_and_filters(client: TestClient) -> None:
    assert ids(client.get("/api/v1/search?q=lodz")) == ["a2pl00000002"], "lodz finds Łodzi"
    assert set(ids(client.get("/api/v1/search?q=putin"))) == {"a1en00000001", "a2pl00000002"}
    assert ids(client.get("/api/v1/search?q=putin&language=en")) == ["a1en00000001"]
    assert ids(client.get("/api/v1/search?q=nothing+like+this")) == []


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client: TestClient) -> None:
    first = client.get("/api/v1/events/ev-1")
    tag = first.headers["etag"]
    assert client.get("/api/v1/events/ev-1", headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/api/v1/events/ev-1", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/api/v1/events/st-1").status_code == 404
    assert client.get("/api/v1/events").headers["etag"] != tag


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    routes = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if path.startswith("/api/v1/")
    }
    expected = {
        ("GET", "/api/v1/articles"),
        ("GET", "/api/v1/articles/{article_id}"),
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/events/{event_id}"),
        ("GET", "/api/v1/stories"),
        ("GET", "/api/v1/stories/{story_id}"),
        ("GET", "/api/v1/entities"),
        ("GET", "/api/v1/entities/{entity_id}"),
        ("GET", "/api/v1/claims"),
        ("GET", "/api/v1/claims/{claim_id}"),
        ("GET", "/api/v1/search"),
        ("POST", "/api/v1/ingest"),
        ("GET", "/api/v1/ingest/{job_id}"),
        ("POST", "/api/v1/entities/{entity_id}/merge"),
        ("POST", "/api/v1/entities/{entity_id}/split"),
        ("GET", "/api/v1/watchlists"),
        ("POST", "/api/v1/watchlists"),
        ("GET", "/api/v1/watchlists/{watchlist_id}"),
        ("DELETE", "/api/v1/watchlists/{watchlist_id}"),
        ("GET", "/api/v1/watchlists/{watchlist_id}/feed"),
        ("POST", "/api/v1/watchlists/{watchlist_id}/seen"),
    }
    assert routes == expected
    docs = (Path(__file__).parents[1] / "docs" / "web.md").read_text(encoding="utf-8")
    for method, path in expected:
        assert f"{method} {path}" in docs, f"docs/web.md does not document {method} {path}"


def test_security_headers_and_no_cors(client: TestClient) -> None:
    for url in ("/", "/api/v1/events", "/api/v1/events/nope", "/static/newsloom.css"):
        response = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/v1/ingest",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


# ---- writes: every route without a configured token, with a wrong one, and with the right one -------------

WRITES = [
    ("POST", "/api/v1/ingest", {"content": b'{"title": "t", "text": "x"}'}),
    ("POST", "/api/v1/entities/Eputin0001/merge", {"json": {"into": "Ehostile01"}}),
    ("POST", "/api/v1/entities/Eputin0001/split", {"json": {"alias": "Władimir Putin"}}),
    ("POST", "/api/v1/watchlists", {"json": {"name": "Putin", "kind": "entity", "target": "Eputin0001"}}),
    ("DELETE", "/api/v1/watchlists/wl-anything", {}),
    ("POST", "/api/v1/watchlists/wl-anything/seen", {}),
]


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_writes_are_refused_without_a_configured_token(
    readonly: TestClient, method: str, url: str, body: dict[str, Any]
) -> None:
    error = assert_error(readonly.request(method, url, headers=GOOD, **body), 403)
    assert error["code"] == "writes_disabled" and "NEWSLOOM_TOKEN" in error["message"]


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_writes_need_the_right_token(client: TestClient, method: str, url: str, body: dict[str, Any]) -> None:
    for headers in ({}, BAD, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}):
        response = client.request(method, url, headers=headers, **body)
        assert assert_error(response, 401)["code"] == "unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_token_can_come_from_the_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSLOOM_TOKEN", "from-env")
    with TestClient(create_app(db)) as c:
        body = {"name": "floods", "kind": "query", "target": "powódź"}
        assert c.post("/api/v1/watchlists", json=body, headers=GOOD).status_code == 401
        ok = c.post("/api/v1/watchlists", json=body, headers={"Authorization": "Bearer from-env"})
        assert ok.status_code == 201


def test_watchlists_with_the_right_token(client: TestClient, db: Path) -> None:
    body = {"name": "Putin", "kind": "entity", "target": "Eputin0001"}
    created = client.post("/api/v1/watchlists", json=body, headers=GOOD)
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["id"].startswith("wl-") and item["kind"] == "entity"
    assert (db.parent / "web.db.watchlists.json").exists(), "kept beside the store"
    query = client.post(
        "/api/v1/watchlists", json={"name": "Łódź", "kind": "query", "target": "lodz"}, headers=GOOD
    ).json()
    assert client.get("/api/v1/watchlists").json()["total"] == 2
    followed = client.get(f"/api/v1/watchlists/{item['id']}").json()
    assert [a["id"] for a in followed["articles"]] == ["a1en00000001", "a2pl00000002"] or {
        a["id"] for a in followed["articles"]
    } == {"a1en00000001", "a2pl00000002"}
    assert [a["id"] for a in client.get(f"/api/v1/watchlists/{query['id']}").json()["articles"]] == [
        "a2pl00000002"
    ]
    assert_error(
        client.post(
            "/api/v1/watchlists", json={"name": "x", "kind": "entity", "target": "E-missing"}, headers=GOOD
        ),
        404,
    )
    assert_error(client.post("/api/v1/watchlists", json={"name": "x", "kind": "mood"}, headers=GOOD), 422)
    assert client.delete(f"/api/v1/watchlists/{item['id']}", headers=GOOD).status_code == 204
    assert_error(client.delete(f"/api/v1/watchlists/{item['id']}", headers=GOOD), 404)
    assert client.get("/api/v1/watchlists").json()["total"] == 1


def test_corrections_with_the_right_token_check_their_input_first(client: TestClient) -> None:
    assert_error(
        client.post("/api/v1/entities/E-missing/merge", json={"into": "Eputin0001"}, headers=GOOD), 404
    )
    missing_alias = client.post("/api/v1/entities/Eputin0001/split", json={"alias": "Putler"}, headers=GOOD)
    assert "Władimir Putin" in assert_error(missing_alias, 404)["message"]
    assert_error(client.post("/api/v1/entities/Eputin0001/merge", json={}, headers=GOOD), 422)


def test_ingest_refuses_an_oversized_body_with_413(db: Path) -> None:
    settings = Settings(db=str(db), max_bytes=200)
    with TestClient(create_app(settings, token=TOKEN)) as c:
        big = b'{"title": "t", "text": "' + b"x" * 500 + b'"}'
        assert assert_error(c.post("/api/v1/ingest", content=big, headers=GOOD), 413)["code"] == (
            "payload_too_large"
        )
        assert_error(c.post("/api/v1/ingest", content=b"  ", headers=GOOD), 422)
        assert c.get("/api/v1/articles").json()["total"] == 3, "nothing was stored"


def test_a_memory_store_cannot_be_served() -> None:
    from newsloom.errors import InputError

    with pytest.raises(InputError, match="store file"):
        create_app(":memory:")


def test_a_damaged_store_is_a_503_in_the_error_shape(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with TestClient(create_app(bad)) as c:
        error = assert_error(c.get("/api/v1/events"), 503)
        assert error["code"] == "store_unavailable" and "bad.db" in error["message"]
        page = c.get("/")
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")


def test_a_queued_ingest_is_a_job_to_poll(client: TestClient) -> None:
    queued = client.post("/api/v1/ingest?wait=false", content=b"{broken\n", headers=GOOD)
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert job["status"] == "queued" and queued.headers["location"] == job["status_url"]
    for _ in range(200):
        state = client.get(job["status_url"]).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.02)
    assert state["status"] == "done", state
    assert state["report"]["added"] == 0 and state["report"]["ok"] is False
    assert state["report"]["rejected"][0]["stage"] == "ingest"
    assert_error(client.get("/api/v1/ingest/job-unknown"), 404)


def test_a_watchlist_is_also_an_atom_feed(client: TestClient) -> None:
    import xml.etree.ElementTree as ET

    body = {"name": "<b>odd</b> & co", "kind": "entity", "target": "Ehostile01"}
    item = client.post("/api/v1/watchlists", json=body, headers=GOOD).json()
    feed = client.get(f"/api/v1/watchlists/{item['id']}/feed")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(feed.content)  # well-formed despite the hostile title and text
    assert root.find(f"{atom}title").text == "newsloom watchlist: <b>odd</b> & co"
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{atom}title").text.startswith("Breaking <script>")
    assert entries[0].find(f"{atom}link").get("href") == "http://testserver/articles/a3xx00000003"
    assert_error(client.get("/api/v1/watchlists/wl-none/feed"), 404)


class AxisEmbedder:
    """A stand-in model: each text becomes the unit vector of the first axis whose keyword it contains."""

    name = "axis-test"
    dim = 3
    keywords = ("putin", "flood", "click")

    def embed(self, texts: Any) -> Any:
        import numpy as np

        out = np.zeros((len(texts), 3), dtype=np.float32)
        for row, text in enumerate(texts):
            hit = [i for i, k in enumerate(self.keywords) if k in text.lower()]
            out[row, hit[0] if hit else 1] = 1.0
        return out


def test_semantic_search_ranks_stored_vectors_by_cosine(db: Path) -> None:
    import numpy as np

    from newsloom.store import SQLiteStore

    with SQLiteStore(db) as store:
        store.save_embeddings(
            "axis-test",
            {
                "a1en00000001": np.array([1, 0, 0], np.float32),
                "a2pl00000002": np.array([0.8, 0.6, 0], np.float32),
                "a3xx00000003": np.array([0, 0, 1], np.float32),
            },
        )
    loads: list[int] = []

    def factory() -> AxisEmbedder:
        loads.append(1)
        return AxisEmbedder()

    with TestClient(create_app(db, embedder_factory=factory)) as c:
        hits = c.get("/api/v1/search?mode=semantic&q=Putin").json()["items"]
        assert [h["id"] for h in hits] == ["a1en00000001", "a2pl00000002", "a3xx00000003"]
        assert [round(h["score"], 2) for h in hits] == [1.0, 0.8, 0.0]
        assert ids(c.get("/api/v1/search?mode=semantic&q=Putin&language=pl")) == ["a2pl00000002"]
        assert ids(c.get("/api/v1/search?mode=semantic&q=click&limit=1")) == ["a3xx00000003"]
        assert "cosine 0.800" in c.get("/search?mode=semantic&q=Putin").text
    assert loads == [1], "the model is loaded once per server, not per request"
