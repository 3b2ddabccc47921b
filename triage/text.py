"""The one sanitiser for text that came from outside (a file, an answer, a caller, a pack)
before it reaches a terminal, a log or a spreadsheet.

Terminal escapes (ESC, CSI, OSC, BEL, ...) in a key of an answers file or in a caller
reference could retitle the window, clear the screen or hide what follows. Every control
character (Unicode category C: C0, DEL, C1, and the invisible format characters such as
bidirectional overrides) is shown escaped instead, as ``\\x1b`` or ``\\u202e``; line breaks
and tabs are kept only where a caller asks for multi-line text.
"""

from __future__ import annotations

_KEEP_MULTILINE = frozenset("\n\t")


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def is_unsafe(ch: str) -> bool:
    """A control, format, surrogate, private-use or unassigned character (category C),
    or a line/paragraph separator."""
    import unicodedata  # only for text that is not plainly printable: keeps start-up light

    return unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029"


def printable(text: str, *, multiline: bool = False) -> str:
    """``text`` with every unsafe character escaped (``multiline``: keep newlines and tabs)."""
    if text.isprintable():  # the common case: nothing to do, and fast
        return text
    if multiline and text.replace("\n", "").replace("\t", "").isprintable():
        return text  # (a message of thousands of lines: not looked at one character at a time)
    keep = _KEEP_MULTILINE if multiline else frozenset()
    return "".join(_escaped(ch) if ch not in keep and is_unsafe(ch) else ch for ch in text)


def unsafe_characters(text: str) -> list[str]:
    """The unsafe characters of ``text`` (newlines and tabs allowed), escaped, for a message."""
    if text.isprintable():
        return []
    return sorted({_escaped(ch) for ch in text if ch not in _KEEP_MULTILINE and is_unsafe(ch)})
