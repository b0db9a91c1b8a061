"""Link a batch of new mentions against the entities already stored, without re-linking the store.

The store keeps a *name index*: one :class:`NameRow` per distinct name form of an entity (its comparison key,
the neutral key, a blocking key of the last token and the number of tokens). For a batch, the engine asks
:func:`lookups` which keys and blocks it needs, fetches those rows (indexed queries, so the cost follows the batch,
not the store) and calls :func:`link_batch`, which is pure. Decisions follow :mod:`.linking`:

1. Gazetteer entries link by their source id (no state needed).
2. A multi-word name whose key is indexed joins that entity; otherwise it joins the first candidate entity (same
   last-token block) whose forms it matches (:func:`~.linking.forms_match` against up to four earliest forms), or
   a unique one-word person entity whose name is its surname (the fuller name joins it: ids never change), or
   founds an entity.
3. A one-word place or body name that repeats a word of one multi-word gazetteer name in its article is that
   name's short form (:func:`~.linking.short_form_index`, shared with the whole-corpus linker).
   One-word person names join a unique multi-word person named in the same article, then in the same event
   (``article_group``), then their own indexed entity, then a unique person in the whole store.
4. Analyst corrections apply to the result.

Entity ids never change once given: a new entity's id derives from its first key (as in :mod:`.linking`), and
later forms only add rows to the index.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from newsloom.models import Alias, Entity, EntityType, Mention
from newsloom.stages.entities.gazetteer import GazEntry, Gazetteer, entity_id_for
from newsloom.stages.entities.keys import loose, name_key
from newsloom.stages.entities.linking import (
    MEAN_SIM,
    Corrections,
    Form,
    _apply_corrections,
    _Cluster,
    _display_name,
    _form,
    _sim,
    forms_match,
    gazetteer_entry,
    short_form_index,
    short_form_target,
)

FORMS_COMPARED = 4  # a name must match an entity's earliest forms (as the whole-store linker checks)


@dataclass(frozen=True)
class NameRow:
    """One name form of an entity in the store's name index."""

    type: EntityType
    key: str
    entity_id: str
    neutral: str
    block: str  # loose prefix of the last token: candidates share it
    first_block: str  # loose prefix of the first token: a bare given name or surname finds full names by it
    tokens: int
    text: str = ""  # a surface form it came from, for re-checking against an imported gazetteer
    language: str = "und"

    def form(self) -> Form:
        return _form(self.key, self.neutral)


def blocks_of(key: str, neutral: str) -> tuple[str, ...]:
    """Blocking keys of a name: the loose two-letter prefix of its last token, under each key alternative.

    >>> blocks_of("vladimir putin", "vladimir putin")
    ('pu',)
    """
    lasts = {key.split(" ")[-1], neutral.split(" ")[-1]}
    return tuple(sorted({loose(t)[:2] for t in lasts if t}))


def first_tokens_of(key: str, neutral: str) -> tuple[str, ...]:
    return tuple(sorted({loose(t)[:2] for t in {key.split(" ")[0], neutral.split(" ")[0]} if t}))


@dataclass(frozen=True)
class Lookups:
    """What :func:`link_batch` needs from the index: rows by exact (type, key), by (type, last-token block),
    and multi-word person rows by first-token block."""

    keys: frozenset[tuple[str, str]]
    blocks: frozenset[tuple[str, str]]
    first_blocks: frozenset[str]


@dataclass(frozen=True)
class BatchLink:
    """Linked mentions, the new index rows, and the touched entities rebuilt with their new mentions."""

    mentions: tuple[Mention, ...]
    names: tuple[NameRow, ...]
    gazetteer_names: dict[str, str] = field(hash=False)  # entity id -> gazetteer display name


def _neutral(m: Mention) -> str:
    return name_key(m.text)


def lookups(mentions: Iterable[Mention]) -> Lookups:
    """The index keys and blocks a batch of (not yet linked) mentions can touch."""
    keys: set[tuple[str, str]] = set()
    blocks: set[tuple[str, str]] = set()
    firsts: set[str] = set()
    for m in mentions:
        key = m.key or m.text.casefold()
        keys.update((kind, key) for kind in ("PER", "LOC", "ORG"))  # a key keeps the type it was indexed with
        if " " in key:
            blocks.update((m.type, b) for b in blocks_of(key, _neutral(m)))
        elif m.type == "PER":
            blocks.update(("PER", b) for b in blocks_of(key, key))
            firsts.update(first_tokens_of(key, key))
    return Lookups(frozenset(keys), frozenset(blocks), frozenset(firsts))


