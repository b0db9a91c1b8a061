"""Optional digest backends against fake servers on 127.0.0.1: good, slow, failing and malformed replies."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsloom.backends import (
    BackendSettings,
    DigestBackend,
    LibreTranslateBackend,
    OpenAIChatBackend,
    make_backend,
)
from newsloom.config import Settings
from newsloom.errors import BackendError, InputError

pytestmark = pytest.mark.server

Reply = Callable[[str, dict[str, Any]], tuple[int, bytes, float]]


@contextmanager
def fake_server(reply: Reply) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A server on 127.0.0.1 (random port) answering POSTs with ``reply(path, body) -> (status, bytes, delay)``."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
            status, payload, delay = reply(self.path, body)
            time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def chat_reply(text: str) -> bytes:
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}).encode()


def test_openai_translate_sends_the_openai_schema_and_bearer_key() -> None:
    with fake_server(lambda path, body: (200, chat_reply(" Peskov denied the reports. "), 0)) as (url, seen):
        backend = OpenAIChatBackend(url + "/v1", "tiny", api_key="k1", timeout=5, retries=0)
        assert backend.translate("Pieskow zaprzeczył doniesieniom.", "pl") == "Peskov denied the reports."
    (request,) = seen
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k1"
    assert request["body"]["model"] == "tiny"
    assert [m["role"] for m in request["body"]["messages"]] == ["system", "user"]
    assert "Polish" in request["body"]["messages"][0]["content"]


def test_slow_reply_times_out_and_retries_are_bounded() -> None:
    with fake_server(lambda path, body: (200, chat_reply("late"), 1.0)) as (url, seen):
        backend = OpenAIChatBackend(url, "m", timeout=0.2, retries=1, backoff=0.01)
        start = time.monotonic()
        with pytest.raises(BackendError, match="2 attempt"):
            backend.summarize(["a", "b"])
        assert time.monotonic() - start < 3
    assert len(seen) == 2


def test_server_error_is_retried_then_succeeds() -> None:
    calls: list[int] = []

    def flaky(path: str, body: dict[str, Any]) -> tuple[int, bytes, float]:
        calls.append(1)
        return (500, b"{}", 0) if len(calls) == 1 else (200, chat_reply("ok"), 0)

    with fake_server(flaky) as (url, _):
        assert OpenAIChatBackend(url, "m", retries=2, backoff=0.01).translate("x", "cs") == "ok"
    assert len(calls) == 2


def test_client_error_is_not_retried() -> None:
    with (
        fake_server(lambda path, body: (401, b"{}", 0)) as (url, seen),
        pytest.raises(BackendError, match="401"),
    ):
        OpenAIChatBackend(url, "m", retries=3, backoff=0.01).translate("x", "cs")
    assert len(seen) == 1


@pytest.mark.parametrize("payload", [b"not json", b"[1, 2]", b'{"choices": []}', chat_reply("   ")])
def test_malformed_replies_raise_backend_error(payload: bytes) -> None:
    with fake_server(lambda path, body: (200, payload, 0)) as (url, _), pytest.raises(BackendError):
        OpenAIChatBackend(url, "m", retries=1, backoff=0.01).translate("x", "ro")


def test_cache_answers_repeated_requests_without_the_server(tmp_path: Path) -> None:
    with fake_server(lambda path, body: (200, chat_reply("cached"), 0)) as (url, seen):
        backend = OpenAIChatBackend(url, "m", cache_dir=str(tmp_path))
        assert backend.translate("Ahoj světe", "cs") == "cached"
        assert backend.translate("Ahoj světe", "cs") == "cached"
        assert backend.translate("Jiný text", "cs") == "cached"
    assert len(seen) == 2
    assert len(list(tmp_path.glob("*.json"))) == 2
    # With the server gone, the cached request still answers and a new one fails cleanly.
    offline = OpenAIChatBackend(url, "m", cache_dir=str(tmp_path), timeout=0.5, retries=0)
    assert offline.translate("Ahoj světe", "cs") == "cached"
    with pytest.raises(BackendError):
        offline.translate("Nový text", "cs")


def test_libretranslate_posts_q_source_target_format_and_key() -> None:
    reply = json.dumps({"translatedText": "Good day"}).encode()
    with fake_server(lambda path, body: (200, reply, 0)) as (url, seen):
        backend = LibreTranslateBackend(url, api_key="lt", retries=0)
        assert backend.translate("Bună ziua", "ro") == "Good day"
        assert backend.translate("Bună ziua", "und") == "Good day"
        with pytest.raises(BackendError):
            backend.summarize(["Bună ziua"])
    assert seen[0]["path"] == "/translate"
    assert seen[0]["body"] == {
        "q": "Bună ziua",
        "source": "ro",
        "target": "en",
        "format": "text",
        "api_key": "lt",
    }
    assert seen[1]["body"]["source"] == "auto"


def test_libretranslate_without_translated_text_fails() -> None:
    bad = b'{"error": "x"}'
    with (
        fake_server(lambda path, body: (200, bad, 0)) as (url, _),
        pytest.raises(BackendError, match="translated"),
    ):
        LibreTranslateBackend(url + "/translate", retries=0).translate("x", "pl")


def test_make_backend_is_off_by_default_and_reads_settings() -> None:
    assert make_backend(BackendSettings.from_settings(Settings())) is None
    chosen = make_backend(BackendSettings(kind="openai", url="http://127.0.0.1:9/v1", model="m"))
    assert isinstance(chosen, OpenAIChatBackend) and isinstance(chosen, DigestBackend)
    lt = make_backend(BackendSettings(kind="LibreTranslate", url="http://127.0.0.1:9"))
    assert isinstance(lt, LibreTranslateBackend)
    with pytest.raises(InputError, match="unknown backend"):
        make_backend(BackendSettings(kind="deepl", url="http://127.0.0.1:9"))
    with pytest.raises(InputError, match="backend_model"):
        make_backend(BackendSettings(kind="openai", url="http://127.0.0.1:9"))
    with pytest.raises(InputError, match="http"):
        make_backend(BackendSettings(kind="libretranslate", url="127.0.0.1:9"))


@contextmanager
def raw_server(handle: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 whose POST handler writes whatever ``handle`` sends, however slowly."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(self.headers.get("Authorization") or "")
            with contextlib.suppress(
                BrokenPipeError, ConnectionResetError
            ):  # the client gave up, as it should
                handle(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_redirect_is_not_followed_and_the_key_stays_home() -> None:
    with raw_server(
        lambda h: (h.send_response(200), h.end_headers(), h.wfile.write(chat_reply("pwned")))
    ) as (
        elsewhere,
        other_seen,
    ):

        def redirect(h: BaseHTTPRequestHandler) -> None:
            h.send_response(302)
            h.send_header("Location", elsewhere + "/steal")
            h.send_header("Content-Length", "0")
            h.end_headers()

        with raw_server(redirect) as (url, seen):
            backend = OpenAIChatBackend(url, "m", api_key="secret", timeout=2, retries=2, backoff=0.01)
            with pytest.raises(BackendError, match="redirect"):
                backend.translate("x", "pl")
    assert seen == ["Bearer secret"]  # one attempt: a redirect is not retried
    assert other_seen == []


@pytest.mark.parametrize("where", ["headers", "body"])
def test_trickling_server_is_cut_at_the_total_deadline(where: str) -> None:
    def trickle(h: BaseHTTPRequestHandler) -> None:
        reply = chat_reply("late " * 50)
        if where == "body":
            h.send_response(200)
            h.send_header("Content-Length", str(len(reply)))
            h.end_headers()
            head = b""
        else:
            head = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
            reply = b""
        for byte in head + reply:
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(0.05)  # 20 bytes a second: every read succeeds, the whole never arrives in time

    with raw_server(trickle) as (url, seen):
        backend = OpenAIChatBackend(url, "m", timeout=0.6, retries=1, backoff=0.01)
        start = time.monotonic()
        with pytest.raises(BackendError, match=r"within 0\.6 s"):
            backend.translate("x", "pl")
        elapsed = time.monotonic() - start
    assert elapsed < 2.5, elapsed  # two attempts of 0.6 s, not the minutes a per-read timeout allows
    assert len(seen) == 2


@pytest.mark.parametrize("declared", [True, False])
def test_flooding_server_is_refused_at_the_size_limit(declared: bool) -> None:
    def flood(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        if declared:
            h.send_header("Content-Length", str(1 << 30))
        h.end_headers()
        block = b"x" * 65536
        for _ in range(2000):  # 128 MiB if nobody stops reading
            h.wfile.write(block)

    with raw_server(flood) as (url, seen):
        backend = OpenAIChatBackend(url, "m", timeout=10, retries=2, backoff=0.01)
        start = time.monotonic()
        with pytest.raises(BackendError, match="larger than the limit"):
            backend.translate("x", "pl")
        assert time.monotonic() - start < 5
    assert len(seen) == 1


def test_key_is_only_sent_over_https_or_to_loopback() -> None:
    for url in ("http://llm.example.org/v1", "http://10.0.0.5:8080"):
        with pytest.raises(InputError, match="https"):
            OpenAIChatBackend(url, "m", api_key="secret")
        with pytest.raises(InputError, match="https"):
            LibreTranslateBackend(url, api_key="secret")
    OpenAIChatBackend("http://llm.example.org/v1", "m")  # no key: nothing secret travels
    OpenAIChatBackend("https://llm.example.org/v1", "m", api_key="secret")
    for url in ("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"):
        OpenAIChatBackend(url, "m", api_key="secret")


def test_reply_text_is_untrusted() -> None:
    hostile = "Peskov\x1b]52;c;cHduZWQ=\x07 denied\x1b[2J the \u202ereports\x9b."
    with fake_server(lambda path, body: (200, chat_reply(hostile), 0)) as (url, _):
        text = OpenAIChatBackend(url, "m", retries=0).translate("x", "pl")
    assert text == "Peskov]52;c;cHduZWQ= denied[2J the reports."
