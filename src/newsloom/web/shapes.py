"""The API's JSON forms live in :mod:`newsloom.shapes`, shared with the command line's ``--json``."""

from __future__ import annotations

from ..shapes import article_detail, article_summary, entity_detail, plain, search_result

__all__ = ["article_detail", "article_summary", "entity_detail", "plain", "search_result"]
