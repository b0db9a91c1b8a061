"""Link mentions across all articles into canonical entities with stable ids.

Order of decisions (each mention ends in exactly one entity):

1. Gazetteer: a mention whose name (or demonym) is in the gazetteer with the same type joins that entry;
   its id is derived from the entry's source id (``geonames:...``, ``org:...``, ``wikidata:Q...``).
2. Multi-word names: grouped by comparison key, then merged when token keys align (same number of tokens,
   or the shorter an ordered part of the longer ending in the same surname) and every aligned pair is
   similar (normalised edit similarity >= ``TOKEN_SIM``). "Kim Jong Un" and "Kim Hong-gyun" differ in
   their second token, so they stay apart.
3. One-word person names ("Putin", "Kim") join the multi-word person whose first or last token matches,
   looking in the same article first, then the same event (``article_group``), then the whole corpus, and
   only when exactly one person fits; otherwise they form an entity of their own.
4. Analyst ``Corrections`` run last: splits (mentions with a given key leave an entity), then merges.

Entity ids are ``"E" + sha1(...)[:10]`` of the gazetteer source id, or of the type and the canonical key of
the cluster (the first-seen key among its fullest forms), so relinking the same corpus from scratch gives the
same ids, and appending articles keeps them unless a fuller form of the name appears for the first time.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from anyascii import anyascii

from newsloom.models import Alias, Entity, EntityType, Mention
from newsloom.stages.entities.gazetteer import GazEntry, Gazetteer, entity_id_for
from newsloom.stages.entities.keys import base_form, loose, name_key, token_similarity

TOKEN_SIM = 0.75
MEAN_SIM = 0.8
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_MIN_SHORT_FORM = 3  # shortest token key of a multi-word name that counts as its short form
_RARE_SHARE = 10  # a form seen less than a tenth as often as the commonest is a last resort as a name


@dataclass(frozen=True)
class Corrections:
    """Analyst decisions that survive reprocessing; stored by the lead as JSON.

    ``merges``: ``(a, b)`` pairs -- entity ``a`` is merged into ``b`` (b's id and display name are kept).
    ``splits``: ``(entity_id, key)`` pairs -- the mentions of that entity whose ``Mention.key`` equals
    ``key`` leave it and form an entity of their own. Splits are applied before merges.

    >>> c = Corrections().merge("Ea", "Eb").split("Ec", "kim")
    >>> Corrections.from_json(c.to_json()) == c
    True
    """

    merges: tuple[tuple[str, str], ...] = ()
    splits: tuple[tuple[str, str], ...] = ()

    def merge(self, a: str, b: str) -> Corrections:
        """A copy that also merges entity ``a`` into entity ``b``."""
        return replace(self, merges=(*self.merges, (a, b)))

    def split(self, entity_id: str, key: str) -> Corrections:
        """A copy that also takes mentions with comparison key ``key`` out of ``entity_id``."""
        return replace(self, splits=(*self.splits, (entity_id, key)))

    def to_json(self) -> str:
        """JSON text: ``{"merges": [[a, b], ...], "splits": [[entity_id, key], ...]}``."""
        return json.dumps(
            {"merges": [list(p) for p in self.merges], "splits": [list(p) for p in self.splits]}
        )

    @classmethod
    def from_json(cls, text: str) -> Corrections:
        """Parse ``to_json`` output; raises ``ValueError`` on a wrong shape."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("corrections JSON must be an object with 'merges' and 'splits'")
        pairs: dict[str, tuple[tuple[str, str], ...]] = {}
        for name in ("merges", "splits"):
            rows = data.get(name, [])
            if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 2 for r in rows):
                raise ValueError(f"corrections '{name}' must be a list of [string, string] pairs")
            pairs[name] = tuple((str(a), str(b)) for a, b in rows)
        return cls(merges=pairs["merges"], splits=pairs["splits"])


@dataclass(frozen=True)
class LinkResult:
    """Mentions with ``entity_id`` set, and the entities they point at."""

    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]


