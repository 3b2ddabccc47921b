"""Every number option is read by the one number reader (triage.untrusted): the digits 0-9
only. Typer's own reading (pydantic's) took "8_000" as 8000, "+3" and " 3" as 3, "3.0" as a
whole 3 and "nan" as a decimal, and said so in pydantic's words."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from triage.cli.app import app
from triage.cli.common import Number
from triage.cli.exitcodes import EXIT_USAGE

runner = CliRunner()
NOWHERE = "/nonexistent-pack"  # so that a value wrongly taken runs nothing long

# (the command's words before the option, the option, whole number?)
OPTIONS = [
    (["serve", "--pack", NOWHERE], "--port", True),
    (["serve", "--pack", NOWHERE], "--workers", True),
    (["verify", NOWHERE], "--jobs", True),
    (["verify", NOWHERE], "--max-paths", True),
    (["verify", NOWHERE], "--samples", True),
    (["verify", NOWHERE], "--seed", True),
    (["verify", NOWHERE], "--time-budget", False),
    (["test", NOWHERE], "--min-coverage", False),
    (["diff", NOWHERE, NOWHERE], "--max-paths", True),
    (["diff", NOWHERE, NOWHERE], "--samples", True),
    (["diff", NOWHERE, NOWHERE], "--seed", True),
]
# Arabic-Indic, full-width and mathematical digits (int() reads each as 3), and what
# pydantic took: all refused, as answers are
NOT_NUMBERS = ["\u0663", "\uff13", "\U0001d7d1", "3_0", "0x10", "", "nan", "inf", "1e1",
               "3\u0663"]
# the one reader's decimals take a sign and white space around them (as answer files do);
# a whole number is digits alone
NOT_WHOLE = ["+3", " 3", "3 ", "3.0", "-0.5"]


def test_every_number_option_is_read_by_the_one_reader() -> None:
    found = []

    def walk(command: object, words: tuple[str, ...]) -> None:
        for param in getattr(command, "params", ()):
            info = param.type_descriptor.parameter_info
            if param.type_descriptor.annotation in (int, float):
                found.append((*words, param.opts[0]))
                assert isinstance(info.parser, Number), (words, param.opts)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*words, name))

    walk(typer.main.get_command(app), ())
    assert sorted(found) == sorted((words[0], option) for words, option, _ in OPTIONS)


@pytest.mark.parametrize(("words", "option", "whole"), OPTIONS)
@pytest.mark.parametrize("value", NOT_NUMBERS + NOT_WHOLE)
def test_a_number_not_written_with_the_digits_0_to_9_is_refused(
        words: list[str], option: str, whole: bool, value: str) -> None:
    if value in NOT_WHOLE and not whole:
        return  # (a decimal: read, or out of range)
    result = runner.invoke(app, [*words, option, value])
    assert result.exit_code == EXIT_USAGE, result.output
    kind = "a whole number" if whole else "a number"
    assert (f"Invalid value for '{option}': '{value}' is not {kind} written with the digits "
            "0-9.") in " ".join(result.stderr.split()).replace(f"'{value.strip()}'",
                                                               f"'{value}'")


@pytest.mark.parametrize(("words", "option", "value", "range_text"), [
    (["serve", "--pack", NOWHERE], "--port", "0", "1 to 65535"),
    (["serve", "--pack", NOWHERE], "--port", "65536", "1 to 65535"),
    (["serve", "--pack", NOWHERE], "--workers", "65", "1 to 64"),
    (["verify", NOWHERE], "--samples", "-2", "1 or more"),
    (["test", NOWHERE], "--min-coverage", "100.5", "0 to 100"),
    (["verify", NOWHERE], "--time-budget", "-1", "0 or more"),
])
def test_a_number_out_of_range_is_refused(words: list[str], option: str, value: str,
                                          range_text: str) -> None:
    result = runner.invoke(app, [*words, option, value])
    assert result.exit_code == EXIT_USAGE
    assert (f"Invalid value for '{option}': '{value}' is out of range ({range_text})."
            in " ".join(result.stderr.split()))


@pytest.mark.parametrize(("reader", "text", "value"), [
    (Number(1, 65535), "8000", 8000),
    (Number(), "-3", -3),  # a seed may be below 0
    (Number(), "0", 0),
    (Number(0, 100, whole=False), "99.5", 99.5),
    (Number(0, 100, whole=False), "100", 100.0),
    (Number(1, 65535), "1", 1),  # each end of a range is in it (--port 1, --min-coverage 0)
    (Number(1, 65535), "65535", 65535),
    (Number(0, 100, whole=False), "0", 0.0),
    (Number(0, 100, whole=False), "99.99999999999999999", 100.0),  # a float, as typer's
    (Number(0, whole=False), "0.25", 0.25),
    (Number(1), 20_000, 20_000),  # a default, written in the code
])
def test_numbers_written_with_the_digits_are_read(reader: Number, text: object,
                                                 value: float) -> None:
    read = reader(text)
    assert read == value and type(read) is type(value)


def test_a_number_taken_reaches_the_command() -> None:
    # the pack is read after the options: the options were taken
    result = runner.invoke(app, ["serve", "--pack", NOWHERE, "--port", "8001", "--workers", "2"])
    assert result.exit_code == 1 and "no such rule pack folder" in result.stderr
