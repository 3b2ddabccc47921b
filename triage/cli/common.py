"""What every command shares: the Typer app object, common options, loading a pack and
answers with problems reported like a compiler's."""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from triage.cli.exitcodes import EXIT_NOT_SAVED
from triage.cli.output import err as _err
from triage.text import printable

E = TypeVar("E", bound=StrEnum)

app = typer.Typer(
    name="triage",
    help="To start, run: triage  (the questionnaire, one question at a time; add --lang fr "
         "for French, --plain for a screen reader, --caller at a reception desk, --save FILE "
         "to keep your answers).\n\n"
         "Soft tissue therapy (RMT), physiotherapy, both, or a doctor first? "
         "A plain-language questionnaire. This is not a diagnosis.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,  # never show a traceback (or the answers in it)
    # plain help: two columns, descriptions at full width (the boxed layout squeezed
    # assess's descriptions into ~22 columns at 80)
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class Language(StrEnum):
    en = "en"
    fr = "fr"


def choice_of(kind: type[E]) -> Callable[[str], E]:
    """An option's reader for the choices of ``kind``: typer's own would say "Value error,
    'es' is not one of ..." (pydantic's words); this says "'es' is not one of: en, fr"."""
    def read(value: str) -> E:
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(str(member) for member in kind)
            raise typer.BadParameter(f"'{printable(value)}' is not one of: {choices}.",
                                     ) from None
    return read


def language_of(value: str) -> Language:
    """``--lang`` as people write it: any case (FR), or a locale whose language part is one
    (fr-CA, fr_CA.UTF-8, en-US), as TRIAGE_LANG and LANG are read; anything else is refused
    in the words of :func:`choice_of`, with the value as typed."""
    from triage.i18n import language_part

    code = language_part(value)
    return choice_of(Language)(code if code in set(Language) else value)


class Number:
    """A number option (``--port``, ``--seed``, ``--time-budget``, ...) read by the one number
    reader (:mod:`triage.untrusted`), as every number a person types is: the digits 0-9 only.
    Typer's own reading (pydantic's) takes "3_0" as 30, " 3" and "+3" as 3, "3.0" as a whole
    3, and "nan" or "inf" as a decimal (a --min-coverage of nan never fails), and words its
    refusals in pydantic's terms; this says "'x' is not ..." as the other options do, exit 2
    (click's usage error). ``low``/``high``: the range, inclusive; a minus sign is read only
    where ``low`` allows a number below 0."""

    def __init__(self, low: float | None = None, high: float | None = None, *,
                 whole: bool = True) -> None:
        self.low, self.high, self.whole = low, high, whole

    def __call__(self, value: Any) -> Any:
        """The option's value (typer's ``parser``); typer.BadParameter when it is none."""
        from triage.untrusted import decimal_number, whole_number

        if isinstance(value, int | float) and not isinstance(value, bool):
            return value  # a default, written in the code
        text = value if isinstance(value, str) else str(value)
        minus = text.startswith("-")  # (below the range, if it has no room for it)
        if self.whole:
            number: float | None = whole_number(text[1:] if minus else text)
            if number is not None and minus:
                number = -number
        else:  # (a RoundedWhole is a fine decimal here; an infinity is out of any range)
            number = decimal_number(text, exponent=False)
            if number is not None and not math.isfinite(number) and (
                    self.low is None or self.high is None):
                number = None
            number = None if number is None else float(number)
        if number is None:
            kind = "a whole number" if self.whole else "a number"
            raise typer.BadParameter(f"'{printable(text)}' is not {kind} written with the "
                                     "digits 0-9.")
        if (self.low is not None and number < self.low) or \
                (self.high is not None and number > self.high):
            raise typer.BadParameter(f"'{printable(text)}' is out of range "
                                     f"({self.range_text()}).")
        return number

    def range_text(self) -> str:
        low, high = (None if v is None else f"{v:g}" for v in (self.low, self.high))
        return f"{low} to {high}" if low and high else f"{low} or more" if low \
            else f"{high} or less"  # (one of them: without a range nothing is out of it)


EMPTY_PATH = "an empty path names no file or folder (is a shell variable in it unset?)"


def path_given(value: Any) -> Path:
    """A path option's or argument's value (typer's ``parser``): an empty one is refused,
    exit 2. Path("") is the working folder: ``--pack "$PACK"`` with PACK unset would have
    checked and used whatever pack the working folder holds, where the quick path of
    ``assess`` took "" as no --pack (the bundled pack); the quick path leaves "" to typer."""
    if isinstance(value, Path):
        return value  # a default, written in the code
    text = value if isinstance(value, str) else str(value)
    if not text:
        raise typer.BadParameter(EMPTY_PATH)
    return Path(text)


def out_path_given(value: Any) -> Path | None:
    """As :func:`path_given`, for a file to write where ``-`` means standard output (None),
    as for ``batch --out``: ``records export --out -`` wrote the records' health data to a
    file named "-" in the working folder and said it had exported them "to -"."""
    if isinstance(value, str) and value == "-":
        return None
    return path_given(value)


def path_text_given(value: Any) -> str:
    """As :func:`path_given`, for a path kept as text (``-`` is standard input or output)."""
    text = value if isinstance(value, str) else str(value)
    if not text:
        raise typer.BadParameter(EMPTY_PATH)
    return text


PackOption = Annotated[Path | None, typer.Option(
    "--pack", help="Rule pack folder (default: the bundled pack).", show_default=False,
    parser=path_given, metavar="<path>")]
PackArgument = Annotated[Path | None, typer.Argument(
    help="Rule pack folder (default: the bundled pack).", show_default=False,
    parser=path_given)]


def _fail_problems(exc: Exception) -> NoReturn:
    from triage.cli.fastpath import print_problems
    from triage.problems import ProblemsError

    assert isinstance(exc, ProblemsError)
    raise typer.Exit(print_problems(exc))


def _load(pack_dir: Path | None, *, use_cache: bool = True) -> object:
    from triage.pack.load import load_pack
    from triage.problems import ProblemsError

    try:
        return load_pack(pack_dir, use_cache=use_cache)
    except ProblemsError as exc:
        _fail_problems(exc)


def store_failed(err: Any) -> NoReturn:
    """The records store or clinic config could not be used (a StoreError): exit 4."""
    _err(err.message)
    raise typer.Exit(EXIT_NOT_SAVED)