Form = tuple[tuple[str, ...], ...]  # per token: its key in the article's language, then its neutral key


def _sim(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return max(token_similarity(x, y) for x in a for y in b)


def forms_match(a: Form, b: Form) -> bool:
    """True when two names (per-token key alternatives) name the same person or thing.

    Same length: every aligned token pair is similar. Different lengths: the shorter is an ordered part of
    the longer and both end in the same surname ("von der Leyen" in "Ursula von der Leyen").
    """
    if len(a) > len(b):
        a, b = b, a
    if len(a) == len(b):
        sims = [_sim(x, y) for x, y in zip(a, b, strict=True)]
    else:
        if not a or _sim(a[-1], b[-1]) < TOKEN_SIM:
            return False
        sims, pos = [], 0
        for tok in a:
            best = max(range(pos, len(b)), key=lambda i: _sim(tok, b[i]), default=None)
            if best is None:
                return False
            sims.append(_sim(tok, b[best]))
            pos = best + 1
    return min(sims) >= TOKEN_SIM and sum(sims) / len(sims) >= MEAN_SIM


def names_match(a: Sequence[str], b: Sequence[str]) -> bool:
    """``forms_match`` for plain token-key lists.

    >>> names_match(["vladimir", "putin"], ["vladimir", "putin"]), names_match(["kim", "jong", "un"],
    ...     ["kim", "hong", "giun"])
    (True, False)
    """
    return forms_match(tuple((t,) for t in a), tuple((t,) for t in b))


def _form(key: str, neutral: str) -> Form:
    toks, alts = key.split(" "), neutral.split(" ")
    if len(toks) != len(alts):
        return tuple((t,) for t in toks)
    return tuple((t,) if t == n else (t, n) for t, n in zip(toks, alts, strict=True))


def gazetteer_entry(gazetteer: Gazetteer, m: Mention, lang: str) -> GazEntry | None:
    """The gazetteer entry a mention names (a demonym counts for a place), when its type agrees."""
    entry = gazetteer.lookup(m.text, lang)
    if entry is None and m.type == "LOC":
        entry = gazetteer.demonym(m.text, lang) or gazetteer.demonym_noun(m.text, lang)
    return entry if entry is not None and entry.type == m.type else None


_T = TypeVar("_T", bound=Hashable)


def short_form_index(
    mentions: Sequence[Mention], named: Sequence[_T | None]
) -> dict[tuple[str, str], set[_T]]:
    """(article, token key) -> the gazetteer entities (``named[i]``, None for others) that a multi-word mention
    in that article names with that token.

    A lone word that repeats a word of a multi-word place or body named in the same article is its short
    form ("Británie" after "Velká Británie", "Komisja" after "Komisja Europejska"), when only one such name
    has the word (:func:`short_form_target`). Both linkers call this, so a batch links as the whole corpus does.

    >>> ms = [Mention("a", "Velká Británie", 0, 14, "LOC", "velka britanie"), Mention("a", "Británie", 20, 28,
    ...       "LOC", "britanie")]
    >>> short_form_target(ms[1], short_form_index(ms, ["GB", None]))
    'GB'
    """
    out: dict[tuple[str, str], set[_T]] = defaultdict(set)
    for m, target in zip(mentions, named, strict=True):
        if target is None or " " not in m.key:
            continue
        for tok in m.key.split(" "):
            if len(tok) >= _MIN_SHORT_FORM:
                out[(m.article_id, tok)].add(target)
    return out


def short_form_target(m: Mention, index: Mapping[tuple[str, str], set[_T]]) -> _T | None:
    """The one entity of ``index`` whose multi-word name in ``m``'s article holds ``m``'s key, if only one does."""
    fits = index.get((m.article_id, m.key), set())
    return next(iter(fits)) if len(fits) == 1 else None


def _blocks(etype: EntityType, form: Form) -> set[tuple[EntityType, str]]:
    """Candidate buckets: first letter of the loose first and last tokens (any alternative)."""
    return {(etype, loose(t)[:1]) for tok in (form[0], form[-1]) for t in tok}


@dataclass
class _Cluster:
    type: EntityType
    gaz: GazEntry | None = None
    forms: list[Form] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)


