"""Optional remote backends for the English digest: an OpenAI-compatible chat endpoint, a LibreTranslate server.

Off by default: nothing here runs unless settings name a backend. Both use stdlib ``urllib`` only, with a
timeout per request, bounded retries with exponential backoff (on network errors, timeouts, HTTP 429 and 5xx),
and an optional on-disk JSON cache keyed by a hash of the request (the API key is not part of the key). Every
failure becomes ``BackendError``; ``summarize.event_digest`` catches it and keeps the built-in digest.

Example::

    backend = make_backend(BackendSettings(kind="openai", url="http://127.0.0.1:11434/v1", model="llama3"))
    backend.translate("Pieskow zaprzeczył doniesieniom.", "pl") if backend else None
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from babel import Locale

from .errors import BackendError, InputError

__all__ = [
    "BackendSettings",
    "DigestBackend",
    "LibreTranslateBackend",
    "OpenAIChatBackend",
    "make_backend",
]


@runtime_checkable
class DigestBackend(Protocol):
    """What the digest may ask of a backend; any method may raise ``BackendError``."""

    def translate(self, text: str, source_lang: str) -> str:
        """``text`` in English."""
        ...

    def summarize(self, texts: Sequence[str], *, max_words: int = 80) -> str:
        """A short neutral English summary of ``texts`` (any languages)."""
        ...


@dataclass(frozen=True)
class BackendSettings:
    """Which backend to use and how; ``kind`` "" (none), "openai" or "libretranslate".

    Example: ``BackendSettings.from_settings(load_settings())`` reads the ``backend_*`` keys.
    """

    kind: str = ""
    url: str = ""
    model: str = ""
    api_key: str = ""
    timeout: float = 20.0
    retries: int = 2
    cache_dir: str = ""

    @classmethod
    def from_settings(cls, settings: Any) -> BackendSettings:
        """Take the ``backend``, ``backend_url``, ... attributes of a ``newsloom.config.Settings``."""
        return cls(
            kind=str(getattr(settings, "backend", "")),
            url=str(getattr(settings, "backend_url", "")),
            model=str(getattr(settings, "backend_model", "")),
            api_key=str(getattr(settings, "backend_api_key", "")),
            timeout=float(getattr(settings, "backend_timeout", 20.0)),
            retries=int(getattr(settings, "backend_retries", 2)),
            cache_dir=str(getattr(settings, "backend_cache_dir", "")),
        )


def make_backend(settings: BackendSettings) -> DigestBackend | None:
    """The backend the settings name, or None when ``kind`` is empty.

    Example: ``make_backend(BackendSettings())`` -> ``None``.
    """
    kind = settings.kind.strip().lower()
    cache = settings.cache_dir or None
    key = settings.api_key or None
    if not kind:
        return None
    if kind == "openai":
        return OpenAIChatBackend(settings.url, settings.model, key, settings.timeout, settings.retries, cache)
    if kind == "libretranslate":
        return LibreTranslateBackend(settings.url, key, settings.timeout, settings.retries, cache)
    raise InputError(
        f"unknown backend {settings.kind!r}: use '' (built-in digest), 'openai' or 'libretranslate'"
    )


class _JsonClient:
    """POST JSON with timeout, retries, backoff and an optional on-disk cache of the replies."""

    def __init__(
        self,
        url: str,
        api_key: str | None,
        timeout: float,
        retries: int,
        cache_dir: str | None,
        backoff: float,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"backend URL {url!r} must start with http:// or https:// (set backend_url)")
        if timeout <= 0 or retries < 0:
            raise InputError("backend_timeout must be > 0 and backend_retries >= 0")
        self.url = url
        self._api_key = api_key
        self._timeout = timeout
        self._retries = retries
        self._cache = Path(cache_dir) if cache_dir else None
        self._backoff = backoff

    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The decoded JSON object the server returns for ``payload`` (cached when a cache dir is set)."""
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        cache_file = self._cache_file(body)
        if cache_file is not None and cache_file.exists():
            try:
                cached: dict[str, Any] = json.loads(cache_file.read_text(encoding="utf-8"))
                return cached
            except (OSError, ValueError):
                pass  # a damaged cache entry is refetched, not trusted
        reply = self._post_with_retries(body.encode("utf-8"))
        if cache_file is not None:
            _write_atomic(cache_file, json.dumps(reply, ensure_ascii=False))
        return reply

    def _cache_file(self, body: str) -> Path | None:
        if self._cache is None:
            return None
        digest = hashlib.sha256(f"{self.url}\n{body}".encode()).hexdigest()
        return self._cache / f"{digest}.json"

    def _post_with_retries(self, data: bytes) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        last = "no attempt"
        for attempt in range(self._retries + 1):
            if attempt:
                time.sleep(self._backoff * 2 ** (attempt - 1))
            request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self._timeout) as response:
                    raw = response.read()
            except urllib.error.HTTPError as err:
                last = f"HTTP {err.code}"
                if err.code == 429 or err.code >= 500:
                    continue
                raise BackendError(f"{self.url} refused the request: HTTP {err.code}") from err
            except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as err:
                last = f"{type(err).__name__}: {getattr(err, 'reason', err)}"
                continue
            try:
                decoded = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                last = "reply is not JSON"
                continue
            if not isinstance(decoded, dict):
                last = "reply is not a JSON object"
                continue
            return decoded
        raise BackendError(f"{self.url} failed after {self._retries + 1} attempt(s): {last}")


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half an entry."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # the cache is an optimisation: failing to write it must not fail the digest


