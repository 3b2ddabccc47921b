"""Batch screening: streaming, every bad row reported, fail closed, CSV and JSONL, the CLI."""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import random
import stat
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.batch import parsers, reading
from triage.batch.reading import screen_csv, screen_jsonl, screen_records
from triage.batch.rows import (
    BAD_VALUE,
    ERROR,
    MALFORMED,
    MISSING_SAFETY,
    OK,
    UNKNOWN_COLUMN,
    BatchInputError,
    RowResult,
    _Bad,
)
from triage.batch.screening import Screener
from triage.batch.writing import write_results
from triage.cli.app import app
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, QuestionShape
from triage.engine.answers import normalise
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

PACK_DIR = MINIMAL
HEADER = ("id,chest_pain,age,fall,can_bear_weight,fever,area,problems,blood_thinners,worry,"
          "low_mood")
FULL_STIFF_NECK = "a1,no,30,no,,no,neck,stiffness,no,,"


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(PACK_DIR, use_cache=False)


@pytest.fixture(scope="module")
def screener(pack: CompiledPack) -> Screener:
    return Screener(pack)


def csv_results(pack: CompiledPack, *rows: str, header: str = HEADER) -> list[RowResult]:
    text = "\n".join([header, *rows]) + "\n"
    return list(screen_csv(pack, io.StringIO(text, newline="")))


def jsonl_results(pack: CompiledPack, *lines: str) -> list[RowResult]:
    return list(screen_jsonl(pack, io.StringIO("\n".join(lines) + "\n")))


MINIMAL = load_pack(PACK_DIR, use_cache=False)


# --------------------------------------------------------------------------- cell parsers
# (rows against the policy: tests/batch/test_policy.py)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_csv_cell_parsers_accept_exactly_what_normalise_accepts(data: st.DataObject) -> None:
    qid = data.draw(st.sampled_from(sorted(MINIMAL.shapes)))
    shape = MINIMAL.shapes[qid]
    choices = [*shape.choices, "Yes", "NO", "y", "TRUE", "3.0", "1e2", "inf", "nan", "-1",
               "121", "120", "0", " 7 ", "stiffness;strain", "strain| stiffness", ";", "x;neck",
               "none", "None", "none;strain"]
    cell = data.draw(st.one_of(st.sampled_from(choices), st.text(max_size=8))).strip()
    if not cell:
        return  # an empty cell is "not answered" and never reaches a parser
    parse = parsers._csv_parser(shape)
    reference: Any = cell
    if shape.type == MULTI:
        items = [x.strip() for x in cell.replace("|", ";").split(";") if x.strip()]
        if not items and cell.lower() != "none":  # separators alone: no answer at all
            with pytest.raises(_Bad, match="holds only separators"):
                parse(cell)
            return
        reference = [] if cell.lower() == "none" else items
    expected, why = normalise(shape, reference)
    try:
        got = parse(cell)
    except _Bad as exc:
        assert why == str(exc)
        return
    assert not why
    assert got == expected
    assert type(got) is type(expected)


json_values = st.one_of(
    st.booleans(), st.integers(-200, 200), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=6), st.sampled_from(["yes", "no", "neck", "knee", "Yes", "stiffness"]),
    st.lists(st.sampled_from(["stiffness", "strain", "after_surgery", "neck", "x"]),
             max_size=4),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers()))


PARSERS = {qid: parsers._json_parser(s) for qid, s in MINIMAL.shapes.items()}


@settings(max_examples=300, deadline=None)
@given(qid=st.sampled_from(sorted(MINIMAL.shapes)), value=json_values)
def test_json_parsers_accept_exactly_what_normalise_accepts(qid: str, value: Any) -> None:
    shape = MINIMAL.shapes[qid]
    expected, why = normalise(shape, value)
    for _ in range(2):  # parsers live across examples: the second call may come from memory
        try:
            got = PARSERS[qid](value)
        except _Bad as exc:
            assert why == str(exc)
            continue
        assert not why
        assert got == expected
        assert type(got) is type(expected)


# --------------------------------------------------------------------------- CSV


