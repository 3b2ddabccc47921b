"""Answers: checking and normalising them against a pack's questions.

Normal forms: yes/no -> ``"yes"``/``"no"``; single choice -> the option id; multiple choice ->
a ``frozenset`` of option ids; number -> ``int`` (whole-number questions) or ``float``.
A ``null`` answer means "not answered".
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from triage.conditions.tree import MULTI, SINGLE, YES_NO, QuestionShape
from triage.problems import Problem, ProblemsError, did_you_mean, display_path

Answers = dict[str, Any]
# the words accepted for yes/no answers in files and batch cells, and their normal form
YES_NO_WORDS = {"yes": "yes", "y": "yes", "true": "yes", "no": "no", "n": "no", "false": "no"}


def normalise(shape: QuestionShape, value: Any) -> tuple[Any, str]:
    """(normal form, "") or (None, why the value is not an answer to this question)."""
    if shape.type == YES_NO:
        if isinstance(value, bool):
            return ("yes" if value else "no"), ""
        if isinstance(value, str) and value.strip().lower() in YES_NO_WORDS:
            return YES_NO_WORDS[value.strip().lower()], ""
        return None, f"'{shape.id}' is a yes/no question: answer yes or no (got {value!r})"
    if shape.type == SINGLE:
        if isinstance(value, str) and value in shape.options:
            return value, ""
        return None, (f"{value!r} is not an answer of '{shape.id}' (answers: "
                      f"{', '.join(shape.options)}){did_you_mean(str(value), shape.options)}")
    if shape.type == MULTI:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset):
            return None, f"'{shape.id}' takes a list of answers ({', '.join(shape.options)})"
        bad = [x for x in items if x not in shape.options]
        if bad:
            return None, (f"{bad[0]!r} is not an answer of '{shape.id}' (answers: "
                          f"{', '.join(shape.options)}){did_you_mean(str(bad[0]), shape.options)}")
        return frozenset(items), ""
    # number
    number: float | int
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, f"'{shape.id}' takes a number (got {value!r})"
    try:
        number = float(value) if isinstance(value, str) else value
        # NaN, infinities and ints too large for a float are not answers; the integer check
        # below would otherwise raise OverflowError ("inf", 1e999, 10**400)
        finite = math.isfinite(number)
    except (ValueError, OverflowError):
        finite = False
    if not finite:
        return None, f"'{shape.id}' takes a number (got {value!r})"
    if shape.integer:
        if float(number) != int(number):
            return None, f"'{shape.id}' takes a whole number (got {value!r})"
        number = int(number)
    if (shape.min is not None and number < shape.min) or \
            (shape.max is not None and number > shape.max):
        return None, (f"{value!r} is out of range for '{shape.id}' "
                      f"({_num(shape.min)} to {_num(shape.max)})")
    return number, ""


def _num(v: float | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else str(v)


def check_answers(raw: Mapping[str, Any], shapes: Mapping[str, QuestionShape],
                  ) -> tuple[Answers, list[tuple[str, str]]]:
    """Normalised answers and (question id, message) for every answer that is not valid."""
    out: Answers = {}
    problems: list[tuple[str, str]] = []
    for key, value in raw.items():
        shape = shapes.get(key)
        if shape is None:
            problems.append((key, f"unknown question '{key}'{did_you_mean(key, shapes)}"))
            continue
        if value is None:
            continue
        normal, why = normalise(shape, value)
        if why:
            problems.append((key, why))
        else:
            out[key] = normal
    return out, problems


MAX_ANSWER_FILE_BYTES = 1_000_000


def read_answers_file(path: Path | None, text: str | None = None) -> dict[str, Any]:
    """Raw answers from a YAML or JSON file (or ``text`` read from stdin); ProblemsError.

    JSON (text starting with ``{``) is read with the standard library, which starts faster
    than the YAML reader; duplicate keys are refused in both.
    """
    return read_answers_located(path, text)[0]


Locate = Callable[[str, bool], tuple[int, int]]  # (question id, the key?) -> (line, column)


def read_answers_located(path: Path | None, text: str | None = None,
                         ) -> tuple[dict[str, Any], Locate]:
    """As :func:`read_answers_file`, with where each answer is in the file, so a problem is
    reported at its own line (``answers.yaml:13:7``), not at the top of the file."""
    shown = display_path(path) if path else "<stdin>"
    if text is None:
        assert path is not None
        try:
            size = path.stat().st_size
            if size > MAX_ANSWER_FILE_BYTES:
                raise ProblemsError([Problem(shown, 1, 1, f"the file is too large ({size:,} "
                                                         f"bytes)")])
            raw = path.read_bytes()
        except OSError as exc:
            raise ProblemsError([Problem(shown, 1, 1, f"cannot read the file: "
                                                      f"{exc.strerror or exc}")]) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            from triage.pack.yamlio import parse_yaml_bytes  # lazy: YAML only for YAML files

            _, problems = parse_yaml_bytes(raw, shown)  # locates the bad byte
            raise ProblemsError(problems) from None
    nested: list[str] = []
    if text.lstrip().startswith("{"):
        doc_data: Any = _json_answers(text, shown)
        source = text

        def locate(qid: str, key: bool) -> tuple[int, int]:
            at = source.find(json.dumps(qid))
            if at < 0:
                return 1, 1
            if not key:  # the value: after the colon that follows the key
                colon = source.find(":", at + len(json.dumps(qid)))
                at = colon + 1 + len(source[colon + 1:]) - len(source[colon + 1:].lstrip())
            line = source.count("\n", 0, at) + 1
            return line, at - (source.rfind("\n", 0, at) + 1) + 1
    else:
        from triage.pack.yamlio import parse_yaml_text  # lazy: YAML only for YAML files

        doc, problems = parse_yaml_text(text, shown)
        if problems or doc is None:
            raise ProblemsError(problems)
        doc_data = doc.data
        located = doc

        def locate(qid: str, key: bool) -> tuple[int, int]:
            return located.mark((*nested, qid), key=key)
    if isinstance(doc_data, dict) and set(doc_data) == {"answers"}:
        doc_data = doc_data["answers"]
        nested.append("answers")
    if not isinstance(doc_data, dict):
        raise ProblemsError([Problem(shown, 1, 1, "answers must be a mapping of question id "
                                                  "to answer, e.g. 'fever: no'")])
    return doc_data, locate


def _json_answers(text: str, shown: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"duplicate key '{key}'")
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise ProblemsError([Problem(shown, exc.lineno, exc.colno,
                                     f"invalid JSON: {exc.msg}")]) from None
    except ValueError as exc:
        raise ProblemsError([Problem(shown, 1, 1, str(exc))]) from None
