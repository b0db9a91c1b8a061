"""Who is speaking: the speaker of an attribution clause, from entity mentions, roles and pronouns.

``SpeakerFinder`` is built once per article; ``find`` picks the speaker of one clause. Rules (documented in
``docs/digest.md``): the nearest PER mention to the speech verb on the subject side (before the verb) wins, then
the other side; a role word ("the spokesman", "rzecznik Kremla") without a name resolves to the person last named
in that role in the article; an organisation or place is the speaker when no person or role is there; a pronoun,
or no subject at all (pro-drop "dodał, że"), means the last person who spoke or was named. Mentions joined by
"and"/"i"/"a"/"și"/"und"/"и" form a collective speaker: the text keeps all of them, the entity id is the first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..models import Entity, EntityType, Mention
from .claims_lexicon import Lexicon
from .claims_spans import Token, word_tokens

_CONJUNCTION = re.compile(r"^\s*,?\s*(?:and|&|i|a|și|si|şi|und|и|et|y|e|oraz|ani)\s*$", re.IGNORECASE)
_ROLE_WINDOW = (
    60  # characters between a role word and the name that fills it ("rzecznik Kremla Dmitrij Pieskow")
)


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: display name (English entity names when known), entity id, type, where named."""

    name: str
    entity_id: str | None
    type: EntityType | None
    position: int


