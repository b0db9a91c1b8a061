"""The incremental engine: batches agree with one ingest, a kill mid-analysis is finished by the next run, two
writers never corrupt a store, and read paths load no models."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from newsloom.config import Settings
from newsloom.evaluation.metrics import pairwise
from newsloom.store import SQLiteStore
from newsloom.tracker import DEMO_CORPUS, Tracker

# Pinned from measurement (docs/engine.md): the demo in batches of 8 (and of 1) against one batch of 200 gives
# events, entity mentions and stories F1 1.0.
BATCH_EVENT_F1_FLOOR = 0.95
BATCH_ENTITY_F1_FLOOR = 0.95
BATCH_STORY_F1_FLOOR = 0.95


def _partition(tracker: Tracker) -> dict[str, str]:
    return {a.origin: a.event_id or a.id for a in tracker.articles()}


def _stories(tracker: Tracker) -> dict[str, str]:
    story = {e.id: e.story_id or e.id for e in tracker.events()}
    return {a.origin: story.get(a.event_id or "", a.id) for a in tracker.articles()}


def _entities(tracker: Tracker) -> dict[str, str]:
    return {f"{m.article_id}:{m.start}": m.entity_id or "" for m in tracker.store.mentions()}


def _f1(gold: dict[str, str], found: dict[str, str]) -> float:
    return pairwise(found, gold)["f1"]


@pytest.mark.slow
def test_batches_agree_with_one_ingest(tmp_path: Path) -> None:
    runs = []
    for size in (200, 8):
        with Tracker(Settings(db=str(tmp_path / f"{size}.db"), batch_size=size)) as tracker:
            tracker.demo()
            assert tracker.store.integrity() == [] and tracker.store.count_pending() == 0
            runs.append((_partition(tracker), _stories(tracker), _entities(tracker)))
    (events, stories, entities), (b_events, b_stories, b_entities) = runs
    assert events.keys() == b_events.keys()
    assert _f1(events, b_events) >= BATCH_EVENT_F1_FLOOR
    assert _f1(stories, b_stories) >= BATCH_STORY_F1_FLOOR
    assert _f1(entities, b_entities) >= BATCH_ENTITY_F1_FLOOR


def _ingest_command(db: Path, batch: int) -> list[str]:
    code = (
        "import sys; from newsloom.config import Settings; from newsloom.tracker import Tracker; "
        f"Tracker(Settings(db={str(db)!r}, batch_size={batch})).demo()"
    )
    return [sys.executable, "-c", code]


@pytest.mark.slow
def test_a_kill_during_analysis_is_finished_by_the_next_run(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    kills = 0
    for delay in itertools.islice(itertools.cycle((6.0, 9.0, 12.0)), 4):
        proc = subprocess.Popen(_ingest_command(db, 6), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    subprocess.run(_ingest_command(db, 6), check=True, timeout=600, capture_output=True)
    assert kills >= 1, "the run finished before any kill: make the batches smaller"
    with SQLiteStore(db) as store:
        assert store.integrity() == []
        assert store.count_pending() == 0
        articles = store.articles()
        assert len(articles) == len({a.id for a in articles}) == 46
        assert all(a.event_id for a in articles)


def _writer(db: Path, folder: Path) -> subprocess.Popen[bytes]:
    code = (
        "import sys; from newsloom.config import Settings; from newsloom.tracker import Tracker; "
        f"r = Tracker(Settings(db={str(db)!r}, analyze=False, batch_size=5)).ingest([{str(folder)!r}]); "
        "print(r.added)"
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _texts(folder: Path, prefix: str, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        (folder / f"{prefix}{i}.txt").write_text(
            f"{prefix} report {i}\n\nThe council of town {prefix}{i} met on Monday about road number {i}.\n",
            encoding="utf-8",
        )


def test_two_writers_serialise_and_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    SQLiteStore(db).close()
    _texts(tmp_path / "a", "alpha", 40)
    _texts(tmp_path / "b", "beta", 40)
    procs = [_writer(db, tmp_path / "a"), _writer(db, tmp_path / "b")]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    assert sum(int(out.decode().split()[-1]) for out, _ in outputs) == 80
    with SQLiteStore(db) as store:
        assert store.count_articles() == 80
        assert store.integrity() == []


def test_read_paths_load_no_models(tmp_path: Path) -> None:
    with Tracker(Settings(db=str(tmp_path / "r.db"), analyze=False)) as tracker:
        tracker.ingest([str(DEMO_CORPUS / name) for name in _some(DEMO_CORPUS.iterdir())])
        tracker.events(), tracker.stories(), tracker.entities(), tracker.search("Putin"), tracker.claims()
        assert tracker._models is None


@pytest.mark.slow
def test_models_load_once_per_tracker(tmp_path: Path) -> None:
    with Tracker(Settings(db=str(tmp_path / "r.db"), analyze=False)) as tracker:
        tracker.ingest([str(DEMO_CORPUS / name) for name in _some(DEMO_CORPUS.iterdir())])
        assert tracker.analyze() != ()  # there is work: the models load...
        loaded = tracker.models
        tracker.ingest([str(DEMO_CORPUS / name) for name in _some(DEMO_CORPUS.iterdir())[3:] or []])
        assert tracker.analyze() == ()  # ...nothing pending does nothing
        assert tracker.models is loaded


def _some(paths: Iterable[Path]) -> list[str]:
    return sorted(p.name for p in paths if p.suffix == ".txt")[:3]


def test_doctor_finds_unanalysed_articles_and_dangling_ids(tmp_path: Path) -> None:
    with Tracker(Settings(db=str(tmp_path / "d.db"), analyze=False)) as tracker:
        tracker.ingest([str(DEMO_CORPUS / name) for name in _some(DEMO_CORPUS.iterdir())])
        report = tracker.doctor()
        assert report.pending == 3 and report.problems == () and not report.healthy
        store = tracker.store
        assert isinstance(store, SQLiteStore)
        store.db.execute("UPDATE articles SET analysed = 1, event_id = 'ev-gone'")
        assert tracker.doctor().problems == ("3 analysed article(s) whose event does not exist",)


@pytest.mark.slow
def test_doctor_repairs_by_finishing_and_rebuilding(tmp_path: Path) -> None:
    with Tracker(Settings(db=str(tmp_path / "d.db"), analyze=False)) as tracker:
        tracker.ingest([str(DEMO_CORPUS / name) for name in _some(DEMO_CORPUS.iterdir())])
        store = tracker.store
        assert isinstance(store, SQLiteStore)
        tracker.analyze()
        store.db.execute("DELETE FROM events")
        report = tracker.doctor(repair=True)
        assert report.problems and report.remaining == () and report.healthy
        assert all(a.event_id for a in tracker.articles())
