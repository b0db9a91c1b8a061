"""The command line over the facade: ingest, listing, search, show, export, bad input, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from newsloom.cli import main
from newsloom.export import SCHEMA_PATH
from newsloom.store import SQLiteStore

PL = (
    "Powódź w Łodzi: woda zalała ulice\n"
    "date 2024-09-15\n\n"
    "Ulewne deszcze zalały w niedzielę centrum Łodzi. Strażacy wypompowują wodę z piwnic, a prezydent miasta "
    "zapowiedział pomoc dla mieszkańców. Według meteorologów opady potrwają jeszcze co najmniej dwa dni.\n"
    "Zaloguj się\n"
)
CS = (
    "Povodně na Opavsku: voda je příliš vysoko\n"
    "15. září 2024\n\n"
    "Hladina řeky Opavy v neděli překročila třetí stupeň povodňové aktivity. Hasiči evakuovali desítky lidí "
    "z nejohroženějších domů a starosta uvedl, že situace je velmi vážná.\n"
)


@pytest.fixture(autouse=True)
def _no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests cover the pipeline issue's commands; the analysis stages have their own tests.
    monkeypatch.setenv("NEWSLOOM_ANALYZE", "false")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "pl.txt").write_text(PL, encoding="utf-8")
    (folder / "cs.txt").write_bytes(CS.encode("cp1250"))
    return folder


def test_ingest_list_search_show_export(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    code, out = run("ingest", str(corpus), "--db", db)
    assert code == 0, out
    assert "added 2" in out
    code, out = run("articles", "--db", db)
    assert "pl" in out and "cs" in out and "2024-09-15" in out
    code, out = run("search", "lodz", "--db", db)
    assert "Powódź w Łodzi" in out and "Opavsku" not in out
    code, out = run("search", "prilis", "--db", db)
    assert "Opavsku" in out
    article_id = out.split()[0]
    code, out = run("show", article_id[:8], "--db", db)
    assert code == 0 and "příliš" in out and "published: 2024-09-15" in out
    export = tmp_path / "out.json"
    code, _ = run("export", "--format", "json", "--out", str(export), "--db", db)
    data = json.loads(export.read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    assert sorted(a["language"] for a in data["articles"]) == ["cs", "pl"]
    removed = run("show", next(a["id"] for a in data["articles"] if a["language"] == "pl"), "--db", db)[1]
    assert "Zaloguj się" in removed  # kept for audit, out of the body
    assert all("Zaloguj" not in a["text"] for a in data["articles"])


def test_second_ingest_adds_nothing_and_says_so(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    run("ingest", str(corpus), "--db", db)
    code, out = run("ingest", str(corpus), "--db", db)
    assert code == 0
    assert "added 0" in out and "2 already in the store" in out


def test_bad_inputs_are_named_and_the_rest_ingests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(PL, encoding="utf-8")
    (folder / "empty.txt").write_text("")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "lines.jsonl").write_text('{"text": "' + CS.replace("\n", " ") + '"}\n{not json}\n')
    db = str(tmp_path / "t.db")
    code, out = run("ingest", str(folder), str(tmp_path / "missing.txt"), "--db", db)
    err = capsys.readouterr().err
    assert code == 1
    assert "added 2" in out
    for name in ("empty.txt", "blob.txt", "lines.jsonl:2", "missing.txt"):
        assert name in err
    code, out = run("rejections", "--db", db)
    assert "lines.jsonl:2" in out


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_other_export_formats(corpus: Path, tmp_path: Path, fmt: str) -> None:
    db = str(tmp_path / "t.db")
    run("ingest", str(corpus), "--db", db)
    code, out = run("export", "--format", fmt, "--db", db)
    assert code == 0
    if fmt == "jsonl":
        kinds = [json.loads(line)["kind"] for line in out.splitlines()]
        assert kinds.count("article") == 2
    else:
        assert out.splitlines()[0].startswith("id,source,origin,title,text,language")
        assert len([line for line in out.splitlines() if line]) >= 3


def test_unknown_id_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    SQLiteStore(tmp_path / "t.db").close()
    code, _ = run("show", "nope", "--db", str(tmp_path / "t.db"))
    assert code == 2
    assert "nope" in capsys.readouterr().err


def test_read_commands_never_create_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    for command in ("articles", "events", "stories", "entities", "claims", "search", "rejections", "doctor"):
        args = [command, "x"] if command == "search" else [command]
        code, _ = run(*args, "--db", str(missing))
        assert code == 2, command
        assert "no newsloom store" in capsys.readouterr().err
    assert not missing.exists()


def test_bad_store_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    assert run("articles", "--db", str(bad))[0] == 2
    assert "bad.db" in capsys.readouterr().err


def test_hundred_megabyte_file_is_rejected_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: costs no disk, and must not be read
    (folder / "ok.txt").write_text(PL, encoding="utf-8")
    db = str(tmp_path / "t.db")
    code, out = run("ingest", str(folder), "--db", db)
    err = capsys.readouterr().err
    assert code == 1 and "added 1" in out
    assert "huge.txt" in err and "larger than the limit" in err
    assert run("articles", "--db", db)[1].count("\n") == 1


def test_stdin_is_ingested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(('{"title": "Powódź", "text": "' + PL.replace("\n", " ") + '"}\n').encode())

    monkeypatch.setattr("sys.stdin", FakeStdin())
    db = str(tmp_path / "t.db")
    code, out = run("ingest", "-", "--db", db)
    assert code == 0 and "added 1" in out
    assert "<stdin>" in run("show", run("articles", "--db", db)[1].split()[0], "--db", db)[1]
