"""Attributed quotes and reported claims, with speaker and stance, from one article.

Three kinds of evidence, in this order per sentence (see ``docs/digest.md`` for the rules):

1. direct quotes in any language's marks („…”, “…”, «…», »…«, ‚…‘, "…", '…') with the attribution after
   (``„…” – powiedział Putin``, ``"…", Peskov said``) or before (``Peskov said: "…"``), or a quote that continues
   the previous speaker's;
2. dash-introduced quotes (``– To kłamstwo – napisał Pieskow.``), the dialogue style of pl/cs/ru news;
3. indirect speech: a verb of saying with a complementizer (``uvedl, že``, ``a declarat că``, ``заявил, что``),
   a reporting preposition (``according to``, ``według``, ``podle``, ``potrivit``, ``laut``, ``по словам``), a
   trailing attribution (``…, Peskov said.``) or a denial/doubt verb with its object (``denied the reports``).

Example::

    claims = extract_claims(article, mentions, entities)
    [(c.speaker, c.stance, c.quote) for c in claims]
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence

from ...models import Article, Claim, Entity, Mention, Stance
from .group import group_claims
from .lexicon import CueClass, Lexicon, lexicon_for
from .spans import (
    Quote,
    Token,
    dash_lines,
    dash_separators,
    find_quotes,
    split_sentences,
    trim_claim,
    word_count,
    word_tokens,
)
from .speakers import DETERMINERS, Speaker, SpeakerFinder

__all__ = ["claim_id", "extract_claims", "group_claims", "stance_of"]

_TRAILING_WINDOW = 8  # words after a quote that may hold its attribution ("– powiedział rzecznik Kremla")
_COMPLEMENTIZER_WINDOW = 10  # words between a speech verb and "that"/"że"
_CONTINUATION_CHARS = 400  # a quote this close after a speaker's quote, with no attribution, is theirs too
_STATEMENT_WORDS = 4  # quotes this long are statements; shorter ones are phrases quoted inside a sentence
_NEGATION_WINDOW = 5  # a reported clause negated within its first words denies its proposition
_PAIR_GAP = 2  # modifiers between the two words of a reporting cue ("nach jüngsten Untersuchungen")
_SOURCE_WORDS = 6  # words of a source named before a postposition ("einem Bericht der BBC zufolge")
_CONJUNCTIONS = frozenset(
    {"and", "i", "a", "si", "und", "и", "et", "y", "e", "oraz", "ale", "but", "но", "dar"}
)
_STANCE: dict[CueClass, Stance] = {
    "say": "assert",
    "deny": "deny",
    "question": "question",
    "report": "report",
}


def claim_id(article_id: str, start: int, end: int) -> str:
    """Stable id of a claim: a hash of the article id and the span.

    Example: ``claim_id("a1", 0, 10) == claim_id("a1", 0, 10)`` -> ``True``.
    """
    return "cl_" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:16]


def stance_of(
    cue: CueClass | None,
    claim_tokens: Sequence[str],
    lexicon: Lexicon,
    indirect: bool,
    quoted_tokens: Sequence[str] = (),
) -> Stance:
    """Stance from the cue word's class and the claim words (folded).

    A said-verb claim that calls something false ("lies", "bezpodstawne") or, for reported speech, opens with
    a negation ("that Russia did *not* ...", or a quoted part of it: ``«не направлен …»``) is a denial.

    Example: ``stance_of("say", ["to", "klamstwo"], lexicon_for("pl"), False)`` -> ``"deny"``.
    """
    stance = _STANCE[cue] if cue is not None else "assert"
    if stance != "assert":
        return stance
    if lexicon.says_false(claim_tokens):
        return "deny"
    if indirect and _negated(claim_tokens, lexicon):
        return "deny"
    if indirect and _negated(quoted_tokens, lexicon):
        return "deny"  # 'was "not directed against third countries"'
    return "assert"


def _negated(tokens: Sequence[str], lexicon: Lexicon) -> bool:
    """A clause negated near its start (or, in verb-final languages, near its end) that states a fact: "did
    not send". A negated future or modal ("will not end", "non finirà", "nie będzie") predicts, it denies
    nothing."""
    ends = lexicon.verb_final and len(tokens) > _NEGATION_WINDOW
    window = list(enumerate(tokens[:_NEGATION_WINDOW]))
    if ends:
        window += [(len(tokens) - _NEGATION_WINDOW + j, t) for j, t in enumerate(tokens[-_NEGATION_WINDOW:])]
    for i, t in window:
        if (
            t in lexicon.negations
            and not lexicon.predicts(tokens[i + 1 : i + 3])
            and not (i > 0 and lexicon.predicts(tokens[i - 1 : i]))
        ):
            return True
    return False


def extract_claims(
    article: Article, mentions: Sequence[Mention], entities: Mapping[str, Entity]
) -> list[Claim]:
    """Quotes and reported claims of one article, each with speaker, stance, kind and span in ``article.text``.

    ``mentions`` are the article's entity mentions (linked: ``entity_id`` set); ``entities`` maps ids to
    entities, whose English ``name`` becomes the speaker text. ``event_id`` is left None.

    Example::

        extract_claims(article, mentions, entities)[0].stance  # "deny"
    """
    return _Extractor(article, mentions, entities).run()


class _Extractor:
    """One pass over one article; keeps the last speaker for continuations and pronouns."""

    def __init__(self, article: Article, mentions: Sequence[Mention], entities: Mapping[str, Entity]) -> None:
        self.article = article
        self.text = article.text
        self.lex = lexicon_for(article.language)
        own = [m for m in mentions if m.article_id == article.id and 0 <= m.start < m.end <= len(self.text)]
        self.speakers = SpeakerFinder(self.text, own, entities, self.lex)
        self.claims: list[Claim] = []
        self.last_end = -(10**9)
        self.last_speaker: Speaker | None = None
        self.used_cues: set[int] = set()  # speech verbs already spent on a quotation's attribution

    def run(self) -> list[Claim]:
        quotes = find_quotes(self.text)
        dashes = [d for d in dash_lines(self.text) if not any(d[0] <= q.start < d[1] for q in quotes)]
        for start, end in split_sentences(self.text, quotes):
            for d_start, d_end in dashes:
                if start <= d_start < end:
                    self._dash_line(d_start, d_end)
            inside = [q for q in quotes if start <= q.start < end]
            # Whole statements first; a short quoted phrase ("„dramatyczna”") usually sits inside reported
            # speech and is taken with it, so it is tried only after the indirect pass.
            for q in inside:
                if not self._embedded(q, start):
                    self._direct(q, start, end, quotes)
            self._indirect(start, end)
            for q in inside:
                if self._embedded(q, start):
                    self._direct(q, start, end, quotes)
        return sorted(self.claims, key=lambda c: c.start)

    def _embedded(self, q: Quote, sentence_start: int) -> bool:
        """A quotation inside running words (``reached "a new high level"``), not after a colon or dash or at
        the sentence start: it is part of the reported speech around it."""
        before = self.text[sentence_start : q.start].rstrip()
        if before.endswith(","):
            # "Kirby said, "…"" introduces a statement; "… Vladimir Poutine, « n'est dirigée … »" continues one.
            last = word_tokens(self.text, sentence_start, sentence_start + len(before))
            return bool(last) and last[-1].folded not in self.lex.cues
        return bool(before) and before[-1].isalnum()

    # -- direct quotes -------------------------------------------------------------------------------------

    def _direct(self, q: Quote, s_start: int, s_end: int, quotes: list[Quote]) -> None:
        later = [o.start for o in quotes if o.start >= q.end and o.start < s_end]
        trail_end = min([s_end, *later])
        cue = self._trailing_cue(q.end, trail_end)
        if cue is not None:
            self.used_cues.add(cue.start)
            speaker = None
            if self.lex.quote_particles:
                # Verb-final languages ("김 대변인은 “…”라고 말했다"): the subject stands before the quotation.
                earlier = [o.end for o in quotes if o.end <= q.start and o.end > s_start]
                lead_start = max([s_start, *earlier])
                if word_tokens(self.text, lead_start, q.start):
                    speaker = self.speakers.find(lead_start, q.start, None)
            if speaker is None:
                speaker = self.speakers.find(q.end, trail_end, (cue.start, cue.end))
            self._emit(q.inner_start, q.inner_end, cue, speaker, "direct")
            return
        particle = self._trailing_particle(q.end, trail_end)
        if particle is not None:
            end = _clause_end(self.text, particle.end, trail_end)
            speaker = self.speakers.find(particle.end, end, (particle.start, particle.end), after_only=True)
            self._emit(q.inner_start, q.inner_end, particle, speaker, "direct", cls="say")
            return
        earlier = [o.end for o in quotes if o.end <= q.start and o.end > s_start]
        lead_start = max([s_start, *earlier])
        lead = word_tokens(self.text, lead_start, q.start)
        cue = self._last_cue(lead)
        if cue is not None:
            prep = cue.folded in self.lex.report_preps  # "podle mluvčího X „…“": the source follows
            speaker = self.speakers.find(lead_start, q.start, (cue.start, cue.end), after_only=prep)
            self._emit(q.inner_start, q.inner_end, cue, speaker, "direct")
            return
        if self.text[lead_start : q.start].rstrip().endswith((":", "：")) and lead:
            speaker = self.speakers.find(lead_start, q.start, None)
            self._emit(q.inner_start, q.inner_end, None, speaker, "direct")
            return
        continues = self.last_speaker is not None and q.start - self.last_end <= _CONTINUATION_CHARS
        if continues and _words(self.text, q) >= _STATEMENT_WORDS:
            # A person named in the quote's own sentence ("Celebi, die Anwältin der Frau, ging davon aus, …
            # „…“") takes the quote over from the previous speaker.
            named = [m for m in self.speakers.mentions_in(lead_start, q.start) if m.type == "PER"]
            speaker = self.speakers.find(lead_start, q.start, None) if named else self.last_speaker
            self._emit(q.inner_start, q.inner_end, None, speaker, "direct")

    def _dash_line(self, start: int, end: int) -> None:
        """``– quote – said X. – more quote`` on a line of its own."""
        for sep in dash_separators(self.text, start, end):
            tail = word_tokens(self.text, sep, end)
            cue = self._first_cue(tail[:3])
            if cue is None:
                continue
            clause_end = _clause_end(self.text, sep, end)
            speaker = self.speakers.find(sep, clause_end, (cue.start, cue.end))
            self._emit(start, sep, cue, speaker, "direct")
            rest = trim_claim(self.text, clause_end, end)
            if len(word_tokens(self.text, *rest)) >= 3:
                self._emit(rest[0], rest[1], None, self.last_speaker, "direct")
            return
        line_start = self.text.rfind("\n", 0, start) + 1
        prev_start = self.text.rfind("\n", 0, max(0, line_start - 1)) + 1
        prev = (prev_start, max(prev_start, line_start - 1))
        if self.text[prev[0] : prev[1]].rstrip().endswith(":"):
            cue = self._last_cue(word_tokens(self.text, *prev))
            speaker = self.speakers.find(prev[0], prev[1], (cue.start, cue.end) if cue else None)
            self._emit(start, end, cue, speaker, "direct")
        elif self.last_speaker is not None and start - self.last_end <= _CONTINUATION_CHARS:
            self._emit(start, end, None, self.last_speaker, "direct")

    # -- indirect speech -----------------------------------------------------------------------------------

    def _indirect(self, start: int, end: int) -> None:
        """Reported speech in one sentence; after a claim, scanning resumes where it ended."""
        tokens = word_tokens(self.text, start, end)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.start in self.used_cues or any(c.start <= tok.start < c.end for c in self.claims):
                i += 1
                continue
            noun = self._pair_noun(tokens, i)
            particle = self._particle(tokens, i, end)
            done: int | None = None
            if tok.folded in self.lex.report_postpositions and i > 0:
                done = self._according_to_before(tokens, i, start, end)
            elif noun is not None or tok.folded in self.lex.report_preps:
                # "nach Angaben des Ministeriums": the source is named after the whole two-word cue.
                cue = Token(tok.start, tokens[noun].end, tok.folded) if noun is not None else tok
                done = self._according_to(tokens, (noun if noun is not None else i) + 1, start, end, cue)
            elif particle is not None:
                # "Airbus gab am Mittwoch bekannt, …": the clause after the verb starts after its particle.
                done = self._speech_verb(tokens, i, particle[1], start, end, after=particle[0])
            elif tok.folded in self.lex.cues:
                done = self._speech_verb(tokens, i, self.lex.cues[tok.folded], start, end)
            elif self.lex.substring_cues and (inner := self._cue_in(tok)) is not None:
                done = self._speech_verb(tokens, i, self.lex.cues[inner.folded], start, end, inner)
            if done is None:
                i += 1
            else:
                i = next((j for j, t in enumerate(tokens) if t.start >= done), len(tokens))

    def _particle(self, tokens: list[Token], i: int, end: int) -> tuple[int, CueClass] | None:
        """``(index of the particle, class)`` when ``tokens[i]`` is the stem of a separable verb of saying whose
        particle closes the clause ("gab … bekannt,", "wies … zurück."), else None."""
        readings = self.lex.separable.get(tokens[i].folded)
        if not readings:
            return None
        for j in range(i + 1, min(len(tokens), i + 1 + _COMPLEMENTIZER_WINDOW)):
            gap = self.text[tokens[j - 1].end : tokens[j].start]
            if any(ch in gap for ch in ",.:;!?"):
                return None  # the clause ended before any particle
            closes = tokens[j].end >= end or any(
                ch in self.text[tokens[j].end : tokens[j].end + 2] for ch in ",.:;!?"
            )
            if closes:
                cls = next((c for p, c in readings if p == tokens[j].folded), None)
                return (j, cls) if cls is not None else None
        return None

    def _pair_noun(self, tokens: list[Token], i: int) -> int | None:
        """Index of the reporting noun of a two-word cue opened by ``tokens[i]``, or None.

        Up to ``_PAIR_GAP`` modifiers may stand between the two ("nach *ersten* Untersuchungen", "nach *einem*
        Bericht"), and where compounds are written as one word the noun may be a compound's head
        ("nach Polizeiangaben")."""
        for j in range(i + 1, min(len(tokens), i + 2 + _PAIR_GAP)):
            word = tokens[j].folded
            for first, second in self.lex.report_pairs:
                if first != tokens[i].folded:
                    continue
                if word == second or (self.lex.solid_compounds and len(word) > len(second) + 2
                                      and word.endswith(second)):  # fmt: skip
                    return j
            if not self.text[tokens[j].start].islower():
                break  # a capitalised word that is no reporting noun: "nach Berlin"
        return None

    def _according_to(self, tokens: list[Token], after: int, start: int, end: int, cue: Token) -> int | None:
        """``According to X, claim.`` / ``claim, według X.``: the speaker follows the preposition."""
        name_end = self._name_end(tokens, after, cue, end)
        phrase = trim_claim(self.text, cue.end, name_end)
        speaker = self.speakers.find(
            cue.end,
            name_end,
            (cue.start, cue.end),
            after_only=True,
            fallback=self.text[phrase[0] : phrase[1]],
        )
        before = trim_claim(self.text, start, cue.start)
        after_span = trim_claim(self.text, name_end, end)
        # "According to X, claim" or "claim, according to X": the claim is the longer side.
        longer = len(word_tokens(self.text, *after_span)) >= len(word_tokens(self.text, *before))
        span = after_span if longer else before
        if len(word_tokens(self.text, *span)) < 3 or speaker is None:
            return None
        return self._emit(span[0], span[1], cue, speaker, "indirect", cls="report")

    def _according_to_before(self, tokens: list[Token], i: int, start: int, end: int) -> int | None:
        """``X zufolge, claim`` / ``claim, X zufolge``: the source is the phrase right before the postposition,
        back to a comma or at most ``_SOURCE_WORDS`` words."""
        cue = tokens[i]
        first = i - 1
        while (
            first > 0
            and i - first < _SOURCE_WORDS
            and "," not in self.text[tokens[first - 1].end : tokens[first].start]
        ):
            first -= 1
        phrase_start = tokens[first].start
        speaker = self.speakers.find(
            phrase_start, cue.start, None, fallback=self.text[phrase_start : cue.start]
        )
        before = trim_claim(self.text, start, phrase_start)
        after_span = trim_claim(self.text, cue.end, end)
        longer = len(word_tokens(self.text, *after_span)) >= len(word_tokens(self.text, *before))
        span = after_span if longer else before
        if len(word_tokens(self.text, *span)) < 3 or speaker is None:
            return None
        return self._emit(span[0], span[1], cue, speaker, "indirect", cls="report")

    def _name_end(self, tokens: list[Token], after: int, cue: Token, end: int) -> int:
        """Where the source named after "according to" ends: a comma, else the end of the first name."""
        comma = self.text.find(",", cue.end, end)
        if comma != -1 and len(word_tokens(self.text, cue.end, comma)) <= 8:
            return comma
        first = self.speakers.first_mention(cue.end, end)
        following = [t for t in tokens[after : after + 3] if t.start >= cue.end]
        if following and following[0].folded in self.lex.pronouns:
            return following[0].end  # "podle něj", "по его словам": the speaker is the last person
        if (
            following
            and self.text[following[0].start].islower()
            and self.lex.role(following[0].folded) is None
        ):
            # "według zachodnich wywiadów Moskwa ...": an unnamed source, a few lowercase words long.
            run: list[Token] = []
            for t in following[:3]:
                # Two words at most, and a one- or two-letter word ("v", "w", "de") ends the source's name.
                short = t.end - t.start <= 2
                if first is not None and t.start >= first[0]:
                    if run and all(_function_like(r) for r in run):
                        return first[1]  # "laut der New York Times": articles, then the named source
                    break
                if not self.text[t.start].islower():
                    # "nach Angaben des Ministeriums": after only articles or prepositions, the capitalised
                    # noun is the source itself.
                    if run and all(_function_like(r) for r in run):
                        run.append(t)
                    break
                if short or len(run) == 2:
                    break
                run.append(t)
            if run:
                return run[-1].end
        if first is not None and len(word_tokens(self.text, cue.end, first[0])) <= 3:
            return first[1]
        return tokens[min(after + 1, len(tokens) - 1)].end

    def _speech_verb(
        self,
        tokens: list[Token],
        i: int,
        cls: CueClass,
        start: int,
        end: int,
        inner: Token | None = None,
        after: int | None = None,
    ) -> int | None:
        """Reported speech around the verb ``tokens[i]`` (or the cue ``inner`` found inside it, in Chinese);
        ``after`` is the index of a separable verb's particle, where the clause after the verb begins."""
        verb = inner or tokens[i]
        pivot = (verb.start, verb.end)
        if after is not None:
            verb_end = tokens[after].end
            window = tokens[after + 1 : after + 1 + _COMPLEMENTIZER_WINDOW]
        else:
            verb_end = verb.end
            window = tokens[i + 1 : i + 1 + _COMPLEMENTIZER_WINDOW]
        comp = next((t for t in window if t.folded in self.lex.complementizers), None)
        if verb.folded in self.lex.label_verbs:
            comp = None  # "KE określa jej wysokość. Okazuje się, że …": labels take an object, not a clause
        if comp is not None and "." not in self.text[verb_end : comp.start]:
            return self._reported(start, comp.start, comp.end, end, verb, cls, tokens)
        colon = _find_any(self.text, ":：", verb_end, end)
        if colon != -1 and len(word_tokens(self.text, verb_end, colon)) <= 4:
            return self._reported(start, colon, colon + 1, end, verb, cls, tokens)
        comma = _find_any(self.text, ",，、،", verb_end, end)
        # "sagte, der Vertrag richte sich ..." / "sagte sie am Donnerstag, das Geld ..." / "Jak powiedział,
        # Pjongjang ...": reported speech without a complementizer, after a comma.
        near_comma = comma != -1 and len(word_tokens(self.text, verb_end, comma)) <= 4
        if near_comma and cls == "say" and word_count(self.text, comma, end) >= 3:
            return self._reported(start, comma, comma + 1, end, verb, cls, tokens)
        cut = max(self.text.rfind(",", start, verb.start), self.text.rfind(" – ", start, verb.start))
        between = len(word_tokens(self.text, cut, verb.start)) if cut > start else 99
        # "claim, said X." near the sentence end, or "claim, uvedl ve čtvrtek mluvčí … John Kirby." with the
        # verb right after the comma.
        named = cut > start and (
            self.speakers.mentions_in(cut, end)
            or any(self.lex.role(t.folded) for t in tokens if t.start > cut)
        )
        if (len(tokens) - i <= 7 or between <= 1) and named and between <= 4:
            speaker = self.speakers.find(cut, end, pivot)
            return self._emit(start, cut, verb, speaker, "indirect", cls=cls)
        # A label verb makes a claim only when what it calls the thing is quoted or false ("called it "a
        # coup"", "nazwało je propagandą"); "KE określa jej wysokość" labels nothing.
        labels = verb.folded in self.lex.label_verbs and self._labels_something(verb.end, end)
        objectish = cls in ("deny", "question") or labels
        if objectish and (len(tokens) - i > 1 or (inner is not None and inner.end < tokens[i].end)):
            return self._reported(start, verb.start, verb.end, end, verb, cls, tokens)
        if objectish:
            # "Moskva i Pchjongjang dodávky zbraní odmítají.": the object sits between the subject and the verb.
            before = [m for m in self.speakers.mentions_in(start, verb.start)]
            if before:
                speaker = self.speakers.find(start, before[-1].end, pivot)
                return self._emit(before[-1].end, verb.start, verb, speaker, "indirect", cls=cls)
        if (
            self.lex.complementizers == {"that"}
            and len(tokens) - i > 4
            and verb.folded not in ("told", "tells")
        ):
            return self._reported(start, verb.start, verb.end, end, verb, cls, tokens)
        return None

    def _labels_something(self, start: int, end: int) -> bool:
        words = [t.folded for t in word_tokens(self.text, start, end)]
        return bool(find_quotes(self.text[start:end], min_words=1)) or self.lex.says_false(words)

    def _reported(
        self,
        start: int,
        clause_end: int,
        claim_start: int,
        end: int,
        verb: Token,
        cls: CueClass,
        tokens: list[Token],
    ) -> int | None:
        """Emit the reported clause ``[claim_start, end)``, cut before a coordinated second speech verb."""
        speaker = self.speakers.find(start, clause_end, (verb.start, verb.end))
        before = [t for t in tokens if t.end <= verb.start]
        if before and self._conjunction(before[-1]):
            # "Putin congratulated Meloni and said …": the verbs share the clause's subject, not the object
            # named between them.
            speaker = self.speakers.subject(start, before[-1].start) or speaker
        first = self.speakers.first_mention(verb.end, end)
        if speaker is None and first is not None and len(word_tokens(self.text, verb.end, first[0])) == 0:
            # Verb-first order ("ونفى بيسكوف التقارير", "denied Peskov the reports"): the subject follows the
            # verb and the claim starts after it.
            speaker = self.speakers.find(verb.end, first[1], (verb.start, verb.end), after_only=True)
            claim_start = max(claim_start, first[1])
        claim_end = min([end, *(c.start for c in self.claims if claim_start < c.start < end)])
        inside = [t for t in tokens if claim_start <= t.start < claim_end]
        for a, b in itertools.pairwise(inside):
            if b.folded in self.lex.cues and "," in self.text[a.end : b.start]:
                claim_end = a.end  # "dismissed the reports, saying ...": the participle starts another claim
                break
            if (
                self._conjunction(a)
                and b.folded in self.lex.cues
                and b.folded not in self.lex.complementizers
            ):
                claim_end = a.start
                break
            if self._conjunction(a) and b.folded in ("a", "au", "ha", "hat", "has", "have", "had"):
                nxt = inside[inside.index(b) + 1] if inside.index(b) + 1 < len(inside) else None
                if nxt is not None and nxt.folded in self.lex.cues:
                    claim_end = a.start
                    break
        return self._emit(claim_start, claim_end, verb, speaker, "indirect", cls=cls)

    # -- shared ----------------------------------------------------------------------------------------------

    def _trailing_cue(self, start: int, end: int) -> Token | None:
        """The speech verb of an attribution right after a quote (``", said X"``, ``– napisał X``), or None.

        The verb must open the attribution (after at most a short subject: ``", Peskov said"``); a verb after
        a conjunction ("... and denied") starts a new claim instead.
        """
        tail = word_tokens(self.text, start, end)[:_TRAILING_WINDOW]
        cue = self._first_cue(tail)
        if cue is None:
            return None
        # "“…”라고 말했다", "「…」と述べた": a particle closing the quotation belongs to the attribution.
        before = [t for t in tail if t.end <= cue.start and t.folded not in self.lex.quote_particles]
        # The comma may sit inside the closing mark: '"…," Peskov said'.
        gap = self.text[max(0, start - 2) : before[0].start if before else cue.start]
        if not before or (
            len(before) <= 6 and any(ch in gap for ch in ",–—-") and not self._conjunction(before[0])
        ):
            return cue
        return None

    def _trailing_particle(self, start: int, end: int) -> Token | None:
        """``"…", so Foullong``: a verbless attribution particle right after the quote's comma, or None."""
        tail = word_tokens(self.text, start, end)
        if not tail or tail[0].folded not in self.lex.trailing_particles:
            return None
        gap = self.text[max(0, start - 2) : tail[0].start]
        return tail[0] if "," in gap and len(tail) >= 2 else None

    def _conjunction(self, token: Token) -> bool:
        return token.folded in self.lex.conjunctions

    def _first_cue(self, tokens: list[Token]) -> Token | None:
        return next((c for t in tokens if (c := self._cue_in(t)) is not None), None)

    def _last_cue(self, tokens: list[Token]) -> Token | None:
        return next((c for t in reversed(tokens) if (c := self._cue_in(t)) is not None), None)

    def _cue_in(self, token: Token) -> Token | None:
        """The token when it is a cue; in Chinese and Japanese, which write no spaces, the cue word found inside
        the run of characters ("普京表示" -> "表示"), as a token of its own."""
        if token.folded in self.lex.cues or token.folded in self.lex.report_preps:
            return token
        found = [
            (at, -len(cue), cue) for cue in self.lex.substring_cues if (at := token.folded.find(cue)) != -1
        ]
        if not found:
            return None
        at, _, cue = min(found)  # the earliest cue, the longest at one place
        return Token(token.start + at, token.start + at + len(cue), cue)

    def _emit(
        self,
        start: int,
        end: int,
        cue: Token | None,
        speaker: Speaker | None,
        kind: str,
        cls: CueClass | None = None,
    ) -> int | None:
        """Record a claim over ``[start, end)`` (trimmed); its end, or None when it cannot be a claim."""
        start, end = trim_claim(self.text, start, end)
        words = [t.folded for t in word_tokens(self.text, start, end)]
        if (
            speaker is None
            or not words
            or (kind == "indirect" and word_count(self.text, start, end) < 2 and cls == "say")
        ):
            return None
        if any(c.start < end and start < c.end for c in self.claims):
            return None
        cue_cls = cls if cls is not None else (self.lex.cues.get(cue.folded, "report") if cue else None)
        quoted = [t.folded for q in find_quotes(self.text[start:end], min_words=1) for t in
                  word_tokens(self.text[start:end], q.inner_start, q.inner_end)]  # fmt: skip
        # A label ("called it nothing short of a miracle") describes; only calling a thing false denies it.
        reported = kind == "indirect" and (cue is None or cue.folded not in self.lex.label_verbs)
        stance = stance_of(cue_cls, words, self.lex, indirect=reported, quoted_tokens=quoted)
        self.claims.append(
            Claim(
                id=claim_id(self.article.id, start, end),
                article_id=self.article.id,
                event_id=self.article.event_id,
                speaker=speaker.name,
                speaker_entity_id=speaker.entity_id,
                quote=self.text[start:end],
                stance=stance,
                kind="direct" if kind == "direct" else "indirect",
                start=start,
                end=end,
            )
        )
        self.speakers.remember(speaker)
        if speaker.type is not None:  # an unlinked "according to officials" source is not continued
            self.last_speaker = speaker
        self.last_end = end
        return end


def _find_any(text: str, marks: str, start: int, end: int) -> int:
    """First position of any of ``marks`` (a comma in Latin, Chinese, Japanese or Arabic) in the span, or -1."""
    found = [p for p in (text.find(m, start, end) for m in marks) if p != -1]
    return min(found) if found else -1


def _function_like(token: Token) -> bool:
    """An article or a short preposition ("des", "von", "einem"): the words before a source's name."""
    return len(token.folded) <= 4 or token.folded in DETERMINERS


def _words(text: str, q: Quote) -> int:
    return len(word_tokens(text, q.inner_start, q.inner_end))


def _clause_end(text: str, start: int, end: int) -> int:
    """End of the attribution clause that starts at ``start``: the next full stop or dash."""
    stops = [p for p in (text.find(". ", start, end), text.find(" – ", start + 2, end)) if p != -1]
    return min(stops) if stops else end
