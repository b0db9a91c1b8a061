"""Stream ingest over NATS JetStream: ``newsloom publish`` enqueues documents, ``newsloom worker`` stores them.

Delivery is at-least-once and writes are idempotent:

- A document is published with its content hash as ``Nats-Msg-Id``, so JetStream drops a re-publish inside its
  duplicate window.
- A worker acknowledges a message only after the article it carries is committed and analysed
  (``Tracker.ingest_documents``). A killed worker's unacknowledged messages are delivered again; the article id
  is a hash of the content, so a redelivered article is "already present", never stored twice.
- Several workers share one durable consumer (each message goes to one of them); on one SQLite store they
  serialise on its write lock, on PostgreSQL they write concurrently.

Needs the extra ``[stream]`` (``nats-py``) and a NATS server with JetStream (``nats-server -js``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .models import RawDocument, Rejected

if TYPE_CHECKING:
    from .tracker import IngestReport, Tracker

STREAM = "NEWSLOOM"
SUBJECT = "newsloom.documents"
DURABLE = "newsloom-workers"
# A batch is acknowledged after its analysis; unacknowledged messages (a killed worker's batch in flight) are
# delivered again after this long. Long enough for a batch's analysis, short enough that a restarted worker soon
# finishes what a killed one left; a batch that takes longer is delivered twice and found already present.
ACK_WAIT_S = 120.0
_FIELDS = ("source", "origin", "content", "format", "title", "url", "published", "site", "language")


@dataclass(frozen=True)
class PublishReport:
    published: int
    duplicates: int  # already in the stream (same content), dropped by JetStream
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True)
class WorkerReport:
    messages: int
    added: int
    already_present: int
    rejected: tuple[Rejected, ...]
    notes: tuple[str, ...] = field(default=())


def document_message(doc: RawDocument) -> tuple[bytes, str]:
    """The message body (JSON of the document's fields) and its de-duplication id (hash of the content)."""
    body = json.dumps({name: getattr(doc, name) for name in _FIELDS}, ensure_ascii=False).encode("utf-8")
    return body, hashlib.sha1(doc.content.encode("utf-8", "surrogatepass")).hexdigest()


def message_document(data: bytes, where: str) -> RawDocument | Rejected:
    """Parse a message body back into a document; anything malformed is a rejection naming the message."""
    try:
        value = json.loads(data.decode("utf-8"))
        if not isinstance(value, dict) or not isinstance(value.get("content"), str):
            raise ValueError("not a document object with a 'content' string")
        fields: dict[str, Any] = {name: value.get(name) for name in _FIELDS}
        if fields["format"] not in ("text", "html", "json", "feed"):
            raise ValueError(f"unknown format {fields['format']!r}")
        for name in ("source", "origin"):
            fields[name] = str(fields[name] or where)
        return RawDocument(**fields)
    except (UnicodeDecodeError, ValueError, TypeError) as exc:
        return Rejected(where, "stream", f"unreadable message: {exc}")


def _connect_error(url: str, exc: Exception) -> InputError:
    return InputError(f"{url}: cannot reach NATS with JetStream ({type(exc).__name__}: {exc})")


async def _stream(url: str) -> tuple[Any, Any]:
    import nats
    from nats.js.errors import BadRequestError

    try:
        client = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=2, allow_reconnect=False)
    except Exception as exc:  # nats raises several kinds; the user gets one clear line
        raise _connect_error(url, exc) from exc
    js = client.jetstream()
    with contextlib.suppress(BadRequestError):  # it exists already (with these subjects)
        await js.add_stream(name=STREAM, subjects=[SUBJECT])
    return client, js


async def _publish(url: str, items: Iterable[RawDocument | Rejected]) -> PublishReport:
    client, js = await _stream(url)
    published = duplicates = 0
    rejected: list[Rejected] = []
    try:
        for item in items:
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            body, msg_id = document_message(item)
            ack = await js.publish(SUBJECT, body, headers={"Nats-Msg-Id": msg_id})
            duplicates += bool(ack.duplicate)
            published += not ack.duplicate
    finally:
        await client.close()
    return PublishReport(published, duplicates, tuple(rejected))


def publish(url: str, items: Iterable[RawDocument | Rejected]) -> PublishReport:
    """Enqueue documents (``read_inputs`` output) on the JetStream stream at ``url``."""
    return asyncio.run(_publish(url, items))


async def _work(
    url: str, tracker: Tracker, batch: int, idle_exit: float | None, limit: int | None, ack_wait: float
) -> WorkerReport:
    from nats.errors import TimeoutError as FetchTimeout
    from nats.js.api import AckPolicy, ConsumerConfig

    client, js = await _stream(url)
    config = ConsumerConfig(durable_name=DURABLE, ack_policy=AckPolicy.EXPLICIT, ack_wait=ack_wait)
    subscription = await js.pull_subscribe(SUBJECT, durable=DURABLE, config=config)
    messages = added = present = 0
    rejected: list[Rejected] = []
    notes: list[str] = []
    idle = 0.0
    try:
        while limit is None or messages < limit:
            try:
                fetched = await subscription.fetch(batch, timeout=1.0)
            except (TimeoutError, FetchTimeout):  # nats raises either, by where the wait ran out
                idle += 1.0
                if idle_exit is not None and idle >= idle_exit:
                    break
                continue
            idle = 0.0
            items = [
                message_document(m.data, f"nats:{SUBJECT}#{m.metadata.sequence.stream}") for m in fetched
            ]
            # Synchronous on purpose: the store connection belongs to this thread, and nothing else runs here.
            report: IngestReport = tracker.ingest_documents(items)
            for message in fetched:  # only now is every article of the batch committed and analysed
                await message.ack()
            messages += len(fetched)
            added += report.added
            present += report.already_present
            rejected.extend(report.rejected)
            notes.extend(report.analysis)
    finally:
        await client.close()
    return WorkerReport(messages, added, present, tuple(rejected), tuple(notes))


def run_worker(
    url: str,
    tracker: Tracker,
    *,
    batch: int = 50,
    idle_exit: float | None = None,
    limit: int | None = None,
    ack_wait: float = ACK_WAIT_S,
) -> WorkerReport:
    """Consume documents from the stream into ``tracker`` until stopped (or idle for ``idle_exit`` seconds, or
    after ``limit`` messages); unacknowledged messages come back after ``ack_wait`` seconds."""
    if batch < 1:
        raise InputError("worker batch must be at least 1")
    return asyncio.run(_work(url, tracker, batch, idle_exit, limit, ack_wait))
