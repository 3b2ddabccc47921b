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


# --------------------------------------------------------------------------- streams

NEAREST = "triage-nearest"
"""The error handler that spells a character a stream's codec lacks the nearest way it can."""

# Characters with no decomposition to plain letters: French quotes and the ligature "œ" (not in
# Latin-1), typographic punctuation, and signs the packs and messages use.
_SPELLED = {
    "\u0153": "oe", "\u0152": "OE", "\u00e6": "ae", "\u00c6": "AE", "\u00df": "ss",
    "\u00f8": "o", "\u00d8": "O", "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D",
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",  # French quotes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2212": "-",  # dashes, the minus sign
    "\u2022": "*", "\u00b7": "*", "\u00b0": "deg", "\u00d7": "x", "\u00f7": "/",
    "\u2265": ">=", "\u2264": "<=", "\u2260": "!=", "\u2192": "->", "\u2190": "<-",
    "\u20ac": "EUR", "\u2044": "/", "\u00a9": "(c)",
}


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def nearest(ch: str, encoding: str) -> str:
    """``ch`` as ``encoding`` can spell it: itself, its letters without accents ("é" -> "e"
    in ASCII), a stand-in ("œ" -> "oe", "«" -> '"'), a surrogate escaped ("\\udcff"), else "?"."""
    if _encodable(ch, encoding):
        return ch
    if "\ud800" <= ch <= "\udfff":  # a byte of a file name in another encoding ("pk\xff")
        return _escaped(ch)  # as printable() shows it
    import unicodedata  # only once a character cannot be written as it is

    out = []
    for part in unicodedata.normalize("NFKD", ch):  # "é" = "e" + accent, "…" = "...", nbsp = " "
        if unicodedata.combining(part):
            continue
        spelled = part if _encodable(part, encoding) else _SPELLED.get(part, "?")
        out.append(spelled if _encodable(spelled, encoding) else "?")
    return "".join(out) or "?"


def nearest_spelling(exc: UnicodeError) -> tuple[str, int]:
    """The codecs error handler :data:`NEAREST` (registered by :func:`speak_through`)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start:exc.end]
    return "".join(nearest(ch, exc.encoding) for ch in text), exc.end


def is_utf8(stream: object) -> bool:
    """Does ``stream`` write UTF-8 (so it can write any text but a lone surrogate)?"""
    import codecs

    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def speak_through(stream: object) -> None:
    """Let a text stream write any text: what its codec cannot encode (a Latin-1 or ASCII
    locale, PYTHONIOENCODING; in UTF-8, a byte of a file name in another encoding) is spelled
    the nearest way (:func:`nearest`) instead of raising UnicodeEncodeError after half a
    result. A UTF-8 stream that already copes (surrogateescape in the C locale, standard
    error's backslashreplace) is left as it is.

    Why not UTF-8 bytes instead: a Latin-1 terminal would show every accented letter of a
    French result as two wrong characters ("Ã©"); this way only the few characters it lacks
    ("œ", a curly apostrophe) change, to their plain spelling ("oe", "'"). Data is not
    written through this: JSON is ASCII with escapes, CSV is UTF-8
    (:func:`triage.cli.output.data_stdout`)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or (is_utf8(stream) and getattr(stream, "errors", "") != "strict"):
        return
    import codecs
    import contextlib

    codecs.register_error(NEAREST, nearest_spelling)
    with contextlib.suppress(ValueError, OSError):  # closed, or not a plain text stream
        reconfigure(errors=NEAREST)


# the longest caller reference (or name) a record keeps
MAX_REF_CHARS = 200


def plain_line(value: str) -> bool:
    """Printable, valid Unicode (a byte such as 0xFF in argv arrives as a lone surrogate),
    and at most :data:`MAX_REF_CHARS` long: what a caller reference typed at a desk is. An
    arrow key typed at a line prompt is an escape sequence, not printable."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return len(value) <= MAX_REF_CHARS and value.isprintable()