class SpeakerFinder:
    """Resolves the speaker of attribution clauses inside one article.

    Example::

        finder = SpeakerFinder(text, mentions, entities, lexicon_for("en"))
        finder.find(0, 12, verb=(6, 10))  # "Peskov said" -> Speaker("Dmitry Peskov", ...)
    """

    def __init__(
        self, text: str, mentions: Sequence[Mention], entities: Mapping[str, Entity], lexicon: Lexicon
    ) -> None:
        self._text = text
        self._mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self._entities = entities
        self._lex = lexicon
        self._last: Speaker | None = None
        self._roles = self._bind_roles()

    def remember(self, speaker: Speaker) -> None:
        """Record the speaker of the claim just made, for later pronouns and subject-less verbs."""
        if speaker.type == "PER":
            self._last = speaker

    def find(
        self,
        start: int,
        end: int,
        verb: tuple[int, int] | None,
        after_only: bool = False,
        fallback: str = "",
    ) -> Speaker | None:
        """The speaker named in ``text[start:end]`` around the cue word at ``verb`` (None: the clause end).

        With no name, role or pronoun there, ``fallback`` (the words naming an unlinked source, "South Korean
        officials") is the speaker when given, else the last person who spoke or was named.
        """
        pivot = verb or (end, end)
        inside = [m for m in self._mentions if m.start >= start and m.end <= end]
        before = [m for m in inside if m.end <= pivot[0]]
        after = [m for m in inside if m.start >= pivot[1]]
        tokens = [t for t in word_tokens(self._text, start, end) if not _covered(t, inside)]
        sides: list[tuple[list[Mention], list[Token], bool]] = [
            (after, [t for t in tokens if t.start >= pivot[1]], False)
        ]
        if not after_only:
            sides.insert(0, (before, [t for t in tokens if t.end <= pivot[0]], True))
        for mentions, side_tokens, is_before in sides:
            found = self._pick(mentions, side_tokens, pivot, is_before)
            if found is not None:
                return found
        if fallback.strip():
            return Speaker(" ".join(fallback.split()), None, None, start)
        return self.last_person(start)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)``, in text order."""
        return [m for m in self._mentions if m.start >= start and m.end <= end]

    def first_mention(self, start: int, end: int) -> tuple[int, int] | None:
        """Span of the first mention (with any collective it heads) inside ``[start, end)``."""
        inside = [m for m in self._mentions if m.start >= start and m.end <= end]
        if not inside:
            return None
        group = self._collective(inside[0])
        stop = group[-1].end
        # "rzecznika Kremla Dmitrija Pieskowa": names in a row form one source.
        for m in inside:
            gap = self._text[stop : m.start]
            if m.start >= stop and m.type == "PER" and len(gap) <= 2 and not gap.strip(" "):
                stop = m.end
                break
        return group[0].start, stop

    def last_person(self, position: int) -> Speaker | None:
        """The last speaker, else the last person named before ``position``."""
        if self._last is not None and self._last.position < position:
            return self._last
        people = [m for m in self._mentions if m.type == "PER" and m.end <= position]
        return self._speaker([people[-1]]) if people else None

    def _pick(
        self, mentions: list[Mention], tokens: list[Token], pivot: tuple[int, int], is_before: bool
    ) -> Speaker | None:
        def distance(m: Mention) -> int:
            return pivot[0] - m.end if is_before else m.start - pivot[1]

        people = sorted((m for m in mentions if m.type == "PER"), key=distance)
        if people:
            return self._speaker(self._collective(people[0]))
        for tok in sorted(tokens, key=lambda t: pivot[0] - t.end if is_before else t.start - pivot[1]):
            role = self._lex.role(tok.folded)
            if role is not None:
                bound = self._role_holder(tok, role)
                if bound is not None:
                    return bound
        others = sorted(mentions, key=distance)
        if others:
            return self._speaker(self._collective(others[0]))
        if any(t.folded in self._lex.pronouns for t in tokens):
            return self.last_person(pivot[0])
        return None

    def _collective(self, head: Mention) -> list[Mention]:
        """``head`` with the mentions joined to it by conjunctions ("Moscow and Pyongyang"), in text order."""
        group = [head]
        index = self._mentions.index(head)
        for step in (-1, 1):
            j = index + step
            while 0 <= j < len(self._mentions):
                near = group[0] if step < 0 else group[-1]
                cand = self._mentions[j]
                gap = self._text[cand.end : near.start] if step < 0 else self._text[near.end : cand.start]
                if (
                    (cand.start < near.end and step > 0)
                    or not _CONJUNCTION.match(gap)
                    or (cand.type == "PER") != (head.type == "PER")
                ):
                    break
                if step < 0:
                    group.insert(0, cand)
                else:
                    group.append(cand)
                j += step
        return group

    def _speaker(self, group: list[Mention]) -> Speaker:
        names: list[str] = []
        for m in group:
            entity = self._entities.get(m.entity_id) if m.entity_id else None
            name = entity.name if entity is not None else m.text
            if name not in names:
                names.append(name)
        label = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return Speaker(label, group[0].entity_id, group[0].type, group[0].start)

    def _bind_roles(self) -> list[tuple[int, str, str | None, Speaker]]:
        """(position, role, qualifier, person) for every "role + name" or "name, the role" pair in the article.

        The qualifier is the organisation or place named right by the role word ("*Kremlin* spokesman",
        "rzecznik *Kremla*"), so that the White House spokesman never answers for the Kremlin's.
        """
        people = [m for m in self._mentions if m.type == "PER"]
        bound: list[tuple[int, str, str | None, Speaker]] = []
        for tok in word_tokens(self._text):
            role = self._lex.role(tok.folded)
            if role is None:
                continue
            for person in people:
                gap_after = self._text[tok.end : person.start]
                gap_before = self._text[person.end : tok.start]
                after = (
                    0 <= len(gap_after) <= _ROLE_WINDOW and person.start >= tok.end and not _breaks(gap_after)
                )
                before = person.end <= tok.start and len(gap_before) <= 30 and "," in gap_before
                if after or (before and not _breaks(gap_before)):
                    bound.append((tok.start, role, self._qualifier(tok), self._speaker([person])))
                    break
        return bound

    def _qualifier(self, tok: Token) -> str | None:
        """The organisation or place named within a few characters of a role word, if any."""
        found = self._qualifier_mention(tok)
        return found.entity_id if found is not None else None

    def _qualifier_mention(self, tok: Token) -> Mention | None:
        near = [
            m
            for m in self._mentions
            if m.type != "PER"
            and m.entity_id
            and (0 <= tok.start - m.end <= 25 or 0 <= m.start - tok.end <= 12)
            and not _breaks(self._text[min(m.end, tok.end) : max(m.start, tok.start)])
        ]
        return min(near, key=lambda m: abs(m.start - tok.start)) if near else None

    def _role_holder(self, tok: Token, role: str) -> Speaker | None:
        qualifier = self._qualifier(tok)
        holders = [s for pos, r, q, s in self._roles if r == role and pos < tok.start and q == qualifier]
        if not holders and qualifier is None:
            holders = [s for pos, r, _, s in self._roles if r == role and pos < tok.start]
        if holders:
            return holders[-1]
        if qualifier is not None:
            # "szef NATO" after "sekretarz generalny NATO Mark Rutte": the person named for that organisation.
            same_org = [s for pos, _, q, s in self._roles if q == qualifier and pos < tok.start]
            if same_org:
                return same_org[-1]
            # "The Kremlin spokesman" with no name in the article: the organisation speaks.
            org = self._qualifier_mention(tok)
            return self._speaker([org]) if org is not None else None
        # A bare role ("Przywódca powiedział") with no earlier holder: the person named last.
        people = [m for m in self._mentions if m.type == "PER" and m.end <= tok.start]
        return self._speaker([people[-1]]) if people else None


def _covered(token: Token, mentions: list[Mention]) -> bool:
    return any(m.start <= token.start and token.end <= m.end for m in mentions)


def _breaks(gap: str) -> bool:
    """A gap that crosses a sentence or clause end cannot join a role to a name."""
    return any(ch in gap for ch in '.;:!?\n„“”"«»')
