"""The heavy objects analysis needs, loaded once per process (a ``Tracker`` holds them) and passed explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .handoff import Handoff, gazetteer_key

if TYPE_CHECKING:
    from ..config import Settings
    from ..stages.embed import Embedder
    from ..stages.entities import AliasRecord, Gazetteer


@dataclass(frozen=True)
class Models:
    """The gazetteer (with the user's alias files and imported names) and the multilingual encoder; the handoff
    of mentions extracted ahead (a backfill's workers), valid under ``gazetteer_key``."""

    gazetteer: Gazetteer
    embedder: Embedder
    notes: tuple[str, ...] = ()
    gazetteer_key: str = (
        ""  # fingerprint of the gazetteer (handoff.gazetteer_key); "" never matches a worker's
    )
    handoff: Handoff = field(default_factory=Handoff, compare=False)

    @property
    def embedder_name(self) -> str:
        return str(getattr(self.embedder, "name", "embedder"))


def load_models(settings: Settings, imported: Sequence[AliasRecord] = ()) -> Models:
    """Build the gazetteer and encoder; problems with alias files come back as notes (path and reason)."""
    from ..stages.embed import E5Embedder
    from ..stages.entities import Gazetteer

    gazetteer, rejected = Gazetteer.load([Path(p) for p in settings.alias_files])
    gazetteer.add_aliases(imported)
    notes = tuple(f"alias file problem: {r.origin}: {r.reason}" for r in rejected)
    key = gazetteer_key(settings.alias_files, imported)
    return Models(gazetteer, E5Embedder(threads=settings.embed_threads), notes, key)
