"""The ``Store`` protocol: what the engine and ``Tracker`` need from any backend (SQLite, PostgreSQL).

Reads used while planning a batch are the engine's :class:`~newsloom.engine.protocol.StoreView`; this adds the
writes (articles, rejections, one analysis plan per transaction, analyst corrections) and the read queries behind
the CLI and the HTTP API. Every backend passes the same store test suite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from ..engine.protocol import StoreView, Vector

if TYPE_CHECKING:
    from ..engine.plan import BatchPlan
    from ..models import Article, Claim, Entity, Event, Mention, Rejected, RemovedLine, Story
    from ..stages.cluster import ClusterState
    from ..stages.entities import AliasRecord
    from .paging import ArticleFilter, Page


class Store(StoreView, Protocol):
    path: str

    def close(self) -> None: ...

    # ---- ingest
    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...

    def add_articles(self, articles: Sequence[Article], signatures: Mapping[str, bytes]) -> None: ...

    def add_rejections(self, rejected: Sequence[Rejected]) -> None: ...

    # small named values (feed validators and fetched-URL marks of ``newsloom watch``), one transaction each
    def get_state(self, name: str) -> bytes | None: ...

    def set_state(self, name: str, value: bytes) -> None: ...

    def signatures(self, *, after: int = 0) -> Iterator[tuple[str, bytes]]: ...

    def duplicate_candidates(self, keys: Sequence[int]) -> list[tuple[str, bytes, str]]: ...

    def last_seq(self) -> int: ...

    # ---- analysis
    def count_pending(self) -> int: ...

    def pending_articles(self, *, limit: int) -> list[Article]: ...

    def cluster_state(self) -> ClusterState | None: ...

    def apply(self, plan: BatchPlan) -> None: ...

    def reset_analysis(self) -> None: ...

    def integrity(self) -> list[str]: ...

    def counts(self) -> dict[str, int]: ...

    # ---- analyst decisions and imported names
    def add_correction(self, kind: str, a: str, b: str) -> None: ...

    def merge_entity(self, source: str, target: str, languages: Mapping[str, str]) -> None: ...

    def split_entity(self, entity_id: str, key: str, new_id: str) -> None: ...

    def imported_aliases(self) -> list[AliasRecord]: ...

    def add_imported_aliases(self, records: Sequence[AliasRecord]) -> None: ...

    # ---- reads
    def count_articles(self) -> int: ...

    def articles(
        self,
        *,
        language: str | None = None,
        event_id: str | None = None,
        event_ids: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
        with_removed: bool = False,
    ) -> list[Article]: ...

    def article(self, article_id: str) -> Article: ...

    def removed_lines(self, article_id: str) -> tuple[RemovedLine, ...]: ...

    def search(self, query: str, limit: int = 20) -> list[Article]: ...

    def semantic_search(
        self, vector: Vector, limit: int = 20, *, model: str | None = None
    ) -> list[Article]: ...

    def rejections(self) -> list[Rejected]: ...

    def entities(self, *, type: str | None = None, event_id: str | None = None) -> list[Entity]: ...

    def entity(self, entity_id: str) -> Entity: ...

    def mentions(
        self, *, article_ids: Sequence[str] | None = None, entity_id: str | None = None
    ) -> list[Mention]: ...

    def events(
        self, *, limit: int | None = None, offset: int = 0, newest_first: bool = False
    ) -> list[Event]: ...

    def event(self, event_id: str) -> Event: ...

    def resolve_event(self, event_id: str) -> str: ...

    def stories(self) -> list[Story]: ...

    def story(self, story_id: str) -> Story: ...

    def claims(self, *, event_id: str | None = None, entity_id: str | None = None) -> list[Claim]: ...

    def claim(self, claim_id: str) -> Claim: ...

    # ---- paged reads (store/sqlite_reads.py, store/postgres_reads.py): filters in SQL, keyset cursors
    def find_article(self, article_id: str) -> Article | None: ...

    def article_page(
        self, filters: ArticleFilter = ..., *, limit: int, cursor: str | None = None, offset: int = 0
    ) -> Page[Article]: ...

    def event_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        story_id: str | None = None,
        language: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Page[Event]: ...

    def story_page(self, *, limit: int, cursor: str | None = None, offset: int = 0) -> Page[Story]: ...

    def entity_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        type: str | None = None,
        event_id: str | None = None,
    ) -> Page[Entity]: ...

    def claim_page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        offset: int = 0,
        event_id: str | None = None,
        entity_id: str | None = None,
        article_id: str | None = None,
    ) -> Page[Claim]: ...

    def search_page(
        self, query: str, filters: ArticleFilter = ..., *, limit: int, offset: int = 0
    ) -> list[Article]: ...

    def semantic_page(
        self, vector: Vector, filters: ArticleFilter = ..., *, model: str, limit: int, offset: int = 0
    ) -> list[tuple[Article, float]]: ...
