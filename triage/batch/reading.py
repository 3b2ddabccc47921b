"""Reading a batch: CSV or JSON Lines, one line at a time, each row screened as it comes.

A row that cannot be read (a line too long, a broken CSV quote, JSON that is not strict: a
duplicate key, a number of thousands of digits, nesting too deep) is an error row with its
line number; the rows around it are screened as usual.

Every physical line is accounted for: it is screened as (part of) a row, or it is blank, or
it is named in an error row. A quoted CSV cell may run over several lines only where that
is a list of answers (a multiple-choice cell, no comma in it); a quote that is not closed
where it should be (the next line reads as a row of its own, or the cell runs on over
:data:`~triage.batch.rows.MAX_ROW_LINES` lines or to the end of the file) makes the lines
read so far one error row, and reading starts again at the next line: an unbalanced quote
never joins one patient's answers to another's.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

from triage.batch.rows import (
    ERROR,
    FORMATS,
    INTERNAL,
    MALFORMED,
    MAX_LINE_BYTES,
    MAX_ROW_LINES,
    BatchInputError,
    RowResult,
)
from triage.batch.screening import CsvPlan, Screener
from triage.conditions.tree import MULTI
from triage.pack.compiled import CompiledPack
from triage.untrusted import InputError, strict_json


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


def plain_cells(line: str, limit: int) -> list[str] | None:
    """The cells of a CSV line with no quote and no line break but its ending (``\\n`` or
    ``\\r\\n``), split at its commas: what :func:`csv.reader` gives for it ([] for a blank
    line), in about half the time. None for any other line (quoted cells, a stray ``\\r``,
    or longer than ``limit``, the csv module's field size limit), which the csv module reads."""
    size = len(line)
    if size > limit or '"' in line:
        return None
    end = line.find("\n")
    if end == -1:
        end = size  # the last line of a file that does not end with a line break
    elif end != size - 1:
        return None  # a line break inside the line
    if "\r" in line:
        if end == size or line.find("\r") != end - 1:
            return None
        end -= 1
    return line[:end].split(",") if end else []


class _Unclosed(Exception):
    """A quoted cell that does not end where it should (see :class:`_Feed`)."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__(why)


class _Feed:
    """The lines the csv module reads: the one the caller took (and found quoted), then on
    from the source when a quoted cell spans lines. The csv module never reads ahead, and
    it asks for another line within a row only when a quoted cell is still open.

    A quoted cell is never let run on to a line that reads as a row of its own (a comma
    before any quote: the cells of another patient), over :data:`MAX_ROW_LINES` lines, or to
    the end of the file: :class:`_Unclosed` ends the row there (the csv module starts afresh
    at its next row), and a line read but not taken is kept in ``pending`` for the caller.
    """

    def __init__(self, source: Iterator[str]) -> None:
        self.first: str | None = None
        self.pending: str | None = None
        self.given = 0  # lines given for the current row
        self.source = source

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self.first
        if line is not None:
            self.first = None
            self.given = 1
            return line
        if self.given >= MAX_ROW_LINES:
            raise _Unclosed(f"a quoted cell runs on over more than {MAX_ROW_LINES} lines "
                            f"(a quote not closed?)")
        try:
            line = next(self.source)
        except StopIteration:
            raise _Unclosed("a quote is not closed before the end of the file") from None
        quote = line.find('"')
        if "," in (line if quote == -1 else line[:quote]):
            self.pending = line
            raise _Unclosed("a quote is not closed on this line (the next line is a row of "
                            "its own)")
        self.given += 1
        return line


def _header_line(line: str) -> str:
    """The first line, if it can be a header of UTF-8 CSV text; else BatchInputError saying
    how to save the file (rather than every row reported as malformed)."""
    if "\x00" in line:
        raise BatchInputError("the file is not UTF-8 text (it looks like UTF-16): save it as "
                              "UTF-8 (in a spreadsheet: CSV UTF-8)")
    if "\ufffd" in line:
        raise BatchInputError("the CSV header is not UTF-8 text: save the file as UTF-8 (in "
                              "a spreadsheet: CSV UTF-8)")
    at = line.find("\r")
    if at != -1 and line[at + 1:at + 2] not in ("\n", ""):
        raise BatchInputError("the lines end with a carriage return only (an old Mac "
                              "format): save the file with standard line endings")
    return line


def _lines(start: int, end: int) -> str:
    return f"line {start}" if end <= start else f"lines {start}-{end}"


def _broken(start: int, end: int, why: str) -> RowResult:
    """An error row for lines that do not read as one row: no id (the id cell may hold
    another patient's text), and the lines named, so that none goes missing unseen."""
    return RowResult(start, None, ERROR, error_kind=MALFORMED,
                     error=f"{_lines(start, end)}: {why}; not screened, fix the quotes")


def _joined_cell(cells: list[str], list_cells: frozenset[int]) -> bool:
    """Whether a cell holds a line break where no answer can: anywhere but in a
    multiple-choice cell listing its answers on several lines (no comma: a comma next to a
    line break is the sign of rows joined by an unbalanced quote)."""
    for i, cell in enumerate(cells):
        if ("\n" in cell or "\r" in cell) and (i not in list_cells or "," in cell):
            return True
    return False


def screen_csv(pack: CompiledPack | Screener, lines: Iterable[str],
               on_header: Callable[[CsvPlan], None] | None = None) -> Iterator[RowResult]:
    """Results for CSV text lines (line endings kept, as ``open(newline="")`` gives them)."""
    screener = pack if isinstance(pack, Screener) else Screener(pack)
    source = lines if isinstance(lines, LineReader) else _Counted(lines)
    feed = _Feed(source)
    reader = csv.reader(feed)
    try:
        feed.first = _header_line(next(source))
        header = next(reader)
    except StopIteration:
        raise BatchInputError("the file is empty: a CSV file starts with a header row of "
                              "question ids") from None
    except _OverlongLine as exc:
        raise BatchInputError(f"the CSV header (line {exc.line}) is longer than "
                              f"{MAX_LINE_BYTES} bytes") from None
    except csv.Error as exc:
        raise BatchInputError(f"cannot read the CSV header: {exc}") from None
    except _Unclosed as exc:
        raise BatchInputError(f"cannot read the CSV header: {exc.why}") from None
    if _joined_cell(header, frozenset()):
        raise BatchInputError("cannot read the CSV header: a column name holds a line break "
                              "(a quote not closed?)")
    plan = screener.csv_plan(header)
    if on_header is not None:
        on_header(plan)
    screen = plan.screen
    list_cells = frozenset(i for i, name, _ in plan.columns
                           if screener.shapes[name].type == MULTI)
    limit = csv.field_size_limit()
    while True:
        line = feed.pending
        if line is None:
            start = source.line + 1
            try:
                line = next(source)
            except StopIteration:
                return
            except _OverlongLine as exc:
                yield RowResult(exc.line, None, ERROR, error_kind=MALFORMED, error=str(exc))
                continue
        else:  # a line a quoted cell was not let run on to: a row of its own
            feed.pending = None
            start = source.line
        cells = plain_cells(line, limit)
        if cells is None:  # quoted cells (maybe over several lines), or odd line breaks
            feed.first = line
            try:
                cells = next(reader)
            except StopIteration:
                return
            except _Unclosed as exc:
                end = source.line - (feed.pending is not None)
                yield _broken(start, end, exc.why)
                continue
            except _OverlongLine as exc:
                yield _broken(start, exc.line, str(exc))
                continue
            except csv.Error as exc:
                yield _broken(start, source.line, f"cannot read this CSV row: {exc}")
                continue
            if _joined_cell(cells, list_cells):
                yield _broken(start, source.line, "a cell holds a line break (only a "
                              "multiple-choice cell may list its answers on several lines): "
                              "a quote not closed may have joined rows")
                continue
        if not cells:
            continue  # a blank line is not a row
        try:
            result = screen(start, cells)
        except Exception as exc:  # a bug must cost this row only, never the batch
            result = internal_error(start, exc)
        yield result


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
            data = strict_json(line)
        except InputError as exc:
            where = f" (column {exc.col})" if exc.col > 1 else ""
            yield RowResult(row, None, ERROR, error_kind=MALFORMED, error=exc.message + where)
            continue
        if not isinstance(data, dict):
            yield RowResult(row, None, ERROR, error_kind=MALFORMED,
                            error="each line must be a JSON object of question id: answer")
            continue
        try:
            result = screener.screen_mapping(row, data)
        except Exception as exc:  # a bug must cost this row only, never the batch
            result = internal_error(row, exc)
        yield result


def internal_error(row: int, exc: Exception) -> RowResult:
    """The result of a row that met a bug: named by its type only (its text may quote the
    answers)."""
    return RowResult(row, None, ERROR, error_kind=INTERNAL,
                     error=f"this row could not be screened (internal error "
                           f"{type(exc).__name__}); please report it")


def screen_records(pack: CompiledPack | Screener,
                   records: Iterable[Mapping[str, Any]]) -> Iterator[RowResult]:
    """Results for answer mappings (rows numbered from 1), e.g. from a generator."""
    screener = pack if isinstance(pack, Screener) else Screener(pack)
    for row, data in enumerate(records, 1):
        try:
            result = screener.screen_mapping(row, data)
        except Exception as exc:  # a bug must cost this row only, never the batch
            result = internal_error(row, exc)
        yield result


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

