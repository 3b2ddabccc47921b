"""Screening one row: answers to a :class:`~triage.batch.rows.RowResult`.

Every row gives a result, never nothing: ``status`` is ``ok`` (disposition, main red flag,
fired rule ids) or ``error`` (``error_kind`` and a reason). A red-flag or strike question that
applies and has no answer is never taken as "no": the row is an error that needs a doctor's
review (fail closed, the same rule as :func:`triage.engine.evaluate.evaluate`), naming any red
flag that already applies. A warning sign answered to a question that does not apply, more
urgent than the row's result, makes the row an error too (``ignored_warning_sign``: see
:mod:`triage.engine.hidden`; also when a safety answer is missing, both named, worded as
:mod:`triage.engine.refusal` words them for every entry point). An error row still carries
a disposition when its valid answers already make a medical one certain (chest pain next to
a typo in another cell).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from triage.batch.parsers import Parser, _cells_reader, _json_parser
from triage.batch.rows import (
    BAD_VALUE,
    ERROR,
    ID_COLUMNS,
    IGNORED_WARNING_SIGN,
    MALFORMED,
    MISSING_SAFETY,
    OK,
    UNKNOWN_COLUMN,
    BatchInputError,
    RowResult,
    _Bad,
    missing_message,
)
from triage.conditions.tree import QuestionShape
from triage.engine.answers import SUGGESTED_KEYS
from triage.engine.evaluate import (
    Head,
    LoudAnswers,
    MissingAnswers,
    Outcome,
    assess_partial,
    evaluate,
    head_of_checked_answers,
    outcome_when_stopped,
)
from triage.engine.hidden import (
    HiddenWarningSign,
    already_given_text,
    hidden_warning_signs,
    hidden_warning_signs_of_head,
    hidden_warning_signs_with_gaps,
)
from triage.engine.policy import MEDICAL, main_red_flag
from triage.engine.refusal import Screened, screen_readable, sign_messages
from triage.pack.compiled import CompiledPack
from triage.problems import did_you_mean
from triage.untrusted import printable_key

# warning signs whose message a screener keeps (memory stays flat)
SIGN_TEXTS_KEPT = 4096


class Screener:
    """Screens rows for one pack; build once, call for every row."""

    def __init__(self, pack: CompiledPack, *, fired: bool = True) -> None:
        """``fired``: work out the ids of the rules that hold for each ok row (the reasons;
        ``triage batch --fired``), else leave them out (None)."""
        self.pack = pack
        self.fired = fired
        self.shapes = pack.shapes
        self.id_columns = tuple(c for c in ID_COLUMNS if c not in pack.shapes)
        self._json_parsers = {qid: _json_parser(s) for qid, s in pack.shapes.items()}
        # a CSV row's outcome straight from its cells (see CsvPlan): made with the first plan
        self._head: Callable[..., Head] | None = None
        # did-you-means of unknown columns, worked out once each (a CSV's unknown column
        # comes back on every row); a bounded number, as in triage.engine.answers
        self._hints: dict[str, str] = {}
        self._already: dict[tuple[str, str | None], str] = {}  # (see _error_row)
        # the message of each warning sign stated where it does not apply, by what it says
        # (flag, questions, gates): rows that state them repeat a few hundred
        self._sign_texts: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}

    # -- outcome ------------------------------------------------------------------------------

    def outcome(self, row: int, ident: str | None, answers: dict[str, Any]) -> RowResult:
        """The result for normalised answers.

        ``evaluate`` runs the pack's compiled decision function first and turns to
        three-valued logic only when a question that may apply has no answer; the fired
        rules, when asked for, are worked out from a second compiled function.
        """
        try:
            result = evaluate(self.pack, answers)
        except MissingAnswers as exc:
            return self._missing(row, ident, answers, exc.questions)
        if result.ignored_answers:  # (only then: the common row pays for this test alone)
            signs = hidden_warning_signs(self.pack, answers, result)
            if signs:
                return self._refused_for_signs(row, ident, signs, result.disposition,
                                               result.main_red_flag)
        return RowResult(row, ident, OK, result.disposition, result.main_red_flag,
                         tuple(r.id for r in result.fired) if self.fired else None)

    def loud_outcome(self, row: int, ident: str | None, answers: dict[str, Any],
                     loud: LoudAnswers) -> RowResult:
        """:meth:`outcome` of a row without fired ids whose head came straight from its cells
        and may state a warning sign where it does not apply (``loud``: the head, and the
        questions that do not apply): the same result, with no evaluation again."""
        disposition, main = loud.head[0], loud.head[1]
        signs = hidden_warning_signs_of_head(self.pack, answers, loud.ignored, disposition,
                                             loud.stating)
        if signs:
            return self._refused_for_signs(row, ident, signs, disposition, main)
        return RowResult(row, ident, OK, disposition, main, None)

    def _refused_for_signs(self, row: int, ident: str | None,
                           signs: tuple[HiddenWarningSign, ...], disposition: str,
                           main: str | None) -> RowResult:
        """The error row of answers that state ``signs`` where they do not apply; what the
        other answers already give (``disposition``, ``main``) said once, at the end."""
        texts = []
        for sign in signs:
            key = (sign.rule.id, sign.questions, sign.gates)
            text = self._sign_texts.get(key)
            if text is None:
                text = "; ".join(str(message) for _, message in sign_messages(
                    self.pack, Screened(None, (), (sign,)), already=False))
                if len(self._sign_texts) < SIGN_TEXTS_KEPT:
                    self._sign_texts[key] = text
            texts.append(text)
        return self._error_row(row, ident, [(IGNORED_WARNING_SIGN, "; ".join(texts))],
                               disposition, main)

    def _missing(self, row: int, ident: str | None, answers: dict[str, Any],
                 questions: list[str]) -> RowResult:
        """Fail closed; but name a red flag that has already fired (the row is at least that
        urgent, and may be more once the missing answers are known). A warning sign answered
        where it does not apply is named too, first (the row contradicts itself: its kind),
        so that the row is corrected once, not once per reason."""
        message = missing_message(questions)
        partial = assess_partial(self.pack, answers)
        rule = main_red_flag(r for r, t in zip(self.pack.rules, partial.truths, strict=True)
                             if t is True)
        main = None
        if rule is not None:
            main = rule.id
            message += (f" (red flag {rule.id} already applies: {rule.disposition} "
                        f"or more urgent)")
        kind = MISSING_SAFETY
        if partial.states.ignored:  # (only then: most rows with a gap pay nothing more)
            screened = Screened(None, tuple(questions), hidden_warning_signs_with_gaps(
                self.pack, answers, partial))
            if screened.signs:
                kind = IGNORED_WARNING_SIGN
                message = "; ".join([*(m for _, m in sign_messages(self.pack, screened)),
                                     message])
        return RowResult(row, ident, ERROR, None, main, error_kind=kind, error=message)

    # -- rows as mappings (JSONL, or any iterable of dicts) -----------------------------------

    def screen_mapping(self, row: int, data: Mapping[str, Any]) -> RowResult:
        ident: str | None = None
        answers: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        refused: dict[str, Any] = {}
        parsers = self._json_parsers
        for key, value in data.items():
            parse = parsers.get(key)
            if parse is None:
                if key in self.id_columns:
                    if value is None or type(value) in (str, int):  # not bool, list, ...
                        ident = None if value is None else str(value)
                    else:
                        problems.append((BAD_VALUE, f"'{key}' must be text or a whole number"))
                    continue
                problems.append((UNKNOWN_COLUMN, self._unknown(key)))
                continue
            if value is None:
                continue
            try:
                answers[key] = parse(value)
            except _Bad as exc:
                problems.append((BAD_VALUE, str(exc)))
                refused[key] = value
        if problems:
            return self.error(row, ident, problems, answers, refused=refused)
        return self.outcome(row, ident, answers)

    def error(self, row: int, ident: str | None, problems: list[tuple[str, str]],
              valid: dict[str, Any], known: Outcome | None = None, *,
              refused: Mapping[str, Any] | None = None) -> RowResult:
        """An error row; it still names a red flag that the valid answers already prove.

        A row with one bad cell and "chest pain: yes" must not hide the emergency behind
        "error": when the other answers make a medical disposition certain whatever the bad
        cells hold (they count as unanswered), the row carries that disposition too.
        ``known``: the outcome of the valid answers, when it was made already (a row whose
        answers are all valid, refused for what they say). ``refused``: the bad cells'
        values (question id -> value): a warning sign that the valid answers, or what can be
        read of a bad one, state where it does not apply is named first, as in a row whose
        cells are all valid (the row is corrected once, not once per reason).
        """
        if refused is not None:
            screened = screen_readable(self.pack, valid, refused)[0]
            problems = [*((IGNORED_WARNING_SIGN, m) for _, m
                          in sign_messages(self.pack, screened, already=False)), *problems]
        if known is None and valid:
            partial = assess_partial(self.pack, valid)
            if partial.disposition in MEDICAL:
                known = outcome_when_stopped(self.pack, valid)
        if known is None:
            return self._error_row(row, ident, problems, None, None)
        return self._error_row(row, ident, problems, known.disposition, known.main_red_flag)

    def _error_row(self, row: int, ident: str | None, problems: list[tuple[str, str]],
                   disposition: str | None, main: str | None) -> RowResult:
        """An error row of ``problems`` (the first names its kind), carrying what the valid
        answers give when that is a medical result, and saying so once at the end."""
        message = "; ".join(msg for _, msg in problems)
        if disposition not in MEDICAL:
            disposition = main = None
        else:
            already = self._already.get((disposition, main))
            if already is None:  # (one per disposition and red flag: a pack's few dozen)
                already = self._already[disposition, main] = str(
                    already_given_text(disposition, main))
            message += already
        return RowResult(row, ident, ERROR, disposition, main, error_kind=problems[0][0],
                         error=message)

    def _unknown(self, name: str) -> str:
        if not name.strip():
            return "a column without a name"
        hint = self._hints.get(name)
        if hint is None:
            hint = ""
            if len(name) <= 100 and len(self._hints) < SUGGESTED_KEYS:
                hint = self._hints[name] = did_you_mean(name, self.shapes)
        return (f"unknown column '{printable_key(name)}': not a question of pack "
                f"{self.pack.id}{hint}")

    # -- CSV ----------------------------------------------------------------------------------

    def csv_plan(self, header: list[str]) -> CsvPlan:
        names = [h.strip() for h in header]
        seen: dict[str, int] = {}
        for number, name in enumerate(names, start=1):
            if name and name in seen:
                raise BatchInputError(f"the CSV header names the column "
                                      f"'{printable_key(name)}' twice (columns {seen[name]} "
                                      f"and {number})", line=1)
            seen[name] = number
        columns: list[tuple[int, str, QuestionShape]] = []
        unknown: list[tuple[int, str]] = []
        id_index: int | None = None
        for i, name in enumerate(names):
            if name in self.shapes:
                columns.append((i, name, self.shapes[name]))
            elif name in self.id_columns and id_index is None:
                id_index = i
            else:
                unknown.append((i, name))
        head = None
        if not self.fired:  # the reasons need the whole outcome: not worth a quick path
            if self._head is None:
                self._head = head_of_checked_answers(self.pack)
            head = self._head
        readers = _cells_reader(columns, head, self.pack.question_order)
        return CsvPlan(self, len(names),
                       tuple((i, name, readers.parsers[name]) for i, name, _ in columns),
                       tuple(unknown), id_index, readers.read, readers.known,
                       readers.row_head)


class CsvPlan:
    """How to read the cells of each row of one CSV file (built from its header).

    ``screen(row, cells)``: the row's result. A function made for the file, so that the common
    row (the right number of cells, each a known answer, no column outside the pack) costs one
    look-up per cell and the screening; any other row goes through :meth:`screen_cells`.
    Without fired rule ids (``row_head`` given), such a row (empty cells allowed, for
    questions that do not apply) goes from its cells to the outcome's first fields, with no
    answers dictionary and no outcome object.
    """

    def __init__(self, screener: Screener, width: int,
                 columns: tuple[tuple[int, str, Parser], ...],
                 unknown: tuple[tuple[int, str], ...], id_index: int | None,
                 read: Callable[[list[str]], tuple[dict[str, Any], list[_Bad]]],
                 known: Callable[[list[str]], dict[str, Any]],
                 row_head: Callable[[list[str]], Head] | None = None) -> None:
        self.screener = screener
        self.width = width
        self.columns = columns  # (cell index, question id, parser)
        self.unknown = unknown  # (cell index, header name)
        self.id_index = id_index
        self.read = read
        self.known = known
        self.row_head = row_head
        self.screen: Callable[[int, list[str]], RowResult] = (
            self.screen_cells if unknown else self._quick_screen() if row_head is None
            else self._head_screen(row_head))

    @property
    def unknown_columns(self) -> list[str]:
        return [name for _, name in self.unknown]

    def _quick_screen(self) -> Callable[[int, list[str]], RowResult]:
        width, known, index = self.width, self.known, self.id_index
        outcome, screen_cells = self.screener.outcome, self.screen_cells

        def screen(row: int, cells: list[str]) -> RowResult:
            if len(cells) == width:
                try:
                    answers = known(cells)
                except KeyError:  # a cell to strip, parse or report, or an empty one
                    return screen_cells(row, cells)
                return outcome(row, None if index is None else cells[index].strip() or None,
                               answers)
            return screen_cells(row, cells)
        return screen

    def _head_screen(self, row_head: Callable[[list[str]], Head]
                     ) -> Callable[[int, list[str]], RowResult]:
        width, index, screen_cells = self.width, self.id_index, self.screen_cells
        read, loud_outcome = self.read, self.screener.loud_outcome

        def screen(row: int, cells: list[str]) -> RowResult:
            if len(cells) == width:
                try:
                    disposition, main, _, _ = row_head(cells)
                except LoudAnswers as loud:  # a warning sign may be stated where it does
                    # not apply: looked for with the head and the ignored questions (every
                    # cell is a known answer or empty: read gives the answers, no problem)
                    return loud_outcome(
                        row, None if index is None else cells[index].strip() or None,
                        read(cells)[0], loud)
                except KeyError:  # a cell to strip, parse or report; or an answer missing
                    return screen_cells(row, cells)
                return RowResult(row, None if index is None else cells[index].strip() or None,
                                 OK, disposition, main, None)
            return screen_cells(row, cells)
        return screen

    def screen_cells(self, row: int, cells: list[str]) -> RowResult:
        """Any row's result, each cell stripped and parsed (or reported) in turn."""
        ident = None
        if self.id_index is not None and self.id_index < len(cells):
            ident = cells[self.id_index].strip() or None
        if len(cells) != self.width:
            if ident is not None and ("," in ident or '"' in ident):
                ident = None  # a quoted cell that took in the row's other cells: not an id
            return RowResult(row, ident, ERROR, error_kind=MALFORMED,
                             error=f"the row has {len(cells)} cells, the header has "
                                   f"{self.width}")
        answers, bad = self.read(cells)
        problems = [(BAD_VALUE, str(exc)) for exc in bad]
        for index, name in self.unknown:
            if cells[index].strip():
                problems.append((UNKNOWN_COLUMN, self.screener._unknown(name)))
        if problems:
            return self.screener.error(row, ident, problems, answers,
                                       refused={exc.question: exc.value for exc in bad})
        return self.screener.outcome(row, ident, answers)

