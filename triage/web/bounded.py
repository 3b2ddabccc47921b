"""The checks of the values a state cookie carries (:mod:`triage.web.state`): each a whole
number in a range or a word of bounded length and plain characters, so that every state has a
bounded size and nothing in it needs escaping. Anything else is a ValueError."""

from __future__ import annotations

import re
from typing import Any

WORD = re.compile(r"[A-Za-z0-9_-]*", re.ASCII)  # nonces and references: nothing to escape


def fail() -> Any:
    raise ValueError("a state this pack's cookie cannot carry")


def bounded(x: Any, limit: int) -> int:
    """``x`` if it is a whole number (not a bool) from 0 up to, not including, ``limit``."""
    if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < limit:
        fail()
    return int(x)


def word(x: Any, limit: int) -> str:
    """``x`` if it is a string of at most ``limit`` letters, digits, ``_`` and ``-``."""
    if not isinstance(x, str) or len(x) > limit or not WORD.fullmatch(x):
        fail()
    return str(x)
