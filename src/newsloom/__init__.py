"""newsloom: news articles in any language into events, stories, entities and claims.

>>> from newsloom import Tracker, load_settings
>>> tracker = Tracker(load_settings({"db": ":memory:"}))  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .config import Settings, load_settings
from .errors import BackendError, InputError, MissingExtra, NewsloomError, NotFound, StoreError
from .models import (
    Alias,
    Article,
    Claim,
    Cleaned,
    DateValue,
    Entity,
    Event,
    LanguageGuess,
    Mention,
    PublicationDate,
    RawDocument,
    Rejected,
    RemovedLine,
    Story,
    TemporalExpression,
)

if TYPE_CHECKING:  # type checkers see the real class; at run time __getattr__ below imports it on first use
    from .tracker import Tracker

__version__ = "0.1.0"
__all__ = [
    "Alias",
    "Article",
    "BackendError",
    "Claim",
    "Cleaned",
    "DateValue",
    "Entity",
    "Event",
    "InputError",
    "LanguageGuess",
    "Mention",
    "MissingExtra",
    "NewsloomError",
    "NotFound",
    "PublicationDate",
    "RawDocument",
    "Rejected",
    "RemovedLine",
    "Settings",
    "StoreError",
    "Story",
    "TemporalExpression",
    "Tracker",
    "load_settings",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    # The tracker pulls in every stage; import it only when asked so `import newsloom` stays light.
    if name == "Tracker":
        from .tracker import Tracker

        return Tracker
    raise AttributeError(name)