def test_csv_rows_give_dispositions_ids_and_line_numbers(pack: CompiledPack) -> None:
    results = csv_results(
        pack,
        FULL_STIFF_NECK,
        "",  # a blank line is not a row, but it still counts as a line
        "a2,yes,,,,,,,,,",
        'a3,no,70,yes,no,no,knee,"stiffness;\nstrain",no,,',  # a quoted cell over 2 lines
        "a4,no,30,no,,no,low_back,stiffness|strain,no,yes,yes",
    )
    assert [(r.row, r.id, r.status, r.disposition, r.main_red_flag) for r in results] == [
        (2, "a1", OK, "soft_tissue", None),
        (4, "a2", OK, "emergency", "heart_attack_signs"),
        (5, "a3", OK, "same_day", "fall_cannot_walk"),
        (7, "a4", OK, "both", None),
    ]
    assert results[0].fired == ("stiffness_soft_tissue",)
    assert results[3].fired == ("stiffness_soft_tissue", "strain", "distressed_back")


def test_csv_ref_column_and_no_id_column(pack: CompiledPack) -> None:
    with_ref = csv_results(pack, "R-9,yes", header="ref,chest_pain")
    assert (with_ref[0].id, with_ref[0].disposition) == ("R-9", "emergency")
    without = csv_results(pack, "yes", header="chest_pain")
    assert (without[0].id, without[0].row, without[0].status) == (None, 2, OK)


def test_csv_multiple_choice_separators_and_none_chosen(pack: CompiledPack) -> None:
    header = "chest_pain,fall,fever,age,area,problems,blood_thinners"
    results = csv_results(pack, "no,no,no,40,neck,;,no", "no,no,no,40,neck, strain | ,no",
                          "no,no,no,40,neck,None,no", header=header)
    # separators alone name no answer (joined empty cells): refused, never "none of them"
    assert (results[0].status, results[0].error_kind) == (ERROR, BAD_VALUE)
    assert results[1].fired == ("strain",)
    assert results[2].disposition == "not_enough_information"  # answered: none of them


def test_csv_every_bad_row_kind_is_reported_with_its_row(pack: CompiledPack) -> None:
    results = csv_results(
        pack,
        "b1,maybe,30,no,,no,neck,stiffness,no,,",  # 2: bad yes/no
        "b2,no,300,no,,no,neck,stiffness,no,,",  # 3: out of range
        "b3,no,30,no,,no,elbow,stiffness,no,,",  # 4: unknown option
        "b4,no,30,no,,no,neck,stiffness;cramp,no,,",  # 5: unknown multi option
        "b5,no,30,no",  # 6: too few cells
        "b6,no,30,no,,no,neck,stiffness,no,,,,",  # 7: too many cells
        "b7,no,30,no,,,neck,stiffness,no,,",  # 8: fever (a safety question) left empty
        FULL_STIFF_NECK,  # 9: fine
    )
    by_row = {r.row: r for r in results}
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert [by_row[i].error_kind for i in range(2, 9)] == [
        BAD_VALUE, BAD_VALUE, BAD_VALUE, BAD_VALUE, MALFORMED, MALFORMED, MISSING_SAFETY]
    assert "yes/no question" in (by_row[2].error or "")
    assert "out of range for 'age'" in (by_row[3].error or "")
    assert "not an answer of 'area'" in (by_row[4].error or "")
    assert "not an answer of 'problems'" in (by_row[5].error or "")
    # answer values are never echoed: error cells end up in logs and spreadsheets
    assert "elbow" not in (by_row[4].error or "") and "cramp" not in (by_row[5].error or "")
    assert "300" not in (by_row[3].error or "")
    assert by_row[6].error == "the row has 4 cells, the header has 11"
    assert by_row[8].error == "needs a doctor review: safety question fever not answered"
    assert by_row[9].status == OK
    assert all(by_row[i].id == f"b{i - 1}" for i in range(2, 9))


def test_csv_unknown_column_is_an_error_only_where_it_holds_a_value(
        pack: CompiledPack) -> None:
    results = csv_results(pack, FULL_STIFF_NECK + ",", FULL_STIFF_NECK + ",hello",
                          header=HEADER + ",chest_pian")
    assert results[0].status == OK
    assert results[1].status == ERROR
    assert results[1].error_kind == UNKNOWN_COLUMN
    assert "unknown column 'chest_pian'" in (results[1].error or "")
    assert "did you mean 'chest_pain'" in (results[1].error or "").lower()


