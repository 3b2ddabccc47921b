"""One parser per column, built once per file: the fast cases inline, everything else through
:func:`triage.engine.answers.normalise` (exactly what ``triage assess`` accepts)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from triage.batch.rows import MULTI_CELLS_REMEMBERED, NONE_CHOSEN, _Bad
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, QuestionShape
from triage.engine.answers import YES_NO_WORDS, normalise
from triage.engine.evaluate import Head
from triage.untrusted import whole_number

Parser = Callable[[Any], Any]


def _slow(shape: QuestionShape, value: Any) -> Any:
    """The reference path: exactly what ``triage assess`` accepts, with its messages."""
    normal, why = normalise(shape, value)
    if why:
        bad = _Bad(why)
        bad.question, bad.value = shape.id, value
        raise bad
    return normal


def _bounds(shape: QuestionShape) -> tuple[float, float]:
    # Finite stand-ins for "no limit", so that one range test also refuses inf and NaN,
    # which normalise() refuses; such values then take the slow path for its message.
    return (-sys.float_info.max if shape.min is None else shape.min,
            sys.float_info.max if shape.max is None else shape.max)


def _csv_parser(shape: QuestionShape,
                seen: dict[str, frozenset[str]] | None = None) -> Parser:
    """A parser for stripped, non-empty CSV cells; fast cases inline, the rest via normalise.

    ``seen``: for a multiple-choice question, where the valid cells met are remembered (see
    :func:`_cells_reader`, which looks them up before calling the parser)."""
    if shape.type == YES_NO:
        words = YES_NO_WORDS

        def yes_no(cell: str) -> Any:
            found = words.get(cell) or words.get(cell.lower())
            return found if found is not None else _slow(shape, cell)
        return yes_no
    if shape.type == SINGLE:
        options = frozenset(shape.options)

        def single(cell: str) -> Any:
            return cell if cell in options else _slow(shape, cell)
        return single
    if shape.type == MULTI:
        options = frozenset(shape.options)
        # Splitting is the dearest parse of a row; the same few cell texts come back row
        # after row, so valid ones are remembered (a bounded number: memory stays flat).
        if seen is None:
            seen = {}
        seen.update({o: frozenset((o,)) for o in options})
        if NONE_CHOSEN not in options:  # else "none" is that option, like any other
            seen[NONE_CHOSEN] = frozenset()

        def multi(cell: str) -> Any:
            found = seen.get(cell)
            if found is not None:
                return found
            if cell.lower() == NONE_CHOSEN and NONE_CHOSEN not in options:
                return frozenset()
            items = [x for x in (x.strip() for x in cell.replace("|", ";").split(";")) if x]
            if not items:
                # ";" alone is what joining empty cells makes (a spreadsheet formula, an
                # export of a form left blank): no answer, never "none of these", which
                # would pass a safety question unasked. `assess` refuses it too.
                bad = _Bad(f"'{shape.id}': the cell holds only separators, no answer: write "
                           f"none for none of them, or leave the cell empty if not answered")
                bad.question, bad.value = shape.id, cell
                raise bad
            chosen = frozenset(items)
            if not chosen <= options:
                return _slow(shape, items)
            if len(seen) < MULTI_CELLS_REMEMBERED:
                seen[cell] = chosen
            return chosen
        return multi
    assert shape.type == NUMBER
    lo, hi = _bounds(shape)
    if shape.integer:
        def whole(cell: str) -> Any:
            # the digits 0-9 only: int() would also take "3_8" and "٣٨" (and raise on 5,000)
            number = whole_number(cell)
            if number is not None and lo <= number <= hi:
                return number
            return _slow(shape, cell)  # "-3", "3.0", "1e2", or not a number at all
        return whole

    def decimal(cell: str) -> Any:
        return _slow(shape, cell)  # rare: normalise() reads plain ASCII decimals only
    return decimal


def _json_parser(shape: QuestionShape) -> Parser:
    """A parser for JSON values (never None); fast cases inline, the rest via normalise."""
    if shape.type == YES_NO:
        words = YES_NO_WORDS

        def yes_no(value: Any) -> Any:
            if value is True:
                return "yes"
            if value is False:
                return "no"
            found = words.get(value) if type(value) is str else None
            return found if found is not None else _slow(shape, value)
        return yes_no
    if shape.type == SINGLE:
        options = frozenset(shape.options)

        def single(value: Any) -> Any:
            return value if type(value) is str and value in options else _slow(shape, value)
        return single
    if shape.type == MULTI:
        options = frozenset(shape.options)

        seen: dict[tuple[Any, ...], frozenset[str]] = {}  # as for CSV cells: bounded

        def multi(value: Any) -> Any:
            if type(value) is list:
                key = tuple(value)
                try:
                    found = seen.get(key)
                except TypeError:  # unhashable items (lists, objects): not answers anyway
                    found = None
                if found is not None:
                    return found
                if all(type(x) is str for x in value):
                    chosen = frozenset(value)
                    if chosen <= options:
                        if len(seen) < MULTI_CELLS_REMEMBERED:
                            seen[key] = chosen  # only lists of option ids are remembered
                        return chosen
            return _slow(shape, value)
        return multi
    lo, hi = _bounds(shape)

    def number(value: Any) -> Any:
        if type(value) is int and lo <= value <= hi:
            return value
        return _slow(shape, value)
    return number


def _known_cells(shape: QuestionShape) -> dict[str, Any]:
    """Cell texts whose answer is known without parsing: every cell so written is a stripped,
    valid answer, which its column's parser would return as is (multiple choice: filled as
    cells are met, see :func:`_csv_parser`)."""
    if shape.type == YES_NO:
        return dict(YES_NO_WORDS)
    if shape.type == SINGLE:
        return {o: o for o in shape.options}
    if shape.type == NUMBER and shape.integer and shape.min is not None \
            and shape.max is not None and shape.min >= 0 and shape.max - shape.min <= 1000:
        return {str(n): n for n in range(int(shape.min), int(shape.max) + 1)}
    return {}


def _parse_cell(parse: Parser, qid: str, cell: str, answers: dict[str, Any],
                problems: list[_Bad]) -> None:
    """A cell not found among the known ones: stripped, and if not empty (not answered)
    parsed, or its problem noted."""
    cell = cell.strip()
    if cell:
        try:
            answers[qid] = parse(cell)
        except _Bad as exc:
            problems.append(exc)


class CellReaders(NamedTuple):
    """The readers of one CSV file's question cells (see :func:`_cells_reader`)."""

    read: Callable[[list[str]], tuple[dict[str, Any], list[_Bad]]]
    known: Callable[[list[str]], dict[str, Any]]
    parsers: dict[str, Parser]
    row_head: Callable[[list[str]], Head] | None


