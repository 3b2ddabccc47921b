"""Answers: checking and normalising them against a pack's questions.

Normal forms: yes/no -> ``"yes"``/``"no"``; single choice -> the option id; multiple choice ->
a ``frozenset`` of option ids; number -> ``int`` (whole-number questions) or ``float``.
A ``null`` answer means "not answered".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from triage.conditions.tree import MULTI, SINGLE, YES_NO, QuestionShape
from triage.engine.answer_places import Locate, json_locator
from triage.i18n_said import Said
from triage.problems import (
    Problem,
    ProblemsError,
    closest,
    display_path,
)
from triage.untrusted import (
    EXACT_DIGITS,
    InputError,
    Rounded,
    RoundedWhole,
    check_depth,
    decimal_number,
    decode_utf8,
    printable_key,
    read_regular_file,
    strict_json,
)

Answers = dict[str, Any]
# the words accepted for yes/no answers in files and batch cells, and their normal form
YES_NO_WORDS = {"yes": "yes", "y": "yes", "true": "yes", "no": "no", "n": "no", "false": "no"}
# what is wrong with a number as an answer (see number_answer)
NOT_A_NUMBER, NOT_WHOLE, OUT_OF_RANGE = "not_a_number", "not_whole", "out_of_range"
TOO_PRECISE = "too_precise"
# what the questionnaire says for each (triage.i18n keys)
NUMBER_MESSAGE_KEYS = {NOT_A_NUMBER: "number_expected", NOT_WHOLE: "whole_number_expected",
                       OUT_OF_RANGE: "out_of_range", TOO_PRECISE: "too_precise"}


def _option_any_case(value: str, options: tuple[str, ...]) -> str:
    """The one option ``value`` names in another case (stripped), or ""."""
    folded = value.strip().casefold()
    found = [o for o in options if o.casefold() == folded]
    return found[0] if len(found) == 1 else ""


def normalise(shape: QuestionShape, value: Any) -> tuple[Any, str]:
    """(normal form, "") or (None, why the value is not an answer to this question).

    The reason names the question and its allowed answers, never the value given: messages
    end up on screens and in logs, and a value can be health data or terminal escapes.
    """
    if shape.type == YES_NO:
        if isinstance(value, bool):
            return ("yes" if value else "no"), ""
        if isinstance(value, str) and value.strip().lower() in YES_NO_WORDS:
            return YES_NO_WORDS[value.strip().lower()], ""
        return None, Said("answer_yes_no", question=shape.id)
    if shape.type == SINGLE:
        if isinstance(value, str) and value in shape.options:
            return value, ""
        if isinstance(value, str) and (same := _option_any_case(value, shape.options)):
            return same, ""  # "No" for the option "no", as yes/no answers take any case
        hint = _hint(value, shape.options) if isinstance(value, str) \
            and len(value) <= 100 else ""
        return None, Said("answer_not_option", question=shape.id,
                          options=", ".join(shape.options), hint=hint)
    if shape.type == MULTI:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset):
            return None, Said("answer_list", question=shape.id,
                              options=", ".join(shape.options))
        items = [_option_any_case(x, shape.options) or x if isinstance(x, str)
                 and x not in shape.options else x for x in items]
        bad = _not_options(shape, items)
        if bad:
            return None, _not_an_option(shape, bad[0][1])
        return frozenset(items), ""
    # number
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, Said("answer_number", question=shape.id)
    number = decimal_number(value) if isinstance(value, str) else value
    if number is None:
        return None, Said("answer_digits", question=shape.id)
    normal, wrong = number_answer(shape, number)
    if wrong == NOT_WHOLE:
        return None, Said("answer_whole", question=shape.id)
    if wrong == TOO_PRECISE:
        return None, Said("answer_precise", question=shape.id, digits=EXACT_DIGITS)
    if wrong == OUT_OF_RANGE:
        return None, Said("answer_range", question=shape.id, min=_num(shape.min),
                          max=_num(shape.max))
    if wrong:
        return None, Said("answer_number", question=shape.id)
    return normal, ""


def _not_options(shape: QuestionShape, items: Iterable[Any]) -> list[tuple[int, Any]]:
    """(place, item) of each item of a multiple-choice answer that is not one of its options
    in any case."""
    return [(i, x) for i, x in enumerate(items)
            if not (isinstance(x, str) and (x in shape.options
                                            or _option_any_case(x, shape.options)))]


def _not_an_option(shape: QuestionShape, item: Any) -> str:
    """Why ``item`` of a multiple-choice answer is not one of its options, with a
    did-you-mean for that item (never the item itself: see :func:`normalise`)."""
    hint = _hint(item, shape.options) if isinstance(item, str) and len(item) <= 100 else ""
    return Said("answer_not_options", question=shape.id, options=", ".join(shape.options),
                hint=hint)


def item_problems(shape: QuestionShape, value: Any) -> list[tuple[int, str]]:
    """(place in the list, why) for every item of a multiple-choice answer written as a list
    that is not one of the question's options, each with its own did-you-mean, so that a
    file's reader can point at each item where it is written (``areas: [lower_back, elbw]``:
    two problems, not one at the list). [] for any other answer: a valid one, one given
    without its list (its problem is at the value), or no list at all (``answer_list``).
    An item accepted by :func:`normalise` (an option in another case) is no problem here."""
    if shape.type != MULTI or not isinstance(value, list | tuple):
        return []
    return [(i, _not_an_option(shape, x)) for i, x in _not_options(shape, value)]


def readable_part(shape: QuestionShape, value: Any) -> frozenset[str] | None:
    """What an answer ``normalise`` refuses still says for sure, in normal form, else None:
    of a multiple choice, the options this pack has (``[saddle_numbness, an_old_option]``
    still ticks saddle_numbness). Such an answer is dropped, but a warning sign it states must
    not be dropped with it (:func:`triage.engine.refusal.screen_readable`). Any other refused
    answer says nothing the pack's conditions can read: a yes/no or choice it does not have,
    or a number outside the range its conditions are written for."""
    if shape.type != MULTI or not isinstance(value, str | list | tuple | set | frozenset):
        return None
    items = [value] if isinstance(value, str) else value
    known = frozenset(x if x in shape.options else _option_any_case(x, shape.options)
                      for x in items if isinstance(x, str)) - {""}
    return known or None


def number_answer(shape: QuestionShape, number: float) -> tuple[float | None, str]:
    """(the answer, "") or (None, NOT_A_NUMBER | NOT_WHOLE | OUT_OF_RANGE): the one judgement
    of a number, whether it was typed, read from a file or sent to the API.

    A number too large for a float (an infinity, or a 39-digit int) is out of range, as any
    number past the bounds is; it is no number only where the question has no bound there.
    """
    if number != number:  # NaN
        return None, NOT_A_NUMBER
    if shape.integer and (isinstance(number, RoundedWhole) or (
            isinstance(number, float) and math.isfinite(number) and not number.is_integer())):
        return None, NOT_WHOLE  # (an int is whole, however large: float() would round it)
    # exact comparisons: Python compares an int of any size with a float without rounding
    if (shape.min is not None and number < shape.min) or \
            (shape.max is not None and number > shape.max):
        return None, OUT_OF_RANGE
    try:
        finite = math.isfinite(number)
    except OverflowError:  # an int too large for a float, with no bound to be out of
        finite = False
    if not finite:
        return None, NOT_A_NUMBER
    if isinstance(number, Rounded):
        # a float compares as the number written only if it is that number's shortest form
        # (H40): 45.0000000000000001 would be 45, not past a bound of 45
        return None, TOO_PRECISE
    if shape.integer:
        return int(number), ""
    return (number if isinstance(number, int) else float(number)), ""


def _num(v: float | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else str(v)


def _hint(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` in any language (:class:`Said`), or ""."""
    close = closest(word, candidates)
    return Said("answer_did_you_mean", word=close) if close else ""