class _BatchLinker:
    def __init__(self, known: Sequence[NameRow], language: Mapping[str, str], group: Mapping[str, str],
                 group_people: Mapping[str, set[str]], gazetteer: Gazetteer) -> None:  # fmt: skip
        self.language, self.group, self.gaz = language, group, gazetteer
        self.group_people = group_people
        self.by_key: dict[tuple[str, str], str] = {}
        self.type_by_key: dict[str, EntityType] = {}  # the type a key was first indexed with
        self.forms: dict[str, list[Form]] = defaultdict(list)  # entity id -> its earliest forms
        self.type_of: dict[str, EntityType] = {}
        self.rows: list[NameRow] = []
        self.by_block: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in known:
            self._index(row, new=False)
        self.gaz_names: dict[str, str] = {}

    def _index(self, row: NameRow, *, new: bool) -> None:
        if (row.type, row.key) in self.by_key:
            return
        self.by_key[(row.type, row.key)] = row.entity_id
        self.type_by_key.setdefault(row.key, row.type)
        self.type_of.setdefault(row.entity_id, row.type)
        if len(self.forms[row.entity_id]) < FORMS_COMPARED:
            self.forms[row.entity_id].append(row.form())
        for block in blocks_of(row.key, row.neutral):
            if row.entity_id not in self.by_block[(row.type, block)]:
                self.by_block[(row.type, block)].append(row.entity_id)
        if (
            row.tokens > 1
            and row.type == "PER"
            and row.entity_id not in self.by_block[("PER^", row.first_block)]
        ):
            self.by_block[("PER^", row.first_block)].append(row.entity_id)
        if new:
            self.rows.append(row)

    def _row(self, m: Mention, key: str, entity_id: str) -> NameRow:
        neutral = _neutral(m) if " " in key else key
        blocks, firsts = blocks_of(key, neutral), first_tokens_of(key, neutral)
        return NameRow(m.type, key, entity_id, neutral, blocks[0] if blocks else "", firsts[0] if firsts else "",
                       key.count(" ") + 1, m.text, self.language.get(m.article_id, "und"))  # fmt: skip

    def typed(self, mentions: Sequence[Mention]) -> list[Mention]:
        """One type per name key (outside the gazetteer): the type most of the batch's mentions got from context,
        or the type the index already holds for that key. Context typing is noisy ("with Barnier" reads like a
        place), and one name typed three ways must not become three entities."""
        votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
        plain = [self._gazetteer_entry(m) is None and bool(m.key) for m in mentions]
        for m, free in zip(mentions, plain, strict=True):
            if free:
                votes[m.key][m.type] += 1
        out = []
        for m, free in zip(mentions, plain, strict=True):
            if free:
                kind = self.type_by_key.get(m.key) or votes[m.key].most_common(1)[0][0]
                m = replace(m, type=kind) if kind != m.type else m
            out.append(m)
        return out

    def link(self, mentions: Sequence[Mention]) -> list[str]:
        ids: list[str | None] = [None] * len(mentions)
        names: dict[tuple[EntityType, str], list[int]] = defaultdict(list)
        singles: list[int] = []
        from_gaz: set[int] = set()
        for i, m in enumerate(mentions):
            entry = self._gazetteer_entry(m)
            if entry is not None:
                ids[i] = entity_id_for(entry.id)
                from_gaz.add(i)
                self.gaz_names[ids[i] or ""] = entry.name
            elif " " in m.key:
                names[(m.type, m.key)].append(i)
            elif m.key:
                singles.append(i)
            else:
                names[(m.type, m.text.casefold())].append(i)
        order = sorted(names, key=lambda tk: (-tk[1].count(" "), -len(names[tk]), tk))
        for etype, key in order:
            first = mentions[names[(etype, key)][0]]
            eid = self._name(first, etype, key)
            for i in names[(etype, key)]:
                ids[i] = eid
        people_in: dict[str, set[str]] = defaultdict(set)
        for m, linked in zip(mentions, ids, strict=True):
            if linked and self.type_of.get(linked) == "PER" and " " in (m.key or ""):
                people_in[m.article_id].add(linked)
        # Short forms of multi-word places and bodies named in the same article, as the whole-corpus linker does.
        short_forms = short_form_index(mentions, [ids[i] if i in from_gaz else None for i in range(len(ids))])
        for i in singles:
            m = mentions[i]
            ids[i] = (short_form_target(m, short_forms) if m.type != "PER" else None) or self._single(
                m, people_in
            )
        return [linked or "" for linked in ids]

    def _gazetteer_entry(self, m: Mention) -> GazEntry | None:
        return gazetteer_entry(self.gaz, m, self.language.get(m.article_id, "und"))

    def _name(self, m: Mention, etype: EntityType, key: str) -> str:
        known = self.by_key.get((etype, key))
        if known is not None:
            return known
        neutral = _neutral(m) if " " in key else key
        form = _form(key, neutral)
        target = None
        if " " in key:
            candidates = [e for b in blocks_of(key, neutral) for e in self.by_block.get((etype, b), [])]
            target = next((e for e in dict.fromkeys(candidates) if self._fits(form, e)), None)
            if target is None and etype == "PER":
                target = self._surname_entity(form, neutral)
        if target is None:
            target = "E" + hashlib.sha1(f"{etype}:{key}".encode()).hexdigest()[:10]
        self._index(self._row(m, key, target), new=True)
        return target

    def _fits(self, form: Form, entity_id: str) -> bool:
        forms = self.forms.get(entity_id, [])
        multi = [f for f in forms if len(f) > 1]
        return bool(multi) and all(forms_match(form, f) for f in multi)

    def _surname_entity(self, form: Form, neutral: str) -> str | None:
        """A unique one-word person entity whose name is this full name's surname (or its given name)."""
        last = form[-1]
        fits = set()
        for b in blocks_of(" ".join(t[0] for t in form), neutral):
            for eid in self.by_block.get(("PER", b), []):
                single = [f for f in self.forms.get(eid, []) if len(f) == 1]
                if single and len(single) == len(self.forms[eid]) and _sim(single[0][0], last) >= MEAN_SIM:
                    fits.add(eid)
        return fits.pop() if len(fits) == 1 else None

    def _single(self, m: Mention, people_in: Mapping[str, set[str]]) -> str:
        if m.type == "PER":
            group = self.group.get(m.article_id)
            pools = [
                people_in.get(m.article_id, set()),
                self.group_people.get(group, set()) if group else set(),
            ]
            for pool in pools:
                fits = {e for e in pool if self._surname_of(m, e)}
                if len(fits) == 1:
                    return fits.pop()
                if fits:
                    break  # ambiguous here: two people share the name, so do not guess
        known = self.by_key.get((m.type, m.key))
        if known is not None:
            return known
        if m.type == "PER":
            alts = (m.key, _neutral(m))
            candidates = {e for b in blocks_of(m.key, m.key) for e in self.by_block.get(("PER", b), [])}
            candidates |= {
                e for b in first_tokens_of(m.key, m.key) for e in self.by_block.get(("PER^", b), [])
            }
            fits = {e for e in candidates if self._surname_of(m, e, alts)}
            if len(fits) == 1:
                return fits.pop()
        target = "E" + hashlib.sha1(f"{m.type}:{m.key}".encode()).hexdigest()[:10]
        self._index(self._row(m, m.key, target), new=True)
        return target

    def _surname_of(self, m: Mention, entity_id: str, alts: tuple[str, ...] | None = None) -> bool:
        alts = alts or (m.key, _neutral(m))
        return self.type_of.get(entity_id) == "PER" and any(
            len(f) > 1 and (_sim(alts, f[-1]) >= MEAN_SIM or _sim(alts, f[0]) >= 1.0)
            for f in self.forms.get(entity_id, [])[:FORMS_COMPARED]
        )


