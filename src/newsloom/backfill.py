"""Backfill archives: the per-article stages on many workers (Ray Data) or in this process, then the engine.

``newsloom backfill INPUT... --engine ray|local`` runs, over its input files (JSONL, JSON, Parquet, WARC/ARC,
HTML, text, feeds; folders are walked):

1. **read** each file's documents in this process, streaming (``stages.ingest.read_inputs``; Parquet rows through
   the same JSON-object reader), serialised as ``stream`` messages;
2. **per-article stages** (:class:`ArticleStage`): clean, language, dates (``Pipeline.process``), entity mentions
   (``extract_mentions``) and the article embedding, as ``map_batches`` over a pool of ``workers`` actors, each
   loading the language identifier, the gazetteer and the encoder once (``--engine ray``), or the same class
   called in this process (``--engine local``); the results are spooled to a temporary file, with only a sort
   key per article in memory;
3. **store** the articles of all files in one publication-time order (ties and undated articles keep the input
   order) through the same deduplicating writer as ``ingest`` (``Tracker.store_processed``), with the workers'
   vectors put in the embedding cache and their mentions in the engine's handoff (``engine.handoff``), so the
   analysis neither encodes nor extracts them again;
4. **analyse** (linking, events, stories, claims) with the online engine, which consumes the stored articles
   in that order. The result equals a plain ``ingest`` of the same articles in the same order.

The driver holds one input file's documents at a time; split an archive into files of a manageable size (a
CC-NEWS WARC is one). Needs the extra ``[distributed]`` (``ray[data]``) for ``--engine ray``; Parquet needs
``pyarrow`` (which Ray brings).
"""

from __future__ import annotations

import datetime as dt
import io
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import numpy as np

from .errors import InputError, MissingExtra
from .models import Article, Mention, RawDocument, Rejected
from .stages.ingest import _from_object, read_inputs
from .stream import document_message, message_document

if TYPE_CHECKING:
    from .config import Settings
    from .stages.entities import AliasRecord
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
    ``(Article | Rejected, vector | None, encoder name, gazetteer key, mentions | None)`` per document, in input
    order. ``imported`` are the store's imported names, so the gazetteer equals the engine's (same key).
    """

    def __init__(
        self,
        settings: Settings,
        today: dt.date | None = None,
        threads: int = 1,
        imported: Sequence[AliasRecord] = (),
    ) -> None:
        from .engine.handoff import gazetteer_key
        from .pipeline import Pipeline
        from .stages.embed import E5Embedder
        from .stages.entities import Gazetteer

        self.pipeline = Pipeline(settings, today=today)
        _ = self.pipeline.langid  # load now: once per worker, not in the first batch
        self.embedder = E5Embedder(threads=threads)
        self.model = str(getattr(self.embedder, "name", "embedder"))
        # As engine.models.load_models builds it; alias-file problems are reported by the engine's own load.
        self.gazetteer, _rejected = Gazetteer.load([Path(p) for p in settings.alias_files])
        self.gazetteer.add_aliases(imported)
        self.key = gazetteer_key(settings.alias_files, imported)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from .stages.embed import embed_articles

        results: list[Article | Rejected] = []
        for number, data in enumerate(batch["doc"]):
            doc = message_document(bytes(data), f"batch#{number}")
            results.append(doc if isinstance(doc, Rejected) else self.pipeline.process(doc))
        articles = [r for r in results if isinstance(r, Article)]
        matrix = embed_articles(self.embedder, articles) if articles else np.zeros((0, 0), np.float32)
        vectors = iter(matrix)
        out = []
        for r in results:
            if isinstance(r, Article):
                vector = np.asarray(next(vectors), np.float32)
                out.append(pickle.dumps((r, vector, self.model, self.key, self._mentions(r))))
            else:
                out.append(pickle.dumps((r, None, self.model, self.key, None)))
        return {"result": np.array(out, dtype=object)}

    def _mentions(self, article: Article) -> list[Mention] | None:
        """The engine's own entity extraction; a failure leaves it to the engine, which reports it."""
        from .stages.entities import extract_mentions

        try:
            return extract_mentions(article, self.gazetteer)
        except Exception:  # the engine extracts again and reports the failure by origin
            return None


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


