"""Continued-below markers and comment forms by shape, across languages; ordinary lines survive."""

from __future__ import annotations

import pytest

from newsloom.stages.boilerplate import classify_lines, line_reason


@pytest.mark.parametrize(
    "line",
    [
        "Continued below the video",
        "The article continues below the video",
        "Story continues below advertisement",
        "Fortsetzung unter dem Video",
        "Suite après la publicité",
        "Artykuł jest kontynuowany pod materiałem wideo",
        "Продолжение ниже",
        "Continua dopo la pubblicità",
    ],
)
def test_continued_below_markers(line: str) -> None:
    assert line_reason(line) == "continued-below marker"


@pytest.mark.parametrize(
    "line",
    [
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
        "You must be logged in to post a comment.",
        "Ihre E-Mail-Adresse wird nicht veröffentlicht.",
        "Votre adresse e-mail ne sera pas publiée.",
    ],
)
def test_comment_form_lines(line: str) -> None:
    assert line_reason(line) == "comment form"


@pytest.mark.parametrize("line", ["Name *", "Imię *", "Website *", "Comentario *"])
def test_form_field_labels(line: str) -> None:
    assert line_reason(line) in ("form field", "share buttons", "comment form")


@pytest.mark.parametrize(
    "line",
    [
        "Fighting continued under heavy rain in the north",
        "Talks continued after midnight, officials said, and will resume on Friday.",
        "Suite à la décision du tribunal, les manifestants ont quitté la place.",
        "The minister said the e-mail had not been published before the vote.",
        "Growth was 5 * 3 percent, a typo in the report said.",
    ],
)
def test_ordinary_lines_survive(line: str) -> None:
    assert line_reason(line) is None


def test_marker_inside_the_body_is_removed_and_the_body_kept() -> None:
    lines = [
        "The river rose by two metres overnight, police said.",
        "Continued below the video",
        "Rescue teams worked through the night, officials said.",
        "Your email address will not be published.",
    ]
    assert classify_lines(lines) == [None, "continued-below marker", None, "comment form"]