class _Linker:
    def __init__(self, mentions: Sequence[Mention], lang: Mapping[str, str], group: Mapping[str, str],
                 gazetteer: Gazetteer) -> None:  # fmt: skip
        self.mentions = mentions
        self.lang = lang
        self.group = group
        self.gaz = gazetteer
        self.clusters: list[_Cluster] = []
        self.by_gaz: dict[str, int] = {}
        self.assign: list[int] = [-1] * len(mentions)
        self.kind: list[EntityType] = [m.type for m in mentions]

    def run(self) -> None:
        names: dict[tuple[EntityType, str], list[int]] = defaultdict(list)
        singles: list[int] = []
        entries = [self._gazetteer_entry(m) for m in self.mentions]
        self.kind = self._majority_types(entries)
        for i, m in enumerate(self.mentions):
            entry = entries[i]
            if entry is not None:
                self._add(self._gaz_cluster(entry), i)
            elif " " in m.key:
                names[(self.kind[i], m.key)].append(i)
            elif m.key:
                singles.append(i)
            else:
                names[(self.kind[i], m.text.casefold())].append(i)
        self._link_names(names)
        self._link_singles(singles)

    def _majority_types(self, entries: Sequence[GazEntry | None]) -> list[EntityType]:
        """One type per name key: the type most of its mentions got from their context. Context typing is
        noisy ("with Barnier" reads like a place, "Ryanair said" like a person), and one name typed three
        ways must not become three entities."""
        votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
        for m, entry in zip(self.mentions, entries, strict=True):
            if entry is None and m.key:
                votes[m.key][m.type] += 1
        return [
            votes[m.key].most_common(1)[0][0] if entry is None and m.key else m.type
            for m, entry in zip(self.mentions, entries, strict=True)
        ]

    def _gazetteer_entry(self, m: Mention) -> GazEntry | None:
        return gazetteer_entry(self.gaz, m, self.lang.get(m.article_id, "und"))

    def _gaz_cluster(self, entry: GazEntry) -> int:
        if entry.id not in self.by_gaz:
            self.by_gaz[entry.id] = len(self.clusters)
            self.clusters.append(_Cluster(entry.type, gaz=entry))
        return self.by_gaz[entry.id]

    def _add(self, cluster: int, mention: int) -> None:
        self.assign[mention] = cluster
        self.clusters[cluster].mentions.append(mention)

    def _link_names(self, names: dict[tuple[EntityType, str], list[int]]) -> None:
        """Multi-word names: most-mentioned, longest forms first, each joins the first cluster it matches."""
        blocks: dict[tuple[EntityType, str], list[int]] = defaultdict(list)
        order = sorted(names, key=lambda tk: (-tk[1].count(" "), -len(names[tk]), tk))
        for etype, key in order:
            form = _form(key, name_key(self.mentions[names[(etype, key)][0]].text))
            keys = _blocks(etype, form)
            candidates = sorted({c for b in keys for c in blocks[b]})
            target = next((c for c in candidates if self._fits(form, self.clusters[c])), None)
            if target is None:
                target = len(self.clusters)
                self.clusters.append(_Cluster(etype))
            for b in keys:
                if target not in blocks[b]:
                    blocks[b].append(target)
            self.clusters[target].forms.append(form)
            for i in names[(etype, key)]:
                self._add(target, i)

    def _fits(self, form: Form, cluster: _Cluster) -> bool:
        return forms_match(form, cluster.forms[0]) and all(forms_match(form, f) for f in cluster.forms[1:4])

    def _link_singles(self, singles: list[int]) -> None:
        """One-word names: join a unique multi-word person in the same article, event, or corpus."""
        by_article: dict[str, set[int]] = defaultdict(set)
        by_group: dict[str, set[int]] = defaultdict(set)
        people: set[int] = set()
        for i, c in enumerate(self.assign):
            if c >= 0 and self.clusters[c].type == "PER" and self.clusters[c].forms:
                art = self.mentions[i].article_id
                by_article[art].add(c)
                people.add(c)
                if self.group.get(art):
                    by_group[self.group[art]].add(c)
        short_forms = self._short_forms()
        own: dict[tuple[EntityType, str], int] = {}
        for i in singles:
            m = self.mentions[i]
            target = None
            if self.kind[i] != "PER":
                target = short_form_target(m, short_forms)
            if self.kind[i] == "PER":
                group = self.group.get(m.article_id)
                for pool in (by_article.get(m.article_id, set()), by_group.get(group, set()) if group else set(),
                             people):  # fmt: skip
                    fits = {c for c in pool if self._surname_of(m, self.clusters[c])}
                    if len(fits) == 1:
                        target = fits.pop()
                        break
                    if fits:
                        break  # ambiguous here: two people share the name, so do not guess
            if target is None:
                ident = (self.kind[i], m.key)
                if ident not in own:
                    own[ident] = len(self.clusters)
                    self.clusters.append(_Cluster(self.kind[i], forms=[((m.key,),)]))
                target = own[ident]
            self._add(target, i)

    def _short_forms(self) -> dict[tuple[str, str], set[int]]:
        named = [c if c >= 0 and self.clusters[c].gaz is not None else None for c in self.assign]
        return short_form_index(self.mentions, named)

    @staticmethod
    def _surname_of(m: Mention, cluster: _Cluster) -> bool:
        alts = (m.key, name_key(m.text))
        return any(
            len(f) > 1 and (_sim(alts, f[-1]) >= MEAN_SIM or _sim(alts, f[0]) >= 1.0)
            for f in cluster.forms[:4]
        )


