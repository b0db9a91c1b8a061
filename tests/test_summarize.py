"""English digests without MT: composed headlines, claim grid, key sentences, backends and fallbacks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import pytest

from newsloom.errors import BackendError
from newsloom.models import Article, Claim, Entity, Event, Mention, PublicationDate, Story
from newsloom.stages.summarize import (
    Digest,
    date_range,
    digest_to_json,
    event_digest,
    language_names,
    render_markdown,
    story_digest,
)

PUTIN = Entity("e_putin", "Vladimir Putin", "PER")
KIM = Entity("e_kim", "Kim Jong Un", "PER")
PYONGYANG = Entity("e_pyong", "Pyongyang", "LOC")
US = Entity("e_us", "United States", "LOC")
RU = Entity("e_ru", "Russia", "LOC")
ENTITIES = {e.id: e for e in (PUTIN, KIM, PYONGYANG, US, RU)}

TEXTS = {
    "pl": (
        "Putin i Kim w Pjongjangu",
        "Władimir Putin i Kim Dzong Un podpisali w Pjongjangu traktat. "
        "Pogoda była ładna tego dnia w całym regionie.",
    ),
    "cs": (
        "Putin a Kim v Pchjongjangu",
        "Vladimir Putin a Kim Čong-un podepsali v Pchjongjangu smlouvu. "
        "Na letišti hrála kapela několik skladeb.",
    ),
    "ro": (
        "Putin și Kim la Phenian",
        "Vladimir Putin și Kim Jong Un au semnat la Phenian un tratat. "
        "Vremea a fost frumoasă în toată regiunea.",
    ),
}
SURFACES = {
    "pl": [("Władimir Putin", PUTIN), ("Kim Dzong Un", KIM), ("Pjongjangu", PYONGYANG)],
    "cs": [("Vladimir Putin", PUTIN), ("Kim Čong-un", KIM), ("Pchjongjangu", PYONGYANG)],
    "ro": [("Vladimir Putin", PUTIN), ("Kim Jong Un", KIM), ("Phenian", PYONGYANG)],
    "en": [("Vladimir Putin", PUTIN), ("Kim Jong Un", KIM), ("Pyongyang", PYONGYANG)],
}


def article(lang: str, title: str, text: str, aid: str | None = None) -> Article:
    return Article(aid or f"a_{lang}", f"src_{lang}", f"{lang}.txt", title, text, lang, 1.0,
                   PublicationDate(dt.date(2024, 6, 19), "metadata"))  # fmt: skip


def mentions_of(a: Article) -> list[Mention]:
    out = []
    for surface, entity in SURFACES[a.language]:
        start = a.text.find(surface)
        if start >= 0:
            out.append(
                Mention(a.id, surface, start, start + len(surface), entity.type, surface.lower(), entity.id)
            )
    return out


def event_of(articles: Sequence[Article]) -> Event:
    return Event("ev1", "", dt.date(2024, 6, 18), dt.date(2024, 6, 19), tuple(a.id for a in articles),
                 tuple(sorted({a.language for a in articles})), len(articles))  # fmt: skip


def claim(cid: str, aid: str, speaker: str, stance: str, quote: str, group: str) -> Claim:
    return Claim(cid, aid, "ev1", speaker, None, quote, stance, "indirect", 0, len(quote), group)  # type: ignore[arg-type]


@pytest.fixture
def foreign() -> tuple[Event, list[Article], list[Mention], list[Claim]]:
    arts = [article(lang, *TEXTS[lang]) for lang in ("pl", "cs", "ro")]
    ms = [m for a in arts for m in mentions_of(a)]
    claims = [
        claim("c1", "a_cs", "United States", "assert", "KLDR dodala Rusku balistické rakety", "g1"),
        claim("c2", "a_pl", "Russia and North Korea", "deny", "Korea Północna dostarczała broń", "g1"),
        claim("c4", "a_ro", "Russia", "deny", "Coreea de Nord a livrat rachete", "g1"),
        claim("c3", "a_ro", "Vladimir Putin", "assert", "documentul este revoluționar", "g2"),
    ]
    return event_of(arts), arts, ms, claims


def test_date_range_forms() -> None:
    assert date_range(dt.date(2024, 6, 18), dt.date(2024, 6, 19)) == "18-19 Jun 2024"
    assert date_range(dt.date(2024, 6, 30), dt.date(2024, 7, 2)) == "30 Jun - 2 Jul 2024"
    assert date_range(dt.date(2023, 12, 30), dt.date(2024, 1, 2)) == "30 Dec 2023 - 2 Jan 2024"
    assert date_range(dt.date(2024, 6, 19), None) == "19 Jun 2024"
    assert date_range(None, None) == ""


def test_language_names_in_english() -> None:
    assert language_names(["pl", "cs", "ro", "xx-bogus"]) == ["Polish", "Czech", "Romanian", "xx-bogus"]


def test_composed_digest_without_english_article(
    foreign: tuple[Event, list[Article], list[Mention], list[Claim]],
) -> None:
    event, arts, ms, claims = foreign
    digest = event_digest(event, arts, ms, ENTITIES, claims)
    # No vectors, so no event type: the neutral English title, never a native quote as its predicate.
    assert (
        digest.title
        == "Vladimir Putin and Kim Jong Un in Pyongyang, 18-19 Jun 2024: 3 reports in Czech, Polish, Romanian"
    )
    assert "United States asserts; Russia and North Korea deny" in digest.summary
    assert "Vladimir Putin asserts" in digest.summary
    assert "KLDR" not in digest.summary and "documentul" not in digest.summary
    assert "3 articles in Czech, Polish, Romanian" in digest.summary
    assert digest.via == "built-in" and digest.ref == "ev1"
    assert digest.claim_lines[0].startswith("United States: “KLDR dodala Rusku balistické rakety” (cs)")
    assert "denied by Russia and North Korea and Russia" not in digest.claim_lines[0]
    assert "denied by Russia and North Korea" in digest.claim_lines[0]


def test_key_sentences_are_central_original_and_one_per_article(
    foreign: tuple[Event, list[Article], list[Mention], list[Claim]],
) -> None:
    event, arts, ms, claims = foreign
    keys = event_digest(event, arts, ms, ENTITIES, claims).key_sentences
    by_id = {a.id: a for a in arts}
    assert len(keys) == 3 and len({k.article_id for k in keys}) == 3
    for k in keys:
        assert by_id[k.article_id].text[k.start : k.end] == k.text
        assert k.language == by_id[k.article_id].language
        # The sentence naming the event's people beats the weather.
        assert "Putin" in k.text


def test_english_article_title_and_lead_win(
    foreign: tuple[Event, list[Article], list[Mention], list[Claim]],
) -> None:
    _, arts, ms, claims = foreign
    en = article("en", "Putin and Kim sign defence pact in Pyongyang",
                 "Vladimir Putin and Kim Jong Un signed a treaty in Pyongyang on Wednesday. It was warm.")  # fmt: skip
    arts = [*arts, en]
    digest = event_digest(event_of(arts), arts, [*ms, *mentions_of(en)], ENTITIES, claims)
    assert digest.title == "Putin and Kim sign defence pact in Pyongyang"
    assert digest.summary.startswith("Vladimir Putin and Kim Jong Un signed a treaty")
    assert "4 articles in Czech, English, Polish, Romanian" in digest.summary


def test_duplicates_do_not_count(foreign: tuple[Event, list[Article], list[Mention], list[Claim]]) -> None:
    _, arts, ms, claims = foreign
    copy = article("pl", *TEXTS["pl"], aid="a_pl_copy")
    copy = Article(**{**copy.__dict__, "duplicate_of": "a_pl"})
    digest = event_digest(event_of([*arts, copy]), [*arts, copy], ms, ENTITIES, claims)
    assert "3 articles" in digest.summary


class FakeBackend:
    def __init__(self, fail: bool) -> None:
        self.fail = fail
        self.calls: list[str] = []

    def translate(self, text: str, source_lang: str) -> str:
        self.calls.append(f"translate:{source_lang}")
        if self.fail:
            raise BackendError("down")
        return "Putin and Kim in Pyongyang"

    def summarize(self, texts: Sequence[str], *, max_words: int = 80) -> str:
        self.calls.append("summarize")
        if self.fail:
            raise BackendError("down")
        return "An abstractive summary."


def test_backend_is_used_when_it_answers(
    foreign: tuple[Event, list[Article], list[Mention], list[Claim]],
) -> None:
    backend = FakeBackend(fail=False)
    digest = event_digest(*foreign[:3], ENTITIES, foreign[3], backend)
    assert (digest.title, digest.summary, digest.via) == ("Putin and Kim in Pyongyang", "An abstractive summary.",
                                                          "backend")  # fmt: skip
    assert digest.claim_lines and digest.key_sentences


def test_failing_backend_falls_back_to_the_built_in_digest(
    foreign: tuple[Event, list[Article], list[Mention], list[Claim]],
) -> None:
    backend = FakeBackend(fail=True)
    built_in = event_digest(*foreign[:3], ENTITIES, foreign[3])
    digest = event_digest(*foreign[:3], ENTITIES, foreign[3], backend)
    assert digest == built_in
    assert backend.calls  # it was asked, and its failure did not break the digest


def test_story_digest_timeline_in_date_order() -> None:
    e1 = Event("e1", "x", dt.date(2024, 6, 19), dt.date(2024, 6, 19), ("a",), ("pl",), 1)
    e2 = Event("e2", "y", dt.date(2023, 9, 13), dt.date(2023, 9, 13), ("b", "c"), ("ru",), 2)
    digests = {"e1": Digest("Treaty signed", "s1", claim_lines=("L1",)), "e2": Digest("Summit held", "s2",
                                                                                    claim_lines=("L2", "L1"))}  # fmt: skip
    story = story_digest(Story("s1", "", ("e1", "e2")), [e1, e2], digests)
    assert story.title == "Summit held" and story.kind == "story"
    assert (
        story.summary
        == "2 events, 13 Sep 2023 - 19 Jun 2024. 13 Sep 2023: Summit held. 19 Jun 2024: Treaty signed."
    )
    assert story.claim_lines == ("L2", "L1")


def test_markdown_and_json(foreign: tuple[Event, list[Article], list[Mention], list[Claim]]) -> None:
    digest = event_digest(*foreign[:3], ENTITIES, foreign[3])
    md = render_markdown([digest], heading="Brief")
    assert md.startswith(
        "# Brief\n\n## Vladimir Putin and Kim Jong Un in Pyongyang, 18-19 Jun 2024: 3 reports"
    )
    assert "**Claims**" in md and "**Key sentences (original language)**" in md and "(cs)" in md
    data = json.loads(json.dumps(digest_to_json(digest), ensure_ascii=False))
    assert data["title"] == digest.title and len(data["key_sentences"]) == 3
    assert set(data) == {
        "ref",
        "kind",
        "title",
        "summary",
        "via",
        "event_type",
        "claim_lines",
        "key_sentences",
    }


def test_markdown_escapes_structure() -> None:
    md = render_markdown(Digest("A *bold* _claim_", "line one\n# not a heading"))
    assert "## A \\*bold\\* \\_claim\\_" in md and "\n# not a heading" not in md


def test_empty_and_undated_inputs_do_not_break() -> None:
    bare = Event("e9", "Powódź w Kłodzku", None, None, (), (), 0)
    digest = event_digest(bare, [], [], {}, [])
    assert digest.title == "Powódź w Kłodzku" and digest.key_sentences == () and digest.claim_lines == ()
    story = story_digest(Story("s9", "", ("e9",)), [bare], {})
    assert story.summary == "1 event. undated: Powódź w Kłodzku."
    assert render_markdown([]) == "\n"


def test_a_place_that_speaks_is_not_listed_as_where(
    foreign: tuple[Event, list[Article], list[Mention], list[Claim]],
) -> None:
    event, arts, ms, _ = foreign
    speaking = [claim("c9", "a_pl", "Moscow and Pyongyang", "deny", "dostawy broni", "g9")]
    digest = event_digest(event, arts, ms, ENTITIES, speaking)
    assert (
        digest.title == "Vladimir Putin and Kim Jong Un, 18-19 Jun 2024: 3 reports in Czech, Polish, Romanian"
    )
