"""Every input isolated: deep nesting, crashing parsers, special files, links, budgets, floods of bad records."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.config import Settings
from newsloom.models import RawDocument, Rejected
from newsloom.pipeline import Pipeline
from newsloom.stages import ingest
from newsloom.stages.ingest import over_budget, read_inputs

GOOD = "Flood in Wrocław\n\nThe Oder rose by two metres overnight and the city opened shelters."


def _split(items: list[RawDocument | Rejected]) -> tuple[list[RawDocument], dict[str, str]]:
    docs = [item for item in items if isinstance(item, RawDocument)]
    reasons = {Path(item.origin).name: item.reason for item in items if isinstance(item, Rejected)}
    return docs, reasons


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_deep_json_file_and_jsonl_line_are_rejected_and_the_rest_ingests(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(_deep_json(10_000), encoding="utf-8")
    good_line = json.dumps({"text": GOOD})
    (tmp_path / "b.jsonl").write_text(f"{good_line}\n{_deep_json(10_000)}\n{good_line}\n", encoding="utf-8")
    deep_object = '{"text": ' + _deep_json(10_000) + "}"
    (tmp_path / "c.json").write_text(deep_object, encoding="utf-8")
    (tmp_path / "d.txt").write_text(GOOD, encoding="utf-8")
    docs, reasons = _split(list(read_inputs([str(tmp_path)])))
    assert [Path(doc.origin).name for doc in docs] == ["b.jsonl:1", "b.jsonl:3", "d.txt"]
    assert "nested too deeply" in reasons["a.json"]
    assert "nested too deeply" in reasons["b.jsonl:2"]
    assert "nested too deeply" in reasons["c.json"]


def test_deep_json_on_stdin_is_rejected() -> None:
    items = list(read_inputs(["-"], stdin=io.BytesIO(('{"a":' * 5000 + "1" + "}" * 5000).encode())))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "nested too deeply" in items[0].reason


@pytest.mark.parametrize("error", [RecursionError, MemoryError, ValueError, KeyError])
def test_a_parser_crash_is_that_inputs_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    real = ingest._parse_feed

    def crashing(data: bytes, source: str, origin: str):  # type: ignore[no-untyped-def]
        if origin.endswith("bad.xml"):
            raise error("boom")
        return real(data, source, origin)

    monkeypatch.setattr(ingest, "_parse_feed", crashing)
    (tmp_path / "bad.xml").write_text("<rss/>", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    docs, reasons = _split(list(read_inputs([str(tmp_path)])))
    assert [Path(doc.origin).name for doc in docs] == ["good.txt"]
    assert set(reasons) == {"bad.xml"}
    assert reasons["bad.xml"]


def test_thousand_deep_folder_is_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Built one level at a time from inside: the whole path is near PATH_MAX on some systems.
    monkeypatch.chdir(tmp_path)
    for _ in range(1000):
        os.mkdir("d")
        os.chdir("d")
    Path("deep.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    try:
        docs, reasons = _split(list(read_inputs([str(tmp_path)])))
    finally:
        _remove_deep(tmp_path, 1000)  # pytest's own clean-up recurses and would fail on it later
    assert [Path(doc.origin).name for doc in docs] == ["deep.txt"]
    assert reasons == {}


def _remove_deep(top: Path, depth: int) -> None:
    os.chdir(top / ("d/" * (depth - 1)).rstrip("/"))
    (Path("d") / "deep.txt").unlink()
    for _ in range(depth):
        os.rmdir("d")
        os.chdir("..")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_fifo_named_like_an_article_is_skipped_unopened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    result: list[RawDocument | Rejected] = []
    reader = threading.Thread(target=lambda: result.extend(read_inputs([str(tmp_path)])), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a folder with a FIFO hung"
    docs, reasons = _split(result)
    assert [Path(doc.origin).name for doc in docs] == ["b.txt"]
    assert "named pipe" in reasons["a.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_fifo_given_explicitly_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    (item,) = list(read_inputs([str(tmp_path / "pipe.json")]))
    assert isinstance(item, Rejected) and "named pipe" in item.reason


def test_socket_and_device_are_skipped(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.txt"))
        items = list(read_inputs([str(tmp_path), "/dev/zero"]))
    finally:
        server.close()
    reasons = {item.origin: item.reason for item in items if isinstance(item, Rejected)}
    assert "socket" in reasons[str(tmp_path / "s.txt")]
    assert "character device" in reasons["/dev/zero"]


def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret outside the input.", encoding="utf-8")
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "real.txt").write_text(GOOD, encoding="utf-8")
    (root / "escape.txt").symlink_to(outside / "secret.txt")
    (root / "escape_dir").symlink_to(outside)
    (root / "inner.txt").symlink_to(root / "sub" / "real.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "broken.txt").symlink_to(root / "missing.txt")
    (root / "cycle").symlink_to(root)
    docs, reasons = _split(list(read_inputs([str(root)])))
    assert sorted(Path(doc.origin).name for doc in docs) == ["inner.txt", "real.txt"]
    assert all("Secret" not in doc.content for doc in docs)
    assert "outside the input folder" in reasons["escape.txt"]
    assert "outside the input folder" in reasons["escape_dir"]
    assert "loop" in reasons["loop.txt"]
    assert "broken" in reasons["broken.txt"]
    assert "folder is not followed" in reasons["cycle"]


def test_follow_links_reads_outside_and_survives_cycles(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.txt").write_text(GOOD + " Outside.", encoding="utf-8")
    (outside / "back").symlink_to(tmp_path / "in")
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "out").symlink_to(outside)
    (root / "self").symlink_to(root)
    docs, reasons = _split(list(read_inputs([str(root)], follow_links=True)))
    assert sorted(Path(doc.origin).name for doc in docs) == ["a.txt", "other.txt"]
    assert all("link cycle" in reason for reason in reasons.values()) and reasons


def test_flood_of_invalid_records_is_summarised(tmp_path: Path) -> None:
    path = tmp_path / "flood.jsonl"
    lines = ["{}"] * 100_000 + [json.dumps({"text": GOOD})]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_inputs([str(path)]))
    rejected = [item for item in items if isinstance(item, Rejected)]
    assert len(rejected) == ingest.DEFAULT_MAX_LISTED + 1
    assert f"{100_000 - ingest.DEFAULT_MAX_LISTED} more rejected record(s)" in rejected[-1].reason
    assert [doc.content for doc in items if isinstance(doc, RawDocument)] == [GOOD]


def test_budgets_reject_long_text_and_tag_floods() -> None:
    long_text = RawDocument("a.txt", "a.txt", "word " * 1000, "text")
    assert over_budget(long_text, max_chars=5000, max_tags=10) is None
    assert "max_chars" in over_budget(long_text, max_chars=4999, max_tags=10).reason  # type: ignore[union-attr]
    tags = RawDocument("b.html", "b.html", "<p>x</p>" * 50, "html")
    assert "max_tags" in over_budget(tags, max_chars=10**6, max_tags=99).reason  # type: ignore[union-attr]


def test_pipeline_applies_the_budgets_before_extraction_and_after() -> None:
    pipeline = Pipeline(Settings(max_chars=1000, max_text_chars=200))
    too_long = pipeline.process(RawDocument("a.txt", "a.txt", "Title\n\n" + "word " * 300, "text"))
    assert isinstance(too_long, Rejected) and too_long.stage == "ingest" and "max_chars" in too_long.reason
    long_text = pipeline.process(RawDocument("b.txt", "b.txt", "Title\n\n" + "Words here. " * 50, "text"))
    assert isinstance(long_text, Rejected) and long_text.stage == "clean"
    assert "max_text_chars" in long_text.reason


@settings(max_examples=60, deadline=None)
@given(
    depth=st.integers(min_value=1, max_value=30_000),
    opener=st.sampled_from(["[", '{"a":']),
    as_lines=st.booleans(),
)
def test_any_json_nesting_is_a_document_or_a_rejection(depth: int, opener: str, as_lines: bool) -> None:
    closer = "]" if opener == "[" else "}"
    inner = opener * depth + ("" if opener == "[" else "1") + closer * depth
    record = '{"text": "Body of the article.", "extra": ' + inner + "}"
    payload = (record + "\n" + record) if as_lines else record
    items = list(read_inputs(["-"], stdin=io.BytesIO(payload.encode())))
    assert items and all(isinstance(item, RawDocument | Rejected) for item in items)
    assert len(items) == (2 if as_lines else 1)


def test_a_document_over_its_time_budget_is_rejected_and_the_next_one_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    import newsloom.pipeline as pipeline_module
    from newsloom.config import Settings
    from newsloom.models import RawDocument, Rejected
    from newsloom.pipeline import Pipeline, time_budget

    real = pipeline_module.clean

    def slow_on_trap(doc: RawDocument):  # type: ignore[no-untyped-def]
        if "trap" in doc.content:
            while True:  # a pathological input keeping a parser busy
                time.sleep(0.01)
        return real(doc)

    monkeypatch.setattr(pipeline_module, "clean", slow_on_trap)
    pipe = Pipeline(Settings(max_seconds=0.3))
    good_doc = RawDocument("s", "ok.txt", "Powódź w Kłodzku\n\nWoda opadła w niedzielę rano.\n", "text")
    with time_budget(0):  # first use loads dictionaries: not part of the measured documents
        Pipeline(Settings()).process(good_doc)
    started = time.perf_counter()
    slow = pipe.process(RawDocument("s", "trap.txt", "Title\n\ntrap " * 20, "text"))
    assert isinstance(slow, Rejected) and "longer than 0.3 s" in slow.reason
    assert time.perf_counter() - started < 3
    good = pipe.process(
        RawDocument("s", "ok.txt", "Powódź w Kłodzku\n\nWoda opadła w niedzielę rano.\n", "text")
    )
    assert not isinstance(good, Rejected)


def test_many_rejected_records_of_one_input_are_summarised() -> None:
    from newsloom.models import Rejected
    from newsloom.tracker import summarised

    many = [Rejected(f"big.jsonl:{i}", "clean", "empty text") for i in range(1, 1001)]
    other = [Rejected("feed.xml#2", "language", "und")]
    out = summarised(many + other, per_input=20)
    assert len(out) == 22
    assert out[-1].origin == "big.jsonl" and "980 more" in out[-1].reason and "980 at clean" in out[-1].reason
    assert other[0] in out
