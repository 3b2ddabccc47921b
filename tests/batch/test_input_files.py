"""A CSV file that is not what batch reads as a whole (UTF-16, old Mac line endings, empty)
is one clear message, not every row malformed or "0 rows, exit 0" (audit finding 11); an
option in another case is the option, as yes/no and "none" cells already were."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.batch.reading import screen_csv
from triage.batch.rows import OK
from triage.cli.app import app
from triage.pack.load import load_pack

PACK = load_pack(MINIMAL, use_cache=False)
TEXT = ("id,chest_pain,age,fall,fever,area,problems,blood_thinners\n"
        "r1,no,30,no,no,neck,stiffness,no\n")


@pytest.mark.parametrize("data, says", [
    (TEXT.encode("utf-16"), "it looks like UTF-16"),
    (TEXT.encode("utf-16-le"), "it looks like UTF-16"),
    (TEXT.encode("latin-1").replace(b"id", b"\xe9d"), "the CSV header is not UTF-8"),
    (TEXT.replace("\n", "\r").encode(), "carriage return only"),
    (b"", "the file is empty"),
])
def test_a_file_batch_cannot_read_is_one_message_and_exit_1(tmp_path: Path, data: bytes,
                                                            says: str) -> None:
    rows = tmp_path / "in.csv"
    rows.write_bytes(data)
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["batch", str(rows), "--out", str(out),
                                      "--pack", str(MINIMAL)])
    assert result.exit_code == 1, result.output
    assert says in result.stderr
    assert "Screened" not in result.stderr


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_usual_line_endings_still_read(ending: str) -> None:
    text = TEXT.replace("\n", ending)
    [row] = screen_csv(PACK, io.StringIO(text, newline=""))
    assert (row.id, row.status) == ("r1", OK)


def test_options_in_another_case_are_the_options() -> None:
    text = TEXT.replace("neck,stiffness", "Neck,Stiffness;STRAIN")
    [row] = screen_csv(PACK, io.StringIO(text, newline=""))
    assert (row.status, row.fired) == (OK, ("stiffness_soft_tissue", "strain"))