def link_batch(
    mentions: Sequence[Mention],
    *,
    known: Sequence[NameRow],
    article_language: Mapping[str, str],
    gazetteer: Gazetteer,
    article_group: Mapping[str, str] | None = None,
    group_people: Mapping[str, set[str]] | None = None,
    corrections: Corrections | None = None,
) -> BatchLink:
    """Give the batch's mentions entity ids against the stored name index (``known``: the rows :func:`lookups`
    asked for); returns them with the index rows to add.

    ``group_people`` maps an event id to the multi-word person entities its stored articles mention, so a bare
    surname joins the full name used elsewhere in its event.
    """
    linker = _BatchLinker(known, article_language, article_group or {}, group_people or {}, gazetteer)
    mentions = linker.typed(mentions)
    ids = linker.link(mentions)
    linked = [replace(m, entity_id=eid) for m, eid in zip(mentions, ids, strict=True)]
    if corrections is not None:
        linked = _apply_corrections(linked, corrections)
    return BatchLink(tuple(linked), tuple(linker.rows), linker.gaz_names)


def updated_entities(
    previous: Mapping[str, Entity],
    mentions: Sequence[Mention],
    article_language: Mapping[str, str],
    gazetteer_names: Mapping[str, str],
) -> list[Entity]:
    """The entities ``mentions`` point at, with the new mentions' aliases and counts added to ``previous``.

    The id never changes; the display name is recomputed from all aliases (a fuller or English form seen later
    becomes the name).
    """
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.entity_id:
            grouped[m.entity_id].append(m)
    out = []
    for eid, ms in sorted(grouped.items()):
        before = previous.get(eid)
        surfaces: Counter[tuple[str, str]] = Counter()
        keys: dict[str, str] = {}
        if before is not None:
            for alias in before.aliases:
                surfaces[(alias.text, alias.language)] += alias.count
                keys.setdefault(alias.text, name_key(alias.text))
        for m in ms:
            surfaces[(m.text, article_language.get(m.article_id, "und"))] += 1
            keys[m.text] = m.key or m.text.casefold()
        etype = before.type if before is not None else Counter(m.type for m in ms).most_common(1)[0][0]
        # Gazetteer entities come only from gazetteer matches, so their English name is always at hand.
        name = gazetteer_names.get(eid) or _display_name(_Cluster(etype), surfaces, keys)
        aliases = tuple(
            Alias(t, lg, n) for (t, lg), n in sorted(surfaces.items(), key=lambda x: (-x[1], x[0]))
        )
        total = (before.mention_count if before is not None else 0) + len(ms)
        out.append(Entity(eid, name, etype, aliases, total))
    return out


