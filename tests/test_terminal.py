"""Untrusted text cannot act on the analyst's terminal: escapes, controls and bidi overrides are neutralised."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsloom.cli import main
from newsloom.store import SQLiteStore
from newsloom.terminal import UNSAFE, plain, safe

# What a terminal acts on: every escape sequence starts with ESC (or a C1 control); BEL ends an OSC.
DANGEROUS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
CLEAR = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
BIDI = "\u202etxt.exe\u202c \u2067isolate\u2069"
C1_CSI = "\x9b31m"
HOSTILE_TITLE = f"Flood{CLEAR} in Wrocław{CLIPBOARD} {BIDI} {C1_CSI}\r\x08\x7f"

text_with_controls = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(["\x1b", "\x07", "\x9b", "\x9d", "\r", "\n", "\t", "\u202e", "\u2066", "\x00"]),
    )
)


@given(text_with_controls)
def test_safe_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = safe(text)
    assert not DANGEROUS.search(shown)
    assert safe(shown) == shown  # idempotent: sanitising twice changes nothing
    assert shown.count("\n") == text.count("\n") and shown.count("\t") == text.count("\t")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe(text) == text
    assert plain(text) == text


@given(text_with_controls)
def test_plain_removes_and_keeps_the_rest_in_order(text: str) -> None:
    cleaned = plain(text)
    assert not UNSAFE.search(cleaned)
    assert cleaned == "".join(ch for ch in text if not UNSAFE.match(ch))


def test_escapes_are_visible_not_dropped() -> None:
    assert safe(CLIPBOARD) == "\\x1b]52;c;ZWNobyBwd25lZA==\\x07"
    assert safe("\u202eabc") == "\\u202eabc"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def hostile_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NEWSLOOM_ANALYZE", "false")
    body = "Ulewne deszcze zalały centrum miasta. Strażacy wypompowują wodę z piwnic od niedzieli rana."
    record = {"title": HOSTILE_TITLE, "text": body, "url": f"https://x/{CLIPBOARD}"}
    feed = tmp_path / f"in{CLEAR}.jsonl"
    feed.write_text(json.dumps(record) + "\n{bad\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    assert run("ingest", str(feed), "--db", db)[0] == 1
    return db


def test_human_readable_commands_print_no_escape_sequences(
    hostile_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = hostile_store
    outputs = [run("articles", "--db", db)[1], run("search", "wroclaw", "--db", db)[1]]
    article_id = outputs[0].split()[0]
    outputs.append(run("show", article_id, "--db", db)[1])
    outputs.append(run("rejections", "--db", db)[1])
    outputs.append(capsys.readouterr().err)
    assert "Flood" in outputs[0] and "\\x1b[2J" in outputs[2]
    for output in outputs:
        assert not DANGEROUS.search(output), repr(output)


def test_json_export_keeps_the_original_text_escaped_as_json(hostile_store: str) -> None:
    code, out = run("export", "--format", "json", "--db", hostile_store)
    assert code == 0
    assert "\x1b" not in out  # JSON escapes C0 controls itself
    (article,) = json.loads(out)["articles"]
    assert CLIPBOARD in article["url"]


def test_error_messages_are_sanitised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    SQLiteStore(tmp_path / "t.db").close()
    code, _ = run("show", f"nope{CLIPBOARD}", "--db", str(tmp_path / "t.db"))
    err = capsys.readouterr().err
    assert code == 2 and "nope" in err and not DANGEROUS.search(err)
