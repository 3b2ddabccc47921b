"""`triage assess --answers FILE`, the command scripts and clinics run most, without typer.

Typer builds a pydantic adapter for every option of a command on every start, which costs
more than screening the answers does. :func:`parse` recognises the plain forms of this one
command; anything else (``--help``, ``--save``, ``--record``, a typo, a bad choice) returns
None and typer parses and reports as usual. Both paths run :func:`assess_answers`, so they
cannot disagree on the result; a test runs both on the same arguments and compares.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.cli.exitcodes import EXIT_MISSING_ANSWERS, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.output import err
from triage.folders import NoFolderError, config_path

if TYPE_CHECKING:
    from triage.engine.answer_places import Locate
    from triage.engine.evaluate import Outcome
    from triage.engine.refusal import Screened
    from triage.pack.compiled import CompiledPack
    from triage.problems import ProblemsError


_VALUES = {"--answers": "answers", "--pack": "pack", "--format": "output_format",
           "--lang": "lang", "--report": "report"}
_FLAGS = {"--plain": "plain", "--caller": "caller", "--no-record": "no_record"}
_CHOICES = {"output_format": ("text", "json", "markdown"), "lang": ("en", "fr")}


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The options of ``assess --answers ...`` when no recording can be involved, else None.

    An empty value is left to typer too: read here as "not given" (`--pack ""`: the bundled
    pack) it meant another thing than on typer's path (the working folder), where `--record`
    or `explain` took the same words; typer refuses it, exit 2, on every path."""
    if len(argv) < 3 or argv[0] != "assess":
        return None
    opts: dict[str, Any] = {"answers": None, "pack": None, "output_format": "text",
                            "lang": None, "report": None, "plain": False, "caller": False,
                            "no_record": False}
    seen: set[str] = set()
    i = 1
    while i < len(argv):
        word = argv[i]
        name, eq, value = word.partition("=")
        if name in _VALUES and name not in seen:
            if not eq:
                i += 1
                if i >= len(argv) or (argv[i].startswith("--") and argv[i] != "-"):
                    return None
                value = argv[i]
            key = _VALUES[name]
            if not value or (key in _CHOICES and value not in _CHOICES[key]):
                return None  # typer refuses it (an empty path: cli.common.path_given)
            opts[key] = value
        elif name in _FLAGS and name not in seen and not eq:
            opts[_FLAGS[name]] = True
        else:
            return None
        seen.add(name)
        i += 1
    if opts["answers"] is None or not (opts["no_record"] or not clinic_config_may_exist()):
        return None
    return opts


# `triage [assess] [OPTIONS]` without --answers: the questionnaire, started without typer
_ASK_VALUES = {"--lang": "lang", "--pack": "pack", "--format": "output_format",
               "--report": "report", "--save": "save", "--resume": "resume",
               "--caller-ref": "caller_ref"}
_ASK_FLAGS = {"--plain": ("plain", True), "--caller": ("caller", True),
              "--record": ("record", True), "--no-record": ("record", False)}
ROOT_WORDS = ("--help", "-h", "--version")


def command_words(argv: list[str]) -> list[str]:
    """``triage --lang fr`` means ``triage assess --lang fr``: options given at the root are the
    questionnaire's (the README's first tip); ``--help`` and ``--version`` stay the root's."""
    if argv and argv[0].startswith("-") and argv[0] not in ROOT_WORDS:
        return ["assess", *argv]
    return argv


def parse_questionnaire(argv: list[str]) -> dict[str, Any] | None:
    """The options of the interactive questionnaire in their plain forms, else None (typer
    then parses and reports as usual: --help, a typo, a bad choice, --answers)."""
    if argv and argv[0] != "assess":
        return None
    opts: dict[str, Any] = {"lang": None, "pack": None, "output_format": "text", "report": None,
                            "save": None, "resume": None, "caller_ref": None, "plain": False,
                            "caller": False, "record": None}
    seen: set[str] = set()
    i = 1
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name in seen:
            return None
        if name in _ASK_VALUES:
            if not eq:
                i += 1
                if i >= len(argv) or argv[i].startswith("-"):
                    return None
                value = argv[i]
            key = _ASK_VALUES[name]
            if not value or (key in _CHOICES and value not in _CHOICES[key]):
                return None  # as in parse()
            opts[key] = value
        elif name in _ASK_FLAGS and not eq:
            key, flag = _ASK_FLAGS[name]
            opts[key] = flag
        else:
            return None
        seen.add(name)
        i += 1
    return opts


