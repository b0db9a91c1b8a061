"""Make untrusted text (article titles, file names, backend replies) harmless to print on a terminal.

An article title is written by whoever published it. Printed raw, an escape sequence in it could clear the
screen, retitle the window, write the clipboard (OSC 52) or fake a prompt, and a bidi override could reverse
the text an analyst reads. Every control character, so every escape sequence (they all start with ESC or a C1
control), and every bidi embedding, override and isolate is shown as a visible escape instead (``\\x1b``,
``\\u202e``); newlines and tabs, which the layout itself uses, are kept.

>>> safe("Flood\\x1b[2J in \\u202eWrocław")
'Flood\\\\x1b[2J in \\\\u202eWrocław'
>>> safe("Łódź\\tok\\n")
'Łódź\\tok\\n'
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "plain", "safe"]

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-character CSI on some terminals), line and
# paragraph separators, and the bidi embeddings, overrides and isolates (the "Trojan Source" characters).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every character a terminal would act on shown as a visible escape (newline, tab kept)."""
    return UNSAFE.sub(_visible, text)


def plain(text: str) -> str:
    """``text`` with those characters removed (for untrusted text stored as content, e.g. a backend reply)."""
    return UNSAFE.sub("", text)
