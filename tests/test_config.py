"""Settings precedence: defaults < file < environment < arguments; bad values name the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('db = ["a", "b"]', "db"),
        ('analyze = "nope"', "analyze"),
        ("batch_size = 0", "batch_size"),
        ("batch_size = 2.5", "batch_size"),
        ("batch_size = true", "batch_size"),
        ("dedup_threshold = 7.5", "dedup_threshold"),
        ("language_min_confidence = -0.1", "language_min_confidence"),
        ("backend_timeout = 0", "backend_timeout"),
        ("backend_retries = -1", "backend_retries"),
        ('backend = "deepl"', "backend"),
        ('backend_url = "ftp://x"', "backend_url"),
        ("alias_files = [1, 2]", "alias_files"),
        ("max_chars = 0", "max_chars"),
        ('follow_links = "yes"', "follow_links"),
    ],
)
def test_wrong_type_or_range_names_key_value_and_file(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "newsloom.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_settings(config_file=path, environ={})
    message = str(info.value)
    assert str(path) in message and repr(key) in message
    assert toml.split(" = ", 1)[1].strip('"')[:3] in message  # the value is shown


@pytest.mark.parametrize(
    ("name", "value"),
    [("BATCH_SIZE", "0"), ("ANALYZE", "nope"), ("DEDUP_THRESHOLD", "nan"), ("EMBED_THREADS", "1.5")],
)
def test_bad_environment_values_name_the_variable(name: str, value: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=f"NEWSLOOM_{name}"):
        load_settings(config_file=tmp_path / "none.toml", environ={f"NEWSLOOM_{name}": value})


def test_environment_booleans_and_numbers_are_parsed(tmp_path: Path) -> None:
    env = {"NEWSLOOM_ANALYZE": "off", "NEWSLOOM_FOLLOW_LINKS": "1", "NEWSLOOM_BACKEND_TIMEOUT": "2"}
    settings = load_settings(config_file=tmp_path / "none.toml", environ=env)
    assert (settings.analyze, settings.follow_links, settings.backend_timeout) == (False, True, 2.0)


def test_missing_config_named_by_environment_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(InputError, match=r"missing\.toml.*does not exist"):
        load_settings(environ={"NEWSLOOM_CONFIG": str(missing)})
    with pytest.raises(InputError, match="folder"):
        load_settings(environ={"NEWSLOOM_CONFIG": str(tmp_path)})


def test_non_utf8_and_invalid_toml_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes('db = "Łódź.db"\n'.encode("cp1250"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_settings(environ={"NEWSLOOM_CONFIG": str(path)})
    path.write_text("db = \n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid TOML"):
        load_settings(environ={"NEWSLOOM_CONFIG": str(path)})


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_settings(config_file=tmp_path / "n.toml", environ={"NEWSLOOM_BATCH_SIZE": "x" * 100_000})
    assert len(str(info.value)) < 300


toml_values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(Settings.__dataclass_fields__)), value=toml_values)
def test_any_file_value_is_accepted_with_its_type_or_refused_by_name(key: str, value: object) -> None:
    default = getattr(Settings(), key)
    try:
        settings_ = load_settings({key: value}, config_file=Path("/nonexistent/newsloom.toml"), environ={})
    except InputError as err:
        assert repr(key) in str(err)
        return
    assert type(getattr(settings_, key)) is type(default)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(Settings.__dataclass_fields__)), value=st.text(max_size=30))
def test_any_environment_text_is_accepted_with_its_type_or_refused_by_name(key: str, value: str) -> None:
    default = getattr(Settings(), key)
    name = f"NEWSLOOM_{key.upper()}"
    try:
        settings_ = load_settings(config_file=Path("/nonexistent/newsloom.toml"), environ={name: value})
    except InputError as err:
        assert name in str(err)
        return
    assert type(getattr(settings_, key)) is type(default)
