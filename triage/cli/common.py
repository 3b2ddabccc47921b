"""What every command shares: the Typer app object, common options, loading a pack and
answers with problems reported like a compiler's."""

from __future__ import annotations

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


PackOption = Annotated[Path | None, typer.Option(
    "--pack", help="Rule pack folder (default: the bundled pack).", show_default=False)]
PackArgument = Annotated[Path | None, typer.Argument(
    help="Rule pack folder (default: the bundled pack).", show_default=False)]


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