SUGGESTED_KEYS = 20  # unknown keys given a did-you-mean; the rest are only named

_JSON_TYPES = {str: "a string", bool: "true or false", list: "a list", dict: "an object"}


def json_type_problem(shape: QuestionShape, value: Any) -> str:
    """Why a JSON ``value`` (from ``POST /api/assess``, written by a program) is not of the
    type question ``shape`` takes, or "". A file typed by people is read leniently (an age of
    "35", one area written without its list): a program that sends a number as a string, or a
    list as one string, has mixed up its fields, and is told so rather than guessed at. Says
    the type given, never the value (health data). ``null`` (not answered) is of every type."""
    if value is None:
        return ""
    if shape.type == MULTI:
        ok, wanted = isinstance(value, list), "a list of answers, e.g. [\"" + (
            shape.options[0] if shape.options else "x") + "\"]"
    elif shape.type == YES_NO:
        ok, wanted = isinstance(value, str | bool), "\"yes\" or \"no\""
    elif shape.type == SINGLE:
        ok, wanted = isinstance(value, str), "one answer as a string, e.g. \"" + (
            shape.options[0] if shape.options else "x") + "\""
    else:  # a number question
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        wanted = "a JSON number"
    if ok:
        return ""
    given = next((said for kind, said in _JSON_TYPES.items() if isinstance(value, kind)),
                 "a number")
    return f"'{shape.id}' takes {wanted}, not {given}"


