"""The quick paths of a CSV batch row, each against the way it short-cuts: a plain line split
at its commas against the csv module, the row of known cells against the cell-by-cell reader,
the quick screen against screening cell by cell, and cached JSON line tails against
``json.dumps``."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL, REPO_ROOT
from triage.batch import reading
from triage.batch.reading import plain_cells, screen_csv
from triage.batch.rows import MALFORMED, OK, RowResult
from triage.batch.screening import Screener
from triage.batch.writing import write_results
from triage.conditions.tree import MULTI, SINGLE, YES_NO, QuestionShape
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

PACKS = {"minimal": load_pack(MINIMAL, use_cache=False),
         "clinical": load_pack(REPO_ROOT / "rules", use_cache=False)}

# every character the csv module treats specially, and some it does not
LINE_CHARS = st.sampled_from(['a', 'b', ',', ',', ' ', '"', '\r', '\n', '\x00', '\x0b', '\x0c',
                              '\x1c', '\x85', '\u2028', '\ufeff', "'", ';', '\t'])
LINES = st.lists(LINE_CHARS, max_size=14).map("".join)


def csv_module(line: str) -> list[str] | str:
    """What the csv module reads from the line alone: its first row, or its error."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error as exc:
        return f"error: {exc}"


@settings(max_examples=1000, deadline=None)
@given(line=LINES)
def test_a_plain_line_splits_as_the_csv_module_reads_it(line: str) -> None:
    cells = plain_cells(line, 1000)
    if cells is not None:
        assert cells == csv_module(line)


@pytest.mark.parametrize("line, cells", [
    ("a,b\n", ["a", "b"]), ("a,b\r\n", ["a", "b"]), ("a,b", ["a", "b"]), (",\n", ["", ""]),
    ("\n", []), ("\r\n", []), ("", []), (" \n", [" "]), ("a\x00b,\u2028\n", ["a\x00b", "\u2028"]),
])
def test_plain_lines_take_the_quick_path(line: str, cells: list[str]) -> None:
    assert plain_cells(line, 1000) == cells == csv_module(line)


@pytest.mark.parametrize("line", [
    'a,"b"\n', 'a,b"\n', "a\rb\n", "a,b\r", "a\r\r\n", "a\nb\n", "a\n\n", "\r", "x" * 1001,
])
def test_other_lines_go_to_the_csv_module(line: str) -> None:
    assert plain_cells(line, 1000) is None


def test_a_cell_over_the_csv_field_limit_is_still_a_malformed_row() -> None:
    pack = PACKS["minimal"]
    limit = csv.field_size_limit()
    text = f"id,chest_pain\nr1,{'x' * (limit + 5)}\nr2,no\n"
    results = list(screen_csv(pack, io.StringIO(text, newline="")))
    assert results[0].error_kind == MALFORMED and "field larger than field limit" in (
        results[0].error or "")
    assert results[1].row == 3 and results[1].error_kind != MALFORMED


# --------------------------------------------------------------------------- whole rows

WEIRD = ["yes", "no", " no", "Yes", "none", "", " ", "7", "007", "121", "-3", "3.0", "x",
         "=1", '"no"', '"a,b"', '"two\nlines"', "é", "stiffness;;strain", "a|b"]


def valid_cell(shape: QuestionShape) -> st.SearchStrategy[str]:
    """A cell as a tidy export writes it: stripped, in the canonical form of an answer."""
    if shape.type == YES_NO:
        return st.sampled_from(["yes", "no"])
    if shape.type == SINGLE:
        return st.sampled_from(shape.options)
    if shape.type == MULTI:
        return st.lists(st.sampled_from(shape.options), min_size=1, max_size=3,
                        unique=True).map(";".join) | st.just("none")
    return st.integers(int(shape.min or 0), int(shape.max or 100)).map(str)


def row_cells(pack: CompiledPack, data: st.DataObject) -> tuple[list[str], bool]:
    """(cells of one row, every cell valid): a third of the rows all valid, a third with some
    cells empty (not answered: questions that do not apply, or safety questions left out),
    the others with some cells odd (padded, empty, quoted, not an answer)."""
    kind = data.draw(st.sampled_from(["tidy", "gaps", "odd"]))
    cells = []
    for shape in pack.shapes.values():
        other = kind != "tidy" and data.draw(st.integers(0, 3)) == 0
        cells.append(data.draw(st.sampled_from(WEIRD if kind == "odd" else [""]) if other
                               else valid_cell(shape)))
    return cells, kind == "tidy"


def csv_text(pack: CompiledPack, data: st.DataObject, extra: bool) -> str:
    header = ["id", *pack.shapes] + (["notes"] if extra else [])
    rows = []
    for n in range(data.draw(st.integers(1, 6))):
        ident = data.draw(st.sampled_from([f"r{n}", f" r{n} ", "", " ", "=1"]))
        cells = [ident, *row_cells(pack, data)[0]]
        if extra:
            cells.append(data.draw(st.sampled_from(["", "x"])))
        if data.draw(st.integers(0, 9)) == 0:
            cells.pop()  # a short row
        rows.append(",".join(cells) + data.draw(st.sampled_from(["\n", "\r\n"])))
        if data.draw(st.integers(0, 9)) == 0:
            rows.append("\n")  # a blank line
    return ",".join(header) + "\n" + "".join(rows)


