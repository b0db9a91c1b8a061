"""One exception type per kind of failure; messages say what went wrong and how to fix it."""

from __future__ import annotations


class NewsloomError(Exception):
    """Base class for every error newsloom raises on purpose."""


class InputError(NewsloomError):
    """An input file, line or argument cannot be used; the message names it and the reason."""


class StoreError(NewsloomError):
    """The store is missing, corrupt, or from a newer schema version."""


class NotFound(NewsloomError):
    """No article, event, story, entity or claim has the requested id."""


class BackendError(NewsloomError):
    """An optional remote backend (translation, LLM) failed; callers fall back to the built-in path."""


class MissingExtra(NewsloomError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"{package} is not installed: pip install 'newsloom[{extra}]'")
        self.package = package
        self.extra = extra


class StoreBusy(StoreError):
    """Another process held the store's write lock for longer than the wait; the message says who, if known."""
