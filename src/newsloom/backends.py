"""Optional remote backends for the English digest: an OpenAI-compatible chat endpoint, a LibreTranslate server.

Off by default: nothing here runs unless settings name a backend. Both use stdlib ``http.client`` only, with a
total deadline per request (a watchdog ends a server that trickles its reply), no redirects followed, replies
limited to 4 MiB and their text stripped of control characters, bounded retries with exponential backoff (on
network errors, timeouts, HTTP 429 and 5xx), and an optional on-disk JSON cache keyed by a hash of the request
(the API key is not part of the key). An API key is sent only over https:// or to this machine. Every failure
becomes ``BackendError``; ``summarize.event_digest`` catches it and keeps the built-in digest.

Example::

    backend = make_backend(BackendSettings(kind="openai", url="http://127.0.0.1:11434/v1", model="llama3"))
    backend.translate("Pieskow zaprzeczył doniesieniom.", "pl") if backend else None
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import ipaddress
import json
import os
import socket
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from babel import Locale

from .errors import BackendError, InputError
from .terminal import plain

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


#: Replies larger than this are refused: a backend answers with a short text, never megabytes.
MAX_REPLY_BYTES = 4 * 1024 * 1024


def check_url(url: str, api_key: str | None) -> None:
    """Refuse a URL that is not http(s), or a key that would travel unencrypted to another machine.

    >>> check_url("http://127.0.0.1:11434/v1", "secret")
    >>> check_url("http://llm.example.org/v1", "secret")
    Traceback (most recent call last):
    ...
    newsloom.errors.InputError: backend_api_key is only sent over https:// or to this machine (127.0.0.1, ::1, localhost); backend_url 'http://llm.example.org/v1' is plain http to llm.example.org
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"backend URL {url!r} must start with http:// or https:// (set backend_url)")
    if api_key and parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise InputError(
            "backend_api_key is only sent over https:// or to this machine (127.0.0.1, ::1, localhost); "
            f"backend_url {url!r} is plain http to {parts.hostname}"
        )


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Retry(Exception):
    """A failure worth another attempt (network error, timeout, 429, 5xx, unreadable reply)."""


class _JsonClient:
    """POST JSON with a total deadline per attempt, bounded retries, backoff, a reply size limit, no redirects,
    and an optional on-disk cache of the replies."""

    def __init__(
        self,
        url: str,
        api_key: str | None,
        timeout: float,
        retries: int,
        cache_dir: str | None,
        backoff: float,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        check_url(url, api_key)
        if timeout <= 0 or retries < 0:
            raise InputError("backend_timeout must be > 0 and backend_retries >= 0")
        self.url = url
        self._api_key = api_key
        self._timeout = timeout
        self._retries = retries
        self._cache = Path(cache_dir) if cache_dir else None
        self._backoff = backoff
        self._max_reply = max_reply_bytes

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
        last = "no attempt"
        for attempt in range(self._retries + 1):
            if attempt:
                time.sleep(self._backoff * 2 ** (attempt - 1))
            try:
                return _json_object(self._post_once(data))
            except _Retry as err:
                last = str(err)
        raise BackendError(f"{self.url} failed after {self._retries + 1} attempt(s): {last}")

    def _post_once(self, data: bytes) -> bytes:
        """One POST that ends by the deadline whatever the server does: a watchdog closes the socket then."""
        parts = urllib.parse.urlsplit(self.url)
        connection_type = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_type(parts.hostname or "", parts.port, timeout=self._timeout)
        watchdog = threading.Timer(self._timeout, _cut, args=(connection,))
        watchdog.daemon = True
        deadline = time.monotonic() + self._timeout
        watchdog.start()
        try:
            connection.request("POST", _target(parts), body=data, headers=self._headers())
            response = connection.getresponse()
            _check_status(self.url, response)
            return _read_limited(response, self._max_reply, deadline, self._timeout)
        except (OSError, http.client.HTTPException) as err:
            if time.monotonic() >= deadline:
                raise _Retry(f"no complete reply within {self._timeout:g} s") from err
            raise _Retry(f"{type(err).__name__}: {err}") from err
        finally:
            watchdog.cancel()
            connection.close()

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers


def _target(parts: urllib.parse.SplitResult) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _cut(connection: http.client.HTTPConnection) -> None:
    """Shut the socket down so a blocked read returns: the deadline holds even against a trickling server."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _check_status(url: str, response: http.client.HTTPResponse) -> None:
    status = response.status
    if (
        300 <= status < 400
    ):  # a redirect could carry the key elsewhere, and its target is not what was configured
        raise BackendError(
            f"{url} answered with a redirect (HTTP {status}); newsloom does not follow redirects"
        )
    if status == 429 or status >= 500:
        raise _Retry(f"HTTP {status}")
    if status >= 400:
        raise BackendError(f"{url} refused the request: HTTP {status}")


def _read_limited(response: http.client.HTTPResponse, limit: int, deadline: float, timeout: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BackendError(f"reply of {declared} bytes is larger than the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(65536):
        size += len(chunk)
        if size > limit:
            raise BackendError(f"reply is larger than the limit of {limit} bytes")
        if time.monotonic() >= deadline:
            raise _Retry(f"no complete reply within {timeout:g} s")
        chunks.append(chunk)
    if time.monotonic() >= deadline:  # the watchdog cut the reply short
        raise _Retry(f"no complete reply within {timeout:g} s")
    return b"".join(chunks)


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        decoded = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Retry("reply is not JSON") from None
    if not isinstance(decoded, dict):
        raise _Retry("reply is not a JSON object")
    return decoded


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
        if not isinstance(content, str) or not plain(content).strip():
            raise BackendError(f"{self._client.url} replied with an empty message")
        return plain(content).strip()  # untrusted text: it is printed and stored, so no control characters


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
        check_url(endpoint, api_key)  # the key travels in the body: the same rule as for a bearer token
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
        if not isinstance(translated, str) or not plain(translated).strip():
            raise BackendError(f"{self._client.url} replied without translatedText")
        return plain(translated).strip()  # untrusted text: no control characters

    def summarize(self, texts: Sequence[str], *, max_words: int = 80) -> str:
        """Not available: LibreTranslate only translates."""
        raise BackendError("a LibreTranslate backend cannot summarise; the built-in summary is used")