def test_csv_duplicate_header_column_stops_the_file(pack: CompiledPack) -> None:
    with pytest.raises(BatchInputError, match="'fever' twice"):
        csv_results(pack, "no,no", header="fever,fever")


def test_empty_input_gives_no_rows(pack: CompiledPack) -> None:
    with pytest.raises(BatchInputError, match="the file is empty"):  # no header: not a CSV
        list(screen_csv(pack, io.StringIO("")))
    assert list(screen_csv(pack, io.StringIO(HEADER + "\n"))) == []
    assert list(screen_jsonl(pack, io.StringIO("\n\n"))) == []


def test_error_row_keeps_a_red_flag_the_valid_answers_prove(pack: CompiledPack) -> None:
    [result] = csv_results(pack, "c1,yes,banana,no,,no,neck,stiffness,no,,")
    assert result.status == ERROR
    assert result.error_kind == BAD_VALUE
    assert (result.disposition, result.main_red_flag) == ("emergency", "heart_attack_signs")
    assert "already give emergency by red flag heart_attack_signs" in (result.error or "")


def test_overlong_line_is_a_malformed_row_and_reading_goes_on(
        pack: CompiledPack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_LINE_BYTES", 64)
    data = ("chest_pain\n" + "yes" * 100 + "\nyes\n").encode()
    results = list(screen_csv(pack, reading.LineReader(io.BytesIO(data))))
    assert [(r.row, r.status, r.error_kind) for r in results] == [
        (2, ERROR, MALFORMED), (3, OK, None)]
    jsonl = ('{"chest_pain": "' + "y" * 100 + '"}\n{"chest_pain": true}\n').encode()
    results = list(screen_jsonl(pack, reading.LineReader(io.BytesIO(jsonl))))
    assert [(r.row, r.status, r.error_kind) for r in results] == [
        (1, ERROR, MALFORMED), (2, OK, None)]


def test_bytes_that_are_not_utf8_are_reported_not_guessed(pack: CompiledPack) -> None:
    data = b"\xef\xbb\xbfid,chest_pain\nz1,y\xe9s\nz2,no\n"  # a BOM, then Latin-1 bytes
    results = list(screen_csv(pack, reading.LineReader(io.BytesIO(data))))
    assert (results[0].id, results[0].error_kind) == ("z1", BAD_VALUE)
    assert results[1].id == "z2"


# --------------------------------------------------------------------------- fail closed


@pytest.mark.parametrize(("row", "missing"), [
    ("d1,,30,no,,no,neck,stiffness,no,,", "question chest_pain"),
    # fell, 60 years old: whether they can walk is asked and is a red-flag question
    ("d2,no,60,yes,,no,neck,stiffness,no,,", "question can_bear_weight"),
    # the engine names what can be answered now: can_bear_weight follows from fall
    ("d3,no,,,,,neck,stiffness,no,,", "questions fall, age, fever"),
])
def test_missing_red_flag_answers_are_never_taken_as_no(
        pack: CompiledPack, row: str, missing: str) -> None:
    [result] = csv_results(pack, row)
    assert result.status == ERROR
    assert result.disposition is None
    assert result.error == f"needs a doctor review: safety {missing} not answered"


def test_missing_answer_row_names_a_red_flag_that_already_applies(pack: CompiledPack) -> None:
    # fell at 70 and cannot walk (same day), but chest pain, which could mean an emergency,
    # is not answered: still an error for review, and it says what is already known
    [result] = csv_results(pack, "g1,,70,yes,no,no,knee,,no,,")
    assert (result.status, result.error_kind) == (ERROR, MISSING_SAFETY)
    assert (result.disposition, result.main_red_flag) == (None, "fall_cannot_walk")
    assert result.error == ("needs a doctor review: safety question chest_pain not answered "
                            "(red flag fall_cannot_walk already applies: same_day or more "
                            "urgent)")


def test_missing_answers_that_cannot_change_safety_are_fine(pack: CompiledPack) -> None:
    # blood thinners only add a precaution note; worry/low mood are not asked for a neck
    [result] = csv_results(pack, "e1,no,30,no,,no,neck,stiffness,,,")
    assert (result.status, result.disposition) == (OK, "soft_tissue")


def test_hidden_question_answers_are_ignored_not_errors(pack: CompiledPack) -> None:
    [result] = csv_results(pack, "f1,no,30,no,no,no,neck,stiffness,no,yes,yes")
    assert (result.status, result.disposition) == (OK, "soft_tissue")


# --------------------------------------------------------------------------- JSONL


def test_jsonl_rows_and_every_bad_line_kind(pack: CompiledPack) -> None:
    full = {"chest_pain": False, "age": 30, "fall": "no", "fever": "No", "area": "neck",
            "problems": ["stiffness"], "blood_thinners": False}
    results = jsonl_results(
        pack,
        json.dumps({"id": 17, **full}),  # 1
        "",  # 2: blank
        '{"chest_pain": true, "ref": "R2"}',  # 3
        "{not json",  # 4
        "[1, 2]",  # 5
        json.dumps({**full, "chest_pian": "no"}),  # 6
        json.dumps({**full, "age": "old"}),  # 7
        json.dumps({**full, "fever": None}),  # 8: null = not answered, fever is safety
        json.dumps({**full, "id": ["x"]}),  # 9
        "[" * 100_000,  # 10: nested too deep for any parser
    )
    assert [(r.row, r.id, r.status, r.error_kind) for r in results] == [
        (1, "17", OK, None), (3, "R2", OK, None), (4, None, ERROR, MALFORMED),
        (5, None, ERROR, MALFORMED), (6, None, ERROR, UNKNOWN_COLUMN),
        (7, None, ERROR, BAD_VALUE), (8, None, ERROR, MISSING_SAFETY),
        (9, None, ERROR, BAD_VALUE), (10, None, ERROR, MALFORMED)]
    assert results[0].disposition == "soft_tissue"
    assert results[1].disposition == "emergency"
    assert (results[2].error or "").startswith("invalid JSON")
    assert results[6].error == "needs a doctor review: safety question fever not answered"


def test_generator_of_mappings(pack: CompiledPack) -> None:
    rows = ({"chest_pain": "yes"} if i % 2 else {"chest_pain": "no"} for i in range(4))
    results = list(screen_records(pack, rows))
    assert [r.row for r in results] == [1, 2, 3, 4]
    assert [r.status for r in results] == [ERROR, OK, ERROR, OK]


# --------------------------------------------------------------------------- streaming


def random_csv_lines(pack: CompiledPack, n: int, seed: int = 1) -> Iterator[str]:
    """A header and n random rows, made one at a time (never a list of them)."""
    rng = random.Random(seed)
    qids = list(pack.shapes)
    yield "id," + ",".join(qids) + "\n"
    for i in range(n):
        cells = [f"r{i}"]
        for qid in qids:
            s = pack.shapes[qid]
            if s.type == YES_NO:
                cells.append(rng.choice(("yes", "no")))
            elif s.type == SINGLE:
                cells.append(rng.choice(s.options))
            elif s.type == MULTI:
                cells.append(";".join(o for o in s.options if rng.random() < 0.4))
            else:
                assert s.type == NUMBER
                cells.append(str(rng.randint(int(s.min or 0), int(s.max or 100))))
        yield ",".join(cells) + "\n"


class NullSink:
    def write(self, text: str) -> int:
        return len(text)


def peak_memory(pack: CompiledPack, n: int) -> int:
    tracemalloc.start()
    try:
        summary = write_results(screen_csv(pack, random_csv_lines(pack, n)), NullSink())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.rows == n
    return peak


@pytest.mark.long(15)
def test_memory_is_flat_in_the_number_of_rows(pack: CompiledPack,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # The parsers remember a bounded number of cell texts (see
    # test_multiple_choice_cells_remembered_stay_bounded); made small here so that 5k rows
    # already fill them and the comparison shows only what would grow with the input.
    monkeypatch.setattr(parsers, "MULTI_CELLS_REMEMBERED", 16)
    # CPython keeps freed small tuples on free lists (2,000 per size) that tracemalloc still
    # counts, and a full collection empties them: with the collector off for the whole test
    # (which is also stricter: per-row cyclic garbage would pile up), an untraced warm-up
    # fills them, and both measured runs start alike.
    gc.disable()
    try:
        write_results(screen_csv(pack, random_csv_lines(pack, 50_000, seed=2)), NullSink())
        small = peak_memory(pack, 5_000)
        large = peak_memory(pack, 50_000)
    finally:
        gc.enable()
    # ten times the rows, about the same peak: nothing grows with the input
    assert large < small * 1.25, (small, large)


def test_results_come_before_the_input_ends(pack: CompiledPack) -> None:
    def endless() -> Iterator[str]:
        yield "chest_pain\n"
        while True:
            yield "yes\n"

    first = list(itertools.islice(screen_csv(pack, endless()), 3))
    assert [r.row for r in first] == [2, 3, 4]


# --------------------------------------------------------------------------- writing


def test_csv_output_neutralises_formulas(pack: CompiledPack) -> None:
    out = io.StringIO()
    results = csv_results(pack, "=HYPERLINK(1),yes", header="id,chest_pain")
    write_results(results, out, "csv")
    lines = out.getvalue().splitlines()
    assert lines[0] == "row,id,status,disposition,main_red_flag,fired,error_kind,error"
    assert lines[1] == "2,'=HYPERLINK(1),ok,emergency,heart_attack_signs,heart_attack_signs,,"


def test_summary_counts_every_row(pack: CompiledPack) -> None:
    results = csv_results(pack, FULL_STIFF_NECK, "a2,yes,,,,,,,,,", "a3,maybe,,,,,,,,,")
    summary = write_results(results, io.StringIO(), "jsonl")
    assert (summary.rows, summary.ok, summary.errors) == (3, 2, 1)
    assert summary.by_disposition == {"soft_tissue": 1, "emergency": 1}
    assert summary.by_error_kind == {BAD_VALUE: 1}
    assert summary.error_rows == [4]


# --------------------------------------------------------------------------- CLI

runner = CliRunner()


def run_batch(tmp_path: Path, name: str, text: str, *extra: str) -> tuple[Any, Path]:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    result = runner.invoke(app, ["batch", str(src), "--out", str(out), "--pack", str(PACK_DIR),
                                 *extra])
    return result, out


def test_cli_all_rows_screened_exits_0(tmp_path: Path) -> None:
    result, out = run_batch(tmp_path, "in.csv", f"{HEADER}\n{FULL_STIFF_NECK}\na2,yes,,,,,,,,,\n")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["row"], r["id"], r["disposition"]) for r in rows] == [
        (2, "a1", "soft_tissue"), (3, "a2", "emergency")]
    assert "Screened 2 rows: 2 ok, 0 with errors." in result.stderr
    assert "emergency" in result.stderr
    assert result.stdout == ""
    # the results hold clinical answers: private to the user, no temporary file left
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "results.jsonl"]


