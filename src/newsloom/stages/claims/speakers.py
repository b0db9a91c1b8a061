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

from ...models import Entity, EntityType, Mention
from .lexicon import Lexicon
from .spans import Token, word_tokens

_CONJUNCTION = re.compile(r"^\s*,?\s*(?:and|&|i|a|și|si|şi|und|и|et|y|e|oraz|ani)\s*$", re.IGNORECASE)
DETERMINERS = frozenset({"the", "la", "le", "les", "el", "los", "las", "il", "lo", "gli", "die", "der", "das",
                          "den", "dem", "des", "l'", "a", "an", "ein", "eine", "einer", "einem", "einen", "eines", "un", "une",
                          "una", "uno"})  # fmt: skip
# "As" words of parenthetical attributions ("Jak powiedział", "Wie er sagte", "Как отметил"): never a name.
_AS_WORDS = frozenset({"as", "jak", "jako", "ako", "как", "wie", "comme", "como", "come", "cum", "dupa"})
_FAR_PERSON = 40  # characters: a person this far from the verb loses to an organisation right by it
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
        inside = [
            m for m in self._mentions if m.start >= start and m.end <= end and not self._in_phrase(m, start)
        ]
        before = [m for m in inside if m.end <= pivot[0]]
        after = [m for m in inside if m.start >= pivot[1]]
        tokens = [t for t in _split_at(word_tokens(self._text, start, end), pivot) if not _covered(t, inside)]
        sides: list[tuple[list[Mention], list[Token], bool]] = [
            (after, [t for t in tokens if t.start >= pivot[1]], False)
        ]
        if not after_only:
            sides.insert(0, (before, [t for t in tokens if t.end <= pivot[0]], True))
        picked = [
            self._pick(mentions, side_tokens, pivot, is_before) for mentions, side_tokens, is_before in sides
        ]
        if verb is not None and not after_only:
            subject = self._subject_phrase(start, verb, inside)
            if subject is not None:
                picked[0] = subject
        if (
            len(picked) == 2
            and picked[0] is not None
            and picked[0].entity_id is None
            and picked[1] is not None
        ):
            # Verb-second order ("Am Donnerstag sagte General Hagee", "Der Zeitung sagte Filep Karma"): an
            # unlinked phrase before the verb loses to a linked person right after it.
            near = len(word_tokens(self._text, pivot[1], picked[1].position)) <= 2
            if picked[1].type == "PER" and near and "," not in self._text[pivot[1] : picked[1].position]:
                return picked[1]
        for found in picked:
            if found is not None:
                return found
        opening = [
            m
            for m in self._mentions
            if start <= m.start and m.end <= pivot[0] and len(word_tokens(self._text, start, m.start)) <= 2
        ]
        if opening and not after_only:
            # "В Кремле эти обвинения отвергли", "W Kremlu odrzucono": a body named in the clause's opening
            # phrase speaks when nothing else does.
            return self._speaker(self._collective(opening[0]))
        if fallback.strip():
            return Speaker(" ".join(fallback.split()), None, None, start)
        if verb is not None:
            for is_before in (False,) if after_only else (True, False):
                phrase = self._noun_phrase(start, end, verb, is_before)
                if phrase is not None:
                    return phrase
        return self.last_person(start)

    def _in_phrase(self, mention: Mention, start: int) -> bool:
        """A name governed by a preposition ("in der Ukraine", "mit der BBC", "В Москве") is no subject: the word before it (past determiners) is a short lowercase word that is no conjunction."""
        if mention.type == "PER":
            return False
        words = word_tokens(self._text, max(start, mention.start - 40), mention.start)
        if words and words[-1].folded in DETERMINERS:
            words.pop()  # one article: "in *der* Ukraine"; a second one ("von dem die Polizei") is no preposition
        if not words or words[-1].folded in DETERMINERS:
            return False
        word = words[-1]
        raw = self._text[word.start : word.end]
        gap = self._text[word.end : mention.start]
        opener = (
            raw[:1].isupper()
            and (raw[1:].islower() or len(raw) == 1)
            and self._text[: word.start].rstrip()[-1:] in ".!?\n"
        )
        return (
            (raw.islower() or opener)
            and len(raw) <= 4
            and not any(ch in gap for ch in ",;:–—")
            and word.folded not in self._lex.conjunctions
            and word.folded not in self._lex.cues
            and word.folded not in self._lex.pronouns
        )

    def _subject_phrase(self, start: int, verb: tuple[int, int], inside: list[Mention]) -> Speaker | None:
        """A determiner phrase right before the verb is its subject ("Die Polizei glaubt", "the ministry
        said", "Ein Polizeisprecher erklärte"): a body or a role speaks, not a person named earlier in the
        clause. A person or role word inside the phrase is left to the usual rules."""
        phrase = self._noun_phrase(start, verb[1], verb, True)
        if phrase is None or self._text[phrase.position : verb[0]].count(" ") > 4:
            return None
        span = (phrase.position, verb[0])
        words = word_tokens(self._text, *span)
        if any(self._lex.role(t.folded) for t in words):
            return None
        within = [m for m in inside if span[0] <= m.start and m.end <= span[1]]
        if any(m.type == "PER" for m in within):
            return None
        if within:
            return self._speaker(self._collective(within[-1]))
        return phrase

    def _noun_phrase(self, start: int, end: int, verb: tuple[int, int], is_before: bool) -> Speaker | None:
        """An unlinked subject right by the verb ("The fire department said", "said the official",
        "Łaszyńska wskazała"): a determiner phrase or a capitalised name the entity stage did not link."""
        tokens = (
            word_tokens(self._text, start, verb[0]) if is_before else word_tokens(self._text, verb[1], end)
        )
        ordered = list(reversed(tokens)) if is_before else tokens
        phrase: list[Token] = []
        edge = verb[0] if is_before else verb[1]
        for tok in ordered[:4]:
            gap = self._text[tok.end : edge] if is_before else self._text[edge : tok.start]
            lex = self._lex
            if _breaks(gap) or "," in gap or tok.folded in lex.cues or tok.folded in lex.negations:
                break
            if tok.folded in lex.conjunctions and tok.folded not in DETERMINERS:
                break
            phrase.append(tok)
            edge = tok.start if is_before else tok.end
        if is_before:
            phrase.reverse()
        if not phrase or phrase[0].folded in self._lex.pronouns or phrase[0].folded in self._lex.conjunctions:
            return None
        if not (phrase[0].folded in DETERMINERS and len(phrase) >= 2):
            return None
        if any(self._text[t.start].isupper() for t in phrase[1:]):
            # A capitalised noun phrase ends at its last capitalised word ("Eine DNA-Analyse hat" -> "Eine
            # DNA-Analyse"); all-lowercase phrases ("the fire department") are kept whole.
            while not self._text[phrase[-1].start].isupper():
                phrase.pop()
            if len(phrase) < 2:
                return None
        return Speaker(self._text[phrase[0].start : phrase[-1].end], None, None, phrase[0].start)

    def _adjacent_name(self, tokens: list[Token], pivot: tuple[int, int], is_before: bool) -> Speaker | None:
        """Capitalised words right by the verb that the entity stage did not link ("Deadline reports")."""
        ordered = sorted(tokens, key=lambda t: pivot[0] - t.end if is_before else t.start - pivot[1])
        run: list[Token] = []
        edge = pivot[0] if is_before else pivot[1]
        for tok in ordered:
            gap = self._text[tok.end : edge] if is_before else self._text[edge : tok.start]
            # "M. Durepaire", "Dr. Smith": an abbreviation's full stop may sit inside the name.
            abbreviation = (tok if is_before else run[-1]) if (run or is_before) else None
            short = abbreviation is not None and abbreviation.end - abbreviation.start <= 3
            if gap.strip() and not (gap.strip() == "." and short):
                break
            if not _name_like(self._text[tok.start]) or self._function_word(tok):
                break
            run.append(tok)
            edge = tok.start if is_before else tok.end
        if is_before:
            run.reverse()
        # German capitalises every noun, so there one capitalised word is no evidence of a name.
        single_ok = self._lex is not None and "dass" not in self._lex.complementizers
        caseless = bool(run) and not self._text[run[0].start].isupper()
        if not run or (len(run) == 1 and not caseless and not (single_ok and self._plausible_name(run[0]))):
            return None
        return Speaker(self._text[run[0].start : run[-1].end], None, None, run[0].start)

    def _function_word(self, tok: Token) -> bool:
        lex = self._lex
        return (
            tok.folded in lex.cues
            or tok.folded in lex.pronouns
            or tok.folded in lex.conjunctions
            or tok.folded in lex.complementizers
            or tok.folded in lex.report_preps
            or tok.folded in lex.negations
            or tok.folded in DETERMINERS
            or tok.folded in _AS_WORDS
            or lex.role(tok.folded) is not None
        )

    def _plausible_name(self, tok: Token) -> bool:
        """One capitalised word is a name when it is capitalised mid-sentence elsewhere, or never lowercase."""
        if tok.end - tok.start < 3:
            return False
        if self._named_elsewhere(tok):
            return True
        word = self._text[tok.start : tok.end]
        return re.search(rf"\b{re.escape(word.lower())}\b", self._text) is None

    def _named_elsewhere(self, tok: Token) -> bool:
        """A capitalised word also capitalised inside a sentence elsewhere is a name, not a sentence opener."""
        word = self._text[tok.start : tok.end]
        for m in re.finditer(rf"\b{re.escape(word)}\b", self._text):
            before = self._text[: m.start()].rstrip()
            if m.start() != tok.start and before and before[-1] not in '.!?:\n„“"«»–—-':
                return True
        return False

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)``, in text order."""
        return [m for m in self._mentions if m.start >= start and m.end <= end]

    def subject(self, start: int, end: int) -> Speaker | None:
        """The first name of ``[start, end)`` that no preposition governs: the subject of a clause that
        opens with it ("Putin congratulated Meloni")."""
        inside = [m for m in self.mentions_in(start, end) if not self._in_phrase(m, start)]
        if not inside or len(word_tokens(self._text, start, inside[0].start)) > 2:
            return None
        # "Rzecznik Kremla Dmitrij Pieskow powiedział … i zaprzeczył": the person the opening phrase names.
        people = [m for m in inside if m.type == "PER" and len(word_tokens(self._text, start, m.start)) <= 4]
        head = people[0] if people and not _breaks(self._text[start : people[0].start]) else inside[0]
        return self._speaker(self._collective(head))

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
        nearest = min(mentions, key=distance) if mentions else None
        # "Państwowa Komisja Wyborcza stwierdziła": an organisation right by the verb outranks a person far off
        # (a photo credit, an earlier clause).
        adjacent = nearest is not None and nearest.type != "PER" and distance(nearest) <= 2
        if nearest is not None and adjacent and (not people or distance(people[0]) > _FAR_PERSON):
            return self._speaker(self._collective(nearest))
        name = self._adjacent_name(tokens, pivot, is_before)
        if name is not None and people and distance(people[0]) > _FAR_PERSON and " " in name.name:
            return name
        if people:
            return self._speaker(self._collective(people[0]))
        for tok in sorted(tokens, key=lambda t: pivot[0] - t.end if is_before else t.start - pivot[1]):
            role = self._lex.role(tok.folded)
            if role is not None:
                bound = self._role_holder(tok, role)
                if bound is not None:
                    return bound
        others = sorted(mentions, key=distance)
        if name is not None and (not others or distance(others[0]) > abs(name.position - pivot[0])):
            return name  # "a indiqué M. Durepaire à l'AFP": the unlinked name by the verb, not the agency
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
            and not self._in_phrase(m, 0)
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


def _split_at(tokens: list[Token], pivot: tuple[int, int]) -> list[Token]:
    """Chinese and Japanese runs hold the cue inside them ("佩斯科夫表示"): cut a run at the cue, so the words
    before it can name the speaker."""
    out: list[Token] = []
    for t in tokens:
        if t.start < pivot[0] < t.end or t.start < pivot[1] < t.end:
            if t.start < pivot[0]:
                out.append(Token(t.start, pivot[0], t.folded[: pivot[0] - t.start]))
            if pivot[1] < t.end:
                out.append(Token(pivot[1], t.end, t.folded[pivot[1] - t.start :]))
        else:
            out.append(t)
    return out


def _name_like(first: str) -> bool:
    """A word may be part of a name: capitalised, or in a script without case (Arabic, Hebrew, Chinese,
    Korean, Devanagari), where names have no capital letters to lean on."""
    return first.isupper() or (first.isalpha() and not first.islower())


def _covered(token: Token, mentions: list[Mention]) -> bool:
    return any(m.start <= token.start and token.end <= m.end for m in mentions)


def _breaks(gap: str) -> bool:
    """A gap that crosses a sentence or clause end cannot join a role to a name."""
    return any(ch in gap for ch in '.;:!?\n„“”"«»')
