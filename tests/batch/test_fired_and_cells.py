"""`triage batch --fired` (fired rule ids only when asked; a stable shape without) and the
unrolled CSV cell reader (known cells looked up, the rest stripped and parsed)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.batch import parsers
from triage.batch.rows import RESULT_FIELDS, _Bad
from triage.cli.app import app
from triage.engine.evaluate import evaluate
from triage.pack.load import load_pack

PACK = load_pack(MINIMAL, use_cache=False)
HEADER = "id,chest_pain,age,fall,can_bear_weight,fever,area,problems,blood_thinners"
ROWS = ["a1,no,30,no,,no,neck,stiffness,no",  # ok, therapy
        "a2,yes,,,,,,,",  # ok, emergency
        "a3,,40,no,,no,neck,stiffness,no"]  # chest pain unanswered: an error row
runner = CliRunner()


def batch(tmp_path: Path, out_name: str, *extra: str) -> tuple[Any, str]:
    src = tmp_path / "in.csv"
    src.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    out = tmp_path / out_name
    result = runner.invoke(app, ["batch", str(src), "--out", str(out), "--pack", str(MINIMAL),
                                 *extra])
    return result, out.read_text(encoding="utf-8")


def test_fired_is_null_on_every_row_unless_asked(tmp_path: Path) -> None:
    result, text = batch(tmp_path, "out.jsonl")
    assert result.exit_code == 1  # row a3 is an error
    rows = [json.loads(line) for line in text.splitlines()]
    assert [list(r) for r in rows] == [list(RESULT_FIELDS)] * 3  # one shape, every row
    assert [r["fired"] for r in rows] == [None, None, None]
    assert [r["disposition"] for r in rows] == ["soft_tissue", "emergency", None]


def test_fired_lists_the_rules_that_hold_when_asked(tmp_path: Path) -> None:
    _, text = batch(tmp_path, "out.jsonl", "--fired")
    rows = [json.loads(line) for line in text.splitlines()]
    answers = {"chest_pain": "no", "age": 30, "fall": "no", "fever": "no", "area": "neck",
               "problems": frozenset({"stiffness"}), "blood_thinners": "no"}
    assert rows[0]["fired"] == [r.id for r in evaluate(PACK, answers).fired]
    assert rows[0]["fired"]  # the therapy row has reasons
    assert rows[1]["fired"] == [r.id for r in evaluate(PACK, {"chest_pain": "yes"}).fired]
    assert rows[2]["fired"] == []  # an error row: nothing decided


def test_csv_output_fired_column_empty_unless_asked(tmp_path: Path) -> None:
    _, plain = batch(tmp_path, "out.csv")
    _, with_fired = batch(tmp_path, "out.csv", "--fired")
    plain_rows = list(csv.DictReader(io.StringIO(plain)))
    fired_rows = list(csv.DictReader(io.StringIO(with_fired)))
    assert list(plain_rows[0]) == list(RESULT_FIELDS)
    assert [r["fired"] for r in plain_rows] == ["", "", ""]
    assert fired_rows[0]["fired"] and fired_rows[1]["fired"]
    # everything else is the same with and without --fired
    for a, b in zip(plain_rows, fired_rows, strict=True):
        assert {k: v for k, v in a.items() if k != "fired"} == \
            {k: v for k, v in b.items() if k != "fired"}


# --------------------------------------------------------------------------- cell reader

def cell_texts(options: list[str]) -> st.SearchStrategy[str]:
    words = ["yes", "no", "Yes", " no ", "y", "N", "TRUE", "maybe", "none", "None", "",
             "  ", "0", "7", "007", " 42", "120", "121", "-3", "3.0", "1e2", "٣", "30"]
    pieces = st.sampled_from(options + words)
    joined = st.lists(st.sampled_from(options), max_size=3).map(";".join)
    spaced = st.tuples(st.sampled_from(["", " "]), joined, st.sampled_from(["", " "])).map(
        "".join)
    return st.one_of(pieces, joined, spaced, st.text(max_size=6))


def loop_reference(columns: list[tuple[int, str, Any]], cells: list[str],
                   ) -> tuple[dict[str, Any], list[str]]:
    """What the reader must do: strip each cell; empty is not answered; else parse it."""
    answers: dict[str, Any] = {}
    problems: list[str] = []
    for index, qid, shape in columns:
        text = cells[index].strip()
        if text:
            try:
                answers[qid] = parsers._csv_parser(shape)(text)
            except _Bad as exc:
                problems.append(str(exc))
    return answers, problems


COLUMNS = [(i, q.id, q.shape) for i, q in enumerate(PACK.questions)]
READ = parsers._cells_reader(COLUMNS).read  # one reader: cells remembered across examples too


@pytest.mark.long(17)
@settings(max_examples=100)
@given(data=st.data())
def test_unrolled_reader_equals_parsing_each_stripped_cell(data: st.DataObject) -> None:
    columns, read = COLUMNS, READ
    options = sorted({o for q in PACK.questions for o in q.shape.options})
    for _ in range(3):  # the same reader again: cells remembered from earlier rows
        cells = [data.draw(cell_texts(options)) for _ in columns]
        answers, problems = read(cells)
        want_answers, want_problems = loop_reference(columns, cells)
        assert answers == want_answers
        assert list(answers) == list(want_answers)
        assert [str(p) for p in problems] == want_problems
