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

import errno
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
from newsloom.stages.warc import is_archive, read_archive

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_LISTED", "decode_bytes", "over_budget", "read_inputs"]

#: Inputs larger than this (20 MiB) are rejected without being read in full.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Rejected records listed per input before the rest are counted in one summary line.
DEFAULT_MAX_LISTED = 20
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
    paths: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    follow_links: bool = False,
    max_listed: int = DEFAULT_MAX_LISTED,
) -> Iterator[RawDocument | Rejected]:
    """Yield one :class:`RawDocument` per article found in ``paths`` and one :class:`Rejected` per bad input.

    Folders are walked in sorted order (iteratively: any depth), skipping hidden files and folders; ``-`` reads
    ``stdin``. Only regular files are opened: pipes, devices and sockets are rejected unread. A symbolic link
    inside a folder is read only when it points inside that folder, unless ``follow_links`` (then folder links
    are walked too, each real folder once). Files larger than ``max_bytes`` (default 20 MiB) are rejected
    unread. Each input is isolated: a parser crash, a recursion or memory error becomes that input's rejection;
    one input lists at most ``max_listed`` rejected records, then one line with the count of the others.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Flood in Wrocław\\n\\nThe Oder rose overnight.", encoding="utf-8")
    >>> [doc.format for doc in read_inputs([str(folder)])]
    ['text']
    """
    for given in paths:
        if given == "-":
            yield from _isolated(STDIN, _read_stdin(stdin, max_bytes), max_listed)
        else:
            yield from _read_path(given, max_bytes, follow_links, max_listed)


def _isolated(
    origin: str, items: Iterator[RawDocument | Rejected], max_listed: int
) -> Iterator[RawDocument | Rejected]:
    """Run one input's reader so that no failure escapes it, listing at most ``max_listed`` rejections."""
    unlisted = 0
    listed = 0
    try:
        for item in items:
            if isinstance(item, Rejected):
                if listed >= max_listed:
                    unlisted += 1
                    continue
                listed += 1
            yield item
    except RecursionError:
        yield Rejected(origin, STAGE, "nested too deeply to parse (recursion limit reached)")
    except MemoryError:
        yield Rejected(origin, STAGE, "too large to parse in the memory available")
    except Exception as err:  # any parser bug on hostile bytes stays this input's problem
        yield Rejected(origin, STAGE, f"cannot parse: {type(err).__name__}: {err}")
    if unlisted:
        yield Rejected(
            origin,
            STAGE,
            f"{unlisted} more rejected record(s) in this input (only the first {max_listed} listed)",
        )


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


