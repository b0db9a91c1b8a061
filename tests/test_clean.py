"""Tests for the clean stage: boilerplate families in many languages, titles, header dates, HTML extraction."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.errors import InputError
from newsloom.models import RawDocument, Rejected
from newsloom.stages.boilerplate import classify_lines, pattern_reason
from newsloom.stages.clean import clean, is_date_line, looks_like_html
from newsloom.stages.ingest import read_inputs

BODY = (
    "The Oder rose by two metres overnight and flooded the old town, the mayor said on Monday.\n\n"
    "Hundreds of residents were evacuated by firefighters and soldiers before dawn."
)


def _text(content: str, **fields: str) -> RawDocument:
    return RawDocument("a.txt", "a.txt", content, "text", **fields)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Foto: PAP/Leszek Szymański", "photo credit or caption"),
        ("Fot. Reuters", "photo credit or caption"),
        ("Photo: AFP", "photo credit or caption"),
        ("Zdroj: ČTK", "photo credit or caption"),
        ("Sursa foto: Inquam Photos", "photo credit or caption"),
        ("Фото: РИА Новости", "photo credit or caption"),
        ("Rescuers search the rubble in Aleppo (KHALED KHATIB/AFP/Getty Images)", "photo credit or caption"),
        ("Artykuł jest kontynuowany pod materiałem wideo", "continued-below marker"),
        ("Pokračování článku pod videem", "continued-below marker"),
        ("Articolul continuă după reclamă", "continued-below marker"),
        ("Weiter nach der Anzeige", "continued-below marker"),
        ("Story continues below advertisement", "continued-below marker"),
        ("Czytaj także: Powódź w Nysie", "read-also link"),
        ("Čtěte také: Povodně na Moravě", "read-also link"),
        ("Citește și: Inundații în Galați", "read-also link"),
        ("Lesen Sie auch: Hochwasser in Bayern", "read-also link"),
        ("Читайте также: Наводнение в Сочи", "read-also link"),
        ("Leggi anche: alluvione in Emilia", "read-also link"),
        ("Dodaj komentarz", "comment form"),
        ("Napište komentář", "comment form"),
        ("Adaugă comentariu", "comment form"),
        ("Leave a comment", "comment form"),
        ("12 comments", "comment form"),
        ("Autor: Jan Nowak", "author box"),
        ("By John Smith, correspondent", "author box"),
        ("Redaktor: Piotr Wiśniewski", "author box"),
        ("Reporting by Anna Koper; Editing by Alex Richardson", "author box"),
        ("Subscribe to our newsletter for the latest news.", "subscription or login prompt"),
        ("Zaloguj się", "subscription or login prompt"),
        ("Jetzt abonnieren und weiterlesen", "subscription or login prompt"),
        ("Abonează-te la newsletter", "subscription or login prompt"),
        ("Подпишитесь на наш канал", "subscription or login prompt"),
        ("Używamy plików cookies, aby ułatwić korzystanie z serwisu.", "cookie notice"),
        ("Wir verwenden Cookies, um Ihnen ein optimales Erlebnis zu bieten.", "cookie notice"),
        ("This website uses cookies to improve your experience.", "cookie notice"),
        ("Udostępnij", "share buttons"),
        ("Facebook Twitter WhatsApp E-mail", "share buttons"),
        ("Sdílet", "share buttons"),
        ("Tagi: powódź, Kłodzko, IMGW", "tag list"),
        ("Štítky: povodně, Ostrava", "tag list"),
        ("© 2024 Gazeta. Wszelkie prawa zastrzeżone.", "copyright line"),
        ("Toate drepturile rezervate.", "copyright line"),
        ("Все права защищены", "copyright line"),
        ("Reklama", "advertisement marker"),
        ("Anzeige", "advertisement marker"),
        ("Strona główna", "navigation"),
        ("Skip to content", "navigation"),
    ],
)
def test_boilerplate_families(line: str, reason: str) -> None:
    assert pattern_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Analysts said few readers subscribe to newsletters any more.",
        "By Friday, the river had risen by another metre.",
        "Comments on the plan were mixed.",
        "The company changed its privacy policy after the fine.",
        "The photo showed the flooded street in Kłodzko.",
        "Reuters reported that the dam broke on Sunday night.",
        "Home secretary said the law would change.",
        "Premier powiedział, że rząd przeznaczy miliard złotych na odbudowę.",
        "Prezident uvedl, že situace je vážná.",
        "Ministrul a declarat că apele au scăzut.",
        "Путин заявил, что ситуация под контролем.",
        "Der Kanzler sagte, die Lage sei ernst.",
    ],
)
def test_sentences_survive(line: str) -> None:
    assert pattern_reason(line) is None
    assert classify_lines([line]) == [None]


def test_structural_cues() -> None:
    lines = [
        "Home | World | Europe | Sport",
        BODY.split("\n")[0],
        "Background",
        BODY.split("\n")[2],
        "#### ---- 2024 ----",
        "Most read",
        "Weather",
    ]
    reasons = classify_lines(lines)
    assert reasons[0] == "list of links or tags"
    assert reasons[1] is None and reasons[3] is None
    assert reasons[2] is None  # a heading inside the body survives
    assert reasons[4] == "mostly non-letters"
    assert reasons[5] == reasons[6] == "short line without sentence punctuation"


def test_repeated_short_lines_are_dropped() -> None:
    lines = ["Newsroom Daily", BODY.split("\n")[0], "Newsroom Daily", BODY.split("\n")[2]]
    assert classify_lines(lines) == ["repeated line", None, "repeated line", None]


def test_title_header_dates_and_paragraphs() -> None:
    content = f"Flood in Wrocław\nData: 2024-06-19\n19.06.2024 14:32\n\n{BODY}\n\nFot. PAP/Jan Kowalski\nDodaj komentarz\n"
    result = clean(_text(content))
    assert result.title == "Flood in Wrocław"
    assert result.header_dates == ("Data: 2024-06-19", "19.06.2024 14:32")
    assert result.text == BODY
    assert [(line.line_no, line.reason) for line in result.removed] == [
        (9, "photo credit or caption"),
        (10, "comment form"),
    ]


def test_navigation_line_is_not_the_title() -> None:
    result = clean(_text(f"Home | World | Europe | Sport\nFlood in Wrocław\n{BODY}"))
    assert result.title == "Flood in Wrocław"
    assert result.removed[0].reason == "list of links or tags"


def test_date_line_before_title() -> None:
    result = clean(_text(f"19 czerwca 2024\nPowódź w Kłodzku\n{BODY}"))
    assert result.title == "Powódź w Kłodzku"
    assert result.header_dates == ("19 czerwca 2024",)


def test_given_title_is_not_repeated_in_text() -> None:
    raw = RawDocument("f.jsonl", "f.jsonl:1", f"Flood in Wrocław\n{BODY}", "json", title="Flood in Wrocław")
    result = clean(raw)
    assert result.title == "Flood in Wrocław"
    assert not result.text.startswith("Flood")


def test_given_title_after_a_kicker_is_not_repeated() -> None:
    raw = RawDocument(
        "f", "f:1", f"State visit\nFlood in Wrocław\n\n{BODY}", "json", title="Flood in Wrocław"
    )
    result = clean(raw)
    assert "Flood in Wrocław" not in result.text
    assert result.removed[0].reason == "short line without sentence punctuation"


def test_paragraph_first_text_has_no_title_line() -> None:
    long_line = "The river " + "rose and rose again " * 20 + "until the dam broke."
    result = clean(_text(long_line))
    assert result.title == ""
    assert result.text == long_line


def test_one_line_article_is_kept_as_text() -> None:
    line = "Storm Boris floods Kłodzko Residents were evacuated overnight as the Nysa burst its banks, police said."
    result = clean(_text(line))
    assert (result.title, result.text) == ("", line)
    with pytest.raises(InputError):
        clean(_text("Storm Boris floods Kłodzko\nShare"))


def test_metadata_passes_through_for_text() -> None:
    raw = RawDocument(
        "f", "f:1", BODY, "json", title="T", url="https://x/1", published="2024-06-19", site="S"
    )
    result = clean(raw)
    assert (result.published, result.url, result.site) == ("2024-06-19", "https://x/1", "S")


@pytest.mark.parametrize(
    "line",
    [
        "date 2023-09",
        "Data: 2024-06-19",
        "June 17, 2024",
        "19 czerwca 2024",
        "19.06.2024 14:32",
        "Publicat: 19 iunie 2024, 10:15",
        "Aktualizováno 18. 6. 2024",
        "Mittwoch, 19. Juni 2024, 14:32 Uhr",
        "19 июня 2024 г.",
        "Opublikowano: 19 czerwca 2024 o godz. 14:32",
    ],
)
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    ["2024 Olympics", "Police arrest 3 men on 19 June", "3.5 million", "Flood kills 5 in June 2024", BODY],
)
def test_not_date_lines(line: str) -> None:
    assert not is_date_line(line)


def test_nothing_left_raises_input_error() -> None:
    with pytest.raises(InputError, match=r"a\.txt: no article text"):
        clean(_text("Strona główna\nZaloguj się\nReklama\n© 2024 Gazeta"))


PAGE = """<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8">
<title>Powódź w Kłodzku | Gazeta Testowa</title>
<meta property="og:site_name" content="Gazeta Testowa">
<link rel="canonical" href="https://example.pl/kraj/powodz-klodzko">
<meta property="article:published_time" content="2024-09-15T10:00:00+02:00">
<script>var tracking = "do not keep";</script></head>
<body>
<nav><ul><li><a href="/">Strona główna</a></li><li><a href="/kraj">Kraj</a></li><li><a href="/swiat">Świat</a></li></ul></nav>
<div class="cookie-banner">Używamy plików cookies. <button>Akceptuję</button></div>
<article>
<h1>Powódź w Kłodzku</h1>
<p>Woda przerwała wał przeciwpowodziowy w nocy z soboty na niedzielę. Mieszkańcy kilku dzielnic zostali
ewakuowani przez straż pożarną i wojsko.</p>
<p>Burmistrz miasta powiedział, że sytuacja jest bardzo trudna, a poziom rzeki Nysy Kłodzkiej wciąż rośnie.
Do pomocy skierowano dodatkowe jednostki z Wrocławia i Opola.</p>
<p>Fot. PAP/Jan Kowalski</p>
<p>Według Instytutu Meteorologii i Gospodarki Wodnej opady mają ustać dopiero we wtorek, gdy front
przesunie się nad Ukrainę.</p>
</article>
<aside><h3>Czytaj także</h3><ul><li><a href="/a">Susza na Mazowszu</a></li></ul></aside>
<footer>© 2024 Gazeta Testowa. Wszelkie prawa zastrzeżone.</footer>
</body></html>"""


def test_html_extraction() -> None:
    result = clean(RawDocument("p.html", "p.html", PAGE, "html"))
    assert result.title == "Powódź w Kłodzku"
    assert result.published == "2024-09-15"
    assert result.url == "https://example.pl/kraj/powodz-klodzko"
    assert result.site == "Gazeta Testowa"
    assert result.text.startswith("Woda przerwała wał")
    assert "Nysy Kłodzkiej" in result.text and "we wtorek" in result.text
    assert result.text.count("\n\n") == 2  # three paragraphs, one blank line between them
    for junk in ("Strona główna", "cookies", "Fot. PAP", "Susza", "prawa zastrzeżone", "tracking"):
        assert junk not in result.text
    assert any(line.reason == "photo credit or caption" for line in result.removed)
    assert any("Strona główna" in line.text for line in result.removed)


def test_feed_summary_html_falls_back_to_stripped_text() -> None:
    raw = RawDocument(
        "f.xml", "f.xml#1", "<p>The dam held, <b>officials</b> said on Monday.</p>", "feed", title="Dam"
    )
    result = clean(raw)
    assert result.title == "Dam"
    assert result.text == "The dam held, officials said on Monday."


def test_looks_like_html() -> None:
    assert looks_like_html('<div class="x">a</div>')
    assert not looks_like_html("Prices rose 3% <5% expected>")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_clean_only_raises_input_error(content: str) -> None:
    for fmt in ("text", "html", "feed"):
        with contextlib.suppress(InputError):
            clean(RawDocument("x", "x", content, fmt))


_LINE = st.one_of(
    st.sampled_from(["Reklama", "Foto: AFP", "19.06.2024", "", "  ", "Czytaj także: x", "Share", BODY[:60]]),
    st.text(
        alphabet=st.characters(
            blacklist_categories=["Cs"], blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        ),
        max_size=60,
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=12))
def test_every_input_line_is_accounted_for(lines: list[str]) -> None:
    content = "\n".join(lines)
    try:
        result = clean(_text(content))
    except InputError:
        return
    nonempty = [line.strip() for line in lines if line.strip()]
    kept = [line for line in result.text.split("\n") if line]
    removed = [line.text for line in result.removed]
    accounted = kept + removed + list(result.header_dates) + ([result.title] if result.title else [])
    normalise = " ".join
    assert sorted(normalise(line.split()) for line in accounted) == sorted(
        normalise(line.split()) for line in nonempty
    )


DEMO = Path(__file__).resolve().parents[1] / "src" / "newsloom" / "data" / "demo"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_demo_corpus_ingests_and_cleans() -> None:
    if not DEMO.is_dir():
        pytest.skip("demo corpus not present")
    items = list(read_inputs([str(DEMO)]))
    assert [item for item in items if isinstance(item, Rejected)] == []
    for doc in items:
        assert isinstance(doc, RawDocument)
        assert "\ufffd" not in doc.content, doc.origin
        result = clean(doc)
        assert result.title, doc.origin
        assert result.text.count(".") >= 3, doc.origin
        assert all(pattern_reason(line) is None for line in result.text.split("\n")), doc.origin


@pytest.mark.slow
def test_semeval_bodies_are_kept() -> None:
    # A floor against over-removal: these bodies are already extracted article text with little boilerplate.
    path = SHARED_DATA / "semeval2022_task8" / "pairs_dev.jsonl"
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path}")
    texts = [json.loads(line)["text1"] for line in path.read_text(encoding="utf-8").splitlines()]
    kept = failed = 0
    for number, text in enumerate(texts):
        try:
            result = clean(RawDocument("dev", f"dev:{number}", text, "text"))
        except InputError:
            failed += 1
            continue
        kept += len(result.title) + len(result.text)
    assert failed <= 0.01 * len(texts)
    assert kept >= 0.95 * sum(len(text) for text in texts)


def test_article_in_a_script_without_spaces_is_kept() -> None:
    doc = _text(
        "東京で地震\n\n東京で強い地震があり、政府は被害状況を確認していると発表した。専門家によると、余震が続く可能性がある。\n"
    )
    cleaned = clean(doc)
    assert cleaned.title == "東京で地震"
    assert "余震" in cleaned.text
