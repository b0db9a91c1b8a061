"""Background ingests: a job id per queued ingest, its state and, once done, its report or error."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from concurrent.futures import Future
from typing import Any

from ..errors import NewsloomError, NotFound

KEEP = 200  # finished jobs remembered; older ones are forgotten first


class Jobs:
    """The ingests this server process queued, newest last; a restart forgets them (the store keeps the data)."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Future[dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, future: Future[dict[str, Any]]) -> str:
        job_id = "job-" + uuid.uuid4().hex[:12]
        with self._lock:
            self._jobs[job_id] = future
            while len(self._jobs) > KEEP and next(iter(self._jobs.values())).done():
                self._jobs.popitem(last=False)
        return job_id

    def status(self, job_id: str) -> dict[str, Any]:
        """``{"id", "status": queued|running|done|failed, "report" or "error"}``."""
        with self._lock:
            future = self._jobs.get(job_id)
        if future is None:
            raise NotFound(f"no ingest job {job_id!r} (jobs are forgotten when the server restarts)")
        if not future.done():
            return {"id": job_id, "status": "running" if future.running() else "queued"}
        error = future.exception()
        if error is None:
            return {"id": job_id, "status": "done", "report": future.result()}
        message = (
            str(error) if isinstance(error, NewsloomError) else "internal error; the server log has details"
        )
        return {"id": job_id, "status": "failed", "error": message}
