"""Web archives: HTML responses become documents with URL and capture day; everything else is reported."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from newsloom.models import RawDocument, Rejected
from newsloom.stages.warc import is_archive, read_archive

warcio = pytest.importorskip("warcio", reason="the [warc] extra (warcio) is not installed")

PAGE = (
    "<html><head><title>Powódź w Kłodzku</title></head><body><article><h1>Powódź w Kłodzku</h1>"
    "<p>Woda przerwała wał w nocy z soboty na niedzielę, a mieszkańcy zostali ewakuowani.</p></article></body></html>"
)


def _write_archive(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        records = [
            ("https://news.example/klodzko", "200 OK", "text/html; charset=utf-8", PAGE.encode("utf-8")),
            ("https://news.example/missing", "404 Not Found", "text/html", b"<html>gone</html>"),
            ("https://news.example/report.pdf", "200 OK", "application/pdf", b"%PDF-1.4"),
        ]
        for url, status, kind, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-09-15T08:30:00Z"},
            )  # fmt: skip
            writer.write_record(record)
        writer.write_record(
            writer.create_warc_record("https://news.example/klodzko", "request", payload=io.BytesIO(b"GET /"))
        )


def test_archive_records_become_documents_or_reasons(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_archive(path)
    assert is_archive(path)
    items = list(read_archive(path, max_bytes=1_000_000))
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert len(docs) == 1 and docs[0].url == "https://news.example/klodzko"
    assert docs[0].published == "2024-09-15" and "Kłodzku" in docs[0].content and docs[0].format == "html"
    reasons = sorted(r.reason for r in rejected)
    assert len(reasons) == 2 and "404" in reasons[0] and "application/pdf" in reasons[1]
    assert all(r.origin.startswith(str(path) + "#") for r in rejected)


def test_oversized_page_is_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_archive(path)
    items = list(read_archive(path, max_bytes=50))
    assert not any(isinstance(i, RawDocument) for i in items)
    assert any("larger than 50 bytes" in i.reason for i in items if isinstance(i, Rejected))


def test_a_damaged_archive_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_archive(path)
    data = path.read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data + b"\x1f\x8b garbage that is not a record")
    items = list(read_archive(broken, max_bytes=1_000_000))
    assert sum(isinstance(i, RawDocument) for i in items) == 1
    assert sum(isinstance(i, Rejected) for i in items) == 3  # the 404, the PDF, and the damaged tail


def test_ingest_reads_archives_in_folders(tmp_path: Path) -> None:
    from newsloom.stages.ingest import read_inputs

    _write_archive(tmp_path / "crawl.warc.gz")
    items = list(read_inputs([str(tmp_path)]))
    assert sum(isinstance(i, RawDocument) for i in items) == 1
    assert sum(isinstance(i, Rejected) for i in items) == 2
