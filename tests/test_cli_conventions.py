"""CLI conventions: global options anywhere, --json in the API's shape, read commands never create a store,
bare `newsloom` prints help, and `from newsloom import Tracker` type-checks for library users."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsloom import __version__
from newsloom.cli import COMMANDS, main
from web_store import build_store

READ_LISTINGS = ["articles", "events", "stories", "entities", "claims", "rejections"]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def run_json(*argv: str) -> Any:
    code, out = run(*argv, "--json")
    assert code == 0, out
    return json.loads(out)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(build_store(tmp_path / "web.db"))


def test_global_options_work_before_and_after_the_command(db: str) -> None:
    before = run("--db", db, "events", "--json")
    after = run("events", "--db", db, "--json")
    assert before == after and before[0] == 0
    assert {e["id"] for e in json.loads(before[1])["items"]} >= {"ev-1", "ev-2"}


def test_the_value_after_the_command_wins(db: str, tmp_path: Path) -> None:
    # The sub-command's option must not reset the one given before it, and the later one is the one used.
    code, _ = run("--db", str(tmp_path / "missing.db"), "events", "--db", db)
    assert code == 0


@pytest.mark.parametrize("where", ["before", "after"])
def test_version_before_or_after_the_command(where: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--version", "events"] if where == "before" else ["events", "--version"]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"newsloom {__version__}"


def test_config_option_is_read_and_a_missing_one_is_an_error(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSLOOM_DB", raising=False)
    settings = tmp_path / "conf.toml"
    settings.write_text(f"db = {json.dumps(db)}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no ./newsloom.db here: the store can only come from the settings file
    assert run_json("events", "--config", str(settings))["total"] >= 2
    assert run_json("--config", str(settings), "events")["total"] >= 2
    code, _ = run("--config", str(tmp_path / "nope.toml"), "events")
    assert code == 2
    assert "nope.toml" in capsys.readouterr().err


def test_no_arguments_prints_help_and_succeeds() -> None:
    code, out = run()
    assert code == 0
    assert out.startswith("usage: newsloom")
    assert all(name in out for name in COMMANDS)


def test_read_commands_never_create_a_store_even_with_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "sub" / "missing.db"
    commands = [[c] for c in READ_LISTINGS] + [["search", "x"], ["show", "x"], ["entity", "x"]]
    for argv in commands:
        code, out = run(*argv, "--json", "--db", str(missing))
        assert code == 2 and out == "", argv
        err = capsys.readouterr().err
        assert str(missing) in err, argv  # the error names the path it looked at
    assert not missing.exists() and not missing.parent.exists()


def test_every_listing_has_the_items_total_shape(db: str) -> None:
    for name in READ_LISTINGS:
        listing = run_json(name, "--db", db)
        assert set(listing) == {"items", "total"}, name
        assert listing["total"] == len(listing["items"]), name
    hits = run_json("search", "putin", "--db", db)
    assert {h["id"] for h in hits["items"]} >= {"a1en00000001"}
    assert all(h["score"] is None for h in hits["items"])


def test_json_keeps_text_as_it_is(db: str) -> None:
    # Tables make control characters visible; JSON carries the text untouched (JSON escaping is enough).
    titles = [a["title"] for a in run_json("articles", "--db", db)["items"]]
    assert any("\u202e" in t and "<script>" in t for t in titles)


def test_json_is_the_apis_shape(db: str) -> None:
    pytest.importorskip("fastapi", reason="comparing with the API needs the http extra")
    from fastapi.testclient import TestClient

    from newsloom.web import create_app

    with TestClient(create_app(db)) as api:

        def items(route: str) -> list[Any]:
            found: list[Any] = api.get(f"/api/v1/{route}", params={"limit": 200}).json()["items"]
            return found

        assert run_json("articles", "--db", db)["items"] == items("articles")
        assert run_json("entities", "--db", db)["items"] == items("entities")
        assert run_json("claims", "--db", db)["items"] == items("claims")
        assert run_json("stories", "--db", db)["items"] == items("stories")
        live = [e for e in run_json("events", "--db", db)["items"] if e["merged_into"] is None]
        assert live == items("events")
        assert (
            run_json("search", "putin", "--db", db)["items"]
            == api.get("/api/v1/search", params={"q": "putin"}).json()["items"]
        )
        for kind, item_id in [
            ("articles", "a2pl00000002"),
            ("events", "ev-1"),
            ("stories", "st-1"),
            ("entities", "Eputin0001"),
            ("claims", "cl-1"),
        ]:
            shown = run_json("show", item_id, "--db", db)
            assert shown.pop("object") == SINGULAR[kind]
            assert shown == api.get(f"/api/v1/{kind}/{item_id}").json(), kind
        assert run_json("entity", "Eputin0001", "--db", db) == api.get("/api/v1/entities/Eputin0001").json()


SINGULAR = {
    "articles": "article",
    "events": "event",
    "stories": "story",
    "entities": "entity",
    "claims": "claim",
}

USER_SCRIPT = """
from newsloom import Event, Tracker, load_settings

tracker = Tracker(load_settings({"db": "news.db"}), read_only=True)
events: list[Event] = tracker.events()
"""


@pytest.mark.slow  # mypy analyses the whole package: ~30 s on a shared machine
def test_tracker_type_checks_for_library_users(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text(USER_SCRIPT, encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_text(
        USER_SCRIPT + "count: int = tracker.events()\ntracker.no_such_method()\n", encoding="utf-8"
    )
    mypy = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-error-summary",
        "--cache-dir",
        str(tmp_path / "c"),
    ]
    ok = subprocess.run([*mypy, str(good)], capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # The bad script fails on exactly the two lines a real type (not `object` or `Any`) catches.
    wrong = subprocess.run([*mypy, str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert wrong.returncode == 1
    assert "Incompatible types in assignment" in wrong.stdout
    assert '"Tracker" has no attribute "no_such_method"' in wrong.stdout
