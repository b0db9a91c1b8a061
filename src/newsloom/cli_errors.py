"""Exit codes and the one error shape of the command line: ``newsloom: error: <what>: <why>``, never a traceback.

Exit codes (documented in ``docs/cli.md``):

====  ==========================================================================================
0     done; every input was used
1     done, but some inputs were rejected (each is listed on stderr and by ``newsloom rejections``)
2     could not run: bad arguments or settings, a file that cannot be read or written, an unusable store
3     internal error: a bug in newsloom (``NEWSLOOM_DEBUG=1`` shows the traceback)
75    the store is busy: another process held its write lock for longer than the wait (60 s); run again later
130   interrupted (Ctrl-C); everything committed before is kept
====  ==========================================================================================

>>> describe(FileNotFoundError(2, "No such file or directory", "missing/x.json"), "news.db")
(2, 'missing/x.json: No such file or directory')
"""

from __future__ import annotations

import argparse
import sqlite3

from .errors import InputError, NewsloomError, StoreBusy

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
EXIT_BUSY = 75  # EX_TEMPFAIL from sysexits.h: trying again later may work
EXIT_INTERRUPTED = 130

#: Arguments that name a stored item; real ids are 16-40 characters, so a longer one is a mistake.
ID_ARGUMENTS = ("id", "event", "story", "entity", "source", "target")
MAX_ID_CHARS = 256
_MAX_MESSAGE = 500


def check_ids(args: argparse.Namespace) -> None:
    """Refuse an absurdly long id before it reaches the store (SQLite rejects long LIKE patterns obscurely)."""
    for name in ID_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str) and len(value) > MAX_ID_CHARS:
            raise InputError(
                f"{name} {value[:20]}...: {len(value)} characters long; ids are at most {MAX_ID_CHARS}"
            )


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def describe(exc: BaseException, db: str) -> tuple[int, str]:
    """The exit code and the ``<what>: <why>`` message for an error that ended a command."""
    if isinstance(exc, StoreBusy):  # the store waited, and says who holds the lock
        return EXIT_BUSY, _shorten(f"{exc}; run again when it has finished")
    cause = exc.__cause__ if isinstance(exc, NewsloomError) else exc  # the store wraps SQLite's errors
    if isinstance(cause, sqlite3.OperationalError) and _is_busy(cause):
        return EXIT_BUSY, (
            f"store {db}: busy: another process (an ingest or analysis) holds its write lock; "
            "run again when it has finished"
        )
    if isinstance(exc, NewsloomError):
        return EXIT_ERROR, _shorten(str(exc))
    if isinstance(exc, sqlite3.Error):
        return EXIT_ERROR, _shorten(f"store {db}: {exc}")
    if isinstance(exc, OSError):
        what = exc.filename if exc.filename is not None else "input/output"
        return EXIT_ERROR, _shorten(f"{what}: {exc.strerror or exc}")
    if isinstance(exc, MemoryError):
        return EXIT_ERROR, "out of memory: lower batch_size or the input limits (max_chars, max_text_chars)"
    return EXIT_INTERNAL, _shorten(
        f"internal error: {type(exc).__name__}: {exc} (a bug in newsloom; NEWSLOOM_DEBUG=1 shows the traceback)"
    )


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message
