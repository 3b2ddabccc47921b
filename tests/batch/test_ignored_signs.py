"""A row that answers a warning sign to a question its other answers make not apply is an
error row (ignored_warning_sign), on every path a row can take: CSV from its cells (without
--fired), CSV known cells (--fired), CSV cell by cell, JSON Lines and the command."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.batch.test_quick_paths import csv_module_only
from tests.conftest import REPO_ROOT
from triage.batch.reading import screen_csv, screen_jsonl
from triage.batch.rows import ERROR, IGNORED_WARNING_SIGN, MISSING_SAFETY, OK, RowResult
from triage.batch.screening import Screener
from triage.cli.app import app
from triage.pack.load import load_pack

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# a shoulder with nothing urgent; the cells after it vary by row
SHOULDER = {"emergency_signs": "none", "age": "38", "recent_stroke_signs": "no",
            "areas": "shoulder", "exertion_pain": "no", "today_signs": "none",
            "health_history": "none", "injury": "none", "duration": "under_6_weeks",
            "other_symptoms": "none", "reasons": "desk_posture", "conditions": "none"}
ROWS: list[dict[str, str]] = [
    {**SHOULDER, "ces_signs": "saddle_numbness"},  # the sign: refused
    {**SHOULDER, "ces_signs": "none"},  # none of them, where they do not apply: ok
    {**SHOULDER},  # not answered: ok
    {**SHOULDER, "today_signs": "fever", "fever_signs": "none",  # same day, and the sign
     "health_history": "recent_surgery", "wound_signs": "none", "ces_signs": "not_sure"},
    {**SHOULDER, "emergency_signs": "chest_pain", "ces_signs": "sexual_change"},  # 911 anyway
]
COLUMNS = ["id", *PACK.shapes]


def csv_text(rows: list[dict[str, str]] = ROWS) -> str:
    lines = [",".join(COLUMNS)]
    for n, row in enumerate(rows, 1):
        lines.append(",".join([f"r{n}", *(row.get(q, "") for q in PACK.shapes)]))
    return "\n".join(lines) + "\n"


def jsonl_text(rows: list[dict[str, str]] = ROWS) -> str:
    def value(qid: str, cell: str) -> Any:
        shape = PACK.shapes[qid]
        if shape.type == "multi":
            return [] if cell == "none" else cell.split(";")
        return int(cell) if shape.type == "number" else cell

    return "".join(json.dumps({"id": f"r{n}", **{q: value(q, c) for q, c in row.items() if c}})
                   + "\n" for n, row in enumerate(rows, 1))


def check(results: list[RowResult]) -> None:
    assert [(r.id, r.status, r.error_kind, r.disposition) for r in results] == [
        ("r1", ERROR, IGNORED_WARNING_SIGN, None),
        ("r2", OK, None, "soft_tissue"),
        ("r3", OK, None, "soft_tissue"),
        ("r4", ERROR, IGNORED_WARNING_SIGN, "same_day"),  # what the other answers give
        ("r5", OK, None, "emergency"),
    ]
    assert results[0].error == (
        "ces_signs: the answer is a warning sign (Cauda equina signs: red flag "
        "cauda_equina_signs, emergency_department), but ces_signs does not apply with the "
        "answer to areas, so it would be ignored; correct areas or ces_signs")
    assert results[3].error is not None and results[3].error.endswith(
        f"(the other answers already give same_day by red flag {results[3].main_red_flag})")


@pytest.mark.parametrize("fired", [False, True])
def test_csv_rows_from_their_cells_and_cell_by_cell(fired: bool) -> None:
    quick = list(screen_csv(Screener(PACK, fired=fired), io.StringIO(csv_text(), newline="")))
    check(quick)
    assert quick == csv_module_only(PACK, csv_text(), fired=fired)


def test_jsonl_rows() -> None:
    check(list(screen_jsonl(Screener(PACK, fired=False), io.StringIO(jsonl_text()))))


# rows that also leave a safety question without an answer (an empty cell)
GAP_ROWS: list[dict[str, str]] = [
    {**SHOULDER, "emergency_signs": "", "ces_signs": "saddle_numbness"},  # both named
    {**SHOULDER, "emergency_signs": "", "ces_signs": "none"},  # the gap alone
]


@pytest.mark.parametrize("form", ["csv", "jsonl"])
def test_a_row_with_a_gap_and_a_hidden_sign_names_both(form: str) -> None:
    screener = Screener(PACK, fired=False)
    results = list(screen_csv(screener, io.StringIO(csv_text(GAP_ROWS), newline=""))
                   if form == "csv" else screen_jsonl(screener, io.StringIO(jsonl_text(GAP_ROWS))))
    gap = "needs a doctor review: safety question emergency_signs not answered"
    assert [(r.status, r.error_kind, r.disposition, r.error) for r in results] == [
        (ERROR, IGNORED_WARNING_SIGN, None,
         "ces_signs: the answer is a warning sign (Cauda equina signs: red flag "
         "cauda_equina_signs, emergency_department), but ces_signs does not apply with the "
         f"answer to areas, so it would be ignored; correct areas or ces_signs; {gap}"),
        (ERROR, MISSING_SAFETY, None, gap)]


def test_a_quiet_answer_where_it_does_not_apply_keeps_the_row_on_the_quick_path() -> None:
    # none of the signs (or no answer) where they do not apply: the row's outcome comes from
    # its cells; a sign there sends the row the long way, where the engine looks at it
    plan = Screener(PACK, fired=False).csv_plan(COLUMNS)
    assert plan.row_head is not None

    def cells(row: dict[str, str]) -> list[str]:
        return ["r", *(row.get(q, "") for q in PACK.shapes)]

    assert plan.row_head(cells(ROWS[1]))[0] == plan.row_head(cells(ROWS[2]))[0] == "soft_tissue"
    with pytest.raises(KeyError):
        plan.row_head(cells(ROWS[0]))


def test_the_command_reports_the_rows_and_exits_1(tmp_path: Path) -> None:
    src, out = tmp_path / "calls.csv", tmp_path / "results.csv"
    src.write_text(csv_text(), encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(src), "--out", str(out)])
    assert result.exit_code == 1
    assert "ignored warning sign           2" in result.stderr
    assert "Rows with errors: 2, 5" in result.stderr
    written = out.read_text(encoding="utf-8").splitlines()
    assert written[1].startswith("2,r1,error,,,,ignored_warning_sign,")


# a bad cell as well: the row was an error for the cell alone, the sign never looked at
BAD_CELL_ROWS: list[dict[str, str]] = [
    {**SHOULDER, "age": "x", "ces_signs": "saddle_numbness"},  # another cell is bad
    {**SHOULDER, "ces_signs": "saddle_numbness;since_removed"},  # the sign's cell is bad
    {**SHOULDER, "age": "x", "ces_signs": "none"},  # nothing stated: the bad cell alone
]


@pytest.mark.parametrize("form", ["csv", "jsonl"])
def test_a_row_with_a_bad_cell_still_names_a_hidden_sign(form: str) -> None:
    screener = Screener(PACK, fired=False)
    rows = BAD_CELL_ROWS
    jsonl = "".join(jsonl_text([{**row, "age": "38"}]).replace('"r1"', f'"r{n}"').replace(
        '"age": 38', '"age": "x"' if row["age"] == "x" else '"age": 38')
        for n, row in enumerate(rows, 1))
    results = list(screen_csv(screener, io.StringIO(csv_text(rows), newline=""))
                   if form == "csv" else screen_jsonl(screener, io.StringIO(jsonl)))
    sign = ("ces_signs: the answer is a warning sign (Cauda equina signs: red flag "
            "cauda_equina_signs, emergency_department), but ces_signs does not apply with the "
            "answer to areas, so it would be ignored; correct areas or ces_signs; ")
    kinds = [(r.status, r.error_kind) for r in results]
    assert kinds == [(ERROR, IGNORED_WARNING_SIGN)] * 2 + [(ERROR, "bad_value")]
    assert [r.error is not None and r.error.startswith(sign) for r in results] == [
        True, True, False]


@pytest.mark.parametrize("full", [False, True])
def test_a_row_from_its_cells_that_states_a_sign_is_not_evaluated_again(
        full: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The quickest path keeps the head it worked out (LoudAnswers) and looks for the sign
    from there: the same results as cell by cell, with or without empty cells, and no call
    to the outcome of the answers read again."""
    rows = ROWS
    if full:  # every cell answered, as a spreadsheet filled in whole has them
        filler = {q: "none" if s.type == "multi" else "no" if s.type == "yes_no" else
                  "40" if s.type == "number" else s.choices[-1]
                  for q, s in PACK.shapes.items()}
        rows = [{**filler, **row} for row in ROWS]
    want = csv_module_only(PACK, csv_text(rows), fired=False)
    assert [r.error_kind for r in want][:1] == [IGNORED_WARNING_SIGN]

    def fail(*args: Any) -> Any:
        raise AssertionError("evaluated again")

    monkeypatch.setattr(Screener, "outcome", fail)
    assert list(screen_csv(Screener(PACK, fired=False),
                           io.StringIO(csv_text(rows), newline=""))) == want


