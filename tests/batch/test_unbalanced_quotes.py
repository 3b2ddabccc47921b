"""An unbalanced CSV quote never joins patients' rows, and never hides one: every physical line
is screened, blank, or named by an error row (audit finding 1)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.batch.reading import screen_csv
from triage.batch.rows import ERROR, MALFORMED, MAX_ROW_LINES, OK, RowResult
from triage.cli.app import app
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

PACK = load_pack(MINIMAL, use_cache=False)
HEADER = "id,chest_pain,age,fall,can_bear_weight,fever,area,problems,blood_thinners"
CALM = "no,30,no,,no,neck,stiffness,no"  # soft tissue
CHEST = "yes,30,no,,no,neck,stiffness,no"  # emergency


def results(*rows: str, pack: CompiledPack = PACK) -> list[RowResult]:
    text = "\n".join([HEADER, *rows]) + "\n"
    return list(screen_csv(pack, io.StringIO(text, newline="")))


def lines_of(result: RowResult) -> tuple[int, int]:
    """The first and last line an error row names (its message starts with them)."""
    where = (result.error or "").split(":")[0]
    first, _, last = where.removeprefix("lines ").removeprefix("line ").partition("-")
    return int(first), int(last or first)


def test_a_quote_closed_on_the_next_line_does_not_merge_two_patients() -> None:
    got = results(f"r1,{CALM}", f'"r2 x,{CHEST}', f'r3",{CALM}', f"r4,{CALM}")
    assert [(r.row, r.id, r.status) for r in got] == [
        (2, "r1", OK), (3, None, ERROR), (5, "r4", OK)]
    assert got[1].error_kind == MALFORMED
    assert lines_of(got[1]) == (3, 4)  # r3's line is named, not lost
    assert "chest" not in json.dumps([r.as_dict() for r in got])  # no answer copied


def test_a_quote_never_closed_costs_its_own_line_only() -> None:
    got = results(f"r1,{CALM}", f'"r2,{CHEST}', f"r3,{CHEST}", f"r4,{CALM}", f"r5,{CALM}")
    assert [(r.row, r.id, r.status, r.disposition) for r in got] == [
        (2, "r1", OK, "soft_tissue"), (3, None, ERROR, None), (4, "r3", OK, "emergency"),
        (5, "r4", OK, "soft_tissue"), (6, "r5", OK, "soft_tissue")]
    assert lines_of(got[1]) == (3, 3)
    assert "not closed" in (got[1].error or "")


def test_a_quote_opened_in_the_last_cell_and_never_closed() -> None:
    got = results(f"r1,{CALM}", f'r2,{CALM[:-2]},"no', f"r3,{CHEST}")
    assert [(r.row, r.id, r.status) for r in got] == [(2, "r1", OK), (3, None, ERROR),
                                                      (4, "r3", OK)]


def test_a_quote_left_open_at_the_end_of_the_file_is_an_error() -> None:
    got = results(f"r1,{CALM}", f'r2,{CALM[:-2]},"no', "", "")
    assert got[1].status == ERROR and lines_of(got[1]) == (3, 5)
    assert "end of the file" in (got[1].error or "")


def test_a_multiple_choice_cell_may_list_its_answers_on_several_lines() -> None:
    got = results('r1,no,30,no,,no,neck,"stiffness;\nstrain",no', f"r2,{CALM}")
    assert [(r.row, r.id, r.status) for r in got] == [(2, "r1", OK), (4, "r2", OK)]
    assert got[0].fired == ("stiffness_soft_tissue", "strain")


@pytest.mark.parametrize("row", [
    f'"r1\n",{CALM}',  # the id
    'r1,"no\n",30,no,,no,neck,stiffness,no',  # a yes/no cell
    'r1,no,30,no,,no,"neck\n",stiffness,no',  # a single-choice cell
])
def test_a_line_break_in_any_other_cell_is_an_error_naming_both_lines(row: str) -> None:
    got = results(row, f"r2,{CALM}")
    assert (got[0].status, got[0].id, lines_of(got[0])) == (ERROR, None, (2, 3))
    assert (got[1].row, got[1].id, got[1].status) == (4, "r2", OK)


def test_a_quoted_cell_may_not_run_on_for_ever() -> None:
    many = ['r1,no,30,no,,no,neck,"stiffness', *(["strain;"] * (MAX_ROW_LINES + 3)),
            '",no', f"r2,{CALM}"]
    got = results(*many)
    assert got[0].status == ERROR and lines_of(got[0]) == (2, 1 + MAX_ROW_LINES)
    assert "more than" in (got[0].error or "")
    assert got[-1].id == "r2" and got[-1].status == OK


def test_a_cell_over_the_field_limit_over_several_lines_names_them() -> None:
    limit = csv.field_size_limit()
    big = "x" * (limit // 2)
    got = results(f'r1,"{big}', big, big, f"r2,{CALM}")
    assert got[0].status == ERROR and lines_of(got[0])[0] == 2
    assert got[-1].id == "r2" and got[-1].status == OK
    assert "r2" not in (got[0].error or "")


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from([CALM, CHEST]),
                               st.sampled_from(["", "", '"', 'x"', '"x']),
                               st.sampled_from(["", "", '"'])), min_size=1, max_size=8))
def test_every_line_is_a_row_of_its_own_or_named_by_an_error(
        rows: list[tuple[str, str, str]]) -> None:
    """Stray quotes at the start or end of rows: each patient's line is screened with its own
    id (a stray quote in a cell of its own line may make it a bad value), or falls within the
    lines a malformed row names; no id holds another row's text."""
    lines = [f"{pre}r{n}," + cells + post for n, (cells, pre, post) in enumerate(rows)]
    got = results(*lines)
    covered: set[int] = set()
    for r in got:
        if r.error_kind == MALFORMED and "cells, the header has" in (r.error or ""):
            assert r.id is None or r.id.strip('"x') == f"r{r.row - 2}"  # its own line
            covered.add(r.row)
        elif r.error_kind == MALFORMED:
            first, last = lines_of(r)
            assert r.row == first and r.id is None
            covered.update(range(first, last + 1))
        else:
            covered.add(r.row)
            assert r.id is not None and "," not in r.id and "\n" not in r.id
            assert r.id.strip('"x') == f"r{r.row - 2}"
    assert covered == set(range(2, len(lines) + 2))


def test_batch_says_rows_failed_and_exits_1(tmp_path: Path) -> None:
    rows = tmp_path / "in.csv"
    rows.write_text("\n".join([HEADER, f"r1,{CALM}", f'"r2 x,{CHEST}', f'r3",{CALM}']) + "\n")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["batch", str(rows), "--out", str(out),
                                      "--pack", str(MINIMAL)])
    assert result.exit_code == 1, result.stderr
    assert "1 with errors" in result.stderr
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(w["row"], w["status"]) for w in written] == [(2, "ok"), (3, "error")]
    assert written[1]["error"].startswith("lines 3-4: ")