def _language_name(code: str) -> str:
    try:
        return str(Locale.parse(code).get_display_name("en"))
    except (ValueError, TypeError, LookupError):
        return code


class OpenAIChatBackend:
    """An OpenAI-compatible ``/chat/completions`` endpoint (Ollama, vLLM, llama.cpp server, hosted APIs).

    Example::

        OpenAIChatBackend("http://127.0.0.1:11434/v1", "llama3").translate("Dobrý den", "cs")
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 20.0,
        retries: int = 2,
        cache_dir: str | None = None,
        *,
        backoff: float = 0.5,
    ) -> None:
        if not model:
            raise InputError("an OpenAI-compatible backend needs a model name: set backend_model")
        self.model = model
        self._client = _JsonClient(
            base_url.rstrip("/") + "/chat/completions", api_key, timeout, retries, cache_dir, backoff
        )

    def translate(self, text: str, source_lang: str) -> str:
        """``text`` translated from ``source_lang`` into English by the model."""
        system = (
            f"Translate the user's {_language_name(source_lang)} text into English. "
            "Reply with the translation only, keeping names and numbers exact."
        )
        return self._chat(system, text)

    def summarize(self, texts: Sequence[str], *, max_words: int = 80) -> str:
        """A neutral English summary of news excerpts in any language, at most ``max_words`` words."""
        system = (
            f"Summarise these news excerpts (they may be in several languages) in English in at most "
            f"{max_words} words. Be neutral, attribute claims to who made them, add nothing not in the text."
        )
        return self._chat(system, "\n\n".join(f"- {t}" for t in texts))

    def _chat(self, system: str, user: str) -> str:
        reply = self._client.post(
            {
                "model": self.model,
                "temperature": 0,
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            }
        )
        try:
            content = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as err:
            raise BackendError(f"{self._client.url} replied without choices[0].message.content") from err
        if not isinstance(content, str) or not content.strip():
            raise BackendError(f"{self._client.url} replied with an empty message")
        return content.strip()


class LibreTranslateBackend:
    """A LibreTranslate-compatible server (``POST /translate`` with ``q``, ``source``, ``target``, ``format``).

    It translates only; ``summarize`` raises ``BackendError`` so the digest keeps its built-in summary.

    Example::

        LibreTranslateBackend("http://127.0.0.1:5000").translate("Bună ziua", "ro")
    """

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        timeout: float = 20.0,
        retries: int = 2,
        cache_dir: str | None = None,
        *,
        backoff: float = 0.5,
    ) -> None:
        endpoint = url.rstrip("/")
        if not endpoint.endswith("/translate"):
            endpoint += "/translate"
        self._api_key = api_key
        # LibreTranslate takes the key in the body, so the client sends no Authorization header.
        self._client = _JsonClient(endpoint, None, timeout, retries, cache_dir, backoff)

    def translate(self, text: str, source_lang: str) -> str:
        """``text`` translated into English; ``source_lang`` "und" lets the server detect it."""
        payload: dict[str, Any] = {
            "q": text,
            "source": "auto" if source_lang in ("", "und") else source_lang,
            "target": "en",
            "format": "text",
        }
        if self._api_key:
            payload["api_key"] = self._api_key
        reply = self._client.post(payload)
        translated = reply.get("translatedText")
        if not isinstance(translated, str) or not translated.strip():
            raise BackendError(f"{self._client.url} replied without translatedText")
        return translated.strip()

    def summarize(self, texts: Sequence[str], *, max_words: int = 80) -> str:
        """Not available: LibreTranslate only translates."""
        raise BackendError("a LibreTranslate backend cannot summarise; the built-in summary is used")