def clinic_config_may_exist() -> bool:
    """False only when there is certainly no clinic config file (so no record_by_default)."""
    try:
        return config_path().exists()
    except NoFolderError:  # no home folder and no TRIAGE_CONFIG_DIR: no file to find
        return False
    except OSError:  # a folder that cannot be looked into: typer's path reads it and says so
        return True


def print_problems(exc: ProblemsError, language: str | None = None) -> int:
    """Every problem as file:line:col, then their count in ``language`` (the session's:
    ``--lang fr`` counts in French whatever the locale; default: the locale's)."""
    from triage.i18n import default_language, t
    from triage.render import problems_text

    lang = language or default_language()
    # each message in the language of the count under it (an answers file's problems
    # can be said in every language: triage.i18n.Said)
    err(problems_text(exc.problems, lang), wrap=False)
    err(t("problems_found", lang, count=len(exc.problems)))
    return EXIT_PROBLEMS


def checked_answers(pack: CompiledPack, answers: str) -> dict[str, Any]:
    """Answers from a file (``-``: standard input) normalised against ``pack``; raises
    ProblemsError listing every problem."""
    return located_answers(pack, answers)[0]


def located_answers(pack: CompiledPack, answers: str,
                    ) -> tuple[dict[str, Any], Callable[[str], tuple[str, int, int]]]:
    """As :func:`checked_answers`, with where each answer is: ``where(question id)`` is
    (file as shown, line, column) of its value, for a problem found later on."""
    from triage.engine.answers import check_answers, item_problems, read_answers_located
    from triage.i18n_said import Said
    from triage.problems import Problem, ProblemsError, display_path
    from triage.text import printable

    if answers == "-":
        from triage.untrusted import InputError, read_stream

        try:
            data = read_stream(sys.stdin.buffer)
        except InputError as exc:
            raise ProblemsError([Problem("<stdin>", 1, 1, exc.message)]) from None
        raw, locate = read_answers_located(None, data)
        shown = "<stdin>"
    else:
        raw, locate = read_answers_located(Path(answers))
        # as the reader names the file in its own problems (one run, one name)
        shown = printable(display_path(Path(answers)))
    # a QuestionnaireResponse's item: its linkId, the question's first quoted place
    fhir = raw.get("resourceType") == "QuestionnaireResponse"
    if fhir:
        raw = answers_from_fhir(pack, raw, shown, locate)
    normal, problems = check_answers(raw, pack.shapes)
    if problems:
        from triage.engine.refusal import screen_readable, sign_messages

        # an unknown question at its key, a bad answer at its value; and, in the same run,
        # a warning sign the other answers (or what can be read of a bad one) state where
        # it does not apply: assess would refuse it once the bad answers are corrected
        screened, read = screen_readable(pack, normal, {k: raw[k] for k, _ in problems
                                                        if k in raw})
        signs = sign_messages(pack, screened, {**normal, **read}, already=False)

        def each(key: str, msg: str) -> list[tuple[int | None, str]]:
            # a list's items one by one, as a compiler would: each item that is not an
            # option at its own line:col with its own did-you-mean, every one at once (a
            # FHIR item's answers were read already: their problems are the reader's)
            shape = None if fhir else pack.shapes.get(key)
            items = item_problems(shape, raw[key]) if shape is not None else []
            return [*items] or [(None, msg)]

        raise ProblemsError([*(Problem(shown, *locate(key, key not in pack.shapes, item),
                                       Said("answer_at", question=key, message=why))
                               for key, msg in problems for item, why in each(key, msg)),
                             *(Problem(shown, *locate(q, fhir), msg) for q, msg in signs)])

    def where(qid: str) -> tuple[str, int, int]:
        return (shown, *locate(qid, fhir))

    return normal, where


