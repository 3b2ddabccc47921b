"""CSV and JSON Lines exports: streamed, lossless, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator

import pytest

from triage.records import Record, csv_lines, export_lines, jsonl_lines, record_from_dict
from triage.records import export as export_module
from triage.records.model import RECORD_FIELDS

MakeRecord = Callable[..., Record]


def test_csv_has_a_header_and_one_parsable_row_per_record(make_record: MakeRecord) -> None:
    records = [make_record(1), make_record(2, answers={"note": 'has "quotes", commas\nand lines'})]
    lines = list(csv_lines(records))
    assert all(line.endswith("\n") for line in lines)
    rows = list(csv.DictReader(io.StringIO("".join(lines))))
    assert list(rows[0]) == list(RECORD_FIELDS)
    assert [row["id"] for row in rows] == [r.id for r in records]
    assert json.loads(rows[1]["answers"]) == records[1].answers
    assert json.loads(rows[0]["outcome"]) == records[0].outcome
    assert rows[0]["caller_name"] == ""


@pytest.mark.parametrize("ref", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx"])
def test_csv_neutralises_spreadsheet_formulas(make_record: MakeRecord, ref: str) -> None:
    lines = list(csv_lines([make_record(caller_ref=ref)]))
    row = next(csv.DictReader(io.StringIO("".join(lines))))
    assert row["caller_ref"] == "'" + ref


def test_jsonl_round_trips_each_record(make_record: MakeRecord) -> None:
    records = [make_record(n, answers={"n": n, "f": 0.5, "l": ["a"]}) for n in range(3)]
    lines = list(jsonl_lines(records))
    assert len(lines) == 3 and all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert [record_from_dict(json.loads(line)) for line in lines] == records


def test_exports_stream_without_reading_ahead(make_record: MakeRecord) -> None:
    pulled = 0

    def source() -> Iterator[Record]:
        nonlocal pulled
        for n in range(1_000_000):
            pulled += 1
            yield make_record(n)

    # three lines out: the CSV header and two records, or three JSON records; none read ahead
    for fmt, records_read in (("csv", 2), ("jsonl", 3)):
        pulled = 0
        lines = export_lines(source(), fmt)
        for _ in range(3):
            next(lines)
        assert pulled == records_read, fmt


def test_unknown_and_not_yet_available_formats_are_plain_errors(make_record: MakeRecord) -> None:
    with pytest.raises(ValueError, match="'fhir' needs the rule pack"):
        export_lines([make_record()], "fhir")
    with pytest.raises(ValueError, match=r"'xml' is not available \(available: csv, fhir, jsonl\)"):
        export_lines([make_record()], "xml")


def test_the_pack_exporter_is_used_for_fhir(make_record: MakeRecord) -> None:
    def ids(records: Iterable[Record]) -> Iterator[str]:
        for record in records:
            yield record.id + "\n"

    record = make_record()
    assert list(export_lines([record], "fhir", ids)) == [record.id + "\n"]
    assert export_module.export_formats() == ["csv", "fhir", "jsonl"]

