"""``newsloom backfill``: the local and the Ray engine give the events of a plain ingest of the same articles."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsloom.backfill import backfill, input_files
from newsloom.config import Settings
from newsloom.models import Article, RawDocument
from newsloom.pipeline import Pipeline
from newsloom.stages.ingest import read_inputs
from newsloom.tracker import DEMO_CORPUS, Tracker


def _corpus(folder: Path, count: int) -> Path:
    """The first ``count`` demo documents as one JSONL file, in publication-date order (the order a backfill
    stores them in), so a plain ingest of the file sees the same order."""
    docs = [d for d in read_inputs([str(DEMO_CORPUS)]) if isinstance(d, RawDocument)][:count]
    pipeline = Pipeline(Settings())
    dated = []
    for index, doc in enumerate(docs):
        article = pipeline.process(doc)
        assert isinstance(article, Article), article
        dated.append((article.published.value or dt.date.max, index, doc))
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for _, _, doc in sorted(dated, key=lambda t: t[:2]):
            field = "html" if doc.format == "html" else "text"
            out.write(
                json.dumps({field: doc.content, "title": doc.title, "url": doc.url}, ensure_ascii=False)
                + "\n"
            )
    return path


def _events(tracker: Tracker) -> set[frozenset[str]]:
    return {frozenset(a.id for a in tracker.articles(event_id=e.id)) for e in tracker.events()}


def test_input_files_walks_folders(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("a.jsonl", "b/c.parquet", ".hidden"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert input_files([str(tmp_path)]) == [str(tmp_path / "a.jsonl"), str(tmp_path / "b" / "c.parquet")]


def test_parquet_rows_are_documents(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="Parquet needs pyarrow (extra [distributed])")
    import pyarrow.parquet as pq

    from newsloom.backfill import documents

    rows = [
        {"text": "Flood in Wroclaw\n\nThe Oder rose by two metres.", "url": "https://x.example/1"},
        {"text": ""},
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet")
    found = list(documents(str(tmp_path / "a.parquet"), Settings()))
    assert isinstance(found[0], RawDocument) and found[0].url == "https://x.example/1"
    assert found[1].reason == "missing or empty 'text' field (or 'html')"  # type: ignore[union-attr]


def _claims(tracker: Tracker) -> set[tuple[str, str, str | None, str, int, int]]:
    return {
        (c.article_id, c.speaker, c.speaker_entity_id, c.stance, c.start, c.end) for c in tracker.claims()
    }


def _entities(tracker: Tracker) -> set[tuple[str, str, str]]:
    return {(e.id, e.name, e.type) for e in tracker.entities()}


def _analysis(tracker: Tracker) -> tuple[object, ...]:
    return _events(tracker), _entities(tracker), _claims(tracker)


def _split(corpus: Path, folder: Path) -> list[str]:
    """The corpus dealt round-robin into two files, so each file's dates interleave with the other's."""
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    folder.mkdir()
    for index in range(2):
        (folder / f"part{index}.jsonl").write_text("".join(lines[index::2]), encoding="utf-8")
    return [str(folder / "part1.jsonl"), str(folder / "part0.jsonl")]  # the later dates' file first


@pytest.mark.slow
def test_local_backfill_equals_a_plain_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsloom.stages.entities as entities

    corpus = _corpus(tmp_path, 16)
    with Tracker(Settings(db=str(tmp_path / "plain.db"))) as plain:
        plain.ingest([str(corpus)])
        expected = _analysis(plain)
    calls: list[str] = []
    extract = entities.extract_mentions

    def counted(article: Article, gazetteer: entities.Gazetteer) -> list[entities.Mention]:
        calls.append(article.id)
        return extract(article, gazetteer)

    monkeypatch.setattr(entities, "extract_mentions", counted)
    with Tracker(Settings(db=str(tmp_path / "local.db"))) as local:
        # Two files whose dates interleave: the store and the engine see one publication-time order.
        report = backfill(local, _split(corpus, tmp_path / "parts"), engine="local")
        assert report.added == 16 and not report.rejected
        assert _analysis(local) == expected
        handoff = local.models.handoff
        assert (handoff.hits, handoff.misses, len(handoff)) == (16, 0, 0)
    assert len(calls) == 16 and len(set(calls)) == 16  # once per article, on the workers: never in the engine
    events, found_entities, claims = expected
    assert len(events) >= 3 and found_entities and claims  # type: ignore[arg-type]


def test_handoff_returns_mentions_only_under_the_same_key_and_text() -> None:
    from newsloom.engine.handoff import Handoff, gazetteer_key
    from newsloom.models import Mention, PublicationDate

    article = Article(
        "a1", "s", "o", "", "Putin went to Pyongyang.", "en", 1.0, PublicationDate(None, "unknown")
    )
    mention = Mention("a1", "Putin", 0, 5, "PER", "putin")
    key = gazetteer_key([], [])
    handoff = Handoff()
    handoff.put(key, article, [mention])
    assert handoff.take(key, article) == (mention,)
    assert handoff.take(key, article) is None  # taken once
    handoff.put(key, article, [mention])
    assert handoff.take(key + "x", article) is None  # other gazetteer: recomputed
    handoff.put(key, article, [mention])
    edited = Article("a1", "s", "o", "", "Putin went to Seoul.", "en", 1.0, PublicationDate(None, "unknown"))
    assert handoff.take(key, edited) is None  # same id, other text
    assert (handoff.hits, handoff.misses, len(handoff)) == (1, 2, 0)


def test_gazetteer_key_follows_alias_files_and_imported_names(tmp_path: Path) -> None:
    from newsloom.engine.handoff import gazetteer_key
    from newsloom.stages.entities import AliasRecord

    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,type,variant,language\nPjongjang,LOC,Pjöngjang,de\n", encoding="utf-8")
    first = gazetteer_key([str(aliases)], [])
    assert gazetteer_key([str(aliases)], []) == first
    assert gazetteer_key([], []) != first
    assert gazetteer_key([str(aliases)], [AliasRecord("Kyiv", "LOC", (("Kijów", "pl"),))]) != first
    aliases.write_text("name,type,variant,language\nPjongjang,LOC,Pjöngjangu,pl\n", encoding="utf-8")
    assert gazetteer_key([str(aliases)], []) != first  # edited file: a stale extraction is never used


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ray_head(tmp_path: Path) -> Iterator[str]:
    """A Ray head on 127.0.0.1 with 2 CPUs, started by this test and stopped by its process id."""
    pytest.importorskip(
        "ray", reason="the Ray backfill needs the extra [distributed]: pip install -e '.[distributed]'"
    )
    port = _free_port()
    ray_bin = Path(sys.executable).with_name("ray")
    temp = Path("/tmp") / f"ray-{os.getpid()}"  # short: Ray's socket paths must fit in 107 bytes
    args = [str(ray_bin), "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}",
            "--num-cpus=2", "--include-dashboard=false", f"--temp-dir={temp}",
            f"--dashboard-agent-listen-port={_free_port()}",
            "--disable-usage-stats"]  # fmt: skip
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    head = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    else:
        head.terminate()
        pytest.fail("the Ray head did not start within 120 s")
    try:
        yield address
    finally:
        import ray

        ray.shutdown()
        os.killpg(head.pid, signal.SIGTERM)  # the head and the processes it started: their own process group
        with contextlib.suppress(subprocess.TimeoutExpired):
            head.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(head.pid, signal.SIGKILL)  # what did not stop in time
        head.wait(timeout=30)


@pytest.mark.slow
def test_ray_backfill_with_two_workers_equals_a_plain_ingest(
    tmp_path: Path, ray_head: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    corpus = _corpus(tmp_path, 16)
    with Tracker(Settings(db=str(tmp_path / "plain.db"))) as plain:
        plain.ingest([str(corpus)])
        expected = _analysis(plain)
    with Tracker(Settings(db=str(tmp_path / "ray.db"))) as distributed:
        report = backfill(distributed, _split(corpus, tmp_path / "parts"), engine="ray", address=ray_head,
                          workers=2)  # fmt: skip
        assert report.added == 16 and not report.rejected
        assert _analysis(distributed) == expected
        assert distributed.models.handoff.hits == 16  # the workers' mentions, not the engine's


def test_ray_engine_without_ray_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsloom.errors import InputError, MissingExtra

    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    with Tracker(Settings(db=str(tmp_path / "n.db"), analyze=False)) as tracker:
        with pytest.raises(MissingExtra, match=r"newsloom\[distributed\]"):
            backfill(tracker, [str(tmp_path)], engine="ray")
        with pytest.raises(InputError, match="unknown backfill engine"):
            backfill(tracker, [str(tmp_path)], engine="spark")  # type: ignore[arg-type]
