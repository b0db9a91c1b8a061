"""``newsloom serve`` starts uvicorn on the requested loopback port and answers until stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web tests need the http extra: pip install 'newsloom[http,test]'")

import httpx

from web_store import build_store

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_newsloom_serve_answers_on_loopback(tmp_path: Path) -> None:
    db = build_store(tmp_path / "web.db")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NEWSLOOM_TOKEN": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/events/ev-1", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "newsloom serve did not answer"
                time.sleep(0.1)
        assert response.status_code == 200 and response.json()["title"] == "Putin visits Pyongyang"
        refused = httpx.post(f"http://127.0.0.1:{port}/api/v1/ingest", content=b"{}")
        assert refused.status_code == 403, "no NEWSLOOM_TOKEN: read-only"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert f"at http://127.0.0.1:{port}/" in output and "read-only" in output


def test_serve_workers_answer_from_several_processes(tmp_path: Path) -> None:
    db = build_store(tmp_path / "web.db")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "newsloom",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    env = {**os.environ, "NEWSLOOM_TOKEN": ""}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        deadline = time.monotonic() + 60
        titles = []
        while len(titles) < 20:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/events/ev-1", timeout=5)
                titles.append(response.json()["title"])
                assert "Content-Security-Policy" in response.headers
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "newsloom serve --workers 2 did not answer"
                time.sleep(0.1)
        assert set(titles) == {"Putin visits Pyongyang"}
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert "2 worker processes" in output and output.count("Started server process") == 2


def test_serve_workers_refuse_a_write_token(tmp_path: Path) -> None:
    db = build_store(tmp_path / "web.db")
    command = [sys.executable, "-m", "newsloom", "serve", "--db", str(db), "--workers", "2"]
    env = {**os.environ, "NEWSLOOM_TOKEN": "t0ken"}
    done = subprocess.run(command, capture_output=True, env=env, text=True, timeout=60)
    assert done.returncode != 0 and "--workers above 1 serves reads only" in done.stderr
