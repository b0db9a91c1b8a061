"""User alias files and Wikidata extracts -> ``AliasRecord`` s for ``Gazetteer.add_aliases``.

Alias files (UTF-8; blank lines and lines starting with ``#`` are skipped):

- CSV, one variant per line: ``name,type,variant[,language]`` -- e.g. ``Vladimir Putin,PER,Władimir Putin,pl``;
  or all variants on one line separated by ``|``: ``Pyongyang,LOC,Pjongjang|Pchjongjang|Phenian``.
  ``type`` is ``PER``, ``LOC`` or ``ORG``; ``language`` is an ISO 639-1 code (``und`` if absent). An optional
  header line starting with ``name,`` is skipped. Fields with commas are quoted the CSV way.
- JSONL (file name ending ``.jsonl`` or ``.json``): ``{"name": "Vladimir Putin", "type": "PER",
  "aliases": ["Władimir Putin", {"text": "Путин", "language": "ru"}], "language": "pl"}``; plain-string
  aliases take the line's ``language``.

Malformed lines become ``Rejected(origin="path:LINE", stage="entities", reason=...)`` and the rest loads.
Files are read line by line, so huge files do not need to fit in memory as text.

Wikidata (``load_wikidata``): an extract of the JSON dump, either the dump's layout (``[`` line, one entity
object per line with a trailing comma, ``]`` line), plain JSON lines, or a JSON array. From each entity it
reads ``id``, ``labels.{lang}.value`` and ``aliases.{lang}[].value``; the type is best effort from
``claims.P31`` (instance of): Q5 human -> PER, a known settlement/country/region class -> LOC, anything
else -> ORG. The English label (else the first label) is the display name.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from newsloom.models import EntityType, Rejected


@dataclass(frozen=True)
class AliasRecord:
    """A canonical name with its variants ``(text, language)``; ``source_id`` (e.g. a Wikidata QID) if known."""

    name: str
    type: EntityType
    variants: tuple[tuple[str, str], ...]
    source_id: str | None = None


_TYPES: dict[str, EntityType] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
# Wikidata classes (P31 values) treated as places: settlements, countries, regions, water and land forms.
_WIKIDATA_PLACES = frozenset(
    {"Q515", "Q6256", "Q3624078", "Q1549591", "Q5119", "Q486972", "Q1637706", "Q200250", "Q3957", "Q532",
     "Q35657", "Q107390", "Q10864048", "Q82794", "Q7275", "Q1093829", "Q15284", "Q23442", "Q8502", "Q4022",
     "Q23397", "Q165", "Q46831", "Q2221906", "Q56061", "Q13220204", "Q15642541", "Q1620908", "Q1907114"}
)  # fmt: skip
_STAGE = "entities"


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip("\r\n")


def _parse_type(value: object) -> EntityType | None:
    return _TYPES.get(str(value).strip().upper())


def _csv_record(fields: list[str]) -> AliasRecord | str:
    """One CSV line's record, or the reason it is malformed."""
    fields = [f.strip() for f in fields]
    if len(fields) not in (3, 4):
        return f"expected 3 or 4 comma-separated fields (name,type,variant[,language]), got {len(fields)}"
    name, etype, variants = fields[0], _parse_type(fields[1]), fields[2]
    language = fields[3] if len(fields) == 4 and fields[3] else "und"
    if not name:
        return "empty canonical name"
    if etype is None:
        return f"type must be PER, LOC or ORG, got {fields[1]!r}"
    texts = [v.strip() for v in variants.split("|") if v.strip()]
    if not texts:
        return "no variant given"
    return AliasRecord(name, etype, tuple((t, language) for t in texts))


def _json_record(obj: object) -> AliasRecord | str:
    """One JSONL object's record, or the reason it is malformed."""
    if not isinstance(obj, dict):
        return "expected a JSON object"
    name, etype = obj.get("name"), _parse_type(obj.get("type", ""))
    language = str(obj.get("language") or "und")
    aliases = obj.get("aliases", [])
    if not isinstance(name, str) or not name.strip():
        return 'missing "name"'
    if etype is None:
        return f'"type" must be PER, LOC or ORG, got {obj.get("type")!r}'
    if not isinstance(aliases, list):
        return '"aliases" must be a list'
    variants: list[tuple[str, str]] = []
    for alias in aliases:
        if isinstance(alias, str) and alias.strip():
            variants.append((alias.strip(), language))
        elif isinstance(alias, dict) and isinstance(alias.get("text"), str):
            variants.append((alias["text"].strip(), str(alias.get("language") or language)))
        else:
            return f"alias {alias!r} is neither a string nor {{'text': ..., 'language': ...}}"
    return AliasRecord(name.strip(), etype, tuple(variants))


