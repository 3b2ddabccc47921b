"""French typography at a line's end: a word keeps its « » : ; ? ! (French sets a space before
the closing marks and after «), so no line starts with a colon or ends with an opening «.

The space there becomes a no-break space (U+00A0) in what a browser or another program lays
out (the HTML report, the web pages, Markdown, the booking summary pasted elsewhere): Chromium
breaks before " :" and " ?" otherwise. The terminal's own wrapping (textwrap, which breaks at
ASCII spaces only, :func:`wrap_words`) keeps them together the same way.
"""

from __future__ import annotations

import re

NO_BREAK_SPACE = "\u00a0"
_CLOSING_MARKS = ":;?!»"


def _space_by_mark(space: str) -> re.Pattern[str]:
    """A ``space`` before a closing mark, or after an opening «."""
    return re.compile(rf"{space}(?=[{_CLOSING_MARKS}])|(?<=«){space}")


_BEFORE_OR_AFTER_MARK = _space_by_mark("[ \u00a0]")
# the ASCII spaces there: what terminal wrapping glues (a no-break space holds already)
ASCII_SPACE_BY_MARK = _space_by_mark(" ")


def keep_marks_with_words(text: str) -> str:
    """``text`` with a no-break space wherever a line break would part a word from its mark.

    English has no space there (bar a key named in a hint, "Type ? for help", which is as
    well kept with its word), so every language goes through it."""
    if " " not in text:
        return text
    return _BEFORE_OR_AFTER_MARK.sub(NO_BREAK_SPACE, text)


# what a continued line is indented by: the item's leading spaces, then "- " or its number and
# the spaces after it ("  12  Knee", "1, Knee"); a sentence that starts with a number ("0
# means none of these") is no item, and "²" is no digit of one
_ITEM_MARK = re.compile(r" *(?:- +|[0-9]+(?:[.,)] +| {2,}))?")
_GLUED = "\x00"  # never in a text: control characters are refused in packs and input


def wrap_words(text: str, width: int) -> str:
    """Lines of at most ``width`` columns, broken between words only (a terminal left to
    itself breaks words in the middle); a continued item is indented under its first word.
    A word keeps its French « » : ; ? ! (no line starts with " :"): the space between them
    is glued while wrapping, then given back."""
    if not text:
        return "\n"
    mark = _ITEM_MARK.match(text)
    indent = " " * (mark.end() if mark else 0)
    return wrap_text(text, width, indent[: width // 3]) + "\n"


def wrap_text(text: str, width: int, indent: str = "") -> str:
    import textwrap  # breaks at ASCII white space only: a no-break space holds

    glued = ASCII_SPACE_BY_MARK.sub(_GLUED, text)
    return "\n".join(textwrap.wrap(glued, width, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False)
                     ).replace(_GLUED, " ")
