"""Publication dates: header lines at any precision, URLs, clocks, ranking text dates; a held-out quality gate."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.config import Settings
from newsloom.models import RawDocument
from newsloom.pipeline import Pipeline
from newsloom.stages.dates import publication_date

TODAY = dt.date(2024, 1, 1)
BODY = "Bridge collapse in the capital\n\nThe bridge collapsed on Tuesday evening, officials said today. It opened in 1977."
SHARED = Path(os.environ.get("NEWSLOOM_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings(), today=TODAY)


@pytest.mark.parametrize(
    "header",
    [" date 2021-03-05", "2021-03-05", "5 March 2021", "05.03.2021", "Published: 5 March 2021, 10:15"],
)
def test_date_line_at_the_top_is_the_date_and_not_the_title(pipeline: Pipeline, header: str) -> None:
    article = pipeline.process(RawDocument("a", "a", f"{header}\n{BODY}", "text"))
    assert article.title == "Bridge collapse in the capital"  # type: ignore[union-attr]
    published = article.published  # type: ignore[union-attr]
    assert (published.value, published.how) == (dt.date(2021, 3, 5), "header")
    assert published.confidence is not None and published.confidence >= 0.8
    # Relative expressions resolve against it: "on Tuesday" is the Tuesday before, "today" the day itself.
    resolved = {t.text: t.value.start for t in article.temporal}  # type: ignore[union-attr]
    assert resolved == {"on Tuesday": dt.date(2021, 3, 2), "today": dt.date(2021, 3, 5)}


def test_month_precision_is_kept_as_a_span(pipeline: Pipeline) -> None:
    article = pipeline.process(RawDocument("a", "a", f"date 2021-03\n{BODY}", "text"))
    published = article.published  # type: ignore[union-attr]
    assert (published.value, published.how, published.evidence) == (None, "header", "date 2021-03")
    assert published.span is not None and published.span.iso() == "2021-03"
    assert article.title == "Bridge collapse in the capital"  # type: ignore[union-attr]


def test_day_and_month_without_year_is_evidence_not_a_guess(pipeline: Pipeline) -> None:
    article = pipeline.process(RawDocument("a", "a", f"date 5 March\n{BODY}", "text"))
    published = article.published  # type: ignore[union-attr]
    assert (published.value, published.how, published.evidence) == (None, "header", "date 5 March")
    assert article.title == "Bridge collapse in the capital"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/world/2021/03/05/bridge-collapse",
        "https://example.com/2021-03-05-bridge-collapse.html",
        "https://example.com/news/20210305/bridge",
    ],
)
def test_date_in_the_url(url: str) -> None:
    pub = publication_date(
        metadata=None, header_lines=(), text="Nothing dated.", language="en", today=TODAY, url=url
    )
    assert (pub.value, pub.how) == (dt.date(2021, 3, 5), "metadata")
    assert pub.evidence == f"url: {url}"


def test_url_without_a_valid_date_is_ignored() -> None:
    for url in (
        "https://example.com/article/123456789",
        "https://2021-03-05.example.com/x",
        "https://x.com/2021/13/45/",
    ):
        pub = publication_date(metadata=None, header_lines=(), text="", language="en", today=TODAY, url=url)
        assert pub.value is None


def test_historical_dates_in_the_body_are_not_the_publication_date() -> None:
    text = (
        "The new leader, born on 5 March 1955 in Tbilisi, was sworn in on 12 June 2021. "
        "The bridge, opened on 1 May 1977, was closed on 12 June 2021 after the ceremony."
    )
    pub = publication_date(metadata=None, header_lines=(), text=text, language="en", today=TODAY)
    assert pub.value == dt.date(2021, 6, 12)
    only_history = "The leader, born on 5 March 1955, spoke about the war of 2020 and the 2021 elections."
    assert (
        publication_date(metadata=None, header_lines=(), text=only_history, language="en", today=TODAY).value
        is None
    )


def test_an_event_date_deep_in_the_body_is_not_taken() -> None:
    text = (
        "Talks went on all week. " * 20
        + "The ceasefire was signed on 3 June 2021. Fighting resumed later in 2021."
    )
    pub = publication_date(metadata=None, header_lines=(), text=text, language="en", today=TODAY)
    assert (pub.value, pub.how) == (None, "unknown")


def test_a_site_clock_header_years_after_the_story_is_ignored() -> None:
    text = "Protesters filled Tahrir Square on 25 January 2011. By February 2011 the president had resigned."
    pub = publication_date(
        metadata=None, header_lines=("Wednesday 11 November 2020",), text=text, language="en", today=TODAY
    )
    assert pub.value != dt.date(2020, 11, 11)


def test_relative_words_come_from_dateparser_for_other_languages() -> None:
    from newsloom.stages.dates import temporal_expressions

    ref = dt.date(2024, 6, 19)
    found = temporal_expressions("Presiden meresmikan bendungan itu kemarin di Jawa Tengah.", "id", ref)
    assert [(e.text, e.value.start) for e in found] == [("kemarin", dt.date(2024, 6, 18))]


@pytest.mark.slow
def test_ml_crisis_test_topics_quality_gate() -> None:
    """Held-out gate: ML-Crisis test topics (syria, yemen), date metadata removed (measured 2026-12-02)."""
    from newsloom.evaluation.pubdates import TEST_TOPICS, load_articles, pipeline_dates, score

    path = SHARED / "ml_crisis" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path}")
    results = pipeline_dates(load_articles(path, TEST_TOPICS))
    report = score([(gold, pub.value if pub else None) for gold, pub in results])
    assert report["n"] == 931
    assert report["wrong"] <= 0.03  # measured 0.024; the baseline gave 0.043
    assert report["within_1"] >= 0.045  # measured 0.049 (baseline 0.040)
    assert report["precision"] >= 0.63  # measured 0.676 (baseline 0.480)


@pytest.mark.parametrize(
    ("language", "text", "word", "offset"),
    [
        ("ja", "首相は昨日東京でアメリカの国務長官と会談した。", "昨日", -1),
        ("zh", "国家主席今天在北京会见了美国国务卿。", "今天", 0),
        ("ko", "정부는 어제는 새로운 대책을 발표했다.", "어제", -1),
        ("ka", "თბილისში გუშინ ათასობით ადამიანი გამოვიდა ქუჩაში.", "გუშინ", -1),
    ],
)
def test_relative_days_in_other_scripts(language: str, text: str, word: str, offset: int) -> None:
    from newsloom.stages.dates import temporal_expressions

    ref = dt.date(2024, 6, 19)
    found = [(e.text, e.value.start) for e in temporal_expressions(text, language, ref)]
    assert found == [(word, ref + dt.timedelta(days=offset))]


@settings(max_examples=80, deadline=None)
@given(url=st.text(max_size=120), text=st.text(max_size=300))
def test_publication_date_with_any_url_never_raises_and_never_future(url: str, text: str) -> None:
    pub = publication_date(metadata=None, header_lines=(), text=text, language="en", today=TODAY, url=url)
    assert pub.value is None or pub.value <= TODAY
    assert pub.confidence is None or 0.0 <= pub.confidence <= 1.0


@settings(max_examples=80, deadline=None)
@given(line=st.text(max_size=400))
def test_title_shape_never_raises(line: str) -> None:
    from newsloom.stages.clean import looks_like_title

    assert looks_like_title(line) in (True, False)
