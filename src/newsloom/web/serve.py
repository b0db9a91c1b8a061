"""``newsloom serve``: run the app with uvicorn on one address until interrupted."""

from __future__ import annotations

import os
from typing import TextIO

import uvicorn

from ..tracker import Tracker
from .app import create_app


def serve(tracker: Tracker, *, host: str, port: int, out: TextIO) -> int:
    """Serve the store ``tracker`` is open on; returns the exit code once the server stops."""
    app = create_app(tracker)
    writes = (
        "writes enabled (bearer token)"
        if os.environ.get("NEWSLOOM_TOKEN")
        else "read-only (no NEWSLOOM_TOKEN)"
    )
    out.write(f"newsloom: serving {tracker.store.path} at http://{host}:{port}/ - {writes}\n")
    out.flush()
    uvicorn.run(app, host=host, port=port, log_level="info")
    return 0
