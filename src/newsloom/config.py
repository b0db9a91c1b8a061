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
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import InputError

DEFAULT_DB = "newsloom.db"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Every knob newsloom has, with its default; see ``docs/settings.md``."""

    db: str = DEFAULT_DB  # SQLite file used when --db is not given
    max_bytes: int = DEFAULT_MAX_BYTES  # inputs larger than this are rejected unread
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
    backend_timeout: float = 20.0  # seconds per request
    backend_retries: int = 2  # retries after the first attempt
    backend_cache_dir: str = ""  # on-disk cache of backend replies; empty disables it


def _coerce(name: str, kind: Any, value: Any) -> Any:
    """Turn a file or environment value into the field's type, naming the key when it cannot."""
    try:
        if kind in (int, "int"):
            return int(value)
        if kind in (float, "float"):
            return float(value)
        if kind in (bool, "bool"):
            if isinstance(value, bool):
                return value
            return str(value).strip().lower() in {"1", "true", "yes", "on"}
        if kind in ("tuple[str, ...]",):
            if isinstance(value, str):
                return tuple(v for v in value.split(os.pathsep) if v)
            return tuple(str(v) for v in value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"setting {name!r}: cannot read {value!r} as {kind}") from exc


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from defaults, the settings file, the environment and explicit overrides."""
    env = os.environ if environ is None else environ
    known = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = config_file or (
        Path(env["NEWSLOOM_CONFIG"]) if env.get("NEWSLOOM_CONFIG") else Path("newsloom.toml")
    )
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"{path}: cannot read settings file: {exc}") from exc
        for key, value in data.items():
            if key not in known:
                raise InputError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
            values[key] = _coerce(key, known[key], value)
    for key, kind in known.items():
        env_value = env.get(f"NEWSLOOM_{key.upper()}")
        if env_value is not None:
            values[key] = _coerce(key, kind, env_value)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in known:
            raise InputError(f"unknown setting {key!r}")
        values[key] = _coerce(key, known[key], value)
    return dataclasses.replace(Settings(), **values)