def test_cli_any_error_row_exits_1_and_is_in_the_output(tmp_path: Path) -> None:
    text = '{"chest_pain": "no"}\n{oops\n{"chest_pain": true}\n'
    result, out = run_batch(tmp_path, "in.jsonl", text, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 3  # every row, the bad ones included
    assert [(r["row"], r["status"], r["error_kind"]) for r in rows] == [
        ("1", "error", "missing_safety_answers"), ("2", "error", "malformed"),
        ("3", "ok", "")]
    assert rows[0]["error"].startswith("needs a doctor review: safety questions fall, ")
    assert rows[1]["error"].startswith("invalid JSON")
    assert "Rows with errors: 1, 2" in result.stderr
    assert "missing safety answers" in result.stderr


def test_cli_stdin_and_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", "-", "--input-format", "csv", "--out", "-",
                                 "--pack", str(PACK_DIR)], input="chest_pain\nyes\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["disposition"] == "emergency"


def test_cli_usage_errors(tmp_path: Path) -> None:
    result, _out = run_batch(tmp_path, "in.txt", "chest_pain\nyes\n")
    assert result.exit_code == 2
    assert ".csv or .jsonl" in result.stderr
    src = tmp_path / "same.csv"
    src.write_text("chest_pain\nyes\n")
    result = runner.invoke(app, ["batch", str(src), "--out", str(src), "--pack", str(PACK_DIR)])
    assert result.exit_code == 2
    assert src.read_text() == "chest_pain\nyes\n"


