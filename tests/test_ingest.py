"""Tests for the ingest stage: formats, encodings, and every kind of bad input."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.errors import InputError
from newsloom.models import RawDocument, Rejected
from newsloom.stages.ingest import decode_bytes, read_inputs

CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy. Šťastný žák v Ústí nad Labem."
POLISH = "Powódź w Kłodzku: woda przerwała wał, ewakuowano mieszkańców. Źródła mówią o stratach."
RUSSIAN = "Съешь же ещё этих мягких французских булок, да выпей чаю. Путин заявил в четверг."
UKRAINIAN = "Повінь у Києві: мешканці їдуть до родичів, влада оголосила евакуацію."
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example</title>
<item><title>Flood in Wrocław</title><link>https://example.com/a</link>
<pubDate>Wed, 19 Jun 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The Oder rose by two metres overnight.&lt;/p&gt;</description></item>
<item><title>Plain item</title><link>https://example.com/b</link>
<description>The dam held, officials said.</description></item>
</channel></rss>"""


def _docs(items: list[RawDocument | Rejected]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def _rejected(items: list[RawDocument | Rejected]) -> list[Rejected]:
    return [item for item in items if isinstance(item, Rejected)]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (CZECH, "cp1250"),
        (CZECH, "iso-8859-2"),
        (POLISH, "cp1250"),
        (POLISH, "iso-8859-2"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8-r"),
        (UKRAINIAN, "cp1251"),
        (POLISH, "utf-16"),
        (RUSSIAN, "utf-16"),
        (CZECH, "utf-8-sig"),
        (CZECH, "utf-8"),
    ],
)
def test_text_file_encodings_are_detected(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    (doc,) = list(read_inputs([str(path)]))
    assert isinstance(doc, RawDocument)
    assert doc.content == text
    assert doc.format == "text"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_short_russian_decodes_in_both_code_pages(encoding: str) -> None:
    assert decode_bytes("Путин заявил".encode(encoding)) == "Путин заявил"


def test_binary_and_empty_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "b.txt").write_bytes(b"  \n\t \n")
    (tmp_path / "c.txt").write_bytes(b"")
    items = list(read_inputs([str(tmp_path)]))
    reasons = {Path(item.origin).name: item.reason for item in _rejected(items)}
    assert reasons == {"a.txt": "binary file", "b.txt": "empty file", "c.txt": "empty file"}
    assert all(item.stage == "ingest" for item in _rejected(items))


def test_decode_bytes_rejects_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def test_folder_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Second article text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article text.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden too.", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><body><p>Hi there.</p></body></html>", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    items = list(read_inputs([str(tmp_path)]))
    assert [Path(doc.origin).name for doc in _docs(items)] == ["a.txt", "z.txt", "page.html"]
    assert [doc.format for doc in _docs(items)] == ["text", "text", "html"]
    (pdf,) = _rejected(items)
    assert pdf.reason == "unsupported file type .pdf"


def test_explicit_unsupported_and_missing_paths_are_rejected(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    missing = tmp_path / "nope.txt"
    items = list(read_inputs([str(pdf), str(missing)]))
    assert [item.origin for item in _rejected(items)] == [str(pdf), str(missing)]
    assert "unsupported file type .pdf" in _rejected(items)[0].reason
    assert "No such file" in _rejected(items)[1].reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read files without permission")
def test_unreadable_file_is_rejected_and_others_still_read(tmp_path: Path) -> None:
    secret = tmp_path / "a.txt"
    secret.write_text("Secret.", encoding="utf-8")
    secret.chmod(0)
    (tmp_path / "b.txt").write_text("Readable article.", encoding="utf-8")
    try:
        items = list(read_inputs([str(tmp_path)]))
    finally:
        secret.chmod(0o644)
    assert "Permission denied" in _rejected(items)[0].reason
    assert [doc.content for doc in _docs(items)] == ["Readable article."]


def test_too_large_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    (item,) = list(read_inputs([str(path)], max_bytes=100))
    assert isinstance(item, Rejected)
    assert "larger than the limit" in item.reason


def test_jsonl_lines_with_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "First body.", "title": "One", "url": "https://x/1", "published": "2024-06-19"}),
        "{not json",
        json.dumps({"title": "No text"}),
        "",
        json.dumps({"html": "<p>Second body.</p>", "source": "Gazeta", "language": "pl"}),
        json.dumps({"content": "alias fields are not accepted"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_inputs([str(path)]))
    docs, rejected = _docs(items), _rejected(items)
    assert [doc.origin for doc in docs] == [f"{path}:1", f"{path}:5"]
    assert docs[0].title == "One" and docs[0].url == "https://x/1" and docs[0].published == "2024-06-19"
    assert docs[0].format == "json" and docs[0].source == str(path)
    assert docs[1].format == "html" and docs[1].site == "Gazeta" and docs[1].language == "pl"
    assert [item.origin for item in rejected] == [f"{path}:2", f"{path}:3", f"{path}:6"]
    assert "invalid JSON" in rejected[0].reason
    assert "'text'" in rejected[1].reason


def test_json_list_and_single_object(tmp_path: Path) -> None:
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "A."}, 5, {"text": "B."}]), encoding="utf-8")
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": "C.", "title": "T"}), encoding="utf-8")
    items = list(read_inputs([str(many), str(one)]))
    assert [doc.origin for doc in _docs(items)] == [f"{many}#1", f"{many}#3", str(one)]
    assert [item.origin for item in _rejected(items)] == [f"{many}#2"]


