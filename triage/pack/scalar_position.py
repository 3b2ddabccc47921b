"""Where a character of a scalar's value was written in the source: a problem found inside a
text (an unknown name in a condition) is reported at its own line and column, also when the
text was written over several lines (``when: >-`` and its following lines, a plain or quoted
text that goes on to the next line).

YAML folding and indentation change only the white space of a scalar, so the value's other
characters are the source's other characters in the same order (quoted styles aside: ``''``
in single quotes and a backslash escape in double quotes are one character of the value).
Counting them finds the place without parsing YAML again.
"""

from __future__ import annotations

from triage.problems import line_and_column

_BLANK = frozenset(" \t\r\n")
# after a backslash in double quotes: how many characters the escape spans (then hex digits)
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_ESCAPED_BLANKS = frozenset("nt \t")  # escapes that stand for white space in the value


def position_in_scalar(source: str, starts: list[int], line: int, col: int, style: str | None,
                       value: str, offset: int) -> tuple[int, int] | None:
    """The (line, column) of ``value[offset]`` for the scalar whose token starts at ``line``,
    ``col`` (1-based) in ``source``; None when the source does not match the value (then the
    caller keeps the scalar's own position)."""
    if not 0 <= offset < len(value) or not 0 < line <= len(starts):
        return None
    at = starts[line - 1] + col - 1
    if style in ("|", ">"):  # the text starts on the line after the indicator
        if line >= len(starts):
            return None
        at = starts[line]
    elif style in ("'", '"'):
        at += 1
    wanted = sum(1 for ch in value[:offset] if ch not in _BLANK)
    counted = 0
    end = len(source)
    while at < end:
        ch = source[at]
        if ch in _BLANK:
            at += 1
            continue
        width, blank = _unit(source, at, style)
        if blank:  # an escape that stands for white space ("\n", "\t")
            at += width
            continue
        if counted == wanted:
            return line_and_column(starts, at)
        if ch == style and width == 1:
            return None  # the closing quote: the value was shorter than counted
        counted += 1
        at += width
    return None


def _unit(source: str, at: int, style: str | None) -> tuple[int, bool]:
    """How many source characters make the value's next character, and whether that
    character is white space."""
    if style == "'" and source.startswith("''", at):
        return 2, False
    if style == '"' and source[at] == "\\" and at + 1 < len(source):
        code = source[at + 1]
        if code == "\n":  # a line continued: nothing in the value
            return 2, True
        return 2 + _HEX_DIGITS.get(code, 0), code in _ESCAPED_BLANKS
    return 1, False