def _run_local(stage: ArticleStage, docs: list[bytes]) -> Iterator[bytes]:
    for start in range(0, len(docs), _ROWS_PER_BATCH):
        chunk = np.array(docs[start : start + _ROWS_PER_BATCH], dtype=object)
        yield from stage({"doc": chunk})["result"]


def _run_ray(
    docs: list[bytes],
    settings: Settings,
    today: dt.date | None,
    workers: int,
    imported: Sequence[AliasRecord] = (),
) -> Iterator[bytes]:
    import ray

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # ties in date keep the input order
    dataset = ray.data.from_items([{"doc": d} for d in docs])
    mapped = dataset.map_batches(
        ArticleStage,
        fn_constructor_kwargs={"settings": settings, "today": today, "threads": 1, "imported": imported},
        batch_size=_ROWS_PER_BATCH,
        batch_format="numpy",
        concurrency=workers,
        num_cpus=1,
    )
    for row in mapped.iter_rows():
        yield bytes(row["result"])


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


class _Spool:
    """The workers' results on disk, with only a sort key per article in memory: publication date, then input
    order (ties and undated articles keep it; undated ones come last)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.keys: list[tuple[dt.date, int, int]] = []  # (date, sequence, offset)

    def add(self, results: Iterable[bytes]) -> list[Rejected]:
        """Spool articles; rejections come back at once (their order does not matter)."""
        rejected: list[Rejected] = []
        for data in results:
            result = pickle.loads(data)[0]  # our own workers' output
            if isinstance(result, Rejected):
                rejected.append(result)
                continue
            offset = self.file.seek(0, io.SEEK_END)
            self.file.write(len(data).to_bytes(8, "little") + data)
            self.keys.append((result.published.value or dt.date.max, len(self.keys), offset))
        return rejected

    def in_date_order(self) -> Iterator[tuple[Article, Any, str, str, list[Mention] | None]]:
        for _, _, offset in sorted(self.keys):
            self.file.seek(offset)
            size = int.from_bytes(self.file.read(8), "little")
            yield pickle.loads(self.file.read(size))


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
    if not files:
        raise InputError("nothing to backfill: no input files found")
    imported = tracker.store.imported_aliases()
    rejected, total = list[Rejected](), 0
    with tempfile.TemporaryFile() as file:
        spool = _Spool(file)
        for path in files:  # the driver holds one file's documents at a time; results go to the spool
            docs: list[bytes] = []
            for item in documents(path, settings):
                if isinstance(item, Rejected):
                    rejected.append(item)
                else:
                    docs.append(document_message(item)[0])
            total += len(docs)
            if not docs:
                continue
            if engine == "ray":
                rejected.extend(spool.add(_run_ray(docs, settings, tracker.today, workers, imported)))
            else:
                local_stage = local_stage or ArticleStage(
                    settings, tracker.today, threads=settings.embed_threads, imported=imported
                )
                rejected.extend(spool.add(_run_local(local_stage, docs)))
        report = _store(tracker, rejected, spool)
    return BackfillReport(len(files), total, (report,))


def _store(tracker: Tracker, rejected: list[Rejected], spool: _Spool) -> IngestReport:
    """Store every file's articles in one publication-time order, the workers' vectors cached and mentions
    handed to the engine, then analyse them in that order."""
    analyze = tracker.settings.analyze
    waiting: dict[str, tuple[Any, str, str, list[Mention] | None]] = {}

    def ordered() -> Iterator[Article | Rejected]:
        yield from rejected
        for article, vector, model, key, mentions in spool.in_date_order():
            waiting[article.id] = (vector, model, key, mentions)
            yield article

    def cache(stored: Sequence[Article]) -> None:
        # Only originals: a near-duplicate shares its original's vector, as in a plain ingest.
        by_model: dict[str, dict[str, Any]] = {}
        handoff = tracker.models.handoff if analyze else None  # no analysis: no models to load
        for article in stored:
            if article.id not in waiting:
                continue
            vector, model, key, mentions = waiting[article.id]
            if article.duplicate_of is None:
                by_model.setdefault(model, {})[article.id] = vector
            if handoff is not None and mentions is not None:
                handoff.put(key, article, mentions)
        for model, vectors in by_model.items():
            tracker.store.save_embeddings(model, vectors)
        # Everything yielded since the last flush is stored now or was skipped (already stored).
        waiting.clear()

    return tracker.store_processed(ordered(), on_flush=cache, analyze=analyze)