def check_answers(raw: Mapping[str, Any], shapes: Mapping[str, QuestionShape],
                  ) -> tuple[Answers, list[tuple[str, str]]]:
    """Normalised answers and (question id, message) for every answer that is not valid."""
    out: Answers = {}
    problems: list[tuple[str, str]] = []
    suggested = 0
    for key, value in raw.items():
        shape = shapes.get(key)
        if shape is None:
            shown = printable_key(key)
            # a did-you-mean compares the key with every question id: for the first few
            # only, so that a file (or web form) of thousands of unknown keys costs no more
            # than reading them (70,000 keys took 20 s)
            hint: str = ""
            if len(key) <= 100 and suggested < SUGGESTED_KEYS:
                suggested += 1
                hint = _hint(key, shapes)
            problems.append((shown, Said("answer_unknown", question=shown, hint=hint)))
            continue
        if value is None:
            continue
        normal, why = normalise(shape, value)
        if why:
            problems.append((key, why))
        else:
            out[key] = normal
    return out, problems


def read_answers_file(path: Path | None, raw: bytes | None = None) -> dict[str, Any]:
    """Raw answers from a YAML or JSON file (or ``raw`` bytes read from standard input);
    raises ProblemsError.

    Read by :mod:`triage.untrusted` (size, depth, number and file-type limits);
    JSON (text starting with ``{``) is parsed strictly with the standard library, which starts
    faster than the YAML reader; such text that is not JSON is read as YAML (flow style,
    ``{age: 38}``) unless the file is named ``.json``; duplicate keys are refused in both.
    """
    return read_answers_located(path, raw)[0]



def read_answers_located(path: Path | None, raw: bytes | None = None,
                         ) -> tuple[dict[str, Any], Locate]:
    """As :func:`read_answers_file`, with where each answer is in the file, so a problem is
    reported at its own line (``answers.yaml:13:7``), not at the top of the file."""
    shown = display_path(path) if path else "<stdin>"
    nested: list[str] = []
    locate: Locate
    try:
        if raw is None:
            assert path is not None
            raw = read_regular_file(path)
        text = decode_utf8(raw)
        data: Any = None
        if text.lstrip().startswith("{"):
            try:
                data = strict_json(text)
                locate = json_locator(text, nested)
            except InputError:
                # YAML's flow style starts with "{" too ({age: 38, areas: [neck]}): only a
                # .json file is JSON for sure; any other is read as YAML (the same strict
                # reader as block-style YAML) before the JSON mistake is reported
                if _named_json(path) or not _reads_as_yaml(text, path, shown):
                    raise
        if data is None:
            from triage.pack.yamlio import parse_yaml_text  # lazy: YAML only for YAML files

            doc, problems = parse_yaml_text(text, shown)
            if problems or doc is None:
                raise ProblemsError(problems)
            data = doc.data
            check_depth(data)
            located = doc

            def locate(qid: str, key: bool, item: int | None = None) -> tuple[int, int]:
                at = () if item is None else (item,)
                return located.mark((*nested, qid, *at), key=key)
    except InputError as exc:
        raise ProblemsError([Problem(shown, exc.line, exc.col, exc.message),
                             *(Problem(shown, *more) for more in exc.more)]) from None
    if isinstance(data, dict) and set(data) == {"answers"}:
        data = data["answers"]
        nested.append("answers")
    if not isinstance(data, dict):
        raise ProblemsError([Problem(shown, 1, 1, Said("answers_mapping"))])
    return data, locate


def _named_json(path: Path | None) -> bool:
    return path is not None and path.suffix.lower() == ".json"


def _reads_as_yaml(text: str, path: Path | None, shown: str) -> bool:
    """Whether text that is not JSON is to be read as YAML: a ``.yaml`` file (its YAML
    mistakes are then the ones reported), or other text whose first key is not quoted
    (``{age: 38}``, where JSON quotes every key) and that reads as YAML; broken JSON keeps its
    JSON message."""
    from triage.pack.yamlio import parse_yaml_text  # lazy: only for text that is not JSON

    if path is not None and path.suffix.lower() in (".yaml", ".yml"):
        return True
    if text.lstrip()[1:].lstrip().startswith('"'):
        return False
    doc, problems = parse_yaml_text(text, shown)
    return not problems and doc is not None
