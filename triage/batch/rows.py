"""What a batch row becomes: a :class:`RowResult`, its error kinds, and the batch's limits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

ID_COLUMNS = ("id", "ref")
OK = "ok"
ERROR = "error"

# error kinds (the ``error_kind`` field)
BAD_VALUE = "bad_value"
UNKNOWN_COLUMN = "unknown_column"
MALFORMED = "malformed"  # not JSON, not an object, wrong number of CSV cells, line too long
MISSING_SAFETY = "missing_safety_answers"
# an answer to a question that does not apply with the row's other answers states a warning
# sign more urgent than the row's result (triage.engine.hidden): the row contradicts itself
IGNORED_WARNING_SIGN = "ignored_warning_sign"
INTERNAL = "internal_error"  # a bug met on this row: reported on the row, the others go on
ERROR_KINDS = (MISSING_SAFETY, IGNORED_WARNING_SIGN, BAD_VALUE, UNKNOWN_COLUMN, MALFORMED,
               INTERNAL)

FORMATS = ("csv", "jsonl")
# One physical line larger than this is reported as a malformed row instead of being read
# whole: a file without newlines must not be able to take all the memory.
MAX_LINE_BYTES = 1 << 20
# A quoted CSV cell may list answers over several lines (a multiple-choice cell from a
# spreadsheet); one running on longer than this is a quote not closed, not a list.
MAX_ROW_LINES = 64
ERROR_ROWS_KEPT = 20  # the summary lists this many error row numbers, not all of them
# A CSV cell can't say "answered, none of them" by being empty (empty = not answered, which
# fails closed for safety questions): it says "none". A cell of separators only (";") is
# refused: it is what joining empty cells makes, no answer at all.
NONE_CHOSEN = "none"
MULTI_CELLS_REMEMBERED = 2048  # per multiple-choice column (memory stays bounded)

RESULT_FIELDS = ("row", "id", "status", "disposition", "main_red_flag", "fired", "error_kind",
                 "error")


class BatchInputError(Exception):
    """The input as a whole cannot be read (for example a CSV header naming a column twice);
    ``line``: where in the file, when known (the header is line 1)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class RowResult(NamedTuple):
    """One row's result. A named tuple, not a frozen dataclass: as immutable, and made about
    four times faster (a frozen dataclass sets each field through ``object.__setattr__``; at
    40k rows a second that was 5% of a row)."""

    row: int
    id: str | None
    status: str  # ok | error
    disposition: str | None = None
    main_red_flag: str | None = None
    fired: tuple[str, ...] | None = ()  # None: not worked out (batch without --fired)
    error_kind: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "id": self.id, "status": self.status,
                "disposition": self.disposition, "main_red_flag": self.main_red_flag,
                "fired": None if self.fired is None else list(self.fired),
                "error_kind": self.error_kind, "error": self.error}


def missing_message(questions: Iterable[str]) -> str:
    names = list(questions)
    noun = "question" if len(names) == 1 else "questions"
    return f"needs a doctor review: safety {noun} {', '.join(names)} not answered"


class _Bad(Exception):
    """A value that is not an answer; the message says why (built by ``normalise``).
    ``value``: the value as given to ``normalise``, and ``question``, where known: what can
    be read of it may still state a warning sign (:func:`triage.engine.refusal.screen_readable`)."""

    value: Any = None
    question: str = ""

