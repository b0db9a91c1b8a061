"""One error shape on stderr, no tracebacks, and exit codes that tell rejected inputs from a failed run."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from newsloom.cli import main
from newsloom.cli_errors import EXIT_BUSY, EXIT_ERROR, EXIT_INTERNAL, EXIT_REJECTED
from newsloom.store import sqlite as store_sqlite

ARTICLE = (
    "Powódź w Łodzi: woda zalała ulice\n\nUlewne deszcze zalały w niedzielę centrum Łodzi. Strażacy "
    "wypompowują wodę z piwnic, a prezydent miasta zapowiedział pomoc dla mieszkańców.\n"
)


@pytest.fixture(autouse=True)
def _no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSLOOM_ANALYZE", "false")
    monkeypatch.delenv("NEWSLOOM_CONFIG", raising=False)
    monkeypatch.delenv("NEWSLOOM_DEBUG", raising=False)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = str(tmp_path / "t.db")
    assert run("ingest", str(tmp_path / "a.txt"), "--db", path)[0] == 0
    return path


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("newsloom: error: ") and "Traceback" not in err
    return lines[0]


def test_export_to_a_missing_folder(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing" / "dir" / "x.json"
    code, _ = run("export", "--out", str(target), "--db", db)
    line = _one_error_line(capsys.readouterr().err)
    assert code == EXIT_ERROR
    assert str(target) in line and "No such file" in line


@pytest.mark.parametrize("argv", [("show", "a" * 100_000), ("entity", "b" * 100_000), ("events",)])
def test_hundred_thousand_character_id(
    db: str, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    if argv == ("events",):
        argv = ("articles", "--event", "c" * 100_000)
    code, _ = run(*argv, "--db", db)
    line = _one_error_line(capsys.readouterr().err)
    assert code == EXIT_ERROR and "at most 256" in line and len(line) < 300


def test_unreadable_config_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_bytes(b"db = '\xff\xfe'\n")
    monkeypatch.setenv("NEWSLOOM_CONFIG", str(config))
    code, _ = run("articles", "--db", str(tmp_path / "t.db"))
    line = _one_error_line(capsys.readouterr().err)
    assert code == EXIT_ERROR and "bad.toml" in line and "UTF-8" in line
    monkeypatch.setenv("NEWSLOOM_CONFIG", str(tmp_path / "gone.toml"))
    assert run("articles", "--db", str(tmp_path / "t.db"))[0] == EXIT_ERROR
    assert "gone.toml" in _one_error_line(capsys.readouterr().err)


def test_busy_store_says_so_with_its_own_exit_code(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_connect = sqlite3.connect

    def impatient(*args: object, **kwargs: object) -> sqlite3.Connection:
        kwargs["timeout"] = 0.1  # SQLite's 5 s wait, shortened for the test
        return real_connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_sqlite.sqlite3, "connect", impatient)
    holder = real_connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        (tmp_path / "b.txt").write_text(ARTICLE.replace("Łodzi", "Kutnie"), encoding="utf-8")
        code, _ = run("ingest", str(tmp_path / "b.txt"), "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = _one_error_line(capsys.readouterr().err)
    assert code == EXIT_BUSY and "busy" in line and db in line


def test_internal_error_is_one_line_and_debug_shows_the_traceback(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("newsloom.tracker.Tracker.event_page", broken)
    code, _ = run("events", "--db", db)
    line = _one_error_line(capsys.readouterr().err)
    assert code == EXIT_INTERNAL and "ZeroDivisionError: boom" in line
    monkeypatch.setenv("NEWSLOOM_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        run("events", "--db", db)


def test_rejected_inputs_are_exit_one_and_a_missing_store_folder_is_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.json").write_text("[" * 10_000, encoding="utf-8")
    code, out = run("ingest", str(tmp_path), "--db", str(tmp_path / "t.db"))
    assert code == EXIT_REJECTED and "added 1" in out
    assert "bad.json" in capsys.readouterr().err
    code, _ = run("ingest", str(tmp_path), "--db", str(tmp_path / "no" / "t.db"))
    assert code == EXIT_ERROR
    _one_error_line(capsys.readouterr().err)


def test_a_reader_that_leaves_early_is_not_an_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    assert main(["export", "--format", "jsonl", "--db", db], out=ClosedPipe()) == 0
    assert capsys.readouterr().err == ""


def test_follow_links_flag_reaches_the_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside)
    db = str(tmp_path / "t.db")
    code, out = run("ingest", str(folder), "--db", db)
    assert code == EXIT_REJECTED and "added 0" in out
    assert "--follow-links" in capsys.readouterr().err
    code, out = run("ingest", str(folder), "--follow-links", "--db", db)
    assert code == 0 and "added 1" in out


def test_many_rejections_are_listed_up_to_a_cap_and_all_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(230):
        (folder / f"{number:03d}.pdf").write_bytes(b"%PDF")
    db = str(tmp_path / "t.db")
    assert run("ingest", str(folder), "--db", db)[0] == EXIT_REJECTED
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 201 and "30 more" in err[-1]
    assert run("rejections", "--db", db)[1].count("\n") == 230
