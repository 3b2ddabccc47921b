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
# a space before a closing mark, or after an opening «
_BEFORE_OR_AFTER_MARK = re.compile(r"[ \u00a0](?=[:;?!»])|(?<=«)[ \u00a0]")


def keep_marks_with_words(text: str) -> str:
    """``text`` with a no-break space wherever a line break would part a word from its mark.

    English has no space there (bar a key named in a hint, "Type ? for help", which is as
    well kept with its word), so every language goes through it."""
    if " " not in text:
        return text
    return _BEFORE_OR_AFTER_MARK.sub(NO_BREAK_SPACE, text)