def _read_path(
    given: str, max_bytes: int, follow_links: bool, max_listed: int
) -> Iterator[RawDocument | Rejected]:
    path = Path(given)
    given = _printable(given)
    try:
        info = path.stat()  # a path the user named is followed even when it is a link
    except OSError as err:
        yield Rejected(given, STAGE, f"cannot open: {_os_reason(err)}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, max_bytes, follow_links, max_listed)
    else:
        yield from _isolated(given, _read_file(given, path, max_bytes, explicit=True), max_listed)


def _walk(
    folder: Path, max_bytes: int, follow_links: bool, max_listed: int
) -> Iterator[RawDocument | Rejected]:
    """Depth-first, sorted, with an explicit stack: a folder nested 10,000 deep cannot exhaust recursion."""
    root = os.path.realpath(folder)
    seen: set[tuple[int, int]] = set()  # real folders already walked: link cycles end here
    stack: list[Iterator[os.DirEntry[str]]] = []
    rejection = _push_folder(stack, str(folder), seen)
    if rejection is not None:
        yield rejection
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        kind, reason = _classify(entry, root, follow_links)
        if kind == "skip":
            yield Rejected(_printable(entry.path), STAGE, reason)
        elif kind == "dir":
            rejection = _push_folder(stack, entry.path, seen)
            if rejection is not None:
                yield rejection
        else:
            name = _printable(entry.path)
            yield from _isolated(
                name, _read_file(name, Path(entry.path), max_bytes, explicit=False), max_listed
            )


def _push_folder(
    stack: list[Iterator[os.DirEntry[str]]], path: str, seen: set[tuple[int, int]]
) -> Rejected | None:
    try:
        info = os.stat(path)
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return Rejected(_printable(path), STAGE, "folder already read through another link (link cycle)")
        seen.add(key)
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as err:
        return Rejected(_printable(path), STAGE, f"cannot list folder: {_os_reason(err)}")
    stack.append(iter(entries))
    return None


def _classify(entry: os.DirEntry[str], root: str, follow_links: bool) -> tuple[str, str]:
    """``("dir" | "file" | "skip", reason)`` for one folder entry; links are checked before being followed."""
    try:
        if not entry.is_symlink():
            return ("dir", "") if entry.is_dir(follow_symlinks=False) else ("file", "")
        target = os.path.realpath(entry.path)
        info = os.stat(entry.path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "skip", "symbolic link loop"
        if err.errno == errno.ENOENT:
            return "skip", "broken symbolic link (its target does not exist)"
        return "skip", f"cannot open: {_os_reason(err)}"
    inside = target == root or target.startswith(root.rstrip(os.sep) + os.sep)
    if not (inside or follow_links):
        return "skip", "symbolic link to a path outside the input folder is not followed (use --follow-links)"
    if stat.S_ISDIR(info.st_mode):
        if not follow_links:
            return "skip", "symbolic link to a folder is not followed (use --follow-links)"
        return "dir", ""
    return "file", ""


def _printable(path: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 become ``\\xff`` (the store and terminals need text)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _os_reason(err: OSError) -> str:
    return str(err.strerror or err)


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a regular file")
    return f"not a regular file ({kind}); skipped unread"


def _read_file(name: str, path: Path, max_bytes: int, *, explicit: bool) -> Iterator[RawDocument | Rejected]:
    try:
        info = path.stat()
    except OSError as err:
        yield Rejected(name, STAGE, f"cannot open: {_os_reason(err)}")
        return
    special = _not_regular(info.st_mode)
    if special:  # a pipe would block the open or the read forever; a device can be endless
        yield Rejected(name, STAGE, special)
        return
    if is_archive(path):  # streamed record by record: the size limit applies to each page, not the archive
        yield from read_archive(path, max_bytes, decode_bytes)
        return
    suffix = path.suffix.lower()
    known = suffix in _TEXT_EXT or suffix in _JSON_EXT or suffix in _JSONL_EXT or suffix in _FEED_EXT
    if not known and not (explicit and not suffix):
        kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
        yield Rejected(name, STAGE, kind)
        return
    if info.st_size > max_bytes:
        yield Rejected(name, STAGE, f"file is larger than the limit ({info.st_size} > {max_bytes} bytes)")
        return
    try:
        data = _read_regular(path, max_bytes)
    except OSError as err:
        yield Rejected(name, STAGE, f"cannot read: {_os_reason(err)}")
        return
    except _NotRegular as err:
        yield Rejected(name, STAGE, str(err))
        return
    if len(data) > max_bytes:  # the file grew after stat
        yield Rejected(name, STAGE, f"file is larger than the limit of {max_bytes} bytes")
        return
    yield from _parse_bytes(data, name, name, suffix or None)


class _NotRegular(Exception):
    """The path was swapped for a special file between the check and the open."""


def _read_regular(path: Path, max_bytes: int) -> bytes:
    # O_NONBLOCK: should a pipe replace the file after the check, opening it cannot block; fstat then refuses it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        special = _not_regular(os.fstat(handle.fileno()).st_mode)
        if special:
            raise _NotRegular(special)
        return handle.read(max_bytes + 1)


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
            _loads(text)
        except _TooDeep:
            return ".json"  # read as JSON again, it becomes JSON Lines or a rejection naming the depth
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


def _loads(text: str) -> Any:
    """``json.loads`` with nesting beyond the parser's recursion limit reported as a plain ``ValueError``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise _TooDeep("invalid JSON: nested too deeply to parse (recursion limit reached)") from None


class _TooDeep(ValueError):
    """JSON nested deeper than the parser's recursion limit."""


def _parse_json(text: str, source: str, origin: str) -> Iterator[RawDocument | Rejected]:
    try:
        value = _loads(text)
    except _TooDeep as err:
        if (
            "\n" in text.strip()
        ):  # maybe one object per line, only some of them too deep: read it as JSON Lines
            yield from _parse_jsonl(text, source, origin)
        else:
            yield Rejected(origin, STAGE, str(err))
        return
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
            value = _loads(line)
        except _TooDeep as err:
            yield Rejected(where, STAGE, str(err))
            continue
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


def over_budget(doc: RawDocument, *, max_chars: int, max_tags: int) -> Rejected | None:
    """A rejection when one document is too big to clean and analyse in bounded time and memory, else None.

    The byte limit on files does not bound the work: one 19 MB line or millions of tags decode to a document
    that extraction and analysis would take many minutes and gigabytes over.

    >>> over_budget(RawDocument("a.html", "a.html", "<b>x</b>" * 3, "html"), max_chars=100, max_tags=4).reason
    'HTML has 6 tags, more than the limit of 4; raise max_tags to accept it'
    """
    if len(doc.content) > max_chars:
        return Rejected(
            doc.origin,
            STAGE,
            f"text is longer than the limit ({len(doc.content)} > {max_chars} characters after decoding); "
            "raise max_chars to accept it",
        )
    if doc.format == "html":
        tags = doc.content.count("<")  # an upper bound on the elements, counted at C speed
        if tags > max_tags:
            return Rejected(
                doc.origin,
                STAGE,
                f"HTML has {tags} tags, more than the limit of {max_tags}; raise max_tags to accept it",
            )
    return None
