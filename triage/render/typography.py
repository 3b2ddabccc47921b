"""French typography at a line's end: a word keeps its « » : ; ? ! (French sets a space before
the closing marks and after «), so no line starts with a colon or ends with an opening «.

The space there becomes a no-break space (U+00A0) in what a browser or another program lays
out (the HTML report, the web pages, Markdown, the booking summary pasted elsewhere): Chromium
breaks before " :" and " ?" otherwise. The terminal's own wrapping (textwrap, which breaks at
ASCII spaces only) keeps them together the same way.
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
