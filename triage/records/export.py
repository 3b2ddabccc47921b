"""Record exports as lines of text, streamed: nothing here holds more than one record.

Every exporter has the same shape, ``(Iterable[Record]) -> Iterator[str]``, each string one
line ending in "\\n". The FHIR QuestionnaireResponse exporter needs the rule pack to map
answers to items, so the caller builds it and passes it in (no global registry: what a
command offers never depends on what ran before it).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator

from triage.csv_cells import safe_cell
from triage.records.model import RECORD_FIELDS, Record, dumps_json, record_to_dict

Exporter = Callable[[Iterable[Record]], Iterator[str]]


def _cell(value: object) -> str:
    return safe_cell(value if isinstance(value, str) else dumps_json(value))


def csv_lines(records: Iterable[Record]) -> Iterator[str]:
    """A header, then one row per record; answers and outcome are JSON in their own cells."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def line(row: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        return buf.getvalue()

    yield line(list(RECORD_FIELDS))
    for record in records:
        yield line(
            [
                "" if getattr(record, name) is None else _cell(getattr(record, name))
                for name in RECORD_FIELDS
            ]
        )


def jsonl_lines(records: Iterable[Record]) -> Iterator[str]:
    """One JSON object per line (JSON Lines); loads back with `record_from_dict`."""
    for record in records:
        yield json.dumps(record_to_dict(record), sort_keys=True, ensure_ascii=True) + "\n"


_BUILT_IN: dict[str, Exporter] = {"csv": csv_lines, "jsonl": jsonl_lines}
PACK_FORMATS = ("fhir",)  # exporters that need the rule pack: built by the caller


def export_formats() -> list[str]:
    return sorted([*_BUILT_IN, *PACK_FORMATS])


def export_lines(records: Iterable[Record], fmt: str,
                 pack_exporter: Exporter | None = None) -> Iterator[str]:
    """``records`` in format ``fmt``; a format in :data:`PACK_FORMATS` takes its exporter
    (built with the pack) as ``pack_exporter``."""
    if fmt in PACK_FORMATS:
        if pack_exporter is None:
            raise ValueError(f"export format {fmt!r} needs the rule pack's exporter")
        return pack_exporter(records)
    try:
        exporter = _BUILT_IN[fmt]
    except KeyError:
        raise ValueError(
            f"export format {fmt!r} is not available (available: {', '.join(export_formats())})"
        ) from None
    return exporter(records)
