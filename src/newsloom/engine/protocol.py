"""What the engine reads from a store while planning a batch (every backend implements it; see ``store``).

Each read is bounded by the batch and what it touches (indexed lookups), never a scan of the store. The two
caches (article embeddings, text vectors) are written as soon as they are computed: they are keyed by content, so
keeping them when a plan is lost is harmless and saves the encoder's work on the re-run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from ..models import Article, Claim, Entity, Event, Mention
    from ..stages.entities import Corrections
    from ..stages.entities.incremental import Lookups, NameRow
    from ..stages.stories import EventProfile

Vector = npt.NDArray[np.float32]


class StoreView(Protocol):
    def articles(self, *, event_ids: Sequence[str] | None = None) -> list[Article]: ...

    def mentions(self, *, article_ids: Sequence[str] | None = None) -> list[Mention]: ...

    def name_rows(self, lookups: Lookups) -> list[NameRow]: ...

    def corrections(self) -> Corrections: ...

    def entities_by_ids(self, ids: Sequence[str]) -> list[Entity]: ...

    def embeddings(self, ids: Sequence[str], model: str) -> dict[str, Vector]: ...

    def save_embeddings(self, model: str, vectors: Mapping[str, Vector]) -> None: ...

    def text_vectors(self, hashes: Sequence[str], model: str) -> dict[str, Vector]: ...

    def save_text_vectors(self, model: str, vectors: Mapping[str, Vector]) -> None: ...

    def event_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]: ...

    def story_ids(self, event_ids: Sequence[str]) -> dict[str, str]: ...

    def story_candidates(self, profiles: Sequence[EventProfile]) -> list[EventProfile]: ...

    def claims_of_events(self, event_ids: Sequence[str]) -> list[Claim]: ...

    def events_of_story(self, story_id: str) -> list[Event]: ...

    def events_by_ids(self, ids: Sequence[str]) -> list[Event]: ...
