"""Settings precedence: defaults < file < environment < arguments; bad values name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsloom.config import Settings, load_settings
from newsloom.errors import InputError


def test_defaults(tmp_path: Path) -> None:
    assert load_settings(config_file=tmp_path / "absent.toml", environ={}) == Settings()


def test_precedence(tmp_path: Path) -> None:
    path = tmp_path / "newsloom.toml"
    path.write_text('db = "file.db"\nbatch_size = 10\ndedup_threshold = 0.8\n')
    env = {"NEWSLOOM_BATCH_SIZE": "20", "NEWSLOOM_ANALYZE": "false"}
    settings = load_settings({"dedup_threshold": 0.9, "db": None}, config_file=path, environ=env)
    assert (settings.db, settings.batch_size, settings.dedup_threshold, settings.analyze) == (
        "file.db",
        20,
        0.9,
        False,
    )


def test_unknown_key_and_bad_value_are_named(tmp_path: Path) -> None:
    path = tmp_path / "newsloom.toml"
    path.write_text("colour = 'blue'\n")
    with pytest.raises(InputError, match="colour"):
        load_settings(config_file=path, environ={})
    with pytest.raises(InputError, match="batch_size"):
        load_settings(config_file=tmp_path / "none.toml", environ={"NEWSLOOM_BATCH_SIZE": "many"})
    path.write_text("db = [unclosed\n")
    with pytest.raises(InputError, match=r"newsloom\.toml"):
        load_settings(config_file=path, environ={})


def test_alias_files_from_environment(tmp_path: Path) -> None:
    settings = load_settings(
        config_file=tmp_path / "x.toml", environ={"NEWSLOOM_ALIAS_FILES": "a.csv:b.jsonl"}
    )
    assert settings.alias_files == ("a.csv", "b.jsonl")
