"""Entities across languages: mentions, comparison keys, gazetteer, linking, alias files, evaluation.

Typical use (the tracker wires this)::

    gazetteer, rejected = Gazetteer.load([Path("my_aliases.csv")])
    mentions = [m for a in articles for m in extract_mentions(a, gazetteer)]
    result = link_mentions(mentions, article_language={a.id: a.language for a in articles},
                           gazetteer=gazetteer)
"""

from newsloom.stages.entities.aliases import AliasRecord, load_alias_file, load_wikidata
from newsloom.stages.entities.gazetteer import GazEntry, Gazetteer, entity_id_for
from newsloom.stages.entities.keys import name_key, token_key
from newsloom.stages.entities.linking import Corrections, LinkResult, link_mentions, names_match
from newsloom.stages.entities.mentions import extract_mentions

__all__ = [
    "AliasRecord",
    "Corrections",
    "GazEntry",
    "Gazetteer",
    "LinkResult",
    "entity_id_for",
    "extract_mentions",
    "link_mentions",
    "load_alias_file",
    "load_wikidata",
    "name_key",
    "names_match",
    "token_key",
]
