"""Read input files, folders and standard input into :class:`RawDocument` items, or :class:`Rejected` ones.

Every bad input (missing path, unreadable file, binary data, broken JSON line, broken feed) becomes a
``Rejected(origin, "ingest", reason)`` and the rest of the inputs are still read: one bad file never stops a run.

Formats by extension: ``.txt`` text, ``.html``/``.htm`` HTML, ``.json`` (one object or a list of objects),
``.jsonl``/``.ndjson`` (one object per line), ``.xml``/``.rss``/``.atom`` RSS or Atom feeds. JSON objects use
the documented fields ``text`` (or ``html``), ``title``, ``url``, ``published``, ``source`` (the publisher, stored
as ``site``) and ``language``; any other field is ignored. Standard input (``-``) and explicitly named files
without an extension are sniffed.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from newsloom.errors import InputError
from newsloom.models import DocumentFormat, RawDocument, Rejected

__all__ = ["DEFAULT_MAX_BYTES", "decode_bytes", "read_inputs"]

#: Inputs larger than this (20 MiB) are rejected without being read in full.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STAGE = "ingest"
STDIN = "<stdin>"

_TEXT_EXT = {".txt": "text", ".html": "html", ".htm": "html"}
_JSON_EXT = {".json"}
_JSONL_EXT = {".jsonl", ".ndjson"}
_FEED_EXT = {".xml", ".rss", ".atom"}
_FIELDS = ("title", "url", "published", "source", "language")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Single-byte code pages used by the languages newsloom reads; charset-normalizer's guess is tried first.
_FALLBACK_ENCODINGS = ("cp1250", "iso-8859-2", "cp1252", "cp1251", "koi8-r")
# Accented Latin letters of the languages news arrives in (pl cs sk ro de fr es it pt hu tr nl sv ...).
_PLAUSIBLE_LATIN = frozenset(
    "ąćęłńóśźżčďěňřšťůžýáéíúäöüßàâçèêëîïôûùÿœæășşțţñìòõãĺľŕőűğıåøéíñ"
    + "ąćęłńóśźżčďěňřšťůžýáéíúäöüàâçèêëîïôûùÿœæășşțţñìòõãĺľŕőűğåøİ".upper()
)
_SINGLE_BYTE = ("cp12", "windows12", "iso8859", "latin", "koi8", "mac")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p|h[1-6])\b", re.I)
_FEED_SNIFF = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.I)
_TAG = re.compile(r"<[A-Za-z/!][^>]*>")
_SNIFF_BYTES = 8192
_SCORE_CHARS = 65536
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


def read_inputs(
    paths: Sequence[str], *, stdin: BinaryIO | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | Rejected]:
    """Yield one :class:`RawDocument` per article found in ``paths`` and one :class:`Rejected` per bad input.

    Folders are walked recursively in sorted order, skipping hidden files and folders; ``-`` reads ``stdin``.
    Files larger than ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`, 20 MiB) are rejected unread.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Flood in Wrocław\\n\\nThe Oder rose overnight.", encoding="utf-8")
    >>> [doc.format for doc in read_inputs([str(folder)])]
    ['text']
    """
    for given in paths:
        if given == "-":
            yield from _read_stdin(stdin, max_bytes)
        else:
            yield from _read_path(given, max_bytes)


def _read_stdin(stdin: BinaryIO | None, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    if stdin is None:
        yield Rejected(STDIN, STAGE, "standard input was requested with '-' but none is available")
        return
    try:
        data = stdin.read(max_bytes + 1)
    except OSError as err:
        yield Rejected(STDIN, STAGE, f"cannot read standard input: {err.strerror or err}")
        return
    if len(data) > max_bytes:
        yield Rejected(STDIN, STAGE, f"standard input is larger than the limit of {max_bytes} bytes")
        return
    yield from _parse_bytes(data, STDIN, STDIN, None)


def _read_path(given: str, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    path = Path(given)
    try:
        info = path.stat()
    except OSError as err:
        yield Rejected(given, STAGE, f"cannot open: {err.strerror or err}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, max_bytes)
    else:
        yield from _read_file(given, path, max_bytes, explicit=True)


def _walk(folder: Path, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as err:
        yield Rejected(str(folder), STAGE, f"cannot list folder: {err.strerror or err}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        try:
            # Symlinked folders are not followed, so a link cycle cannot loop forever.
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as err:
            yield Rejected(str(child), STAGE, f"cannot open: {err.strerror or err}")
            continue
        if is_dir:
            yield from _walk(child, max_bytes)
        else:
            yield from _read_file(str(child), child, max_bytes, explicit=False)


def _read_file(name: str, path: Path, max_bytes: int, *, explicit: bool) -> Iterator[RawDocument | Rejected]:
    suffix = path.suffix.lower()
    known = suffix in _TEXT_EXT or suffix in _JSON_EXT or suffix in _JSONL_EXT or suffix in _FEED_EXT
    if not known and not (explicit and not suffix):
        kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
        yield Rejected(name, STAGE, kind)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Rejected(name, STAGE, f"file is larger than the limit ({size} > {max_bytes} bytes)")
            return
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        yield Rejected(name, STAGE, f"cannot read: {err.strerror or err}")
        return
    if len(data) > max_bytes:  # the file grew after stat, or stat lied (special files)
        yield Rejected(name, STAGE, f"file is larger than the limit of {max_bytes} bytes")
        return
    yield from _parse_bytes(data, name, name, suffix or None)


def _parse_bytes(
    data: bytes, source: str, origin: str, suffix: str | None
) -> Iterator[RawDocument | Rejected]:
    if not data.strip():
        yield Rejected(origin, STAGE, "empty file")
        return
    if suffix in _FEED_EXT:
        yield from _parse_feed(data, source, origin)
        return
    try:
        text = decode_bytes(data)
    except InputError as err:
        yield Rejected(origin, STAGE, str(err))
        return
    if not text.strip():
        yield Rejected(origin, STAGE, "empty file")
        return
    kind = _sniff(text) if suffix is None else suffix
    if kind == "feed":
        yield from _parse_feed(data, source, origin)
    elif kind in _JSON_EXT:
        yield from _parse_json(text, source, origin)
    elif kind in _JSONL_EXT:
        yield from _parse_jsonl(text, source, origin)
    else:
        fmt: DocumentFormat = "html" if _TEXT_EXT.get(kind) == "html" else "text"
        yield RawDocument(source=source, origin=origin, content=text, format=fmt)


def _sniff(text: str) -> str:
    """Guess the kind of unnamed content: ``.json``, ``.jsonl``, ``feed``, ``.html`` or ``.txt``."""
    head = text.lstrip()[:_SNIFF_BYTES]
    if head.startswith("["):
        return ".json"
    if head.startswith("{"):
        try:
            json.loads(text)
        except ValueError:
            return ".jsonl"
        return ".json"
    if head.startswith("<"):
        if _FEED_SNIFF.search(head):
            return "feed"
        if _HTML_SNIFF.search(head):
            return ".html"
    return ".txt"


def decode_bytes(data: bytes) -> str:
    """Decode ``data`` as text: BOMs first, then UTF-8, then the most plausible single-byte code page.

    Raises :class:`InputError` (its message is the reason) for binary data or bytes no encoding fits.

    >>> decode_bytes("Příliš žluťoučký kůň".encode("cp1250"))
    'Příliš žluťoučký kůň'
    >>> decode_bytes("Привет, мир".encode("koi8-r"))
    'Привет, мир'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_printable(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as err:
                raise InputError(f"invalid {encoding} text after its byte order mark: {err.reason}") from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError("binary file")
    try:
        return _check_printable(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best: tuple[float, int, str] | None = None
    for rank, encoding in enumerate(_candidate_encodings(data)):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = (_implausibility(text[:_SCORE_CHARS]), rank, text)  # a sample: scoring is a Python loop
        if best is None or score[:2] < best[:2]:
            best = score
    if best is None:
        raise InputError("no supported text encoding fits the bytes")
    return _check_printable(best[2])


def _candidate_encodings(data: bytes) -> list[str]:
    declared = _META_CHARSET.search(data[:_SNIFF_BYTES])
    guesses = [declared.group(1).decode("ascii").lower()] if declared else []
    from charset_normalizer import from_bytes  # imported here: it loads its tables on first use

    best = from_bytes(data[:65536]).best()
    if best is not None:
        guesses.append(best.encoding)
    # Only single-byte European code pages: on short texts the detector also proposes CJK encodings that
    # turn Cyrillic into plausible-looking kana.
    supported = [name for name in guesses if name.replace("-", "").replace("_", "").startswith(_SINGLE_BYTE)]
    return [*dict.fromkeys([*supported, *_FALLBACK_ENCODINGS])]


def _implausibility(text: str) -> float:
    """Penalty per letter for signs of a wrong code page: control characters, symbols or script or case
    changes inside words, and a mostly upper-case text (what cp1251 read as koi8-r looks like)."""
    penalty = 0.0
    letters = uppers = 0
    prev = ""
    prev_script = ""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category[0] == "L":
            letters += 1
            script = "cyr" if "\u0400" <= char <= "\u04ff" else "lat" if char < "\u0250" else "other"
            if prev_script and prev_script != script:
                penalty += 2.0
            if script == "lat" and not char.isascii() and char not in _PLAUSIBLE_LATIN:
                penalty += 1.0  # "Kģodzku": a letter of a language the other candidates did not pick
            if category == "Lu":
                uppers += 1
                if prev and unicodedata.category(prev) == "Ll":
                    penalty += 2.0
            prev_script = script
        else:
            prev_script = ""
            if (category == "Cc" and char not in _ALLOWED_CONTROLS) or category in ("Co", "Cn"):
                penalty += 5.0
            elif not char.isascii() and category not in ("Zs", "Nd"):
                if prev.isalpha() and text[index + 1 : index + 2].isalpha():
                    penalty += 3.0  # "K³odzku", "lu»oučký": a symbol inside a word
                elif category in ("So", "Sk", "Sm", "No"):
                    penalty += 1.0  # "©", "±", "¼" are rare in news text, common in mis-decoded text
        prev = char
    if letters >= 20 and uppers > 0.6 * letters:
        penalty += 0.5 * letters
    return penalty / max(letters, 1)


def _check_printable(text: str) -> str:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return text
    bad = sum(1 for char in sample if unicodedata.category(char)[0] == "C" and char not in _ALLOWED_CONTROLS)
    if bad > 0.05 * len(sample):
        raise InputError("binary file")
    return text


def _parse_json(text: str, source: str, origin: str) -> Iterator[RawDocument | Rejected]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":  # several objects, one per line: read it as JSON Lines
            yield from _parse_jsonl(text, source, origin)
        else:
            yield Rejected(f"{origin}:{err.lineno}", STAGE, f"invalid JSON: {err.msg} (column {err.colno})")
        return
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield _from_object(item, source, f"{origin}#{number}")
    else:
        yield _from_object(value, source, origin)


def _parse_jsonl(text: str, source: str, origin: str) -> Iterator[RawDocument | Rejected]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejected(where, STAGE, f"invalid JSON: {err.msg} (column {err.colno})")
            continue
        yield _from_object(value, source, where)


def _from_object(value: Any, source: str, origin: str) -> RawDocument | Rejected:
    if not isinstance(value, dict):
        return Rejected(origin, STAGE, f"expected a JSON object, got {type(value).__name__}")
    fields = {name: _scalar(value.get(name)) for name in _FIELDS}
    text, html = value.get("text"), value.get("html")
    if isinstance(text, str) and text.strip():
        content, fmt = text, "json"
    elif isinstance(html, str) and html.strip():
        content, fmt = html, "html"
    else:
        return Rejected(origin, STAGE, "missing or empty 'text' field (or 'html')")
    return RawDocument(
        source=source,
        origin=origin,
        content=content,
        format=fmt,  # type: ignore[arg-type]  # one of the two literals above
        title=fields["title"],
        url=fields["url"],
        published=fields["published"],
        site=fields["source"],
        language=fields["language"],
    )


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _parse_feed(data: bytes, source: str, origin: str) -> Iterator[RawDocument | Rejected]:
    import feedparser  # imported here: it is only needed for feeds

    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as err:  # feedparser raises assorted parser errors on hostile input
        yield Rejected(origin, STAGE, f"cannot parse feed: {err}")
        return
    entries = list(parsed.get("entries", []))
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        if not entries:
            yield Rejected(origin, STAGE, f"not a valid RSS/Atom feed: {error}")
            return
        yield Rejected(origin, STAGE, f"feed XML is broken ({error}); {len(entries)} entries recovered")
    if not entries and not parsed.get("bozo"):
        yield Rejected(origin, STAGE, "feed has no entries")
    for number, entry in enumerate(entries, start=1):
        yield _from_entry(entry, source, f"{origin}#{number}")


def _from_entry(entry: Any, source: str, origin: str) -> RawDocument | Rejected:
    contents = entry.get("content") or []
    body = contents[0].get("value", "") if contents else ""
    if not (isinstance(body, str) and body.strip()):
        body = entry.get("summary", "")
    if not (isinstance(body, str) and body.strip()):
        return Rejected(origin, STAGE, "feed entry has no content or summary")
    fmt: DocumentFormat = "html" if _TAG.search(body) else "feed"
    return RawDocument(
        source=source,
        origin=origin,
        content=body,
        format=fmt,
        title=_scalar(entry.get("title")),
        url=_scalar(entry.get("link")),
        published=_feed_date(entry),
    )


def _feed_date(entry: Any) -> str | None:
    """The entry's date as ISO 8601 UTC when feedparser could parse it, else the raw string."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is not None:
        try:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
        except (TypeError, ValueError):
            pass
    return _scalar(entry.get("published") or entry.get("updated"))
