"""``triage batch`` and ``triage export questionnaire``, registered on :data:`triage.cli.app.app`.

Kept out of cli.py so the batch and FHIR commands can change without touching the shared
module; cli.py imports this module once, at its end.

``triage batch`` exit codes: 0 every row was screened; 1 at least one row is an error (each
is in the output with its row number and reason), or the pack or input cannot be read;
2 usage errors (unknown input format, output = input); 130 interrupted (no output is left).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from triage.cli.common import PackOption, _load, app, choice_of, out_path_given, path_text_given
from triage.cli.exitcodes import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.output import data_stdout
from triage.cli.output import err as _err
from triage.files import output_target, write_private
from triage.i18n_counts import how_many

if TYPE_CHECKING:
    from triage.batch.screening import CsvPlan
    from triage.interop.fhir import Canon
    from triage.pack.compiled import CompiledPack


class ResultFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


class InputFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


_BATCH_HELP = (
    "Screen many answer sets (a web form export, ...): one result per row.\n\n"
    "CSV: a header row of question ids (and an optional id or ref column); an empty cell is "
    "not answered; multiple choice as option ids separated by ; or |, and none for none of "
    "them (separators alone, such as ;, are a bad answer, never none of them). JSONL: one "
    "object per line, answers as for triage assess.\n\n"
    "Every row appears in the output: status ok with its disposition, or status error with "
    "its row number and reason (a bad value, an unknown column, malformed JSON, a safety "
    "question left unanswered, which needs a doctor's review, or a warning sign answered to a "
    "question the row's other answers make not apply). A summary by disposition goes "
    "to standard error. Exit code 0 when every row was screened, 1 when any row is an error."
)


@app.command(help=_BATCH_HELP)
def batch(
    input_path: Annotated[str, typer.Argument(
        metavar="INPUT", help="Answers: a .csv file (header = question ids) or a .jsonl file "
                              "(one JSON object per line); - for standard input.",
        parser=path_text_given)],
    out: Annotated[str, typer.Option(
        "--out", help="Where to write one result per row (- for standard output).",
        parser=path_text_given, metavar="<str>")],
    pack: PackOption = None,
    result_format: Annotated[ResultFormat | None, typer.Option(
        "--format",
        parser=choice_of(ResultFormat),
        help="Output format (default: from the --out name, else jsonl).",
        show_default=False)] = None,
    input_format: Annotated[InputFormat | None, typer.Option(
        "--input-format",
        parser=choice_of(InputFormat), help="Input format (default: from the INPUT name).",
        show_default=False)] = None,
    fired: Annotated[bool, typer.Option(
        "--fired", help="List the rules that hold for each row (the reasons) in the fired "
                        "field; without it the field is empty (null in JSON).")] = False,
) -> None:
    """Screen many answer sets; see ``_BATCH_HELP``."""
    from triage.batch.reading import LineReader, screen_stream
    from triage.batch.reading import input_format as format_of
    from triage.batch.rows import BatchInputError
    from triage.batch.screening import Screener
    from triage.pack.compiled import CompiledPack
    from triage.render.batch import batch_summary_text

    fmt_in = input_format.value if input_format else format_of(input_path)
    if fmt_in is None:
        _err(f"Cannot tell the format of '{input_path}': name it .csv or .jsonl, "
             f"or give --input-format.")
        raise typer.Exit(EXIT_USAGE)
    if result_format is not None:
        fmt_out = result_format.value
    else:
        fmt_out = "csv" if out.lower().endswith(".csv") else "jsonl"
    if input_path != "-" and out != "-" and _same_file(Path(input_path), Path(out)):
        _err("--out must not be the input file.")
        raise typer.Exit(EXIT_USAGE)
    compiled = _load(pack)
    assert isinstance(compiled, CompiledPack)
    screener = Screener(compiled, fired=fired)

    try:
        binary: IO[bytes] = sys.stdin.buffer if input_path == "-" else _open_input(input_path)
    except OSError as exc:
        _err(f"Cannot read {input_path}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_PROBLEMS) from None
    total: int | None = None
    with contextlib.suppress(OSError):
        total = os.fstat(binary.fileno()).st_size or None
    lines = LineReader(binary)

    def on_header(plan: CsvPlan) -> None:
        if plan.unknown_columns:
            names = ", ".join(repr(n) for n in plan.unknown_columns)
            _err(f"Warning: column(s) {names} are not questions of pack {compiled.id}: "
                 f"rows with a value there are reported as errors.")

    from triage.batch.writing import BatchSummary, write_results

    summary = BatchSummary()
    shown = "standard output" if out == "-" else out
    try:
        with binary, _output(out) as sink:
            results = screen_stream(screener, lines, fmt_in, on_header)
            with _progress(total) as progress:
                def tick(rows: int) -> None:
                    if progress is not None:
                        progress.update(lines.bytes_read, rows)

                write_results(results, sink, fmt_out, tick=tick, summary=summary, fired=fired)
    except KeyboardInterrupt as stop:  # _output kept what was written: say so, and how much
        written = summary.rows
        if out != "-" and Path(out).is_file():  # the file is the truth: a row may have been
            # counted, not written (a FIFO is not read back: that would wait for a writer)
            with open(out, "rb") as kept:
                written = sum(1 for _ in kept) - (1 if fmt_out == "csv" else 0)
        _err(batch_summary_text(summary, shown, color=_colour()), colours=True)
        how = str(stop) or "Ctrl-C"  # or the signal that stopped it (triage.cli.entry)
        _err(f"Stopped ({how}) after {how_many(max(written, 0), 'row', 'rows')}: the results "
             f"of those rows are in {shown}; the rest of {input_path} was not screened.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BatchInputError as exc:
        where = input_path if exc.line is None else f"{input_path}:{exc.line}"
        _err(f"{where}: {exc}")
        raise typer.Exit(EXIT_PROBLEMS) from None
    except OSError as exc:
        _err(f"Cannot write {out}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_PROBLEMS) from None
    _err(batch_summary_text(summary, shown, color=_colour()), colours=True)
    raise typer.Exit(EXIT_PROBLEMS if summary.errors else EXIT_OK)


def _open_input(path: str) -> IO[bytes]:
    """The input file: a regular file or a pipe (``<(...)``, streamed), never a device, which
    could be endless (``/dev/zero``) or a terminal."""
    binary = open(path, "rb")  # noqa: SIM115 - closed by the caller's with-block
    mode = os.fstat(binary.fileno()).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        binary.close()
        raise OSError(0, "not a regular file or a pipe")
    return binary


def _colour() -> bool:
    """Red for emergencies only on a terminal that wants colour (never NO_COLOR, TERM=dumb)."""
    return (sys.stderr.isatty() and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        return False


@contextlib.contextmanager
def _output(out: str) -> Any:
    """Standard output, or a private temporary file renamed over OUT only once complete.

    Results are clinical: the file is created 0600 (mkstemp). An interrupted or failed run
    leaves no half-written OUT behind, and never a stale temporary file. An OUT that is a
    FIFO or device is written in place (see :func:`triage.files.output_target`).
    """
    if out == "-":
        sink = data_stdout()
        yield sink
        sink.flush()
        return
    target, in_place = output_target(Path(out))
    if in_place:  # a FIFO or device (/dev/stdout, >(gzip)): written to, never replaced
        with open(target, "w", encoding="utf-8", newline="") as fh:
            yield fh
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                               prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            try:
                yield fh
            except KeyboardInterrupt:
                fh.flush()
                _cut_to_whole_lines(fh)
                os.replace(tmp, target)  # what was screened is kept, and the CLI says so
                raise
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cut_to_whole_lines(fh: Any) -> None:
    """Drop a result line cut short by the interrupt: every line kept is a whole result."""
    size = fh.tell()
    with open(fh.fileno(), "rb", closefd=False) as raw:
        raw.seek(max(0, size - 65536))
        tail = raw.read()
    end = tail.rfind(b"\n")
    keep = size - len(tail) + end + 1 if end >= 0 else 0
    fh.truncate(keep)


@contextlib.contextmanager
def _progress(total: int | None) -> Any:
    """A progress bar only on a terminal; nothing at all otherwise (logs, pipes, CI)."""
    quiet = (not sys.stderr.isatty() or os.environ.get("TERM") == "dumb"
             or os.environ.get("TRIAGE_ACCESSIBLE") == "1")
    if quiet:
        yield None
        return
    from triage.render.batch import BatchProgress

    with BatchProgress(total) as bar:
        yield bar


# --------------------------------------------------------------------------- triage export

export_app = typer.Typer(help="Write the rule pack in other formats.", no_args_is_help=True)
app.add_typer(export_app, name="export")


class FhirVersionChoice(StrEnum):
    R5 = "R5"
    R4 = "R4"


def fhir_settings(compiled: CompiledPack, base_url: str | None = None,
                  ) -> tuple[Canon, str | None]:
    """(canonical URLs, publisher) from ``--base-url`` or the clinic config
    (``fhir_base_url``, ``clinic_name``); a placeholder base with a warning when unset."""
    from triage.interop.fhir import Canon, check_base_url
    from triage.records import StoreError, load_config

    try:
        config = load_config()
    except StoreError as exc:
        _err(exc.message)
        raise typer.Exit(EXIT_PROBLEMS) from None
    base = base_url or config.fhir_base_url
    if base is not None:
        problem = check_base_url(base)
        if problem:
            _err(f"--base-url {problem}.")
            raise typer.Exit(EXIT_USAGE)
    canon = Canon(compiled.id, base) if base else Canon(compiled.id)
    if not canon.configured:
        _err(f"Note: canonical URLs use the placeholder {canon.base}; set the clinic's with "
             f"'triage config set fhir_base_url https://...'.")
    return canon, config.clinic_name


def _write_json(resource: dict[str, Any], out: Path | None, what: str) -> None:
    import json

    text = json.dumps(resource, ensure_ascii=True, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    try:
        # a new file renamed into place: never through a symlink planted at OUT, never 0666
        # under a permissive umask
        write_private(out, text)
    except OSError as exc:
        _err(f"Cannot write {out}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_PROBLEMS) from None
    _err(f"Wrote {out} ({what})")


OutOption = Annotated[Path | None, typer.Option(
    "--out", help="File to write (default, or -: standard output).", show_default=False,
    parser=out_path_given, metavar="<path>")]
FhirVersionOption = Annotated[FhirVersionChoice, typer.Option(
    "--fhir-version",
    parser=choice_of(FhirVersionChoice), help="FHIR release.")]
ExportLangOption = Annotated[str | None, typer.Option(
    "--lang", help="Language of the texts (default: the pack's first); the pack's other "
                   "languages ride in translation extensions.", show_default=False)]
BaseUrlOption = Annotated[str | None, typer.Option(
    "--base-url", help="Base of the canonical URLs (default: the clinic config's "
                       "fhir_base_url).", show_default=False)]


def _export_resource(pack: Path | None, base_url: str | None,
                     make: Callable[[CompiledPack, Canon, str | None], dict[str, Any]],
                     ) -> tuple[CompiledPack, dict[str, Any]]:
    """The pack loaded, its FHIR settings read, and ``make(pack, canon, publisher)``; a
    language the pack does not have is a usage error."""
    from triage.pack.compiled import CompiledPack

    compiled = _load(pack)
    assert isinstance(compiled, CompiledPack)
    canon, publisher = fhir_settings(compiled, base_url)
    try:
        return compiled, make(compiled, canon, publisher)
    except ValueError as exc:  # a language the pack does not have
        _err(f"--lang: {exc}.")
        raise typer.Exit(EXIT_USAGE) from None


@export_app.command("questionnaire")
def export_questionnaire(
    pack: PackOption = None,
    out: OutOption = None,
    fhir_version: FhirVersionOption = FhirVersionChoice.R5,
    lang: ExportLangOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Write the pack as an HL7 FHIR Questionnaire (JSON) that SDC form renderers can fill."""
    from triage.interop.fhir import questionnaire

    compiled, resource = _export_resource(pack, base_url, lambda p, canon, publisher: (
        questionnaire(p, fhir_version=fhir_version.value, canon=canon, lang=lang,
                      publisher=publisher)))
    _write_json(resource, out, f"FHIR {fhir_version.value} Questionnaire, "
                               f"{len(compiled.questions)} questions, {resource['language']}")


@export_app.command("codesystems")
def export_codesystems(
    pack: PackOption = None,
    out: OutOption = None,
    fhir_version: FhirVersionOption = FhirVersionChoice.R5,
    lang: ExportLangOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Write the pack's answer and disposition codes as FHIR CodeSystems (a Bundle)."""
    from triage.interop.fhir import code_systems_bundle

    _, bundle = _export_resource(pack, base_url, lambda p, canon, publisher: (
        code_systems_bundle(p, fhir_version=fhir_version.value, canon=canon, lang=lang,
                            publisher=publisher)))
    _write_json(bundle, out, f"FHIR {fhir_version.value} Bundle of 2 CodeSystems")