def link_in_batches(
    mentions: Sequence[Mention],
    *,
    article_language: Mapping[str, str],
    gazetteer: Gazetteer,
    batch_size: int = 200,
) -> tuple[list[Mention], dict[str, Entity]]:
    """Link ``mentions`` as the engine does on ingest -- ``batch_size`` articles at a time against a name index
    that grows batch by batch -- with the index held in memory instead of a store. Evaluations use it to score the
    product's linking path rather than the whole-corpus :func:`~.linking.link_mentions`.

    >>> gaz, _ = Gazetteer.load()
    >>> ms = [Mention("a", "Władimir Putin", 0, 14, "PER", "vladimir putin"), Mention("b", "Putin", 0, 5,
    ...       "PER", "putin")]
    >>> linked, _ = link_in_batches(ms, article_language={"a": "pl", "b": "en"}, gazetteer=gaz, batch_size=1)
    >>> len({m.entity_id for m in linked})
    1
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    order = list(by_article)
    rows: dict[tuple[str, str], NameRow] = {}  # insertion order stands for the store's rowid order
    linked: list[Mention] = []
    entities: dict[str, Entity] = {}
    for start in range(0, len(order), batch_size):
        batch = [m for a in order[start : start + batch_size] for m in by_article[a]]
        need = lookups(batch)
        known = [r for r in rows.values() if _wanted(r, need)]
        result = link_batch(batch, known=known, article_language=article_language, gazetteer=gazetteer)
        for row in result.names:
            rows.setdefault((row.type, row.key), row)
        linked += result.mentions
        touched = updated_entities(entities, result.mentions, article_language, result.gazetteer_names)
        entities.update((e.id, e) for e in touched)
    return linked, entities


def _wanted(row: NameRow, need: Lookups) -> bool:
    """The rows a store returns for ``need`` (see ``SQLiteStore.name_rows``)."""
    return (
        (row.type, row.key) in need.keys
        or (row.type, row.block) in need.blocks
        or (row.type == "PER" and row.tokens > 1 and row.first_block in need.first_blocks)
    )
