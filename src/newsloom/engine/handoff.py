"""Per-article results computed before the analysis (on a backfill's workers), handed to the engine.

The engine extracts each new article's entity mentions itself unless the handoff holds them for that article
under the same key: a fingerprint of what extraction depends on (the newsloom version, the user's alias files
and the imported names, i.e. the gazetteer) and of the article's text and language. A result computed under
other settings, or for other text, is never used: the engine recomputes it, so the handoff changes speed only,
never results. Each result is taken once (memory stays bounded by what is waiting for analysis).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Article, Mention
    from ..stages.entities import AliasRecord


def gazetteer_key(alias_files: Iterable[str], imported: Sequence[AliasRecord]) -> str:
    """Fingerprint of the gazetteer ``load_models`` builds from these alias files and imported names.

    >>> gazetteer_key([], []) == gazetteer_key([], [])
    True
    """
    from .. import __version__

    digest = hashlib.sha1(f"newsloom {__version__}\n".encode())
    for name in alias_files:
        path = Path(name)
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    digest.update(repr(tuple(imported)).encode("utf-8"))
    return digest.hexdigest()


def _article_key(key: str, article: Article) -> str:
    # The text and language are what extraction reads; the same id with other text must not hit.
    text = f"{key}\n{article.language}\n{article.text}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Handoff:
    """Entity mentions computed elsewhere, by article id; ``take`` returns them only under the same key.

    >>> handoff = Handoff()
    >>> handoff.put("k", article, mentions)  # doctest: +SKIP
    >>> handoff.take("k", article)  # the mentions; under another key or for other text: None  # doctest: +SKIP
    """

    def __init__(self) -> None:
        self._mentions: dict[str, tuple[str, tuple[Mention, ...]]] = {}
        self.hits = 0  # taken: the engine did not extract these again
        self.misses = 0  # offered but stale (other key or text): recomputed

    def put(self, key: str, article: Article, mentions: Iterable[Mention]) -> None:
        self._mentions[article.id] = (_article_key(key, article), tuple(mentions))

    def take(self, key: str, article: Article) -> tuple[Mention, ...] | None:
        found = self._mentions.pop(article.id, None)
        if found is None:
            return None
        if found[0] != _article_key(key, article):
            self.misses += 1
            return None
        self.hits += 1
        return found[1]

    def __len__(self) -> int:
        return len(self._mentions)
