"""Atom feeds of watchlists, so an analyst's feed reader shows what a watchlist finds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..models import Article
from .watchlists import Watchlist

# Characters XML 1.0 forbids even escaped; an article may carry them from a broken source.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def atom(item: Watchlist, articles: Sequence[Article], base: str) -> str:
    """An Atom 1.0 document with one entry per article, links pointing at this server's article pages."""
    updated = item.created
    entries = []
    for article in articles:
        day = article.published.value.isoformat() + "T00:00:00Z" if article.published.value else item.created
        updated = max(updated, day)
        link = f"{base}/articles/{article.id}"
        entries.append(
            "<entry>"
            f"<id>urn:newsloom:article:{_text(article.id)}</id>"
            f"<title>{_text(article.title or '(untitled)')}</title>"
            f"<link href={quoteattr(link)}/>"
            f"<updated>{_text(day)}</updated>"
            f"<summary xml:lang={quoteattr(article.language)}>{_text(article.text[:500])}</summary>"
            f"<author><name>{_text(article.site or article.source)}</name></author>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>urn:newsloom:watchlist:{_text(item.id)}</id>"
        f"<title>newsloom watchlist: {_text(item.name)}</title>"
        f'<link rel="self" href={quoteattr(f"{base}/api/v1/watchlists/{item.id}/feed")}/>'
        f"<updated>{_text(updated)}</updated>" + "".join(entries) + "</feed>\n"
    )
