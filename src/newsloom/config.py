"""Settings: packaged defaults < settings file < environment < arguments.

One frozen ``Settings`` object is built once and passed explicitly to the tracker; nothing reads the environment
later, so results never depend on call history.

Example::

    settings = load_settings(overrides={"db": "news.db"})

The settings file is TOML (``newsloom.toml`` in the working directory, or the path in ``NEWSLOOM_CONFIG``); every
key may also be set in the environment as ``NEWSLOOM_<KEY>`` (upper case), e.g. ``NEWSLOOM_DB=/data/news.db``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import InputError

DEFAULT_DB = "newsloom.db"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
BACKENDS = ("", "openai", "libretranslate")


@dataclass(frozen=True)
class Settings:
    """Every knob newsloom has, with its default; see ``docs/settings.md``."""

    db: str = DEFAULT_DB  # SQLite file used when --db is not given
    max_bytes: int = DEFAULT_MAX_BYTES  # inputs larger than this are rejected unread
    max_chars: int = 2_000_000  # one document longer than this after decoding is rejected
    max_tags: int = 100_000  # one HTML document with more tags than this is rejected
    max_text_chars: int = 300_000  # an article whose extracted text is longer than this is rejected
    max_seconds: float = 60.0  # one document taking longer than this to clean, identify and date is rejected
    follow_links: bool = False  # follow symbolic links out of an input folder
    batch_size: int = 200  # articles per store transaction
    language_min_confidence: float = 0.5  # below this the language is "und"
    dedup_threshold: float = 0.5  # Jaccard estimate above which two articles are near-duplicates
    embed_threads: int = 2  # threads for the embedding model
    analyze: bool = True  # run entities, events, stories and claims after ingest
    alias_files: tuple[str, ...] = ()  # user alias files (CSV/JSONL) loaded into the gazetteer
    backend: str = ""  # "" (built-in digest only), "openai" or "libretranslate"
    backend_url: str = ""  # base URL of the optional backend, e.g. http://127.0.0.1:11434/v1
    backend_model: str = ""  # model name for an OpenAI-compatible endpoint
    backend_api_key: str = ""  # sent as a bearer token when set
    backend_timeout: float = 20.0  # seconds per request, in total
    backend_retries: int = 2  # retries after the first attempt
    backend_cache_dir: str = ""  # on-disk cache of backend replies; empty disables it


# Allowed range per numeric key: (lowest, highest), inclusive.
_RANGES: dict[str, tuple[float, float]] = {
    "max_bytes": (1, 2**40),
    "max_chars": (1, 2**40),
    "max_tags": (1, 2**40),
    "max_text_chars": (1, 2**40),
    "max_seconds": (0.001, 86_400.0),
    "batch_size": (1, 1_000_000),
    "language_min_confidence": (0.0, 1.0),
    "dedup_threshold": (0.0, 1.0),
    "embed_threads": (1, 1024),
    "backend_timeout": (0.001, 86_400.0),
    "backend_retries": (0, 100),
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class _Bad(ValueError):
    """A value that does not fit its key; the message says what is expected."""


def _shown(value: Any) -> str:
    """The value as it would be written in TOML (JSON is close enough), shortened."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _typed(kind: Any, value: Any, from_text: bool) -> Any:
    """``value`` as the field's type; text from the environment is parsed, file values must already fit."""
    if kind in (bool, "bool"):
        if isinstance(value, bool):
            return value
        if from_text and str(value).strip().lower() in _TRUE | _FALSE:
            return str(value).strip().lower() in _TRUE
        raise _Bad("expected true or false")
    if kind in (int, "int"):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if from_text:
            try:
                return int(str(value).strip())
            except ValueError:
                pass
        raise _Bad("expected a whole number")
    if kind in (float, "float"):
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        if from_text:
            try:
                number = float(str(value).strip())
            except ValueError:
                raise _Bad("expected a number") from None
            if math.isfinite(number):
                return number
        raise _Bad("expected a finite number")
    if kind in ("tuple[str, ...]",):
        if from_text and isinstance(value, str):
            return tuple(v for v in value.split(os.pathsep) if v)
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise _Bad("expected a list of file paths")
    if isinstance(value, str):
        return value
    raise _Bad("expected a string")


def _check_range(key: str, value: Any) -> None:
    if key in _RANGES:
        low, high = _RANGES[key]
        if not low <= value <= high:
            raise _Bad(f"must be between {low:g} and {high:g}")
    elif key == "db" and not value.strip():
        raise _Bad("must name a file")
    elif key == "backend" and value.strip().lower() not in BACKENDS:
        raise _Bad("must be empty, 'openai' or 'libretranslate'")
    elif key == "backend_url" and value and not value.startswith(("http://", "https://")):
        raise _Bad("must start with http:// or https://")


def _coerce(key: str, kind: Any, value: Any, where: str, *, from_text: bool = False) -> Any:
    """Turn a file, environment or argument value into the field's type, or say which key, value and place."""
    try:
        typed = _typed(kind, value, from_text)
        _check_range(key, typed)
    except _Bad as exc:
        raise InputError(f"{where}: setting {key!r} = {_shown(value)}: {exc}") from None
    return typed


def _settings_file(config_file: Path | None, env: Mapping[str, str]) -> tuple[Path, bool]:
    """The settings file and whether it must exist (it must when ``NEWSLOOM_CONFIG`` names it)."""
    if config_file is not None:
        return config_file, False
    if env.get("NEWSLOOM_CONFIG"):
        return Path(env["NEWSLOOM_CONFIG"]), True
    return Path("newsloom.toml"), False


def _read_file(path: Path, required: bool) -> dict[str, Any]:
    """The TOML table in ``path``; {} when an optional file is absent."""
    if not path.exists() and not required:
        return {}
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: settings file named by NEWSLOOM_CONFIG does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{path}: settings file is a folder") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read settings file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: settings file is not UTF-8 text (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from defaults, the settings file, the environment and explicit overrides.

    Every value is checked for its type and range; an error names the key, the value and where it came from.
    """
    env = os.environ if environ is None else environ
    known = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}
    path, required = _settings_file(config_file, env)
    for key, value in _read_file(path, required).items():
        if key not in known:
            raise InputError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
        values[key] = _coerce(key, known[key], value, str(path))
    for key, kind in known.items():
        name = f"NEWSLOOM_{key.upper()}"
        if env.get(name) is not None:
            values[key] = _coerce(key, kind, env[name], f"environment {name}", from_text=True)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in known:
            raise InputError(f"unknown setting {key!r}")
        values[key] = _coerce(key, known[key], value, "command line")
    return dataclasses.replace(Settings(), **values)