def _stable_id(cluster: _Cluster, keys: Counter[str]) -> str:
    if cluster.gaz is not None:
        return entity_id_for(cluster.gaz.id)
    # The first-seen key among the fullest forms: new articles appended later do not change the id (a count-
    # based choice would flip as frequencies cross), and relinking the same corpus in the same order agrees.
    most_tokens = max(k.count(" ") for k in keys)
    canonical = next(k for k in keys if k.count(" ") == most_tokens)
    return "E" + hashlib.sha1(f"{cluster.type}:{canonical}".encode()).hexdigest()[:10]


def _display_name(cluster: _Cluster, surfaces: Counter[tuple[str, str]], keys: Mapping[str, str]) -> str:
    """Gazetteer English name; else the fullest form in its base form, English first, then Latin script.

    Inflected forms never win on frequency alone: each surface is lemmatised token by token (``base_form``,
    which keeps a name it cannot lemmatise safely), and among the frequent enough candidates the shortest
    base form wins, since Slavic, Baltic and Romanian case endings lengthen a name ("Gazpromu", "Thomasa
    Mertensa", "Władimira Putina"), then the most frequent.
    """
    if cluster.gaz is not None:
        return cluster.gaz.name
    most_tokens = max(k.count(" ") for k in keys.values())
    top = max(surfaces.values())
    lemmas = {item: _lemmatised(*item) for item in surfaces}

    def rank(item: tuple[tuple[str, str], int]) -> tuple[int, int, int, int, int, int, str]:
        (text, lang), count = item
        full = keys[text].count(" ") == most_tokens
        latin = text[:1].lower() in _LATIN or text[:1].isascii()
        rare = count * _RARE_SHARE < top
        return (-full, -(lang == "en"), -latin, rare, len(lemmas[(text, lang)]), -count, text)

    best = lemmas[min(surfaces.items(), key=rank)[0]]
    # No Latin-script form was seen: an English reader still gets a readable name ("Путин" -> "Putin");
    # the original spelling stays among the aliases.
    return best if _latin_script(best) else _romanised(best)


def _lemmatised(text: str, lang: str) -> str:
    """The surface with each word in its dictionary base form where that is safe ("Putinowi" -> "Putin")."""
    return " ".join(base_form(_APOSTROPHE_ENDING.sub("", word), lang) for word in text.split())


