"""Batch screening: many answer sets in, one result per row out, streaming.

Pure: no printing, no rich, no typer. Inputs are read one line at a time and results are
yielded one at a time, so memory stays flat whatever the size of the input.

Input formats
- CSV: the header row names the columns: question ids, plus an optional ``id`` (or ``ref``)
  column that is copied to the output. An empty cell means "not answered". Multiple-choice
  cells list option ids separated by ``;`` or ``|``; ``none`` (unless that is an option id of
  the question) or a cell holding only separators (``;``) means "answered, none of them".
  Cells are stripped of surrounding spaces. A non-empty cell under a column that is not a
  question is an error for that row (its answer would be lost).
- JSONL: one JSON object per line, ``{"question id": answer, ...}`` with the answer forms of
  ``triage assess`` (``true``/``"yes"``, option ids, lists for multiple choice, numbers);
  ``null`` means "not answered". Every key must be a question id (or ``id``/``ref``).
Blank lines are not rows. ``row`` in every result is the line of the input file on which the
row starts (the CSV header is line 1), so it matches a spreadsheet's row number.

Every row gives a result, never nothing: ``status`` is ``ok`` (disposition, main red flag,
fired rule ids) or ``error`` (``error_kind`` and a reason). A red-flag or strike question that
applies and has no answer is never taken as "no": the row is an error that needs a doctor's
review (fail closed, the same rule as :func:`triage.engine.evaluate.evaluate`), naming any red flag
that already applies. An error row for a bad value still carries a disposition when its valid
answers already make a medical one certain (chest pain next to a typo in another cell).

Speed: each column gets a parser built once (for CSV, the column loop is generated once per
file); :func:`~triage.engine.evaluate.evaluate` runs the pack's compiled decision function and turns
to three-valued logic only for rows where a question that may apply has no answer.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, QuestionShape
from triage.csv_cells import safe_cell
from triage.engine.answers import YES_NO_WORDS, normalise
from triage.engine.evaluate import MissingAnswers, assess_partial, evaluate, outcome_when_stopped
from triage.engine.policy import MEDICAL, main_red_flag
from triage.pack.compiled import CompiledPack
from triage.problems import did_you_mean

ID_COLUMNS = ("id", "ref")
OK = "ok"
ERROR = "error"

# error kinds (the ``error_kind`` field)
BAD_VALUE = "bad_value"
UNKNOWN_COLUMN = "unknown_column"
MALFORMED = "malformed"  # not JSON, not an object, wrong number of CSV cells, line too long
MISSING_SAFETY = "missing_safety_answers"
ERROR_KINDS = (MISSING_SAFETY, BAD_VALUE, UNKNOWN_COLUMN, MALFORMED)

FORMATS = ("csv", "jsonl")
# One physical line larger than this is reported as a malformed row instead of being read
# whole: a file without newlines must not be able to take all the memory.
MAX_LINE_BYTES = 1 << 20
ERROR_ROWS_KEPT = 20  # the summary lists this many error row numbers, not all of them
# A CSV cell can't say "answered, none of them" by being empty (empty = not answered, which
# fails closed for safety questions): it says "none", or holds only separators (";").
NONE_CHOSEN = "none"
MULTI_CELLS_REMEMBERED = 2048  # per multiple-choice column (memory stays bounded)

RESULT_FIELDS = ("row", "id", "status", "disposition", "main_red_flag", "fired", "error_kind",
                 "error")


class BatchInputError(Exception):
    """The input as a whole cannot be read (for example a CSV header naming a column twice)."""


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int
    id: str | None
    status: str  # ok | error
    disposition: str | None = None
    main_red_flag: str | None = None
    fired: tuple[str, ...] = ()
    error_kind: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "id": self.id, "status": self.status,
                "disposition": self.disposition, "main_red_flag": self.main_red_flag,
                "fired": list(self.fired), "error_kind": self.error_kind, "error": self.error}


def missing_message(questions: Iterable[str]) -> str:
    names = list(questions)
    noun = "question" if len(names) == 1 else "questions"
    return f"needs a doctor review: safety {noun} {', '.join(names)} not answered"


class _Bad(Exception):
    """A value that is not an answer; the message says why (built by ``normalise``)."""


# --------------------------------------------------------------------------- column parsers

Parser = Callable[[Any], Any]


def _slow(shape: QuestionShape, value: Any) -> Any:
    """The reference path: exactly what ``triage assess`` accepts, with its messages."""
    normal, why = normalise(shape, value)
    if why:
        raise _Bad(why)
    return normal


def _bounds(shape: QuestionShape) -> tuple[float, float]:
    # Finite stand-ins for "no limit", so that one range test also refuses inf and NaN,
    # which normalise() refuses; such values then take the slow path for its message.
    return (-sys.float_info.max if shape.min is None else shape.min,
            sys.float_info.max if shape.max is None else shape.max)


def _csv_parser(shape: QuestionShape) -> Parser:
    """A parser for stripped, non-empty CSV cells; fast cases inline, the rest via normalise."""
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
        seen: dict[str, frozenset[str]] = {o: frozenset((o,)) for o in options}
        if NONE_CHOSEN not in options:  # else "none" is that option, like any other
            seen[NONE_CHOSEN] = frozenset()

        def multi(cell: str) -> Any:
            found = seen.get(cell)
            if found is not None:
                return found
            if cell.lower() == NONE_CHOSEN and NONE_CHOSEN not in options:
                return frozenset()
            items = [x for x in (x.strip() for x in cell.replace("|", ";").split(";")) if x]
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
            try:
                number = int(cell)
            except ValueError:
                return _slow(shape, cell)  # "3.0", "1e2", or not a number at all
            return number if lo <= number <= hi else _slow(shape, cell)
        return whole

    def decimal(cell: str) -> Any:
        try:
            number = float(cell)
        except ValueError:
            return _slow(shape, cell)
        return number if lo <= number <= hi else _slow(shape, cell)  # NaN fails too
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


# --------------------------------------------------------------------------- the screener


class Screener:
    """Screens rows for one pack; build once, call for every row."""

    def __init__(self, pack: CompiledPack) -> None:
        self.pack = pack
        self.shapes = pack.shapes
        self.id_columns = tuple(c for c in ID_COLUMNS if c not in pack.shapes)
        self._json_parsers = {qid: _json_parser(s) for qid, s in pack.shapes.items()}

    # -- outcome ------------------------------------------------------------------------------

    def outcome(self, row: int, ident: str | None, answers: dict[str, Any]) -> RowResult:
        """The result for normalised answers.

        ``evaluate`` runs the pack's compiled decision function first and turns to
        three-valued logic only when a question that may apply has no answer; the fired
        rules are worked out from a second compiled function.
        """
        try:
            result = evaluate(self.pack, answers)
        except MissingAnswers as exc:
            return self._missing(row, ident, answers, exc.questions)
        return RowResult(row, ident, OK, result.disposition, result.main_red_flag,
                         tuple(r.id for r in result.fired))

    def _missing(self, row: int, ident: str | None, answers: dict[str, Any],
                 questions: list[str]) -> RowResult:
        """Fail closed; but name a red flag that has already fired (the row is at least that
        urgent, and may be more once the missing answers are known)."""
        message = missing_message(questions)
        partial = assess_partial(self.pack, answers)
        rule = main_red_flag(r for r, t in zip(self.pack.rules, partial.truths, strict=True)
                             if t is True)
        main = None
        if rule is not None:
            main = rule.id
            message += (f" (red flag {rule.id} already applies: {rule.disposition} "
                        f"or more urgent)")
        return RowResult(row, ident, ERROR, None, main, error_kind=MISSING_SAFETY,
                         error=message)

    # -- rows as mappings (JSONL, or any iterable of dicts) -----------------------------------

    def screen_mapping(self, row: int, data: Mapping[str, Any]) -> RowResult:
        ident: str | None = None
        answers: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        parsers = self._json_parsers
        for key, value in data.items():
            parse = parsers.get(key)
            if parse is None:
                if key in self.id_columns:
                    if value is None or type(value) in (str, int):  # not bool, list, ...
                        ident = None if value is None else str(value)
                    else:
                        problems.append((BAD_VALUE, f"'{key}' must be text or a whole number"))
                    continue
                problems.append((UNKNOWN_COLUMN, self._unknown(key)))
                continue
            if value is None:
                continue
            try:
                answers[key] = parse(value)
            except _Bad as exc:
                problems.append((BAD_VALUE, str(exc)))
        if problems:
            return self.error(row, ident, problems, answers)
        return self.outcome(row, ident, answers)

    def error(self, row: int, ident: str | None, problems: list[tuple[str, str]],
              valid: dict[str, Any]) -> RowResult:
        """An error row; it still names a red flag that the valid answers already prove.

        A row with one bad cell and "chest pain: yes" must not hide the emergency behind
        "error": when the other answers make a medical disposition certain whatever the bad
        cells hold (they count as unanswered), the row carries that disposition too.
        """
        disposition = main = None
        if valid:
            partial = assess_partial(self.pack, valid)
            if partial.disposition in MEDICAL:
                known = outcome_when_stopped(self.pack, valid)
                if known is not None:
                    disposition, main = known.disposition, known.main_red_flag
        message = "; ".join(msg for _, msg in problems)
        if disposition is not None:
            message = (f"{message} (the other answers already give {disposition}"
                       f"{f' by red flag {main}' if main else ''})")
        return RowResult(row, ident, ERROR, disposition, main, error_kind=problems[0][0],
                         error=message)

    def _unknown(self, name: str) -> str:
        if not name.strip():
            return "a column without a name"
        return (f"unknown column '{name}': not a question of pack {self.pack.id}"
                f"{did_you_mean(name, self.shapes)}")

    # -- CSV ----------------------------------------------------------------------------------

    def csv_plan(self, header: list[str]) -> CsvPlan:
        names = [h.strip() for h in header]
        seen: set[str] = set()
        for name in names:
            if name and name in seen:
                raise BatchInputError(f"the CSV header names the column '{name}' twice")
            seen.add(name)
        columns: list[tuple[int, str, Parser]] = []
        unknown: list[tuple[int, str]] = []
        id_index: int | None = None
        for i, name in enumerate(names):
            if name in self.shapes:
                columns.append((i, name, _csv_parser(self.shapes[name])))
            elif name in self.id_columns and id_index is None:
                id_index = i
            else:
                unknown.append((i, name))
        return CsvPlan(self, len(names), tuple(columns), tuple(unknown), id_index,
                       _cells_reader(columns, self.shapes))


def _cells_reader(columns: list[tuple[int, str, Parser]], shapes: Mapping[str, QuestionShape],
                  ) -> Callable[[list[str]], tuple[dict[str, Any], list[_Bad]]]:
    """``read(cells) -> (answers, problems)``: the column loop of one CSV file, unrolled.

    The same work as calling each column's parser in a loop, written out once per file so a
    row costs no loop and, for yes/no and single-choice cells, no call: about a third of the
    time of a row with a large pack. Only cell indexes and ``repr`` of loader-checked
    question ids reach the source text.
    """
    namespace: dict[str, Any] = {"Bad": _Bad, "YN": YES_NO_WORDS}
    lines = ["def read(cells):", "    answers = {}", "    problems = []"]
    for n, (index, qid, parser) in enumerate(columns):
        namespace[f"p{n}"] = parser
        shape = shapes[qid]
        if shape.type == YES_NO:
            value = f"YN.get(c) or p{n}(c)"
        elif shape.type == SINGLE:
            namespace[f"o{n}"] = frozenset(shape.options)
            value = f"c if c in o{n} else p{n}(c)"
        else:
            value = f"p{n}(c)"
        lines += [f"    c = cells[{index}]", "    if c:", "        c = c.strip()", "        if c:",
                  "            try:", f"                answers[{qid!r}] = {value}",
                  "            except Bad as exc:", "                problems.append(exc)"]
    lines.append("    return answers, problems")
    exec(compile("\n".join(lines) + "\n", "<csv columns>", "exec"), namespace)
    read: Callable[[list[str]], tuple[dict[str, Any], list[_Bad]]] = namespace["read"]
    return read


@dataclass(frozen=True)
class CsvPlan:
    """How to read the cells of each row of one CSV file (built from its header)."""

    screener: Screener
    width: int
    columns: tuple[tuple[int, str, Parser], ...]  # (cell index, question id, parser)
    unknown: tuple[tuple[int, str], ...]  # (cell index, header name)
    id_index: int | None
    read: Callable[[list[str]], tuple[dict[str, Any], list[_Bad]]]

    @property
    def unknown_columns(self) -> list[str]:
        return [name for _, name in self.unknown]

    def screen(self, row: int, cells: list[str]) -> RowResult:
        ident = None
        if self.id_index is not None and self.id_index < len(cells):
            ident = cells[self.id_index].strip() or None
        if len(cells) != self.width:
            return RowResult(row, ident, ERROR, error_kind=MALFORMED,
                             error=f"the row has {len(cells)} cells, the header has "
                                   f"{self.width}")
        answers, bad = self.read(cells)
        problems = [(BAD_VALUE, str(exc)) for exc in bad]
        for index, name in self.unknown:
            if cells[index].strip():
                problems.append((UNKNOWN_COLUMN, self.screener._unknown(name)))
        if problems:
            return self.screener.error(row, ident, problems, answers)
        return self.screener.outcome(row, ident, answers)


# --------------------------------------------------------------------------- reading lines


class _OverlongLine(Exception):
    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(f"line {line} is longer than {MAX_LINE_BYTES} bytes")


class LineReader:
    """Text lines of a binary file, one at a time, counting lines and bytes (for progress).

    A class, not a generator, on purpose: raising :class:`_OverlongLine` from ``__next__``
    does not end the iteration, so the CSV reader can go on with the next line. Bytes that are
    not UTF-8 become U+FFFD, which no answer matches: such a cell is reported, not guessed.
    """

    def __init__(self, binary: IO[bytes]) -> None:
        self._fh = binary
        self.line = 0  # physical lines read so far
        self.bytes_read = 0

    def __iter__(self) -> LineReader:
        return self

    def __next__(self) -> str:
        raw = self._fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            raise StopIteration
        self.line += 1
        self.bytes_read += len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            line = self.line
            while raw and not raw.endswith(b"\n"):  # skip the rest, a chunk at a time
                raw = self._fh.readline(MAX_LINE_BYTES)
                self.bytes_read += len(raw)
            raise _OverlongLine(line)
        return raw.decode("utf-8-sig" if self.line == 1 else "utf-8", errors="replace")


# --------------------------------------------------------------------------- row streams


def screen_csv(pack: CompiledPack | Screener, lines: Iterable[str],
               on_header: Callable[[CsvPlan], None] | None = None) -> Iterator[RowResult]:
    """Results for CSV text lines (line endings kept, as ``open(newline="")`` gives them)."""
    screener = pack if isinstance(pack, Screener) else Screener(pack)
    source = lines if isinstance(lines, LineReader) else _Counted(lines)
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        return
    except _OverlongLine as exc:
        raise BatchInputError(f"the CSV header (line {exc.line}) is longer than "
                              f"{MAX_LINE_BYTES} bytes") from None
    except csv.Error as exc:
        raise BatchInputError(f"cannot read the CSV header: {exc}") from None
    plan = screener.csv_plan(header)
    if on_header is not None:
        on_header(plan)
    while True:
        start = source.line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _OverlongLine as exc:
            yield RowResult(exc.line, None, ERROR, error_kind=MALFORMED, error=str(exc))
            continue
        except csv.Error as exc:
            yield RowResult(start, None, ERROR, error_kind=MALFORMED,
                            error=f"cannot read this CSV row: {exc}")
            continue
        if not cells:
            continue  # a blank line is not a row
        yield plan.screen(start, cells)


def screen_jsonl(pack: CompiledPack | Screener, lines: Iterable[str]) -> Iterator[RowResult]:
    """Results for JSON Lines text."""
    screener = pack if isinstance(pack, Screener) else Screener(pack)
    source = lines if isinstance(lines, LineReader) else _Counted(lines)
    while True:
        try:
            line = next(source)
        except StopIteration:
            return
        except _OverlongLine as exc:
            yield RowResult(exc.line, None, ERROR, error_kind=MALFORMED, error=str(exc))
            continue
        row = source.line
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RowResult(row, None, ERROR, error_kind=MALFORMED,
                            error=f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:  # "[[[[...]]]]" nested too deep for the parser
            yield RowResult(row, None, ERROR, error_kind=MALFORMED,
                            error="invalid JSON: nested too deeply")
            continue
        if not isinstance(data, dict):
            yield RowResult(row, None, ERROR, error_kind=MALFORMED,
                            error="each line must be a JSON object of question id: answer")
            continue
        yield screener.screen_mapping(row, data)


def screen_records(pack: CompiledPack | Screener,
                   records: Iterable[Mapping[str, Any]]) -> Iterator[RowResult]:
    """Results for answer mappings (rows numbered from 1), e.g. from a generator."""
    screener = pack if isinstance(pack, Screener) else Screener(pack)
    for row, data in enumerate(records, 1):
        yield screener.screen_mapping(row, data)


class _Counted:
    """Counts lines of any text iterable, like :class:`LineReader` does for files."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._it = iter(lines)
        self.line = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> str:
        text = next(self._it)
        self.line += 1
        return text


