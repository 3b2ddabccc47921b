"""Writing batch results as they come (JSON Lines or CSV), and counting them for the summary."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from triage.batch.rows import ERROR_ROWS_KEPT, FORMATS, OK, RESULT_FIELDS, RowResult
from triage.csv_cells import safe_cell
from triage.engine.policy import ACT_NOW


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


def _cell(text: str | None) -> str:
    """A text cell a spreadsheet will not run and a terminal will not obey."""
    return safe_cell(text) if text else ""


class _JsonLines:
    """``json.dumps(result.as_dict()) + "\\n"``, byte for byte, faster (ASCII, as all JSON
    triage writes: see :func:`triage.render.result.outcome_json`).

    Ok rows have one fixed shape: written with the JSON module's own string encoder instead
    of going through the generic encoder for each row (a third of the time of a row). Without
    fired ids, everything after the id depends only on the disposition and the main red flag:
    that tail is made once for each pair met (a few dozen in a pack) and kept.
    """

    def __init__(self, fired: bool = True) -> None:
        self.fired = fired
        self._encode = json.JSONEncoder(ensure_ascii=True).encode
        self._string: Callable[[str], str] = getattr(
            json.encoder, "c_encode_basestring_ascii", None) or \
            json.encoder.py_encode_basestring_ascii
        self._tails: dict[tuple[str, str | None], str] = {}

    def line(self, r: RowResult) -> str:
        if r.status != OK or r.disposition is None:
            data = r.as_dict()
            if not self.fired:
                data["fired"] = None
            return self._encode(data) + "\n"
        s = self._string
        ident = "null" if r.id is None else s(r.id)
        if self.fired and r.fired is not None:
            return f'{{"row": {r.row}, "id": {ident}{self._tail(r, r.fired)}'
        key = (r.disposition, r.main_red_flag)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tails[key] = self._tail(r, None)
        return f'{{"row": {r.row}, "id": {ident}{tail}'

    def _tail(self, r: RowResult, fired: tuple[str, ...] | None) -> str:
        """The line after the id of an ok row."""
        s = self._string
        main = "null" if r.main_red_flag is None else s(r.main_red_flag)
        ids = "null" if fired is None else f'[{", ".join(map(s, fired))}]'
        assert r.disposition is not None
        return (f', "status": "ok", "disposition": {s(r.disposition)}, "main_red_flag": '
                f'{main}, "fired": {ids}, "error_kind": null, "error": null}}\n')


@dataclass
class BatchSummary:
    rows: int = 0
    ok: int = 0
    errors: int = 0
    by_disposition: Counter[str] = field(default_factory=Counter)
    by_error_kind: Counter[str] = field(default_factory=Counter)
    error_rows: list[int] = field(default_factory=list)  # the first ERROR_ROWS_KEPT only
    # rows someone must act on now, by disposition (the first ERROR_ROWS_KEPT of each), error
    # rows included: a row refused for a bad cell or a missing answer still carries the
    # emergency its other answers prove, and must not be missing from this list
    act_now_rows: dict[str, list[int]] = field(
        default_factory=lambda: {d: [] for d in ACT_NOW})
    act_now: Counter[str] = field(default_factory=Counter)  # every such row, by disposition
    act_now_errors: Counter[str] = field(default_factory=Counter)  # of which error rows

    @property
    def emergency_rows(self) -> list[int]:
        return self.act_now_rows["emergency"]

    def add(self, result: RowResult) -> None:
        self.rows += 1
        ok = result.status == OK
        if ok:
            self.ok += 1
            self.by_disposition[result.disposition or ""] += 1
        else:
            self.errors += 1
            self.by_error_kind[result.error_kind or ""] += 1
            if len(self.error_rows) < ERROR_ROWS_KEPT:
                self.error_rows.append(result.row)
        kept = self.act_now_rows.get(result.disposition or "")
        if kept is not None:
            self.act_now[result.disposition or ""] += 1
            if not ok:
                self.act_now_errors[result.disposition or ""] += 1
            if len(kept) < ERROR_ROWS_KEPT:
                kept.append(result.row)


def write_results(results: Iterable[RowResult], out: TextSink, fmt: str = "jsonl", *,
                  tick: Callable[[int], None] | None = None,
                  tick_every: int = 1024, summary: BatchSummary | None = None,
                  fired: bool = True) -> BatchSummary:
    """Write each result as it comes (``jsonl`` or ``csv``) and count them.

    ``fired``: the ``fired`` field lists the ids of the rules that hold; else it is null
    (JSON) or empty (CSV) on every row, so the shape of a row does not depend on its result.

    ``tick(rows so far)`` is called every ``tick_every`` rows (a progress bar). ``summary``:
    counted into as rows are written, so an interrupted run can still say what it wrote.
    """
    summary = summary if summary is not None else BatchSummary()
    write = out.write
    line = _JsonLines(fired).line
    writer: Any = None
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(RESULT_FIELDS)
    elif fmt != "jsonl":
        raise ValueError(f"unknown output format {fmt!r} (use one of {', '.join(FORMATS)})")
    for result in results:
        summary.add(result)
        if writer is None:
            write(line(result))
        else:
            writer.writerow((result.row, _cell(result.id), result.status,
                             result.disposition or "", result.main_red_flag or "",
                             ";".join(result.fired) if fired and result.fired else "",
                             result.error_kind or "",
                             _cell(result.error)))
        if tick is not None and summary.rows % tick_every == 0:
            tick(summary.rows)
    if tick is not None:
        tick(summary.rows)
    return summary

