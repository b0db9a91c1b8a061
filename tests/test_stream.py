"""Stream ingest over NATS JetStream: publish, consume, idempotent redelivery, a killed worker loses nothing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsloom.config import Settings
from newsloom.models import RawDocument, Rejected
from newsloom.stages.ingest import read_inputs
from newsloom.store import SQLiteStore
from newsloom.stream import document_message, message_document, publish, run_worker
from newsloom.tracker import DEMO_CORPUS, Tracker

pytest.importorskip("nats", reason="the [stream] extra (nats-py) is not installed")
pytestmark = pytest.mark.server
NATS = shutil.which("nats-server") or next(
    (p for p in ("/usr/sbin/nats-server", "/usr/bin/nats-server") if os.path.exists(p)), None
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def nats_url(tmp_path: Path) -> Iterator[str]:
    if NATS is None:
        pytest.skip("nats-server is not installed (Debian: apt-get install nats-server)")
    port = _free_port()
    proc = subprocess.Popen(
        [NATS, "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(tmp_path / "js")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("nats-server did not start")
    yield f"nats://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def _demo_documents(limit: int | None = None) -> list[RawDocument | Rejected]:
    items = list(read_inputs([str(DEMO_CORPUS)]))
    return items[:limit] if limit else items


def test_message_round_trip_and_bad_messages() -> None:
    doc = RawDocument("s", "o.txt", "Tytuł\n\nTreść – „cytat”.", "text", title="Tytuł", language="pl")
    body, msg_id = document_message(doc)
    assert message_document(body, "m#1") == doc
    assert msg_id == document_message(doc)[1]
    for bad in (b"\xff", b"[]", b'{"content": 1}', b'{"content": "x", "format": "pdf"}'):
        rejected = message_document(bad, "m#2")
        assert isinstance(rejected, Rejected) and rejected.origin == "m#2"


def test_publish_then_worker_stores_everything_once(nats_url: str, tmp_path: Path) -> None:
    docs = [d for d in _demo_documents() if isinstance(d, RawDocument)]
    first = publish(nats_url, docs)
    again = publish(nats_url, docs)  # the same content again: JetStream drops it as a duplicate
    assert first.published == len(docs) and again.published == 0 and again.duplicates == len(docs)
    with Tracker(Settings(db=str(tmp_path / "w.db"), analyze=False)) as tracker:
        report = run_worker(nats_url, tracker, batch=10, idle_exit=2)
        stored = tracker.store.count_articles()
    assert report.messages == len(docs)
    assert stored == report.added == 46


def _worker_process(url: str, db: Path) -> subprocess.Popen[bytes]:
    code = (
        "from newsloom.config import Settings; from newsloom.tracker import Tracker; "
        "from newsloom.stream import run_worker; "
        # A short ack wait: the killed worker's batch in flight comes back to the second worker within the test.
        f"run_worker({url!r}, Tracker(Settings(db={str(db)!r})), batch=4, idle_exit=15, ack_wait=4)"
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for_a_committed_batch(db: Path, worker: subprocess.Popen[bytes], timeout: float = 300) -> None:
    """Return as soon as the worker has committed (and so acknowledged) its first batch, or has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.poll() is None:
        if db.exists():
            try:
                with SQLiteStore(db, read_only=True) as store:
                    if store.count_articles() - store.count_pending() > 0:
                        return
            except Exception:  # the store is being created by the worker: look again
                pass
        time.sleep(0.1)


@pytest.mark.slow
def test_a_killed_worker_loses_and_duplicates_nothing(nats_url: str, tmp_path: Path) -> None:
    publish(nats_url, _demo_documents())
    db = tmp_path / "k.db"
    first = _worker_process(nats_url, db)
    _wait_for_a_committed_batch(db, first)  # mid-stream: some batches analysed and acknowledged, not all
    assert first.poll() is None, "the worker finished before the kill"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    second = _worker_process(nats_url, db)
    _, err = second.communicate(timeout=900)
    assert second.returncode == 0, err.decode()
    with SQLiteStore(db, read_only=True) as store:
        articles = store.articles()
        assert len(articles) == len({a.id for a in articles}) == 46
        assert store.count_pending() == 0 and store.integrity() == []