def _checked_values(shape: QuestionShape, known: dict[str, Any]) -> dict[str, Any]:
    """Cell texts whose answer is known, to that answer as the engine's checked-answer code
    takes it (:func:`triage.engine.evaluate.head_of_checked_answers`): yes/no as True/False,
    and an empty cell as None, no answer. Multiple choice: see :class:`_MultiCells`."""
    if shape.type == YES_NO:
        return {**{cell: word == "yes" for cell, word in known.items()}, "": None}
    if shape.type == MULTI:
        return _MultiCells({**known, "": None})
    return {**known, "": None}


class _MultiCells(dict[str, Any]):
    """A multiple-choice column's cells met so far, to their answers; a cell not met before
    is parsed on the spot (and remembered, as long as few are: memory stays flat), so that
    the first row to use a combination of options is not read all over again cell by cell.
    ``KeyError`` for a cell the parser would not take as it is: padded, or not an answer."""

    __slots__ = ("parse",)
    parse: Parser  # the column's parser

    def __missing__(self, cell: str) -> Any:
        if cell.strip() == cell:  # (never empty: an empty cell is in the dictionary)
            try:
                chosen = self.parse(cell)
            except _Bad:
                pass
            else:
                if len(self) <= MULTI_CELLS_REMEMBERED:  # (and the empty cell)
                    self[cell] = chosen
                return chosen
        raise KeyError  # (not the cell: answers stay out of errors)


def _cells_reader(columns: list[tuple[int, str, QuestionShape]],
                  head: Callable[..., Head] | None = None,
                  order: tuple[str, ...] = ()) -> CellReaders:
    """``read``, ``known``, each question's parser and ``row_head``, for the columns of one
    CSV file.

    ``read(cells) -> (answers, problems)``: the column loop, unrolled: the same work as
    stripping each cell and calling its column's parser, written out once per file so that a
    row costs no loop and a cell met before (or a plain yes/no, option or whole number) one
    dictionary look-up and no call.

    ``known(cells) -> answers``: the common row, every cell a known answer (:func:`_known_cells`,
    so already stripped and valid), as one dictionary display of look-ups; ``KeyError`` for any
    other row (a cell empty, padded, never met, or not an answer), which ``read`` then reads
    cell by cell. For such a row both give the same answers in the same order.

    ``row_head(cells) -> head``, made when ``head`` (the pack's
    :func:`~triage.engine.evaluate.head_of_checked_answers`) and ``order`` (its question ids in
    asking order) are given: the outcome's first fields straight from the cells, with no
    answers dictionary, when every cell is a known answer or empty (a question not in the file
    has no answer); ``KeyError`` for any other row, or one where a question that applies has
    no answer, which then goes the way of ``read``.

    Only cell indexes and ``repr`` of loader-checked question ids reach the source text.
    """
    namespace: dict[str, Any] = {"parse_cell": _parse_cell, "head": head}
    parsers: dict[str, Parser] = {}
    lines = ["def read(cells):", "    answers = {}", "    problems = []"]
    entries = []
    arguments = dict.fromkeys(order, "None")
    for n, (index, qid, shape) in enumerate(columns):
        known = _known_cells(shape)
        parsers[qid] = namespace[f"p{n}"] = _csv_parser(shape, known)
        checked = _checked_values(shape, known)
        if isinstance(checked, _MultiCells):
            checked.parse = parsers[qid]
        namespace[f"k{n}"] = known.get
        namespace[f"d{n}"] = known  # the same dictionary: multiple-choice cells remembered
        namespace[f"v{n}"] = checked  # as the head code takes them (multiple choice: its own)
        lines += [f"    c = cells[{index}]", f"    v = k{n}(c)", "    if v is None:",
                  f"        parse_cell(p{n}, {qid!r}, c, answers, problems)", "    else:",
                  f"        answers[{qid!r}] = v"]
        entries.append(f"{qid!r}: d{n}[cells[{index}]]")
        arguments[qid] = f"v{n}[cells[{index}]]"
    lines.append("    return answers, problems")
    lines += ["def known(cells):", f"    return {{{', '.join(entries)}}}"]
    if head is not None:
        lines += ["def row_head(cells):", f"    return head({', '.join(arguments.values())})"]
    exec(compile("\n".join(lines) + "\n", "<csv columns>", "exec"), namespace)
    return CellReaders(namespace["read"], namespace["known"], parsers,
                       namespace.get("row_head"))