def input_format(name: str) -> str | None:
    """``csv`` or ``jsonl`` from a file name, or None."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    return None


def screen_stream(pack: CompiledPack | Screener, lines: Iterable[str], fmt: str,
                  on_header: Callable[[CsvPlan], None] | None = None) -> Iterator[RowResult]:
    if fmt == "csv":
        return screen_csv(pack, lines, on_header)
    if fmt == "jsonl":
        return screen_jsonl(pack, lines)
    raise ValueError(f"unknown input format {fmt!r} (use one of {', '.join(FORMATS)})")


# --------------------------------------------------------------------------- writing results


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


def _cell(text: str | None) -> str:
    return safe_cell(text) if text else ""


class _JsonLines:
    """``json.dumps(result.as_dict(), ensure_ascii=False) + "\\n"``, byte for byte, faster.

    Ok rows have one fixed shape: written with the JSON module's own string encoder instead
    of going through the generic encoder for each row (a third of the time of a row).
    """

    def __init__(self) -> None:
        self._encode = json.JSONEncoder(ensure_ascii=False).encode
        self._string: Callable[[str], str] = getattr(
            json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring

    def line(self, r: RowResult) -> str:
        if r.status != OK or r.disposition is None:
            return self._encode(r.as_dict()) + "\n"
        s = self._string
        ident = "null" if r.id is None else s(r.id)
        main = "null" if r.main_red_flag is None else s(r.main_red_flag)
        return (f'{{"row": {r.row}, "id": {ident}, "status": "ok", "disposition": '
                f'{s(r.disposition)}, "main_red_flag": {main}, "fired": '
                f'[{", ".join(map(s, r.fired))}], "error_kind": null, "error": null}}\n')


@dataclass
class BatchSummary:
    rows: int = 0
    ok: int = 0
    errors: int = 0
    by_disposition: Counter[str] = field(default_factory=Counter)
    by_error_kind: Counter[str] = field(default_factory=Counter)
    error_rows: list[int] = field(default_factory=list)  # the first ERROR_ROWS_KEPT only
    emergency_rows: list[int] = field(default_factory=list)  # the first ERROR_ROWS_KEPT only

    def add(self, result: RowResult) -> None:
        self.rows += 1
        if result.status == OK:
            self.ok += 1
            self.by_disposition[result.disposition or ""] += 1
            if result.disposition == "emergency" and \
                    len(self.emergency_rows) < ERROR_ROWS_KEPT:
                self.emergency_rows.append(result.row)
        else:
            self.errors += 1
            self.by_error_kind[result.error_kind or ""] += 1
            if len(self.error_rows) < ERROR_ROWS_KEPT:
                self.error_rows.append(result.row)


def write_results(results: Iterable[RowResult], out: TextSink, fmt: str = "jsonl", *,
                  tick: Callable[[int], None] | None = None,
                  tick_every: int = 1024, summary: BatchSummary | None = None) -> BatchSummary:
    """Write each result as it comes (``jsonl`` or ``csv``) and count them.

    ``tick(rows so far)`` is called every ``tick_every`` rows (a progress bar). ``summary``:
    counted into as rows are written, so an interrupted run can still say what it wrote.
    """
    summary = summary if summary is not None else BatchSummary()
    write = out.write
    line = _JsonLines().line
    writer: Any = None
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(RESULT_FIELDS)
    elif fmt != "jsonl":
        raise ValueError(f"unknown output format {fmt!r} (use one of {', '.join(FORMATS)})")
    for result in results:
        summary.add(result)
        if writer is None:
            write(line(result))
        else:
            writer.writerow((result.row, _cell(result.id), result.status,
                             result.disposition or "", result.main_red_flag or "",
                             ";".join(result.fired), result.error_kind or "",
                             _cell(result.error)))
        if tick is not None and summary.rows % tick_every == 0:
            tick(summary.rows)
    if tick is not None:
        tick(summary.rows)
    return summary