# Polish, Czech and Slovene attach a case ending to a foreign name after an apostrophe ("Jeremy’ego",
# "Bush'a"); a lowercase tail of one to three letters is that ending ("O'Leary" keeps its capital).
_APOSTROPHE_ENDING = re.compile("(?<=\\w)['’][a-zà-ž]{1,3}$")


def _latin_script(text: str) -> bool:
    letter = next((ch for ch in text if ch.isalpha()), "a")
    return unicodedata.name(letter, "").startswith("LATIN")


def _romanised(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in anyascii(text).split())


def split_id(entity_id: str, key: str) -> str:
    """Id of the entity an analyst split takes out of ``entity_id`` (the mentions with comparison key ``key``)."""
    return "E" + hashlib.sha1(f"split:{entity_id}:{key}".encode()).hexdigest()[:10]


def _apply_corrections(mentions: list[Mention], corrections: Corrections) -> list[Mention]:
    out = list(mentions)
    for entity_id, key in corrections.splits:
        new_id = split_id(entity_id, key)
        out = [replace(m, entity_id=new_id) if m.entity_id == entity_id and m.key == key else m for m in out]
    target = dict(corrections.merges)
    for i, m in enumerate(out):
        seen = set()
        eid = m.entity_id
        while eid in target and eid not in seen:  # follow chains a -> b -> c, stopping on cycles
            seen.add(eid)
            eid = target[eid]
        if eid != m.entity_id:
            out[i] = replace(m, entity_id=eid)
    return out


def _entities(
    mentions: Sequence[Mention], lang: Mapping[str, str], info: Mapping[str, _Cluster]
) -> list[Entity]:
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        assert m.entity_id is not None
        grouped[m.entity_id].append(m)
    entities = []
    for eid, ms in sorted(grouped.items()):
        cluster = info.get(eid) or _Cluster(Counter(m.type for m in ms).most_common(1)[0][0])
        surfaces = Counter((m.text, lang.get(m.article_id, "und")) for m in ms)
        keys = {m.text: m.key for m in ms}
        aliases = tuple(
            Alias(t, lg, n) for (t, lg), n in sorted(surfaces.items(), key=lambda x: (-x[1], x[0]))
        )
        entities.append(Entity(eid, _display_name(cluster, surfaces, keys), cluster.type, aliases, len(ms)))
    return entities


def link_mentions(
    mentions: Sequence[Mention],
    *,
    article_language: Mapping[str, str],
    article_group: Mapping[str, str] | None = None,
    gazetteer: Gazetteer,
    corrections: Corrections | None = None,
) -> LinkResult:
    """Give every mention an ``entity_id`` and build the entities (display name, type, aliases, counts).

    >>> gaz, _ = Gazetteer.load()
    >>> ms = [Mention("a", "Władimir Putin", 0, 14, "PER", "vladimir putin"), Mention("b", "Путин", 0, 5,
    ...       "PER", "putin")]
    >>> res = link_mentions(ms, article_language={"a": "pl", "b": "ru"}, gazetteer=gaz)
    >>> len({m.entity_id for m in res.mentions}), res.entities[0].name
    (1, 'Władimir Putin')
    """
    linker = _Linker(mentions, article_language, article_group or {}, gazetteer)
    linker.run()
    keys_of: dict[int, Counter[str]] = defaultdict(Counter)
    for i, c in enumerate(linker.assign):
        keys_of[c][mentions[i].key or mentions[i].text.casefold()] += 1
    ids = {c: _stable_id(linker.clusters[c], keys_of[c]) for c in keys_of}
    info = {ids[c]: linker.clusters[c] for c in ids}
    linked = [replace(m, entity_id=ids[linker.assign[i]]) for i, m in enumerate(mentions)]
    if corrections is not None:
        linked = _apply_corrections(linked, corrections)
    return LinkResult(tuple(linked), tuple(_entities(linked, article_language, info)))
