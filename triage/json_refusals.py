"""What the strict JSON reader (:func:`triage.untrusted.strict_json`) refuses, and where.

The decoder's hooks refuse a repeated key, a number too long to read safely, NaN and
Infinity, but they are given no position; nesting too deep is found after decoding. When the
decoder refuses, :func:`refused_tokens` walks the text once more and finds every such place,
so each is told at its own line and column, all at once, in the order written. The messages
are here, shared by the hooks and the walk, so the two always say the same; none quotes the
input beyond a short, printable key.
"""

from __future__ import annotations

import json
import re
from typing import Any

from triage.i18n_said import Said
from triage.text import printable

MAX_NUMBER_CHARS = 40  # longer digit strings are no answer: int() of 5,000 digits raises


def duplicate_message(key: str) -> str:
    return Said("duplicate_key", name=printable_key(key))  # the YAML reader's wording


def number_refused(text: str) -> str:
    """Why the decoder refuses the number written ``text`` before reading it, or ""."""
    if len(text) > MAX_NUMBER_CHARS or not text.isascii():
        return f"a number is longer than {MAX_NUMBER_CHARS} characters"
    return ""


CONSTANTS = ("NaN", "Infinity", "-Infinity")  # what json's parse_constant is given


def constant_message(name: str) -> str:
    return Said("json_constant", name=name)


def too_deep(max_depth: int) -> str:
    return Said("nested_too_deep", depth=max_depth)


_SPACE = re.compile(r"[ \t\n\r]*")
# one key, text, number or literal at a time; numbers kept as text: int() of thousands of
# digits raises, and a number's value does not matter here
_TOKEN = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)


def refused_tokens(text: str, max_depth: int) -> list[tuple[int, str]]:
    """(where, why) of each key written again in the same object, each number longer than
    :data:`MAX_NUMBER_CHARS` (or not in ASCII digits), each NaN or Infinity, and where the
    nesting first goes deeper than ``max_depth``, in the order of the text.

    The text is walked with an explicit stack (no recursion: the decoder refused a duplicate
    before any depth check, so the nesting is not bounded yet). Keys are compared decoded, as
    the decoder compares them (``"age"`` and ``"a\\u0067e"`` are one key). The decoder
    stopped at the first object that closed with a repeat; past it the text may be broken:
    the walk then stops with what it found (a ValueError or IndexError from the text)."""
    found: list[tuple[int, str]] = []
    # each open container: its closing character, and the keys seen in it (None: a list)
    open_: list[tuple[str, set[str] | None]] = []

    def skip(i: int) -> int:
        return _SPACE.match(text, i).end()  # type: ignore[union-attr]  # (* matches "")

    def key(i: int, seen: set[str]) -> int:
        """Past the key at ``i`` and its colon, noting it."""
        if text[i] != '"':
            raise ValueError("no key")
        name, end = _TOKEN.raw_decode(text, i)
        if name in seen:
            found.append((i, duplicate_message(name)))
        seen.add(name)
        i = skip(end)
        if text[i] != ":":
            raise ValueError("no colon")
        return skip(i + 1)

    told_too_deep = False
    i = skip(0)
    try:
        while True:
            # i: at a value
            if text[i] in "{[":
                if len(open_) == max_depth and not told_too_deep:  # once: where it first is
                    told_too_deep = True
                    found.append((i, too_deep(max_depth)))
                seen: set[str] | None = set() if text[i] == "{" else None
                open_.append(("}" if seen is not None else "]", seen))
                i = skip(i + 1)
                if text[i] != open_[-1][0]:  # not empty: its first member or item
                    if seen is not None:
                        i = key(i, seen)
                    continue
            else:
                value, end = _TOKEN.raw_decode(text, i)
                if text[i] != '"':  # a number or a literal, as the text
                    why = _refused_scalar(value, text[i:end])
                    if why:
                        found.append((i, why))
                i = skip(end)
            # i: after a value, or at the end of an empty container
            while open_ and text[i] == open_[-1][0]:
                open_.pop()
                i = skip(i + 1)
            if not open_ or text[i] != ",":
                return found
            i = skip(i + 1)
            seen = open_[-1][1]
            if seen is not None:
                i = key(i, seen)
    except (ValueError, IndexError):
        return found


def _refused_scalar(value: Any, written: str) -> str:
    """Why the decoder refuses the number or literal ``written`` (``value`` as _TOKEN read
    it: a number's text, a constant's name, or true, false and null), or ""."""
    if not isinstance(value, str):
        return ""
    if written in CONSTANTS:
        return constant_message(written)
    return number_refused(value)


def printable_key(key: object) -> str:
    """A key from an input, safe to show: printable characters only, and short."""
    text = printable(str(key))
    return text if len(text) <= 60 else text[:57] + "..."
