"""User alias files and Wikidata extracts extend the gazetteer; bad lines are reported, the rest loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsloom.models import Mention
from newsloom.stages.entities import Gazetteer, link_mentions, load_alias_file, load_wikidata, name_key


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()[0]


def test_csv_both_layouts_and_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(
        "name,type,variant,language\n"
        "Vladimir Putin,PER,Władimir Putin,pl\n"
        "# a comment\n"
        "\n"
        "Pyongyang,LOC,Pjongjang|Phenian\n"
        "Nobody,XYZ,Foo\n"
        "only two,PER\n"
        ',ORG,"Empty, name"\n',
        encoding="utf-8",
    )
    records, rejected = load_alias_file(path)
    assert [r.name for r in records] == ["Vladimir Putin", "Pyongyang"]
    assert records[0].variants == (("Władimir Putin", "pl"),)
    assert records[1].variants == (("Pjongjang", "und"), ("Phenian", "und"))
    assert [r.origin for r in rejected] == [f"{path}:6", f"{path}:7", f"{path}:8"]
    assert "PER, LOC or ORG" in rejected[0].reason


def test_jsonl_aliases_with_languages(tmp_path: Path) -> None:
    path = tmp_path / "aliases.jsonl"
    rows = [
        {
            "name": "Mateusz Kowalczyk",
            "type": "PER",
            "aliases": ["Matiusz Kowalczik", {"text": "Матеуш", "language": "ru"}],
            "language": "pl",
        },
        "not an object",
    ]
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8"
    )
    records, rejected = load_alias_file(path)
    assert records[0].variants == (("Matiusz Kowalczik", "pl"), ("Матеуш", "ru"))
    assert [r.origin.rsplit(":", 1)[1] for r in rejected] == ["2", "3"]


def test_user_aliases_link_names_the_rules_cannot(tmp_path: Path) -> None:
    path = tmp_path / "kim.csv"
    path.write_text("Kim Jong Un,PER,Ким Чен Ын,ru\n", encoding="utf-8")
    gaz, rejected = Gazetteer.load([path])
    assert rejected == []
    ms = [
        Mention("a", "Kim Jong Un", 0, 11, "PER", name_key("Kim Jong Un", "en")),
        Mention("b", "Ким Чен Ын", 0, 10, "PER", name_key("Ким Чен Ын", "ru")),
    ]
    res = link_mentions(ms, article_language={"a": "en", "b": "ru"}, gazetteer=gaz)
    assert res.mentions[0].entity_id == res.mentions[1].entity_id
    assert res.entities[0].name == "Kim Jong Un"


def test_huge_alias_file_streams(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(50_000):
            handle.write(f"Person {i},PER,Persona {i}|Персона {i}\n" if i % 1000 else "broken line\n")
    records, rejected = load_alias_file(path)
    assert len(records) == 49_950 and len(rejected) == 50


def test_missing_file_is_rejected_not_raised(tmp_path: Path) -> None:
    records, rejected = load_alias_file(tmp_path / "nope.csv")
    assert records == [] and "cannot read" in rejected[0].reason


@given(
    st.lists(
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cs",), blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
            ),
            max_size=30,
        ),
        max_size=20,
    )
)
def test_any_csv_lines_load_or_reject_each_line(lines: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text("\n".join(lines), encoding="utf-8")
        records, rejected = load_alias_file(path)
    counted = [
        line
        for i, line in enumerate(lines)
        if line.strip()
        and not line.lstrip().startswith("#")
        and not (i == 0 and line.lower().startswith("name,"))
    ]
    assert len(records) + len(rejected) == len(counted)


def _entity(qid: str, en: str, pl: str, aliases: list[str], p31: str) -> dict[str, object]:
    return {
        "id": qid,
        "labels": {"en": {"language": "en", "value": en}, "pl": {"language": "pl", "value": pl}},
        "aliases": {"pl": [{"language": "pl", "value": a} for a in aliases]},
        "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": p31}}}}]},
    }


def test_wikidata_dump_layout_and_types(tmp_path: Path, gaz: Gazetteer) -> None:
    path = tmp_path / "wd.json"
    entities = [
        _entity("Q57553", "Kim Jong Un", "Kim Dzong Un", ["Kim Dzong Un III"], "Q5"),
        _entity("Q1", "Nowhereville", "Nigdzieśl", [], "Q515"),
        _entity("Q2", "Acme Corp", "Akme", [], "Q4830453"),
    ]
    lines = ["[", *(json.dumps(e, ensure_ascii=False) + "," for e in entities), "{not json},", "]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, rejected = load_wikidata(path)
    assert [(r.source_id, r.type) for r in records] == [
        ("wikidata:Q57553", "PER"),
        ("wikidata:Q1", "LOC"),
        ("wikidata:Q2", "ORG"),
    ]
    assert records[0].name == "Kim Jong Un"
    assert rejected[0].origin == f"{path}:5"
    extended = Gazetteer.load()[0]
    extended.add_aliases(records)
    entry = extended.lookup("Nigdzieśl", "pl")
    assert entry is not None and entry.id == "wikidata:Q1" and entry.name == "Nowhereville"


def test_wikidata_plain_json_array(tmp_path: Path) -> None:
    path = tmp_path / "wd_array.json"
    path.write_text(json.dumps([_entity("Q3", "Foo", "Fu", [], "Q5")], indent=2), encoding="utf-8")
    records, rejected = load_wikidata(path)
    assert [r.source_id for r in records] == ["wikidata:Q3"] and rejected == []
