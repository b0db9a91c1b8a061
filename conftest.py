"""Collection guard: the web package needs the ``http`` extra; without it its doctests are skipped, not broken."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("fastapi") else ["src/newsloom/web/*"]
