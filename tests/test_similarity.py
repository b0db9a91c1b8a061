"""Similarity features, the fitted model's file format and the ridge fit."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_article
from newsloom.stages.similarity import (
    FEATURES,
    INPUTS,
    STEM,
    ArticleSignal,
    DocumentFrequency,
    LanguageBaseline,
    SimilarityModel,
    capitalised_keys,
    date_factor,
    default_model,
    event_model,
    expand,
    features,
    fit_ridge,
    lexical_terms,
    make_signal,
    pair_similarity,
    set_cosine,
    sparse_cosine,
)


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def signal(
    aid: str, vec: np.ndarray, text: str, lang: str = "en", date: dt.date | None = None
) -> ArticleSignal:
    return ArticleSignal(aid, vec, lexical_terms(text), capitalised_keys(text), date, lang, "site", None, "")


@given(st.text())
def test_lexical_terms_are_short_folded_ascii(text: str) -> None:
    for term in lexical_terms(text):
        assert term.isascii() and term == term.lower() and len(term) <= STEM


def test_lexical_terms_meet_across_scripts_and_inflection() -> None:
    assert set(lexical_terms("Путин приехал")) & set(lexical_terms("Putin arrived"))
    assert "1500" in lexical_terms("1500 people")


def test_capitalised_keys_skip_sentence_starts() -> None:
    keys = capitalised_keys("Rescuers came. Water rose in Kłodzko, said Tusk.")
    assert "kodzk" not in keys and "klodz" in keys and "tusk" in keys
    assert "rescu" not in keys and "water" not in keys


@given(st.sets(st.text(min_size=1), max_size=6), st.sets(st.text(min_size=1), max_size=6))
def test_set_cosine_bounded_and_symmetric(a: set[str], b: set[str]) -> None:
    v = set_cosine(a, b)
    assert 0.0 <= v <= 1.0 + 1e-9 and v == pytest.approx(set_cosine(b, a))


def test_sparse_cosine_identity_and_disjoint() -> None:
    assert sparse_cosine({"a": 1.0, "b": 2.0}, {"a": 1.0, "b": 2.0}) == pytest.approx(1.0)
    assert sparse_cosine({"a": 1.0}, {"b": 1.0}) == 0.0


def test_idf_rewards_rare_terms() -> None:
    df = DocumentFrequency()
    for i in range(10):
        df.add(("common", f"rare{i}"))
    assert df.idf("rare3") > df.idf("common") and df.documents == 10


def test_date_factor_monotone() -> None:
    values = [date_factor(g) for g in range(0, 40)]
    assert values[0] == 1.0 and all(a >= b for a, b in itertools.pairwise(values))


def test_features_in_declared_order() -> None:
    a = signal("a", unit(1, 0), "Putin met Kim in Pyongyang")
    b = signal("b", unit(1, 0), "Putin met Kim in Pyongyang", lang="pl")
    f = features(a, b)
    centre = default_model().baseline().mean("en", "pl")
    assert len(f) == len(FEATURES) and f[0] == pytest.approx(1.0 - centre) and f[3] == 0.0


def test_language_baseline_learns_and_round_trips() -> None:
    b = LanguageBaseline({"en|en": 0.77}, same=0.79, cross=0.745, prior_weight=10)
    b.observe("pl", "en", total=0.70 * 90, count=90)  # unseen pair starts from the cross prior
    assert b.mean("en", "pl") == pytest.approx((0.745 * 10 + 63) / 100)
    assert LanguageBaseline.from_dict(b.to_dict()).mean("pl", "en") == pytest.approx(b.mean("en", "pl"))


def test_model_json_round_trip() -> None:
    m = SimilarityModel(("cos", "lex_cap"), (1.0, 0.5), -0.5, 0.4, {"x": 1})
    assert SimilarityModel.from_json(m.to_json()) == m


def test_fit_ridge_recovers_linear_rule() -> None:
    rng = np.random.default_rng(0)
    rows = (rng.random((200, 4)) * [1.0, 0.2, 1.0, 1.0]).tolist()  # lexical stays under the cap
    target = [0.3 + 0.5 * r[0] + 0.2 * r[1] for r in rows]
    w, b = fit_ridge(rows, target, alpha=1e-6)
    predicted = [b + sum(x * y for x, y in zip(w, expand(r), strict=True)) for r in rows]
    assert np.allclose(predicted, target, atol=1e-4)


def test_packaged_model_prefers_same_event() -> None:
    model = default_model()
    assert 0.0 < model.threshold < 1.0
    same = signal("a", unit(1, 0.2, 0), "Putin met Kim Jong Un in Pyongyang on Wednesday")
    twin = signal("b", unit(1, 0.25, 0), "Putin and Kim Jong Un signed a pact in Pyongyang")
    other = signal("c", unit(0.2, 1, 0.5), "The central bank in Frankfurt raised rates")
    assert pair_similarity(same, twin) > pair_similarity(same, other)


def test_far_dates_lower_similarity() -> None:
    a = signal("a", unit(1, 0), "Floods in Opava", date=dt.date(2024, 9, 16))
    near = signal("b", unit(1, 0), "Floods in Opava", date=dt.date(2024, 9, 17))
    far = signal("c", unit(1, 0), "Floods in Opava", date=dt.date(2024, 12, 17))
    assert pair_similarity(a, near) > pair_similarity(a, far)


def test_make_signal_uses_entity_ids_when_given() -> None:
    article = make_article("a", "Kim in Moscow", "Kim Jong Un arrived in Moscow.")
    assert make_signal(article, unit(1, 0), ["Q1", "Q2"]).entities == frozenset({"Q1", "Q2"})
    assert "moscow"[:5] in make_signal(article, unit(1, 0)).entities


def test_model_rejects_unknown_inputs() -> None:
    with pytest.raises(ValueError):
        SimilarityModel(("cos", "nonsense"), (1.0, 0.5), 0.0, 0.5)
    with pytest.raises(ValueError):
        SimilarityModel(("cos",), (1.0, 0.5), 0.0, 0.5)


def test_packaged_models_use_known_inputs() -> None:
    assert default_model().names and event_model().names
    assert set(default_model().names) <= set(INPUTS) and set(event_model().names) <= set(INPUTS)