def csv_module_only(pack: CompiledPack, text: str, fired: bool = True) -> list[RowResult]:
    """Every line read by the csv module, every row screened cell by cell."""
    screener = Screener(pack, fired=fired)
    plan_of = screener.csv_plan

    def slow_plan(header: list[str]) -> Any:
        plan = plan_of(header)
        plan.screen = plan.screen_cells
        return plan
    screener.csv_plan = slow_plan  # type: ignore[method-assign]
    saved = reading.plain_cells
    reading.plain_cells = lambda line, limit: None  # type: ignore[assignment]
    try:
        return list(screen_csv(screener, io.StringIO(text, newline="")))
    finally:
        reading.plain_cells = saved


@pytest.mark.long(33)
@settings(max_examples=150, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(PACKS)), extra=st.booleans(),
       fired=st.booleans())
def test_quick_paths_give_the_results_of_the_slow_ones(data: st.DataObject, name: str,
                                                       extra: bool, fired: bool) -> None:
    """With fired ids, a row of known cells is read as one dictionary; without, straight
    from its cells to the outcome's first fields (CsvPlan.row_head)."""
    pack = PACKS[name]
    text = csv_text(pack, data, extra)
    quick = list(screen_csv(Screener(pack, fired=fired), io.StringIO(text, newline="")))
    assert quick == csv_module_only(pack, text, fired)


@pytest.mark.long(26)
@settings(max_examples=150, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(PACKS)))
def test_a_row_straight_from_its_cells_is_screened_as_read_cell_by_cell(
        data: st.DataObject, name: str) -> None:
    """Rows that take the quickest path (no fired ids) give what screening cell by cell
    gives, including rows with questions left out; the ones it cannot decide go that way."""
    pack = PACKS[name]
    plan = Screener(pack, fired=False).csv_plan(["id", *pack.shapes])
    assert plan.row_head is not None
    for _ in range(4):  # the same plan again: multiple-choice cells remembered meanwhile
        cells, _ = row_cells(pack, data)
        cells = ["r", *cells]
        plan.read(cells)  # remembers the valid multiple-choice cells
        assert plan.screen(7, cells) == plan.screen_cells(7, cells)


def test_empty_cells_of_questions_that_do_not_apply_stay_on_the_quickest_path() -> None:
    pack = PACKS["minimal"]
    plan = Screener(pack, fired=False).csv_plan(["id", "chest_pain", "fall", "can_bear_weight",
                                                 "fever", "age", "area", "problems",
                                                 "blood_thinners", "worry", "low_mood"])
    assert plan.row_head is not None
    # no fall, so "can you bear weight" does not apply; the neck, so neither do the last two
    tidy = ["r1", "no", "no", "", "no", "40", "neck", "stiffness", "no", "", ""]
    assert plan.row_head(tidy)[:2] == ("soft_tissue", None)
    assert plan.screen(2, tidy) == RowResult(2, "r1", OK, "soft_tissue", None, None)
    # after a fall at 60 it applies, and a red flag reads it: left empty, the row is not
    # decided there but refused (a safety question without an answer), as screening cell by
    # cell refuses it
    fell = ["r2", "no", "yes", "", "no", "60", "neck", "stiffness", "no", "", ""]
    with pytest.raises(KeyError):
        plan.row_head(fell)
    refused = plan.screen(3, fell)
    assert refused == plan.screen_cells(3, fell)
    assert refused.error_kind == "missing_safety_answers"


@pytest.mark.long(26)
@settings(max_examples=150, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(PACKS)))
def test_known_cells_give_what_reading_each_cell_gives(data: st.DataObject, name: str) -> None:
    pack = PACKS[name]
    plan = Screener(pack).csv_plan(["id", *pack.shapes])
    for _ in range(4):  # the same plan again: multiple-choice cells remembered meanwhile
        cells, tidy = row_cells(pack, data)
        cells = ["r", *cells]
        answers, problems = plan.read(cells)  # remembers the valid multiple-choice cells
        try:
            known = plan.known(cells)
        except KeyError:
            assert not tidy  # a tidy row is all known, once its cells have been met
            continue
        assert not problems
        assert known == answers and list(known) == list(answers) == list(pack.shapes)
        assert plan.screen(7, cells) == plan.screen_cells(7, cells)


# --------------------------------------------------------------------------- JSON lines

@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_jsonl_without_fired_ids_is_exactly_json_dumps(data: st.DataObject) -> None:
    rows = data.draw(st.lists(st.tuples(
        st.integers(1, 10**6), st.none() | st.text(max_size=4),
        st.sampled_from(["emergency", "both", "soft_tissue"]),
        st.none() | st.sampled_from(["chest_pain", "fall", "é\"\\\u2028"])), min_size=1,
        max_size=8))
    results = [RowResult(row, ident, OK, disposition, main, None)
               for row, ident, disposition, main in rows]
    out = io.StringIO()
    write_results(results, out, "jsonl", fired=False)
    assert out.getvalue() == "".join(
        json.dumps(r.as_dict()) + "\n" for r in results)
