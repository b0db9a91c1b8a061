"""A folder of hostile inputs next to good articles, with what newsloom must answer for each.

``build(folder)`` writes the demo corpus's articles (the good ones) and one file per attack: binary, empty,
oversized, invalid UTF-8, NUL bytes, mixed encodings, deep HTML, tag floods, billion-laughs entity expansion,
XXE, malformed JSON/RSS/Atom, deep JSON, a flood of bad records, symbolic link loops and escapes, a FIFO, an
unreadable file and odd file names. It returns, per bad input, a regular expression the rejection reason must
match (``None``: any answer, stored or rejected, is fine as long as there is one). Used by
``tests/test_hostile_corpus.py`` and ``bench/bench_hostile.py``.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "src" / "newsloom" / "data" / "demo"
SECRET = "root:x:0:0"  # what /etc/passwd starts with: must never end up in the store
ARTICLE = (
    "Flood defences hold in Wrocław\n\nThe Oder rose by two metres overnight, officials said on Sunday, and the "
    "city opened shelters for residents of low-lying districts while firefighters pumped water from cellars."
)


@dataclass
class Corpus:
    """What was written: the folder, the good article files and the expected answer per bad input."""

    folder: Path
    good: list[str] = field(default_factory=list)
    bad: dict[str, str | None] = field(default_factory=dict)  # origin (path or path:line) -> reason pattern

    def path(self, name: str) -> Path:
        return self.folder / name

    def expect(self, name: str, pattern: str | None) -> None:
        self.bad[str(self.folder / name)] = pattern


def _nested_html(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + "Deep text of a page." + "</div>" * depth + "</body></html>"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>laughs</title><description>&lol9;</description></item></channel></rss>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title>
<item><title>Leak</title><description>&xxe;</description></item></channel></rss>"""


def _write_good(corpus: Corpus) -> None:
    good = corpus.path("good")
    good.mkdir()
    for source in sorted(DEMO.iterdir()):
        if source.is_file() and not source.name.startswith("."):
            shutil.copyfile(source, good / source.name)
            corpus.good.append(str(good / source.name))