def load_alias_file(path: Path) -> tuple[list[AliasRecord], list[Rejected]]:
    """Read a CSV or JSONL alias file; malformed lines are rejected with ``path:LINE`` and a reason.

    >>> p = Path("/tmp/_aliases_doc.csv"); _ = p.write_text("Pyongyang,LOC,Pjongjang|Phenian\\nbad line\\n")
    >>> records, rejected = load_alias_file(p)
    >>> records[0].variants, rejected[0].origin.endswith(":2")
    ((('Pjongjang', 'und'), ('Phenian', 'und')), True)
    """
    records: list[AliasRecord] = []
    rejected: list[Rejected] = []
    is_json = path.suffix.lower() in (".jsonl", ".json", ".ndjson")
    try:
        for number, line in _lines(path):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not is_json and number == 1 and line.lower().startswith("name,"):
                continue
            if is_json:
                try:
                    result = _json_record(json.loads(line))
                except json.JSONDecodeError as exc:
                    result = f"invalid JSON: {exc.msg} at column {exc.colno}"
            else:
                result = _csv_record(next(csv.reader([line])))
            if isinstance(result, str):
                rejected.append(Rejected(f"{path}:{number}", _STAGE, result))
            else:
                records.append(result)
    except OSError as exc:
        rejected.append(Rejected(str(path), _STAGE, f"cannot read alias file: {exc.strerror or exc}"))
    return records, rejected


def _wikidata_type(entity: dict[str, Any]) -> EntityType:
    classes: set[str] = set()
    for claim in entity.get("claims", {}).get("P31", []) or []:
        try:
            classes.add(str(claim["mainsnak"]["datavalue"]["value"]["id"]))
        except (KeyError, TypeError):
            continue
    if "Q5" in classes:
        return "PER"
    return "LOC" if classes & _WIKIDATA_PLACES else "ORG"


def wikidata_record(entity: object) -> AliasRecord | str:
    """One Wikidata entity object as an ``AliasRecord``, or the reason it cannot be used."""
    if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
        return 'expected an entity object with an "id"'
    variants: list[tuple[str, str]] = []
    labels = entity.get("labels") or {}
    aliases = entity.get("aliases") or {}
    if not isinstance(labels, dict) or not isinstance(aliases, dict):
        return '"labels" and "aliases" must be objects keyed by language'
    for lang, label in labels.items():
        if isinstance(label, dict) and isinstance(label.get("value"), str):
            variants.append((label["value"], str(lang)))
    for lang, values in aliases.items():
        for alias in values if isinstance(values, list) else []:
            if isinstance(alias, dict) and isinstance(alias.get("value"), str):
                variants.append((alias["value"], str(lang)))
    if not variants:
        return f"{entity['id']} has no labels or aliases"
    english = labels.get("en")
    name = english["value"] if isinstance(english, dict) and "value" in english else variants[0][0]
    return AliasRecord(str(name), _wikidata_type(cast(dict[str, Any], entity)), tuple(variants),
                       source_id=f"wikidata:{entity['id']}")  # fmt: skip


def load_wikidata(path: Path) -> tuple[list[AliasRecord], list[Rejected]]:
    """Read a Wikidata JSON dump extract (dump layout, JSON lines, or a JSON array) into alias records.

    >>> p = Path("/tmp/_wd_doc.json")
    >>> _ = p.write_text('[\\n{"id": "Q7747", "labels": {"pl": {"language": "pl", "value": "Władimir Putin"}}},\\n]\\n')
    >>> records, _ = load_wikidata(p)
    >>> records[0].source_id, records[0].variants
    ('wikidata:Q7747', (('Władimir Putin', 'pl'),))
    """
    records: list[AliasRecord] = []
    rejected: list[Rejected] = []
    try:
        for number, line in _lines(path):
            text = line.strip().rstrip(",")
            if text in ("", "[", "]"):
                continue
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                rejected.append(Rejected(f"{path}:{number}", _STAGE, f"invalid JSON: {exc.msg}"))
                continue
            for obj in parsed if isinstance(parsed, list) else [parsed]:
                result = wikidata_record(obj)
                if isinstance(result, str):
                    rejected.append(Rejected(f"{path}:{number}", _STAGE, result))
                else:
                    records.append(result)
    except OSError as exc:
        rejected.append(Rejected(str(path), _STAGE, f"cannot read Wikidata file: {exc.strerror or exc}"))
    if not records and rejected:
        records, rejected = _whole_file_array(path, rejected)
    return records, rejected


def _whole_file_array(path: Path, rejected: list[Rejected]) -> tuple[list[AliasRecord], list[Rejected]]:
    """Fallback for a pretty-printed JSON array that is not one entity per line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, json.JSONDecodeError):
        return [], rejected
    records: list[AliasRecord] = []
    errors: list[Rejected] = []
    for index, obj in enumerate(data if isinstance(data, list) else [data], start=1):
        result = wikidata_record(obj)
        if isinstance(result, str):
            errors.append(Rejected(f"{path}#{index}", _STAGE, result))
        else:
            records.append(result)
    return records, errors
