"""Embedding protocol, what is embedded, and the disk cache (the real model only under the slow marker)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_article
from newsloom.stages.embed import (
    LEAD_WORDS,
    CachedEmbedder,
    E5Embedder,
    Embedder,
    embed_articles,
    embedding_text,
    lead_words,
    normalise_rows,
)


class CountingEmbedder:
    """A fake model: a vector from character counts, recording how many texts it saw."""

    name = "fake"
    dim = 8

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        rows = np.array([[t.count(c) + 1 for c in "aeioustn"] for t in texts], dtype=np.float32)
        return normalise_rows(rows.reshape(len(texts), self.dim))


def test_fake_satisfies_protocol() -> None:
    assert isinstance(CountingEmbedder(), Embedder)


def test_embedding_text_is_title_plus_lead() -> None:
    article = make_article("a", "Flood in Nysa", "word " * 500)
    text = embedding_text(article)
    assert text.startswith("Flood in Nysa word")
    assert len(text.split()) == LEAD_WORDS


def test_embedding_text_without_title_uses_body() -> None:
    assert embedding_text(make_article("a", "", "only body here")) == "only body here"


@given(st.text(), st.integers(0, 50), st.integers(1, 50))
def test_lead_words_is_a_window(text: str, start: int, count: int) -> None:
    words = text.split()
    assert lead_words(text, start, count).split() == words[start : start + count]


def test_normalise_rows_unit_length_and_zero_rows() -> None:
    rows = normalise_rows(np.array([[3, 4], [0, 0]], dtype=np.float32))
    assert np.allclose(rows[0], [0.6, 0.8])
    assert np.allclose(rows[1], [0, 0])


def test_cache_returns_same_rows_and_skips_known_texts(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, tmp_path)
    first = cached.embed(["alpha", "beta", "alpha"])
    assert inner.calls == 2  # the repeated text is embedded once
    again = CachedEmbedder(inner, tmp_path).embed(["beta", "alpha", "gamma"])
    assert inner.calls == 3
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[0])


def test_embed_articles_one_row_per_article() -> None:
    arts = [make_article(str(i), f"t{i}", "body text") for i in range(3)]
    assert embed_articles(CountingEmbedder(), arts).shape == (3, 8)


def test_e5_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        E5Embedder(threads=0)


@pytest.mark.slow
def test_e5_translations_closer_than_unrelated() -> None:
    e5 = E5Embedder(threads=2)
    rows = e5.embed(
        [
            "Powódź w Kłodzku: woda zalała centrum miasta.",
            "Flood in Kłodzko: water flooded the town centre.",
            "The central bank raised interest rates by half a point.",
        ]
    )
    assert rows.shape == (3, e5.dim) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.03


@pytest.mark.slow
def test_e5_batches_keep_input_order() -> None:
    e5 = E5Embedder(threads=2, batch_size=2)
    texts = ["a much longer text about floods in Opava and Krnov", "short", "", "medium length text"]
    together = e5.embed(texts)
    alone = np.stack([e5.embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
