"""The claim grid of an event: per claim group, who asserts, who denies, who questions, in which languages.

Propositions are shown in the words of an English claim when the group has one, otherwise quoted in the
original language with its language code, since nothing is machine-translated.

Example::

    grid = claim_grid(claims, {"a1": "en"})
    [row.line() for row in grid]  # ['United States: “North Korea supplied missiles” — denied by Russia (en, cs)']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..models import Claim

MAX_PROPOSITION_CHARS = 140


@dataclass(frozen=True)
class GridRow:
    """One claim group: the proposition and the speakers by stance, with the article languages."""

    group_id: str
    proposition: str
    language: str
    asserted_by: tuple[str, ...]
    denied_by: tuple[str, ...]
    questioned_by: tuple[str, ...]
    reported_by: tuple[str, ...]
    languages: tuple[str, ...]
    claims: int

    def line(self) -> str:
        """One Markdown-safe line: ``A, B: “…” — denied by C; questioned by D (pl, cs)``."""
        quoted = f"“{self.proposition}”" + ("" if self.language == "en" else f" ({self.language})")
        holders = _join(self.asserted_by + tuple(s for s in self.reported_by if s not in self.asserted_by))
        parts = [f"{holders}: {quoted}" if holders else quoted]
        if self.denied_by:
            parts.append(f"denied by {_join(self.denied_by)}")
        if self.questioned_by:
            parts.append(f"questioned by {_join(self.questioned_by)}")
        return (
            " — ".join(parts)
            + f" [{self.claims} claim{'s' if self.claims != 1 else ''}; "
            + (", ".join(self.languages) + "]")
        )

    def sentence(self) -> str:
        """A compact clause for the summary: ``United States says “…” (cs), Russia denies``."""
        holders = self.asserted_by + tuple(s for s in self.reported_by if s not in self.asserted_by)
        quoted = f"“{_short(self.proposition, 90)}”" + (
            "" if self.language == "en" else f" ({self.language})"
        )
        head = f"{_join(holders)} {_verb('say', holders)} {quoted}" if holders else quoted
        tails = []
        if self.denied_by:
            tails.append(f"{_join(self.denied_by)} {_verb('deny', self.denied_by)}")
        if self.questioned_by:
            tails.append(f"{_join(self.questioned_by)} {_verb('question', self.questioned_by)}")
        return ", ".join([head, *tails])


def _verb(base: str, subjects: Sequence[str]) -> str:
    """``says`` for one speaker, ``say`` for several or a collective ("Russia and North Korea")."""
    plural = len(subjects) > 1 or any(" and " in s for s in subjects)
    if plural:
        return base
    consonant_y = base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u")
    return base[:-1] + "ies" if consonant_y else base + "s"


def claim_grid(claims: Sequence[Claim], languages: Mapping[str, str]) -> list[GridRow]:
    """Rows of the claim grid, largest groups first; ``languages`` maps article id to language code.

    Claims without a group are their own group. A group whose only claims deny something still gets a row
    (the proposition is then what was denied, in the denier's words).
    """
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[claim.claim_group_id or claim.id].append(claim)
    rows = [_row(gid, members, languages) for gid, members in groups.items()]
    return sorted(rows, key=lambda r: (-r.claims, -len(r.languages), r.group_id))


def _row(group_id: str, members: list[Claim], languages: Mapping[str, str]) -> GridRow:
    def speakers(*stances: str) -> tuple[str, ...]:
        # One name per speaker entity: the same person quoted in several languages is listed once.
        # A name already said inside a collective ("Russia" after "Russia and North Korea") is not repeated.
        names: dict[str, str] = {}
        covered: set[str] = set()
        for c in members:
            shown = presentable_speaker(c.speaker)
            key = c.speaker_entity_id or shown
            parts = set(_parts(shown))
            if shown and c.stance in stances and key not in names and not parts <= covered:
                names[key] = shown
                covered |= parts
        return tuple(names.values())

    # The proposition is best shown by an asserting claim, in English when there is one, else the longest.
    ranked = sorted(
        members,
        key=lambda c: (
            c.stance not in ("assert", "report"),
            languages.get(c.article_id) != "en",
            -len(c.quote),
        ),
    )
    lead = ranked[0]
    return GridRow(
        group_id=group_id,
        proposition=_short(lead.quote, MAX_PROPOSITION_CHARS),
        language=languages.get(lead.article_id, "und"),
        asserted_by=speakers("assert"),
        denied_by=speakers("deny"),
        questioned_by=speakers("question"),
        reported_by=speakers("report"),
        languages=tuple(sorted({languages.get(c.article_id, "und") for c in members})),
        claims=len(members),
    )


def presentable_speaker(speaker: str) -> str:
    """The parts of a speaker phrase an English reader can use: names, not the words around them.

    Unlinked attributions keep their source words ("potrivit rezultatelor parțiale ale ..."), which the claim
    record keeps for audit; the digest shows only capitalised parts (names in any script).

    >>> presentable_speaker("Calin Georgescu and des documents déclassifiés")
    'Calin Georgescu'
    >>> presentable_speaker("agencji and le")
    ''
    """
    kept = [p for p in _parts(speaker) if p[:1].isupper() or p[:1].isdigit()]
    return _join(kept)


def _parts(name: str) -> list[str]:
    return [p.strip() for p in name.replace(" and ", ", ").split(",") if p.strip()]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
