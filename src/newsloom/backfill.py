"""Backfill archives: the per-article stages on many workers (Ray Data) or in this process, then the engine.

``newsloom backfill INPUT... --engine ray|local`` runs, for each input file (JSONL, JSON, Parquet, WARC/ARC,
HTML, text, feeds; folders are walked):

1. **read** the documents in this process, streaming (``stages.ingest.read_inputs``; Parquet rows through the
   same JSON-object reader), serialised as ``stream`` messages;
2. **per-article stages** (:class:`ArticleStage`): clean, language, dates (``Pipeline.process``) and the article
   embedding, as ``map_batches`` over a pool of ``workers`` actors, each loading the language identifier and the
   encoder once (``--engine ray``), or the same class called in this process (``--engine local``);
3. **store** the articles in publication-time order (ties keep the input order) through the same
   deduplicating writer as ``ingest`` (``Tracker.store_processed``), with the workers' vectors put in the
   embedding cache, so the analysis does not encode them again;
4. **analyse** (entities, events, stories, claims) with the online engine, which consumes the stored articles
   in that order. The result equals a plain ``ingest`` of the same articles in the same order.

The driver holds one input file's documents at a time; split an archive into files of a manageable size (a
CC-NEWS WARC is one). Needs the extra ``[distributed]`` (``ray[data]``) for ``--engine ray``; Parquet needs
``pyarrow`` (which Ray brings).
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .errors import InputError, MissingExtra
from .models import Article, RawDocument, Rejected
from .stages.ingest import _from_object, read_inputs
from .stream import document_message, message_document

if TYPE_CHECKING:
    from .config import Settings
    from .tracker import IngestReport, Tracker

Engine = Literal["local", "ray"]
_ROWS_PER_BATCH = 32  # documents per map_batches call: enough for the encoder's batching, small for balance


@dataclass(frozen=True)
class BackfillReport:
    inputs: int
    documents: int
    reports: tuple[IngestReport, ...] = field(default=())

    @property
    def added(self) -> int:
        return sum(r.added for r in self.reports)

    @property
    def rejected(self) -> tuple[Rejected, ...]:
        return tuple(r for report in self.reports for r in report.rejected)


class ArticleStage:
    """The per-article stages over a batch of serialised documents; the models load once, in ``__init__``.

    A Ray actor per worker (``map_batches(ArticleStage, ...)``) or one instance in this process: the same code.
    Input column ``doc`` (``stream.document_message`` bytes); output column ``result``: a pickled
    ``(Article | Rejected, vector | None)`` per document, in input order.
    """

    def __init__(self, settings: Settings, today: dt.date | None = None, threads: int = 1) -> None:
        from .pipeline import Pipeline
        from .stages.embed import E5Embedder

        self.pipeline = Pipeline(settings, today=today)
        _ = self.pipeline.langid  # load now: once per worker, not in the first batch
        self.embedder = E5Embedder(threads=threads)
        self.model = str(getattr(self.embedder, "name", "embedder"))

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from .stages.embed import embed_articles

        results: list[Article | Rejected] = []
        for number, data in enumerate(batch["doc"]):
            doc = message_document(bytes(data), f"batch#{number}")
            results.append(doc if isinstance(doc, Rejected) else self.pipeline.process(doc))
        articles = [r for r in results if isinstance(r, Article)]
        matrix = embed_articles(self.embedder, articles) if articles else np.zeros((0, 0), np.float32)
        vectors = iter(matrix)
        out = [
            pickle.dumps(
                (r, np.asarray(next(vectors), np.float32) if isinstance(r, Article) else None, self.model)
            )
            for r in results
        ]
        return {"result": np.array(out, dtype=object)}


def _parquet_documents(path: Path) -> Iterator[RawDocument | Rejected]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Rejected(
            str(path), "ingest", "reading Parquet needs pyarrow: pip install 'newsloom[distributed]'"
        )
        return
    try:
        table = pq.ParquetFile(path)
        number = 0
        for record_batch in table.iter_batches(batch_size=1024):
            for row in record_batch.to_pylist():
                number += 1
                yield _from_object(row, path.name, f"{path}#{number}")
    except Exception as exc:  # a damaged file: what was read stands, the rest is reported
        yield Rejected(str(path), "ingest", f"cannot read Parquet: {type(exc).__name__}: {exc}")


def input_files(inputs: Sequence[str]) -> list[str]:
    """The files of ``inputs`` (folders walked, sorted), each backfilled on its own."""
    files: list[str] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            files.extend(
                str(p) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")
            )
        else:
            files.append(given)
    return files


def documents(path: str, settings: Settings) -> Iterator[RawDocument | Rejected]:
    """One input file's documents and rejections, as ``ingest`` reads them (Parquet rows as JSON objects)."""
    if path.lower().endswith(".parquet"):
        yield from _parquet_documents(Path(path))
    else:
        yield from read_inputs([path], max_bytes=settings.max_bytes, follow_links=settings.follow_links)


