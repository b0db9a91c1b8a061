"""Write routes with the right token doing their work (they run the pipeline and re-link, so they are slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web tests need the http extra: pip install 'newsloom[http,test]'")

from fastapi.testclient import TestClient

from newsloom.web import create_app
from web_store import build_store

pytestmark = pytest.mark.slow
GOOD = {"Authorization": "Bearer t0ken"}
FLOOD = {
    "title": "Flood in Nysa",
    "text": "The Nysa Kłodzka river rose on Monday and flooded the town of Nysa. Residents left their homes "
    "as the water reached the centre; the mayor said the dam held.",
    "language": "en",
    "published": "2024-09-16",
}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with TestClient(create_app(build_store(tmp_path / "web.db"), token="t0ken")) as c:
        yield c


def test_ingest_json_and_jsonl_and_report_what_happened(client: TestClient) -> None:
    report = client.post("/api/v1/ingest", content=json.dumps(FLOOD).encode(), headers=GOOD)
    assert report.status_code == 200, report.text
    assert report.json()["added"] == 1 and report.json()["ok"] is True
    again = client.post("/api/v1/ingest", content=json.dumps(FLOOD).encode(), headers=GOOD).json()
    assert again["added"] == 0 and again["already_present"] == 1
    lines = (
        json.dumps({**FLOOD, "title": "Flood, day two", "text": FLOOD["text"] + " Day two."}) + "\n{broken\n"
    )
    mixed = client.post(
        "/api/v1/ingest", content=lines.encode(), headers={**GOOD, "Content-Type": "application/x-ndjson"}
    ).json()
    assert mixed["ok"] is False and mixed["rejected"] and mixed["rejected"][0]["origin"].endswith(":2")
    assert client.get("/api/v1/search?q=nysa").json()["total"] >= 1


def test_merge_and_split_through_the_api(client: TestClient) -> None:
    merged = client.post("/api/v1/entities/Ehostile01/merge", json={"into": "Eputin0001"}, headers=GOOD)
    assert merged.status_code == 200, merged.text
    assert merged.json()["notes"][0] == "merged Ehostile01 into Eputin0001"
    putin = next(e for e in client.get("/api/v1/entities?type=PER").json()["items"] if "Putin" in e["name"])
    split = client.post(
        f"/api/v1/entities/{putin['id']}/split", json={"alias": putin["aliases"][0]["text"]}, headers=GOOD
    )
    assert split.status_code == 200, split.text
    assert split.json()["notes"][0].startswith("split ")


def test_reads_keep_working_during_a_background_ingest(client: TestClient) -> None:
    import time

    queued = client.post("/api/v1/ingest?wait=false", content=json.dumps(FLOOD).encode(), headers=GOOD)
    assert queued.status_code == 202
    url = queued.json()["status_url"]
    reads_while_running = 0
    deadline = time.monotonic() + 120
    while (state := client.get(url).json())["status"] in ("queued", "running"):
        assert client.get("/api/v1/events").status_code == 200
        reads_while_running += 1
        assert time.monotonic() < deadline, "the ingest did not finish"
        time.sleep(0.05)
    assert state["status"] == "done" and state["report"]["added"] == 1
    assert reads_while_running >= 1
