"""Quotes, reporting verbs and stance in Arabic, Hebrew, Chinese, Japanese, Korean, Ukrainian, Bulgarian,
Turkish and Hindi news sentences (hand-written, shaped like wire copy), and stances that must not be invented."""

from __future__ import annotations

import pytest

from newsloom.models import EntityType
from newsloom.stages.claims.spans import find_quotes, split_sentences
from test_claims import run

PESKOV = ("e_peskov", "Dmitry Peskov", "PER")
Names = dict[str, tuple[str, str, EntityType]]

CASES: list[tuple[str, str, str, str, str]] = [
    # language, text, surface form of the speaker, kind, stance
    ("ar", "وقال المتحدث باسم الكرملين دميتري بيسكوف إن روسيا لا تزود كوريا الشمالية بالأسلحة.", "دميتري بيسكوف",
     "indirect", "deny"),
    ("ar", "ونفى بيسكوف التقارير الغربية عن صفقة الأسلحة.", "بيسكوف", "indirect", "deny"),
    ("ar", "وقال بيسكوف: «هذه الاتهامات لا أساس لها من الصحة على الإطلاق».", "بيسكوف", "direct", "deny"),
    ("ar", "وقال بيسكوف: «المحادثات كانت مثمرة للغاية وسنواصلها».", "بيسكوف", "direct", "assert"),
    ("he", "דובר הקרמלין דמיטרי פסקוב אמר כי רוסיה אינה מספקת נשק לצפון קוריאה.", "דמיטרי פסקוב", "indirect",
     "deny"),
    ("he", "פסקוב הכחיש את הדיווחים על עסקת הנשק.", "פסקוב", "indirect", "deny"),
    ("he", "\"אלה האשמות חסרות בסיס לחלוטין\", אמר פסקוב.", "פסקוב", "direct", "deny"),
    ("zh", "克里姆林宫发言人佩斯科夫表示：“俄罗斯没有向朝鲜提供武器。”", "佩斯科夫", "direct", "assert"),
    ("zh", "佩斯科夫否认了有关武器交易的报道。", "佩斯科夫", "indirect", "deny"),
    ("ja", "ペスコフ報道官は「ロシアは北朝鮮に武器を供与していない」と述べた。", "ペスコフ", "direct", "assert"),
    ("ko", "페스코프 대변인은 “러시아는 북한에 무기를 제공하지 않았다”라고 말했다.", "페스코프", "direct", "assert"),
    ("uk", "Пєсков заявив, що Росія не постачає зброю Північній Кореї.", "Пєсков", "indirect", "deny"),
    ("uk", "«Це абсолютно безпідставні звинувачення», – сказав Пєсков.", "Пєсков", "direct", "deny"),
    ("bg", "Песков заяви, че Русия не доставя оръжие на Северна Корея.", "Песков", "indirect", "deny"),
    ("tr", "Peskov, \"Rusya Kuzey Kore'ye silah vermiyor\" dedi.", "Peskov", "direct", "assert"),
    ("hi", "पेसकोव ने कहा कि रूस उत्तर कोरिया को हथियार नहीं दे रहा है।", "पेसकोव", "indirect", "deny"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "surface", "kind", "stance"), CASES)
def test_quotes_and_reported_speech_in_every_script(
    language: str, text: str, surface: str, kind: str, stance: str
) -> None:
    claims = run(text, language, {surface: PESKOV})
    assert [(c.speaker, c.kind, c.stance) for c in claims] == [("Dmitry Peskov", kind, stance)]


def test_unnamed_speaker_without_capitals_is_the_words_before_the_verb() -> None:
    (claim,) = run("佩斯科夫表示，俄罗斯不会攻击任何国家。", "zh", {})
    assert claim.speaker == "佩斯科夫" and claim.quote == "俄罗斯不会攻击任何国家"


def test_quotation_marks_of_many_scripts() -> None:
    for text in ("他说「我们不会让步」。", "彼は『絶対に譲らない』と述べた。", "אמר ״זה לא נכון בכלל״ אתמול",
                 "Він сказав «це неправда зовсім».", "Er sagte ‹das ist falsch›."):  # fmt: skip
        assert len(find_quotes(text)) == 1, text


def test_chinese_and_japanese_full_stops_end_sentences() -> None:
    assert len(split_sentences("普京表示，俄罗斯不会攻击。佩斯科夫否认了这一说法。")) == 2
    assert len(split_sentences("彼は述べた。彼女は否定した。")) == 2


@pytest.mark.parametrize(
    ("language", "text", "stance"),
    [
        ("en", "Peskov said there was no indication of terrorism in the crash.", "deny"),
        ("en", "Peskov said that there is no credible evidence of Russian involvement.", "deny"),
        ("de", "Peskov sagte, es gebe keine Hinweise auf einen Terroranschlag.", "deny"),
        ("ru", "Peskov заявил, что нет никаких доказательств причастности России.", "deny"),
        ("en", "Peskov said Russia did not send weapons to North Korea.", "deny"),
        ("en", "Peskov said the war will not end soon.", "assert"),
        ("it", "Peskov ha detto che la guerra non finirà presto.", "assert"),
        ("pl", "Peskov powiedział, że wojna nie będzie trwała długo.", "assert"),
        ("en", "Peskov called the rescue nothing short of a miracle.", "assert"),
        ("en", "Peskov congratulated the winners and said the partnership will grow.", "assert"),
    ],
)
def test_negated_assertions_deny_and_no_stance_is_invented(language: str, text: str, stance: str) -> None:
    claims = run(text, language, {"Peskov": PESKOV})
    assert [(c.speaker, c.stance) for c in claims] == [("Dmitry Peskov", stance)]


def test_coordinated_verbs_share_the_subject_not_the_object() -> None:
    text = "Putin congratulated Meloni on her victory and said the partnership will grow."
    names: Names = {
        "Putin": ("e_putin", "Vladimir Putin", "PER"),
        "Meloni": ("e_meloni", "Giorgia Meloni", "PER"),
    }
    assert [c.speaker for c in run(text, "en", names)] == ["Vladimir Putin"]