def _run_local(stage: ArticleStage, docs: list[bytes]) -> list[bytes]:
    out: list[bytes] = []
    for start in range(0, len(docs), _ROWS_PER_BATCH):
        chunk = np.array(docs[start : start + _ROWS_PER_BATCH], dtype=object)
        out.extend(stage({"doc": chunk})["result"])
    return out


def _run_ray(docs: list[bytes], settings: Settings, today: dt.date | None, workers: int) -> list[bytes]:
    import ray

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the engine's order is the input's, sorted by date
    dataset = ray.data.from_items([{"doc": d} for d in docs])
    mapped = dataset.map_batches(
        ArticleStage,
        fn_constructor_kwargs={"settings": settings, "today": today, "threads": 1},
        batch_size=_ROWS_PER_BATCH,
        batch_format="numpy",
        concurrency=workers,
        num_cpus=1,
    )
    return [bytes(row["result"]) for row in mapped.iter_rows()]


def _connect_ray(address: str | None, workers: int) -> None:
    try:
        import ray
    except ImportError as exc:
        raise MissingExtra("ray", "distributed") from exc
    if ray.is_initialized():
        return
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)


def _in_date_order(results: list[bytes]) -> Iterator[tuple[Article | Rejected, Any, str]]:
    decoded = [pickle.loads(r) for r in results]  # our own workers' output

    def key(item: tuple[int, tuple[Article | Rejected, Any, str]]) -> tuple[dt.date, int]:
        result = item[1][0]
        day = result.published.value if isinstance(result, Article) else None
        return (day or dt.date.max, item[0])

    for _, item in sorted(enumerate(decoded), key=key):
        yield item


def backfill(
    tracker: Tracker,
    inputs: Sequence[str],
    *,
    engine: Engine = "local",
    address: str | None = None,
    workers: int = 2,
) -> BackfillReport:
    """Backfill ``inputs`` into ``tracker``'s store (see the module docstring); ``address`` joins a running
    Ray cluster (``ray://`` or ``HOST:PORT``), else a local one with ``workers`` CPUs is started.

    >>> backfill(tracker, ["cc-news-2024-06.warc.gz"], engine="ray", address="head:6379")  # doctest: +SKIP
    """
    if engine not in ("local", "ray"):
        raise InputError(f"unknown backfill engine {engine!r}: use 'local' or 'ray'")
    if workers < 1:
        raise InputError("backfill needs at least one worker")
    settings = tracker.settings
    local_stage: ArticleStage | None = None
    if engine == "ray":
        _connect_ray(address, workers)
    files = input_files(inputs)
    reports: list[IngestReport] = []
    total = 0
    for path in files:
        docs: list[bytes] = []
        early: list[Rejected] = []
        for item in documents(path, settings):
            if isinstance(item, Rejected):
                early.append(item)
            else:
                docs.append(document_message(item)[0])
        total += len(docs)
        if engine == "ray":
            results = _run_ray(docs, settings, tracker.today, workers) if docs else []
        else:
            local_stage = local_stage or ArticleStage(settings, tracker.today, threads=settings.embed_threads)
            results = _run_local(local_stage, docs)
        reports.append(_store(tracker, early, results, analyze=path == files[-1]))
    if not files:
        raise InputError("nothing to backfill: no input files found")
    return BackfillReport(len(files), total, tuple(reports))


def _store(tracker: Tracker, early: list[Rejected], results: list[bytes], *, analyze: bool) -> IngestReport:
    """Store one file's articles in date order with their vectors cached; analyse after the last file."""
    vectors: dict[str, Any] = {}
    model = ""
    ordered: list[Article | Rejected] = list(early)
    for result, vector, name in _in_date_order(results):
        ordered.append(result)
        if isinstance(result, Article):
            vectors[result.id] = vector
            model = name

    def cache(stored: Sequence[Article]) -> None:
        # Only originals: a near-duplicate shares its original's vector, as in a plain ingest.
        fresh = {a.id: vectors[a.id] for a in stored if a.duplicate_of is None and a.id in vectors}
        if fresh:
            tracker.store.save_embeddings(model, fresh)

    last = analyze and tracker.settings.analyze  # once, after the last file, in the stored order
    return tracker.store_processed(ordered, on_flush=cache, analyze=last)
