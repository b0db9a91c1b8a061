"""``newsloom serve``: run the app with uvicorn on one address until interrupted.

``--workers N`` runs N server processes on the one socket (uvicorn's supervisor): a Python process answers
reads on about one core (the GIL), so a 2-core machine needs two to serve twice the reads. Each worker opens
its own store connections and loads its own query encoder on its first semantic search; SQLite readers are
safe across processes (WAL). Several workers are for a read-only server: background ingest jobs and their
status live in the process that accepted them, so a server with a write token runs one process.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
from typing import Any, TextIO

import uvicorn
from fastapi import FastAPI

from ..config import Settings
from ..errors import InputError
from ..tracker import Tracker
from .app import create_app

#: Where the parent hands the settings to its worker processes (they import the app afresh).
SETTINGS_ENV = "NEWSLOOM_SERVE_SETTINGS"


def serve(tracker: Tracker, *, host: str, port: int, out: TextIO, workers: int = 1) -> int:
    """Serve the store ``tracker`` is open on in ``workers`` processes; returns the exit code once they stop."""
    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    token = os.environ.get("NEWSLOOM_TOKEN")
    if workers > 1 and token:
        raise InputError(
            "--workers above 1 serves reads only (an ingest job's status lives in the process that took it); "
            "unset NEWSLOOM_TOKEN or serve with --workers 1"
        )
    writes = "writes enabled (bearer token)" if token else "read-only (no NEWSLOOM_TOKEN)"
    processes = f", {workers} worker processes" if workers > 1 else ""
    out.write(f"newsloom: serving {tracker.store.path} at http://{host}:{port}/ - {writes}{processes}\n")
    out.flush()
    if workers == 1:
        uvicorn.run(create_app(tracker), host=host, port=port, log_level="info")
        return 0
    settings = dataclasses.replace(tracker.settings, db=tracker.store.path)
    os.environ[SETTINGS_ENV] = json.dumps(dataclasses.asdict(settings))
    uvicorn.run(
        "newsloom.web.serve:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        **patient_healthcheck(),
    )
    return 0


def patient_healthcheck() -> dict[str, Any]:
    """uvicorn's supervisor kills a worker that does not answer its ping in 5 s, which a busy 2-core machine
    (a worker importing the model, an ingest beside it) can exceed; 30 s still catches a hung worker."""
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:  # uvicorn >= 0.30
        return {"timeout_worker_healthcheck": 30}
    return {}


def worker_app() -> FastAPI:
    """The app of one worker process, over the settings its parent put in ``$NEWSLOOM_SERVE_SETTINGS``."""
    values: dict[str, Any] = json.loads(os.environ[SETTINGS_ENV])
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return create_app(Settings(**fields))