def _write_bytes_attacks(corpus: Corpus, rng: random.Random) -> None:
    corpus.path("binary.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    corpus.expect("binary.txt", "binary")
    corpus.path("empty.txt").write_bytes(b"")
    corpus.expect("empty.txt", "empty")
    corpus.path("blank.html").write_bytes(b" \n\t\r\n ")
    corpus.expect("blank.html", "empty")
    with corpus.path("oversized.txt").open("wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: no disk used, and it must not be read
    corpus.expect("oversized.txt", "larger than the limit")
    corpus.path("nul.txt").write_bytes(b"Title\n\nText \x00 with \x00 NUL bytes " * 20)
    corpus.expect("nul.txt", "binary")
    corpus.path("invalid_utf8.txt").write_bytes(b"Valid start. " * 50 + b"\xff\xfe\xc3\x28\xa0\xa1" * 20)
    corpus.expect("invalid_utf8.txt", None)
    mixed = ("Zażółć gęślą jaźń. " * 30).encode() + ("Příliš žluťoučký kůň. " * 30).encode("cp1250")
    corpus.path("mixed_encodings.txt").write_bytes(mixed)
    corpus.expect("mixed_encodings.txt", None)
    corpus.path("bom_utf16_broken.txt").write_bytes(b"\xff\xfe" + b"A\x00" * 100 + b"\x00\xd8")
    corpus.expect("bom_utf16_broken.txt", "invalid utf-16")


def _write_size_attacks(corpus: Corpus) -> None:
    corpus.path("deep.html").write_text(_nested_html(100_000), encoding="utf-8")
    corpus.expect("deep.html", "tags")
    corpus.path("deep_small.html").write_text(_nested_html(5_000), encoding="utf-8")
    corpus.expect("deep_small.html", None)
    corpus.path("tag_flood.html").write_text("<p>x</p>" * 250_000, encoding="utf-8")  # 2M characters
    corpus.expect("tag_flood.html", "tags")
    corpus.path("long_line.txt").write_text("Title\n\n" + "word " * 3_980_000, encoding="utf-8")  # 19.9 MB
    corpus.expect("long_line.txt", "max_chars")
    long_text = "Ulewne deszcze zalały centrum miasta i strażacy pompowali wodę. " * 6_000  # 390k chars
    corpus.path("long_text.jsonl").write_text(json.dumps({"title": "Long", "text": long_text}) + "\n")
    corpus.expect("long_text.jsonl:1", "max_text_chars")


def _write_structure_attacks(corpus: Corpus) -> None:
    corpus.path("billion_laughs.xml").write_text(BILLION_LAUGHS, encoding="utf-8")
    corpus.expect("billion_laughs.xml", None)
    corpus.path("xxe.rss").write_text(XXE, encoding="utf-8")
    corpus.expect("xxe.rss", None)
    corpus.path("malformed.json").write_text('{"text": "unterminated', encoding="utf-8")
    corpus.expect("malformed.json:1", "invalid JSON")
    corpus.path("malformed.rss").write_text("<rss><channel><item><title>cut", encoding="utf-8")
    corpus.expect("malformed.rss", "feed")
    corpus.path("malformed.atom").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title', "utf-8"
    )
    corpus.expect("malformed.atom", "feed")
    corpus.path("deep.json").write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    corpus.expect("deep.json", "nested too deeply")
    deep_line = '{"text": ' + "[" * 10_000 + "]" * 10_000 + "}"
    corpus.path("deep.jsonl").write_text(f"{deep_line}\n{json.dumps({'text': ARTICLE})}\n", encoding="utf-8")
    corpus.expect("deep.jsonl:1", "nested too deeply")
    corpus.good.append(str(corpus.path("deep.jsonl")) + ":2")
    corpus.path("flood.jsonl").write_text("{}\n" * 100_000, encoding="utf-8")
    corpus.expect("flood.jsonl", "more rejected record")  # the summary line; the first 20 are listed too
    corpus.path("not_object.json").write_text("[1, 2, 3]", encoding="utf-8")
    for number in (1, 2, 3):
        corpus.expect(f"not_object.json#{number}", "expected a JSON object")


def _write_file_system_attacks(corpus: Corpus) -> None:
    os.symlink("loop.txt", corpus.path("loop.txt"))
    corpus.expect("loop.txt", "loop")
    os.symlink("/etc/passwd", corpus.path("passwd.txt"))
    corpus.expect("passwd.txt", "outside the input folder")
    os.symlink("/etc", corpus.path("etc"))
    corpus.expect("etc", "outside the input folder")
    os.symlink(".", corpus.path("cycle"))
    corpus.expect("cycle", "not followed")
    os.symlink("missing.txt", corpus.path("dangling.txt"))
    corpus.expect("dangling.txt", "broken")
    if hasattr(os, "mkfifo"):
        os.mkfifo(corpus.path("a.txt"))
        corpus.expect("a.txt", "named pipe")
    unreadable = corpus.path("unreadable.txt")
    unreadable.write_text(ARTICLE.replace("Wrocław", "Opole"), encoding="utf-8")
    unreadable.chmod(0)
    corpus.expect("unreadable.txt", None)  # root reads it anyway
    corpus.path("report.pdf").write_bytes(b"%PDF-1.4 binary")
    corpus.expect("report.pdf", "unsupported file type")


def _write_odd_names(corpus: Corpus) -> None:
    odd = corpus.path("odd")
    odd.mkdir()
    names = [
        "new\nline.txt",
        "\x1b]52;c;cHduZWQ=\x07\x1b[2J.txt",
        "\u202etxt.exe.txt",
        "-rf --no-preserve-root.txt",
        "x" * 240 + ".txt",
        "spaces  and 'quotes\".txt",
    ]
    for number, name in enumerate(names):
        (odd / name).write_text(ARTICLE.replace("Sunday", f"Sunday, case {number}"), encoding="utf-8")
        corpus.good.append(str(odd / name))
    raw = os.fsencode(str(odd)) + b"/\xff\xfe-not-utf8.txt"  # a name that is not valid UTF-8
    with open(raw, "wb") as handle:
        handle.write(ARTICLE.replace("Sunday", "Monday").encode())
    corpus.expect("odd/\\xff\\xfe-not-utf8.txt", None)  # stored under a printable name


def build(folder: Path, *, seed: int = 7) -> Corpus:
    """Write the hostile corpus into the (empty) ``folder`` and say what each input must be answered with."""
    corpus = Corpus(folder)
    rng = random.Random(seed)
    _write_good(corpus)
    _write_bytes_attacks(corpus, rng)
    _write_size_attacks(corpus)
    _write_structure_attacks(corpus)
    _write_file_system_attacks(corpus)
    _write_odd_names(corpus)
    return corpus


def restore(corpus: Corpus) -> None:
    """Make the unreadable file removable again (a temporary folder's clean-up needs it)."""
    with_mode = corpus.path("unreadable.txt")
    if with_mode.exists():
        with_mode.chmod(0o644)


def check(corpus: Corpus, stored: set[str], rejected: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Good inputs not stored and bad inputs not answered as expected, given the stored article origins and
    the ``(origin, reason)`` rejections. A file of several records is stored as ``path#N`` or ``path:N``."""

    def belongs(found: str, origin: str) -> bool:
        return found == origin or found.startswith((origin + "#", origin + ":"))

    missing = [good for good in corpus.good if not any(belongs(o, good) for o in stored)]
    unanswered = []
    for origin, pattern in corpus.bad.items():
        reasons = [reason for found, reason in rejected if belongs(found, origin)]
        if pattern is None:
            answered = bool(reasons) or any(belongs(o, origin) for o in stored)
        else:
            answered = any(re.search(pattern, reason, re.I) for reason in reasons) and origin not in stored
        if not answered:
            unanswered.append(origin)
    return missing, unanswered