def test_cli_unreadable_header_leaves_no_output(tmp_path: Path) -> None:
    result, out = run_batch(tmp_path, "in.csv", "fever,fever\nno,no\n")
    assert result.exit_code == 1
    assert "in.csv:1: the CSV header names the column 'fever' twice (columns 1 and 2)" \
        in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_cli_no_progress_bar_when_not_a_terminal(tmp_path: Path) -> None:
    lines = "".join(random_csv_lines(MINIMAL, 3000))
    result, out = run_batch(tmp_path, "in.csv", lines)
    assert result.exit_code in (0, 1)
    assert "Screening" not in result.stderr
    assert "\x1b" not in result.stderr  # no terminal control codes in a log
    assert len(out.read_text().splitlines()) == 3000


@settings(max_examples=200, deadline=None)
@given(row=st.integers(1, 10**9), ident=st.none() | st.text(max_size=5),
       disposition=st.sampled_from(["emergency", "both"]), main=st.none() | st.text(max_size=3),
       fired=st.lists(st.text(max_size=3), max_size=3).map(tuple),
       error=st.none() | st.text(max_size=5))
def test_jsonl_lines_are_exactly_json_dumps(row: int, ident: str | None, disposition: str,
                                            main: str | None, fired: tuple[str, ...],
                                            error: str | None) -> None:
    result = (RowResult(row, ident, OK, disposition, main, fired) if error is None else
              RowResult(row, ident, ERROR, None, None, (), BAD_VALUE, error))
    out = io.StringIO()
    write_results([result, result], out, "jsonl")
    expected = json.dumps(result.as_dict()) + "\n"
    assert out.getvalue() == expected * 2
    assert json.loads(expected) == result.as_dict()


