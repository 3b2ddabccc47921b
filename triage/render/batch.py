"""Batch screening on the terminal: the progress bar and the end-of-run summary."""

from __future__ import annotations

from typing import Any

from triage.batch.rows import ERROR_KINDS
from triage.engine.policy import URGENCY
from triage.i18n_counts import how_many
from triage.text import printable


class BatchProgress:
    """A progress bar on standard error (bytes of the input read, rows screened).

    The CLI creates one only when standard error is a terminal; ``update`` is cheap to call
    every few hundred rows.
    """

    def __init__(self, total_bytes: int | None) -> None:
        from rich.console import Console  # lazy: rich only when progress is shown
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("Screening"), BarColumn(), TextColumn("{task.fields[rows]:,} rows"),
            TimeElapsedColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task("batch", total=total_bytes, rows=0)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, bytes_read: int, rows: int) -> None:
        self._progress.update(self._task, completed=bytes_read, rows=rows)


RED = "\x1b[1;37;41m"  # bold white on red, as the questionnaire's emergency line
RESET = "\x1b[0m"
# what each act-now disposition tells the person reading the summary
_ACT_NOW_WORDS = {"emergency": "EMERGENCY (call 911 now)",
                  "emergency_department": "EMERGENCY DEPARTMENT (go now)"}


def batch_summary_text(summary: Any, out_name: str, *, color: bool = False) -> str:
    """The end-of-run summary of ``triage batch`` (a :class:`triage.batch.writing.BatchSummary`).

    Emergencies first, in words (and in red on a terminal), with their row numbers: they are
    the rows someone must act on now. Counts and row numbers only: never answers, which may be
    clinical. The file name is made printable here: the colour sequences are then the only
    escapes in the text (the CLI lets those through, :func:`triage.cli.output.err`).
    """
    out_name = printable(out_name)

    lines = []
    for disposition, kept in summary.act_now_rows.items():
        count = summary.act_now[disposition]
        if count:
            rows = ", ".join(str(r) for r in kept)
            more = ", ..." if count > len(kept) else ""
            errors = summary.act_now_errors[disposition]
            # an error row here is one whose other answers already prove the emergency
            among = f" ({errors:,} of them with errors)" if errors else ""
            said = (f"{_ACT_NOW_WORDS.get(disposition, disposition)}: "
                    f"{how_many(count, 'row', 'rows')}"
                    f"{among}: {rows}{more}")
            lines.append(f"{RED} {said} {RESET}" if color else said)
    lines.append(f"Screened {how_many(summary.rows, 'row', 'rows')}: {summary.ok:,} ok, "
                 f"{summary.errors:,} with errors.")
    for disposition in sorted(summary.by_disposition, key=lambda d: -URGENCY.get(d, -1)):
        lines.append(f"  {disposition:<24} {summary.by_disposition[disposition]:>9,}")
    if summary.errors:
        lines.append(f"  {'errors':<24} {summary.errors:>9,}")
        for kind in ERROR_KINDS:
            if summary.by_error_kind[kind]:
                lines.append(f"    {kind.replace('_', ' '):<22} {summary.by_error_kind[kind]:>9,}")
        shown = ", ".join(str(r) for r in summary.error_rows)
        more = ", ..." if summary.errors > len(summary.error_rows) else ""
        lines.append(f"Rows with errors: {shown}{more} (see {out_name})")
    lines.append(f"Results: {out_name}")
    return "\n".join(lines) + "\n"
