"""The analyst's workbench: a JSON API and server-rendered pages over the ``Tracker`` facade.

Needs the ``http`` extra (``pip install 'newsloom[http]'``); the rest of newsloom never imports this package.

>>> from newsloom.web import create_app  # doctest: +SKIP
>>> app = create_app("news.db")           # doctest: +SKIP
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
