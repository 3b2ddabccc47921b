"""A screen at a time: what does not fit the terminal's rows (a phone's SSH app, a split
window, a magnifier at 400%) is cut into pages, each shown whole before a key brings the
next, so nothing scrolls away unread.

Pages only cut and order what the other renderers wrote; nothing here redraws the screen or
moves the cursor (a screen reader reads every page in order, once). Rows are counted as a
terminal shows them: a line longer than the width (plain mode leaves wrapping to the
terminal) takes more than one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from triage.engine.evaluate import Outcome
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.render.result import Section, closing_text, sections, text_units

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def columns(line: str) -> int:
    """Columns a line takes: a wide character (CJK) two, a combining mark none."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in _ANSI.sub("", line))


def rows_of(text: str, width: int) -> int:
    """Rows ``text`` takes on a terminal ``width`` columns wide (a final newline takes none:
    the cursor's row belongs to what comes next)."""
    return sum(max(1, -(-columns(line) // max(width, 1))) for line in text.splitlines())


def fill(units: Sequence[str], budget: int, width: int) -> list[str]:
    """``units`` in order on as few pages of at most ``budget`` rows as they fit; a page ends
    between units, unless one alone is taller than a page: it is cut between its lines.
    No page but the first starts with a blank line (the page break separates them)."""
    pages: list[str] = []
    page, used = "", 0
    for unit in units:
        for piece in _cut(unit, budget, width):
            height = rows_of(piece, width)
            if page and used + height > budget:
                pages.append(page)
                piece = piece.lstrip("\n")
                page, used = "", 0
                height = rows_of(piece, width)
            page += piece
            used += height
    if page:
        pages.append(page)
    return pages


def _cut(unit: str, budget: int, width: int) -> list[str]:
    if rows_of(unit, width) <= budget:
        return [unit]
    return [line + "\n" for line in unit.splitlines()]


def result_pages(outcome: Outcome, pack: CompiledPack, lang: str, *, plain: bool, width: int,
                 rows: int, part: str, footer: str, wrap: bool, reserve: int = 1) -> list[str]:
    """The result (``part``: as :func:`~triage.render.result.outcome_text` has it) on
    one page when it fits ``rows`` (the cursor's row left free; ``rows`` 0: the height is not
    known), else on pages of at most ``rows - 1 - reserve`` rows (``reserve``: the pager's
    line below them) and a last page of ``rows - 1``.

    The last page is the one left on the screen: it holds what to do, how soon and when to
    seek care, then ``footer`` and the outcome line (the result's title and how soon again,
    as on every result). The pages before it start with the result's title (the summary's
    banner) and hold the rest in reading order: what to watch for, what to tell the
    therapist, that it is not a diagnosis; or the details."""
    every = sections(outcome, pack, lang)
    summary = [s for s in every if not s.detail]
    # what to do, how soon, when to seek care: the summary's lines after its title
    head = [s for s in summary if s.kind == "lines" and s.title != t("result", lang)]
    blocks = [s for s in every if part == "all" or s.detail == (part == "details")]

    def text(chosen: list[Section]) -> list[str]:
        return text_units(chosen, outcome, lang, plain=plain, width=width, wrap=wrap)

    closing = closing_text(outcome, pack, lang, plain=plain, width=width, footer=footer,
                           wrap=wrap)
    whole = "".join(text(blocks)) + closing
    if rows <= 0 or rows_of(whole, width) <= rows - 1:
        return [whole]
    # one screen without the blank lines between sections (their titles still stand out)
    # beats two: an emergency department result then fits 40x24 in English
    compact = "".join(line for line in whole.splitlines(keepends=True)
                      if _ANSI.sub("", line).strip())
    if rows_of(compact, width) <= rows - 1:
        return [compact]
    last = "".join(text(head)) + closing
    pages = fill(text([s for s in blocks if s not in head]), rows - 1 - reserve, width)
    # the last of the other pages goes with the last page when both fit one screen (a
    # blank line between them, as between sections; none in plain mode, which has none)
    joined = pages[-1] + ("" if plain else "\n") + last if pages else last
    if rows_of(joined, width) <= rows - 1:
        return [*pages[:-1], joined]
    return [*pages, last]
