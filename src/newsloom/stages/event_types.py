"""English event types: a bank of short English descriptions matched against an event's article embeddings.

The bank (``data/event_types.jsonl``, a few hundred CAMEO-like types plus everyday news: disasters, crime,
sport, business, health) gives each type an English description, embedded once with the article model, and an
English title template with slots. An event's articles are already embedded (title + lead, any language); their
mean is compared with every description, so no article is encoded again and nothing is translated. The best
type is used only when it is both close enough and clearly ahead of the runner-up (both sides centred first, see
``CENTRE``) (thresholds tuned on the
``tune`` half of ``data/eval/event_types_gold.jsonl``); otherwise the caller falls back to a neutral title.

Templates: ``{actor|Officials} visit {place|abroad}`` fills ``actor`` and ``place`` and uses the words after
``|`` when a slot is empty; a ``[ ... ]`` segment disappears when any slot inside it is empty
("Earthquake[ kills {count}][ in {place}]" -> "Earthquake in Morocco").

Example::

    bank = TypeBank.load()                        # vectors shipped for e5-small-original
    match = bank.match([vector1, vector2])        # TypeMatch or None
    render_title(match.type.title, {"place": "Morocco", "count": "2,000"})  # "Earthquake kills 2,000 in Morocco"
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InputError

__all__ = ["SLOTS", "EventType", "TypeBank", "TypeMatch", "render_title"]

Matrix = npt.NDArray[np.float32]
SLOTS = ("actor", "target", "place", "count")
DEFAULT_MODEL = "e5-small-original"
# Tuned on the ``tune`` labels only (the most typed events with precision >= 0.85, every observed score x margins
# 0-0.04: precision 0.852 at coverage 0.65): the best type must reach MIN_SCORE centred cosine and lead the best
# type of another CAMEO root by MIN_MARGIN, else the neutral title is used.
MIN_SCORE = 0.347
MIN_MARGIN = 0.02
# Share of the common direction removed before comparing (tried 0, 0.5, 0.8, 0.9, 1 on tune; 0.8 typed the most
# tune events at precision >= 0.85). e5 vectors of any text share a large common component, and English query
# descriptions and native-language passages differ in it, so raw cosines cluster near 0.8 and a Polish report of an
# earthquake scores lower than an English one; removing the bank's mean from the types and a language-balanced
# mean of news passages from the event puts every language on the same footing.
CENTRE = 0.8
_SLOT = re.compile(r"\{(\w+)(?:\|([^}]*))?\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class EventType:
    """One bank entry: ``id``, CAMEO-like ``root`` code, English ``text`` (embedded) and ``title`` template."""

    id: str
    root: str
    text: str
    title: str

    def slots(self) -> frozenset[str]:
        """The slot names its template uses: ``{"actor", "place"}``."""
        return frozenset(m.group(1) for m in _SLOT.finditer(self.title))


@dataclass(frozen=True)
class TypeMatch:
    """The type chosen for an event, its cosine ``score`` and its lead ``margin`` over the runner-up."""

    type: EventType
    score: float
    margin: float


def render_title(template: str, slots: Mapping[str, str]) -> str:
    """Fill a template: optional ``[...]`` segments vanish when a slot in them is empty; ``{x|default}``.

    >>> render_title("Earthquake[ kills {count}][ in {place}]", {"place": "Morocco"})
    'Earthquake in Morocco'
    >>> render_title("{actor|Officials} visit {place|abroad}", {"actor": "Putin"})
    'Putin visit abroad'
    """

    def optional(m: re.Match[str]) -> str:
        inner = m.group(1)
        names = [s.group(1) for s in _SLOT.finditer(inner)]
        return _fill(inner, slots) if all(slots.get(n) for n in names) else ""

    text = _fill(_OPTIONAL.sub(optional, template), slots)
    return " ".join(text.split())


def _fill(text: str, slots: Mapping[str, str]) -> str:
    return _SLOT.sub(lambda m: slots.get(m.group(1)) or (m.group(2) or ""), text)


def load_types(path: Path | None = None) -> tuple[EventType, ...]:
    """The bank's entries (the packaged file by default); a malformed line is an ``InputError`` naming it."""
    text = path.read_text(encoding="utf-8") if path else _packaged("event_types.jsonl").decode("utf-8")
    types: list[EventType] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row: dict[str, Any] = json.loads(line)
            item = EventType(str(row["id"]), str(row["root"]), str(row["text"]), str(row["title"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"event-type bank line {number}: {exc}; expected id, root, text, title") from exc
        unknown = item.slots() - set(SLOTS)
        if item.id in seen or unknown:
            raise InputError(f"event-type bank line {number}: duplicate id or unknown slot {sorted(unknown)}")
        seen.add(item.id)
        types.append(item)
    return tuple(types)


def bank_digest(types: Sequence[EventType]) -> str:
    """A hash of the embedded texts, stored beside shipped vectors so stale vectors are never used."""
    return hashlib.sha1("\n".join(f"{t.text}\t{t.title}" for t in types).encode("utf-8")).hexdigest()


def bank_texts(types: Sequence[EventType]) -> tuple[list[str], list[str]]:
    """What is embedded per type: its description and its template with every slot empty ("Earthquake").

    Each type's vector is the normalised mean of the two (``query:`` form): on the tune labels the mean found the
    right nearest type for 49 of 80 events, the description alone for 37.
    """
    return [t.text for t in types], [render_title(t.title, {}) for t in types]


def _packaged(name: str) -> bytes:
    return (resources.files("newsloom") / "data" / name).read_bytes()


class TypeBank:
    """The event types with one unit vector each, and the matcher.

    >>> bank = TypeBank(load_types()[:2], np.eye(2, 384, dtype=np.float32))
    >>> bank.match([np.eye(1, 384, dtype=np.float32)[0]], min_score=0.5, min_margin=0.0).type.id
    'statement'
    """

    def __init__(self, types: Sequence[EventType], vectors: Matrix, background: Matrix | None = None) -> None:
        if len(types) != vectors.shape[0]:
            raise InputError(f"{len(types)} event types but {vectors.shape[0]} vectors")
        self.types = tuple(types)
        raw = vectors.astype(np.float32)
        self.vectors = _unit(raw - CENTRE * raw.mean(axis=0))
        # the mean passage vector of news in several languages; None (tests, toy banks) centres the types only
        self.background = None if background is None else CENTRE * background.astype(np.float32).reshape(-1)

    @classmethod
    def load(cls, model: str = DEFAULT_MODEL) -> TypeBank | None:
        """The packaged bank with its shipped vectors for ``model``, or None when none ship for that model."""
        return _shipped(model)

    def scores(self, vectors: Sequence[Matrix] | Matrix) -> Matrix:
        """Centred cosine of the event's mean article vector with every type (see ``CENTRE``)."""
        rows = _unit(np.asarray(vectors, dtype=np.float32).reshape(-1, self.vectors.shape[1]))
        centre = _unit(rows.mean(axis=0, keepdims=True))
        if self.background is not None:
            centre = _unit(centre - self.background)
        result: Matrix = self.vectors @ centre[0]
        return result

    def ranked(self, vectors: Sequence[Matrix] | Matrix, n: int = 5) -> list[tuple[EventType, float]]:
        """The ``n`` closest types with their scores, best first."""
        scores = self.scores(vectors)
        order = np.argsort(-scores, kind="stable")[:n]
        return [(self.types[i], float(scores[i])) for i in order]

    def match(
        self,
        vectors: Sequence[Matrix] | Matrix,
        *,
        min_score: float = MIN_SCORE,
        min_margin: float = MIN_MARGIN,
    ) -> TypeMatch | None:
        """The best type when confident (score and lead over the best type of another root), else None."""
        if len(vectors) == 0:
            return None
        scores = self.scores(vectors)
        best = int(np.argmax(scores))
        root = self.types[best].root
        others = [float(s) for t, s in zip(self.types, scores, strict=True) if t.root != root]
        margin = float(scores[best]) - (max(others) if others else 0.0)
        if float(scores[best]) < min_score or margin < min_margin:
            return None
        return TypeMatch(self.types[best], float(scores[best]), margin)


@cache
def _shipped(model: str) -> TypeBank | None:
    """Shipped vectors are read once per process: they are package data, never changed by calls."""
    types = load_types()
    source = resources.files("newsloom") / "data" / f"event_types.{model}.npz"
    if not source.is_file():
        return None
    with resources.as_file(source) as path, np.load(path) as raw:
        digest, vectors = str(raw["digest"]), raw["vectors"].astype(np.float32)
        background = raw["background"].astype(np.float32) if "background" in raw else None
    if digest != bank_digest(types) or background is None:
        raise InputError(
            "event-type vectors are stale: run `python -m bench.bench_digest --embed-bank` after editing the bank"
        )
    return TypeBank(types, vectors, background)


def _unit(matrix: Matrix) -> Matrix:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)