def answers_from_fhir(pack: CompiledPack, resource: dict[str, Any], shown: str,
                      locate: Locate,
                      ) -> dict[str, Any]:
    """Answers from a FHIR QuestionnaireResponse filled in any FHIR client; ProblemsError
    (fail closed) when any part of it cannot be read for sure, each problem at the linkId of
    its item (``locate``), or at the answer of that item it is about (every wrong answer of a
    multiple choice at its own), the top of the file for the resource's own."""
    from triage.i18n_said import Said
    from triage.interop.fhir import Canon, answers_from_response
    from triage.problems import Problem, ProblemsError
    from triage.records import StoreError, load_config

    try:
        base = load_config().fhir_base_url
    except StoreError as exc:
        raise ProblemsError([Problem(shown, 1, 1, exc.message)]) from None
    canon = Canon(pack.id, base) if base else Canon(pack.id)
    answers, problems = answers_from_response(pack, resource, canon=canon)
    if problems:
        from triage.engine.answers import check_answers

        # every problem at once: an answer read but no answer to its question (an age of
        # 500) is listed with the reader's own, as it would be in the next run
        bad = check_answers(answers, pack.shapes)[1]
        raise ProblemsError([
            *(Problem(shown, *(locate(item, True, getattr(where, "answer", None))
                               if (item := getattr(where, "link_id", None)) else (1, 1)),
                      f"{where}: {msg}") for where, msg in problems),
            *(Problem(shown, *locate(key, True), Said("answer_at", question=key, message=msg))
              for key, msg in bad)])
    return answers


def assess_answers(opts: dict[str, Any],
                   ) -> tuple[int, CompiledPack | None, dict[str, Any] | None, Outcome | None]:
    """Screen one answers file and print the result: (exit code, pack, answers, outcome)."""
    from triage.cli import output
    from triage.engine.refusal import screen_answers
    from triage.i18n import default_language, t
    from triage.pack.load import load_pack
    from triage.problems import ProblemsError

    language = opts["lang"] or default_language()
    output.messages_for(opts["plain"], language)
    report = Path(opts["report"]) if opts["report"] else None
    if not output.report_suffix_ok(report):
        err(t("report_suffix", language, path=report))
        return EXIT_USAGE, None, None, None
    out = output.Output(language, opts["output_format"], opts["plain"], opts["caller"], report,
                        opts.get("record_id"))
    try:
        pack = load_pack(Path(opts["pack"]) if opts["pack"] else None)
        normal, where = located_answers(pack, opts["answers"])
    except ProblemsError as exc:
        return print_problems(exc, language), None, None, None
    screened = screen_answers(pack, normal)
    if screened.refused:
        return refuse(pack, normal, screened, where, language), pack, normal, None
    assert screened.outcome is not None
    return output.emit(screened.outcome, pack, out), pack, normal, screened.outcome


def refuse(pack: CompiledPack, normal: dict[str, Any], screened: Screened,
           where: Callable[[str], tuple[str, int, int]], language: str) -> int:
    """Say why answers from a file get no result (``assess``, ``explain``); the exit code.

    A safety question without an answer alone: exit 3, as always (the file is right as far
    as it goes; the question is to be answered). A warning sign answered where it does not
    apply is a problem in the file (exit 1), at the answer's own line; a missing answer
    next to it is listed with it, at the place the answer belongs in (the mapping the
    answers are in), so that one run names every correction to make."""
    from triage.engine.refusal import sign_messages
    from triage.i18n import t
    from triage.problems import Problem, ProblemsError

    missing = t("missing_answers", language, questions=", ".join(screened.missing))
    if not screened.signs:
        err(missing)
        return EXIT_MISSING_ANSWERS
    problems = [Problem(*where(qid), message)
                for qid, message in sign_messages(pack, screened, normal)]
    if screened.missing:
        problems.append(Problem(*where(screened.missing[0]), missing))
    return print_problems(ProblemsError(problems), language)
