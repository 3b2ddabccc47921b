"""The checks of the values a state cookie carries (:mod:`triage.web.state`): each a whole
number in a range or a word of bounded length and plain characters, so that every state has a
bounded size and nothing in it needs escaping (anything else is a ValueError); and the widest
answer a question can have, which bounds the largest state of a pack."""

from __future__ import annotations

import re
from typing import Any

from triage.conditions.tree import MULTI, SINGLE, YES_NO
from triage.pack.specs import QuestionSpec

MAX_NUMBER_WIDTH = 48  # a number as JSON: a float takes at most 24, the web's 40 typed digits 41
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


def widest(q: QuestionSpec) -> Any:
    """A stand-in for the widest value of ``q`` as JSON (only its width matters)."""
    if q.type == YES_NO:
        return 1
    if q.type == SINGLE:
        return max(len(q.options) - 1, 0)
    if q.type == MULTI:
        return (1 << len(q.options)) - 1
    return int("9" * number_width(q))


def number_width(q: QuestionSpec) -> int:
    """The most characters an answer to number question ``q`` takes as JSON: a whole number
    between two bounds is never wider than the wider bound."""
    if q.integer and q.min is not None and q.max is not None:
        return max(len(str(int(q.min))), len(str(int(q.max))))
    return MAX_NUMBER_WIDTH