def test_rss_feed_items(tmp_path: Path) -> None:
    path = tmp_path / "news.xml"
    path.write_text(RSS, encoding="utf-8")
    docs = _docs(list(read_inputs([str(path)])))
    assert [doc.origin for doc in docs] == [f"{path}#1", f"{path}#2"]
    assert docs[0].title == "Flood in Wrocław" and docs[0].url == "https://example.com/a"
    assert docs[0].format == "html" and "<p>" in docs[0].content
    assert docs[0].published == "2024-06-19T10:00:00Z"
    assert docs[1].format == "feed" and docs[1].content == "The dam held, officials said."


def test_broken_feed_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><title>x</title", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert _docs(items) == []
    assert "feed" in _rejected(items)[0].reason


def test_broken_feed_with_recovered_entries_reports_the_error(tmp_path: Path) -> None:
    path = tmp_path / "half.rss"
    path.write_text(RSS.replace("</channel></rss>", "<item><title>cut &bogus; <"), encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert len(_docs(items)) >= 2
    assert any("broken" in item.reason for item in _rejected(items))


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (json.dumps({"text": "Body."}).encode(), ["json"]),
        ((json.dumps({"text": "A."}) + "\n" + json.dumps({"text": "B."})).encode(), ["json", "json"]),
        (RSS.encode(), ["html", "feed"]),
        (b"<!DOCTYPE html><html><body><p>Body.</p></body></html>", ["html"]),
        ("Zażółć gęślą jaźń.".encode("cp1250"), ["text"]),
    ],
)
def test_stdin_is_sniffed(payload: bytes, expected: list[str]) -> None:
    items = list(read_inputs(["-"], stdin=io.BytesIO(payload)))
    assert [doc.format for doc in _docs(items)] == expected
    assert all(doc.source == "<stdin>" and doc.origin.startswith("<stdin>") for doc in _docs(items))


def test_stdin_lines_are_numbered() -> None:
    payload = (json.dumps({"text": "A."}) + "\n{bad\n").encode()
    items = list(read_inputs(["-"], stdin=io.BytesIO(payload)))
    assert [item.origin for item in items] == ["<stdin>:1", "<stdin>:2"]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ".xml"]))
def test_ingest_never_raises_on_arbitrary_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    items = list(read_inputs([str(path), "-"], stdin=io.BytesIO(data)))
    assert items
    assert all(isinstance(item, RawDocument | Rejected) for item in items)


def test_read_error_is_rejected_with_os_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs as root too (where chmod 0 does not stop reads): the OS error is simulated.
    bad = tmp_path / "a.txt"
    bad.write_text("Secret.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Readable article.", encoding="utf-8")
    real_open = os.open

    def failing_open(path: object, *args: object, **kwargs: object) -> int:
        if Path(str(path)).name == "a.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(os, "open", failing_open)
    items = list(read_inputs([str(tmp_path)]))
    assert _rejected(items) == [Rejected(str(bad), "ingest", "cannot read: Permission denied")]
    assert [doc.content for doc in _docs(items)] == ["Readable article."]
