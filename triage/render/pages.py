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
from collections.abc import Callable, Sequence

from triage.engine.evaluate import Outcome
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.render.result import Section, closing_text, sections, text_units

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A page of the questionnaire: what it shows, and the line that waits for a key to show the
# next ("" on the last page, which ends with what to type)
Page = tuple[str, str]


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


def summary_pages(text: str, *, width: int, rows: int, footer: str, wrap: bool,
                  reserve: int = 1) -> list[str]:
    """Reception's summary (``text``, one item a line; its details above it after `d`;
    ``wrap``: each line broken between words at ``width``, as on a terminal) on one page
    under ``footer`` (the keys) when both fit ``rows`` (the cursor's row left free; ``rows``
    0: the height is not known), else on pages of at most ``rows - 1 - reserve`` rows
    (``reserve``: the pager's line below them), each cut between lines, a heading kept with
    its items where they fit a page, and a last page of ``rows - 1``.

    The last page is the one left on the screen: the keys, then the end of the summary
    (what to book, last), so the keys never scroll away above a summary taller than the
    screen (40 columns). Piped, the summary is one block and comes in no pages."""
    from triage.render.result import wrap_words

    said = text.splitlines()
    shown = [wrap_words(line, width) if wrap else line + "\n" for line in said]
    whole = footer + "".join(shown)
    if rows <= 0 or rows_of(whole, width) <= rows - 1:
        return [whole]
    units: list[list[str]] = []  # a heading and its items ("- ..."), or a line alone
    for line, wrapped in zip(said, shown, strict=True):
        if units and line.startswith("- "):
            units[-1].append(wrapped)
        else:
            units.append([wrapped])

    tall: dict[str, int] = {}  # rows of each line (rows add up line by line): counted once

    def height(lines: list[str]) -> int:
        return sum(tall[line] if line in tall else tall.setdefault(line, rows_of(line, width))
                   for line in lines)

    budget = rows - 1 - reserve

    def pieces(unit: list[str]) -> list[list[str]]:
        """A unit taller than a page goes line by line, a line taller than a page row by
        row (a long instruction at 40x12)."""
        if height(unit) <= budget:
            return [unit]
        return [[row] for line in unit
                for row in ([line] if height([line]) <= budget
                            else line.splitlines(keepends=True))]

    pages: list[list[str]] = [[]]
    used = 0  # rows of the page being filled
    for unit in units:
        # one that does not fit what is left of this page starts the next
        for piece in pieces(unit):
            if pages[-1] and used + height(piece) > budget:
                pages.append([])
                used = 0
            pages[-1] += piece
            used += height(piece)
    last = pages.pop()
    if height([footer, *last]) > rows - 1:
        # the keys do not fit above the last page's lines: the lines that fit under them,
        # from the end, are the last page, the others a page of their own
        start, used = len(last), height([footer])
        while start > 0 and used + height([last[start - 1]]) <= rows - 1:
            start -= 1
            used += height([last[start]])
        pages.append(last[:start])
        last = last[start:]
    return ["".join(page) for page in pages] + [footer + "".join(last)]


def list_pages(top: str, again: str, items: list[str], tails: tuple[str, str], *, rows: int,
               width: int, above: int = 0, more: Callable[[int, int], str]) -> list[Page]:
    """``top``, the ``items`` (a question's options, the answers to review) and a tail on
    pages of ``rows`` rows, the last row left for the prompt (on the first page, ``above``
    rows fewer: what is above it stays in sight).

    One page with ``tails[0]``, else with ``tails[1]`` (shorter) if that fits; else the first
    page starts with ``top``, each later one with ``again``, the last ends with ``tails[0]``
    and each other one ends with an item and waits at ``more(first, last)``, the pager's
    line for the items from ``first`` to ``last`` (counted from 1). The last takes items
    from the one before while that keeps as many: 1-5, 6-9, 10-12, not 1-5, 6-11, 12."""
    def height(text: str) -> int:
        return rows_of(text, width)

    # one page if it can be: with what is above it still in sight, else letting that scroll
    # away (the question with every option and the prompt matter more)
    for room in dict.fromkeys((rows - above, rows)):
        for tail in tails:
            if rows <= 0 or height(top + "".join(items) + tail) + 1 <= room:
                return [(top + "".join(items) + tail, "")]
    tail = tails[0]
    widest = max(height(more(first, len(items))) for first in (1, len(items)))
    starts = [0]  # where each page's items start: as many as fit, front to back
    while True:
        first, head = starts[-1], top if len(starts) == 1 else again
        room = rows - (above if len(starts) == 1 else 0)
        if first >= len(items) - 1 or \
                height(head + "".join(items[first:]) + tail) + 1 <= room:
            break
        end, used = first, height(head) + widest
        # at least one item (each page shows something new), and never the last: the last
        # page shows it above what to type
        while end < len(items) - 1 and used + height(items[end]) <= room:
            used += height(items[end])
            end += 1
        starts.append(max(end, first + 1))
    # the last page shows as many items as it can with the question and the prompt
    while len(starts) > 1 and starts[-1] - starts[-2] > len(items) - starts[-1] + 1 and \
            height(again + "".join(items[starts[-1] - 1:]) + tail) + 1 <= rows:
        starts[-1] -= 1
    ends = [*starts[1:], len(items)]
    return [((top if number == 0 else again) + "".join(items[first:end])
             + (tail if end == len(items) else ""),
             "" if end == len(items) else more(end + 1, len(items)))
            for number, (first, end) in enumerate(zip(starts, ends, strict=True))]