def test_multiple_choice_cells_remembered_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsers, "MULTI_CELLS_REMEMBERED", 5)
    parse = parsers._csv_parser(MINIMAL.shapes["problems"])
    for _ in range(2):  # the second time from memory: the same answers
        assert parse("strain;stiffness") == frozenset({"strain", "stiffness"})
        assert parse("stiffness|strain") == frozenset({"strain", "stiffness"})
        for bad in (";", "strain;cramp"):
            with pytest.raises(_Bad):
                parse(bad)
    closure = parse.__closure__ or ()
    remembered = [c.cell_contents for c in closure if isinstance(c.cell_contents, dict)]
    assert [len(d) for d in remembered] == [5]


def test_crlf_lines_as_spreadsheets_write_them(pack: CompiledPack) -> None:
    data = b"id,chest_pain,fall\r\nk1,no,yes\r\nk2,yes,\r\n"
    results = list(screen_csv(pack, reading.LineReader(io.BytesIO(data))))
    assert [(r.row, r.id, r.status) for r in results] == [(2, "k1", ERROR), (3, "k2", OK)]
    assert "can_bear_weight" in (results[0].error or "")


def test_cli_missing_input_or_output_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path / "nope.csv"), "--out",
                                 str(tmp_path / "out.jsonl"), "--pack", str(PACK_DIR)])
    assert result.exit_code == 1
    assert "Cannot read" in result.stderr
    src = tmp_path / "in.csv"
    src.write_text("chest_pain\nyes\n")
    result = runner.invoke(app, ["batch", str(src), "--out", str(tmp_path / "no" / "out.jsonl"),
                                 "--pack", str(PACK_DIR)])
    assert result.exit_code == 1
    assert "Cannot write" in result.stderr


def test_none_is_an_option_where_the_question_has_one() -> None:
    with_none = parsers._csv_parser(QuestionShape("x", MULTI, ("none", "a")))
    assert with_none("none") == frozenset({"none"})  # the option itself says it
    with pytest.raises(_Bad):
        with_none(";")  # no answer (joined empty cells), not "none of them"
    without = parsers._csv_parser(QuestionShape("y", MULTI, ("a", "b")))
    assert without("NONE") == frozenset()
    with pytest.raises(_Bad):
        without("none;a")  # "none" with an option is a mistake, not silently "a"