def test_messages_remembered_by_one_screener_are_those_each_row_gives_alone() -> None:
    """A screener words each warning sign once and keeps it (and each "already give"): over
    many rows, every row's result is the one a screener that has seen no other row gives."""
    rng = random.Random(15)

    def cell(shape: Any) -> str:
        if shape.type == "yes_no":
            return rng.choice(["no", "no", "no", "yes"])
        if shape.type == "number":
            return str(rng.randint(int(shape.min), min(int(shape.max), 95)))
        if shape.type == "single":
            return rng.choice(shape.choices)
        chosen = [c for c in shape.choices if rng.random() < 0.12]
        return ";".join(chosen) or "none"

    rows = [["r", *(cell(s) for s in PACK.shapes.values())] for _ in range(1000)]
    plan = Screener(PACK, fired=False).csv_plan(COLUMNS)
    got = [plan.screen(n, cells) for n, cells in enumerate(rows)]
    assert sum(r.error_kind == IGNORED_WARNING_SIGN for r in got) > 20  # (the rows test it)
    assert len({r.error for r in got if r.error_kind == IGNORED_WARNING_SIGN}) > 10
    for n, (cells, result) in enumerate(zip(rows, got, strict=True)):
        if result.status == ERROR:  # (only an error row's message is remembered)
            alone = Screener(PACK, fired=False).csv_plan(COLUMNS).screen_cells(n, cells)
            assert result == alone
