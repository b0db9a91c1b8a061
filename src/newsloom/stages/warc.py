"""Read web archives (WARC and ARC, gzipped or not; the CC-NEWS layout included) as documents, streaming.

Each HTTP ``response`` record with status 200 and an HTML content type becomes an HTML document with the target
URL and the capture date as metadata (used as the publication date only when the page's own metadata has none). Every other record that carries a page (non-HTML, non-200, a
truncated or undecodable body) is reported as a rejection naming the archive and the record; ``request``,
``metadata`` and ``warcinfo`` records are bookkeeping and skipped silently. Records are read one at a time, so a
multi-GB archive never sits in memory; a page body over ``max_bytes`` is rejected without being read in full.

Needs ``warcio`` (the ``[warc]`` extra).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..models import RawDocument, Rejected

STAGE = "warc"
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def _utf8(data: bytes) -> str:
    return data.decode("utf-8")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def read_archive(
    path: Path, max_bytes: int, decode: Callable[[bytes], str] = _utf8
) -> Iterator[RawDocument | Rejected]:
    """Documents and rejections from the archive at ``path``, in record order; ``decode`` turns a page's bytes
    into text (ingest passes its code-page detection)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        yield Rejected(
            str(path), STAGE, "reading WARC/ARC needs the [warc] extra: pip install 'newsloom[warc]'"
        )
        return
    try:
        with path.open("rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle, arc2warc=True), start=1):
                item = _record(record, path, number, max_bytes, decode)
                if item is not None:
                    yield item
    except Exception as exc:  # a damaged archive: what was read stands, the rest is reported
        yield Rejected(
            str(path), STAGE, f"archive unreadable after its valid records: {type(exc).__name__}: {exc}"
        )


def _record(
    record: Any, path: Path, number: int, max_bytes: int, decode: Callable[[bytes], str]
) -> RawDocument | Rejected | None:
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    origin = f"{path}#{number}"
    if record.rec_type == "response":
        status = record.http_headers.get_statuscode() if record.http_headers else None
        if status != "200":
            return Rejected(origin, STAGE, f"HTTP status {status} for {url or 'a record without URL'}")
        kind = (record.http_headers.get_header("Content-Type") or "").lower()
    else:
        kind = (record.rec_headers.get_header("Content-Type") or "").lower()
    if "html" not in kind:
        return Rejected(origin, STAGE, f"not an HTML page ({kind or 'no content type'}): {url}")
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Rejected(origin, STAGE, f"page larger than {max_bytes} bytes: {url}")
    try:
        text = decode(body)
    except ValueError as exc:
        return Rejected(origin, STAGE, f"undecodable page {url}: {exc}")
    captured = record.rec_headers.get_header("WARC-Date") or ""
    # The page's own date metadata wins (the pipeline prefers it); the capture day stands in when it has none.
    return RawDocument(path.name, origin, text, "html", url=url or None, published=captured[:10] or None)
