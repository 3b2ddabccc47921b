"""Issue 12, items 2, 3 and 9: one hostile row never sinks a batch or slips through."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.batch.reading import screen_csv, screen_jsonl
from triage.batch.rows import ERROR, INTERNAL, MALFORMED, OK
from triage.batch.screening import Screener
from triage.batch.writing import write_results
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_PROBLEMS
from triage.pack.compiled import CompiledPack

SAFE = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
        "problems": ["stiffness"], "blood_thinners": "no"}


def row(data: dict[str, object]) -> str:
    return json.dumps(data)


def test_duplicate_keys_make_an_error_row_not_the_last_value(pack: CompiledPack) -> None:
    emergency_hidden = '{"chest_pain": "yes", "chest_pain": "no", ' + row(
        {k: v for k, v in SAFE.items() if k != "chest_pain"})[1:]
    results = list(screen_jsonl(pack, [emergency_hidden + "\n", row(SAFE) + "\n"]))
    assert results[0].status == ERROR and results[0].error_kind == MALFORMED
    # the row's column of the repeated key (the 23rd character), as for an answers file
    assert results[0].error == "duplicate key 'chest_pain' (column 23)"
    assert results[0].disposition is None
    assert results[1].status == OK


def test_hostile_rows_become_error_rows_and_the_others_are_written(tmp_path: Path) -> None:
    rows = [
        row(SAFE),
        '{"age": ' + "1" * 5000 + "}",
        '{"age": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"age": NaN}',
        row({**SAFE, "age": "3_8"}),
        row({**SAFE, "age": "\u0663\u0668"}),
        row({**SAFE, "\x1b]0;pwned\x07": "yes"}),
        "\xff not json",
        row(SAFE),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(source), "--out", str(out),
                                      "--pack", str(MINIMAL)])
    assert result.exit_code == EXIT_PROBLEMS, result.output
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["row"] for r in written] == list(range(1, len(rows) + 1))
    assert [r["status"] for r in written] == ["ok"] + ["error"] * (len(rows) - 2) + ["ok"]
    assert all(r["disposition"] is None for r in written[1:-1])
    assert "\x1b" not in out.read_text() and "\x1b" not in result.stderr


def test_csv_numbers_are_ascii_digits_only(pack: CompiledPack) -> None:
    header = "chest_pain,fall,fever,age,area,problems,blood_thinners\n"
    lines = [header] + [f"no,no,no,{age},neck,stiffness,no\n"
                        for age in ("38", "3_8", "\u0663\u0668", "1" * 5000, "+38")]
    results = list(screen_csv(pack, lines))
    assert [r.status for r in results] == [OK, ERROR, ERROR, ERROR, OK]


def test_error_cells_carry_no_escapes_and_formula_starts_stay_text(pack: CompiledPack) -> None:
    lines = ["id,chest_pain,fall,fever,age,area,problems,blood_thinners,\x1b[2Jx\n",
             "\uff1dHYPERLINK(1),no,no,no,40,neck,stiffness,no,1\n"]
    out = io.StringIO()
    write_results(screen_csv(pack, lines), out, "csv")
    cells = list(csv.reader(io.StringIO(out.getvalue())))
    assert "\x1b" not in out.getvalue()
    assert cells[1][1] == "'\uff1dHYPERLINK(1)"
    assert "\\x1b[2Jx" in cells[1][7]


def test_a_bug_on_one_row_costs_that_row_only(pack: CompiledPack) -> None:
    screener = Screener(pack)
    real = screener.screen_mapping

    def flaky(number: int, data: object) -> object:
        if number == 2:
            raise ValueError("SECRET answer text")
        return real(number, data)  # type: ignore[arg-type]

    screener.screen_mapping = flaky  # type: ignore[method-assign,assignment]
    results = list(screen_jsonl(screener, [row(SAFE) + "\n"] * 3))
    assert [r.status for r in results] == [OK, ERROR, OK]
    assert results[1].error_kind == INTERNAL
    assert "SECRET" not in (results[1].error or "")


def test_a_device_is_not_a_batch_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["batch", "/dev/zero", "--input-format", "jsonl",
                                      "--out", str(tmp_path / "o.jsonl"),
                                      "--pack", str(MINIMAL)])
    assert result.exit_code == EXIT_PROBLEMS
    assert "not a regular file or a pipe" in result.stderr
