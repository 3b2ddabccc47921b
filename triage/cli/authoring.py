"""Rule-pack authoring commands: ``test`` (with coverage), ``verify``, ``explain``, ``graph``,
``diff``. Registered on :data:`triage.cli.app.app` when :mod:`triage.cli.app` imports this module.

Exit codes (as in :mod:`triage.cli.app`): 0 success; 1 problems in a pack, failing test cases,
missing coverage, or safety claims violated (``verify --require-proof``: also claims only
sampled), ``explain`` of answers that ``assess`` refuses as a problem in the file (a warning
sign answered where it does not apply); 2 usage errors; 3 ``explain`` of answers that leave a
safety question open (and have no such problem).
``triage diff`` follows diff(1): 0 nothing changed, 1 some disposition changed (or some
answer sets one pack cannot take), 2 trouble (a pack with problems, bad usage).
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from triage.cli.common import (
    Language,
    Number,
    PackArgument,
    PackOption,
    _fail_problems,
    _load,
    app,
    choice_of,
    language_of,
    path_given,
    path_text_given,
)
from triage.cli.exitcodes import EXIT_MISSING_ANSWERS, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.output import err as _err
from triage.cli.output import on_screen, screen_width


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class VerifyMethod(StrEnum):
    auto = "auto"
    symbolic = "symbolic"
    paths = "paths"


def claim_name(value: str) -> str:
    """A ``--claim``: one of the claims `triage verify` checks (a near miss is named)."""
    from difflib import get_close_matches

    from triage.authoring.verify_report import CLAIMS
    from triage.text import printable

    if value in CLAIMS:
        return value
    near = get_close_matches(value, CLAIMS, n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    raise typer.BadParameter(f"'{printable(value)}' is not a claim{hint}; the claims: "
                             f"{', '.join(CLAIMS)}.")


@app.command()
def verify(
    pack: PackArgument = None,
    method: Annotated[VerifyMethod, typer.Option(
        "--method",
        parser=choice_of(VerifyMethod),
        help="symbolic: prove with the Z3 solver; paths: walk the questionnaire "
                         "(enumerated or sampled); auto: symbolic, else paths.")]
        = VerifyMethod.auto,
    examples: Annotated[Path | None, typer.Option(
        "--examples", metavar="DIR", help="Write each counter-example as an answers file "
                                          "for `triage assess --answers`.",
        show_default=False, parser=path_given)] = None,
    max_paths: Annotated[int, typer.Option(
        "--max-paths", parser=Number(1),
        help="Paths: enumerate at most this many; beyond, sample.")]
        = 20_000,
    samples: Annotated[int | None, typer.Option(
        "--samples", parser=Number(1), help="Random paths to check when the pack is too large "
                                 "(default: as many as --time-budget allows).",
        show_default=False)] = None,
    time_budget: Annotated[float, typer.Option(
        "--time-budget", parser=Number(0, whole=False),
        help="Seconds of random sampling when the pack is too large.")]
        = 5.0,
    seed: Annotated[int, typer.Option(
        "--seed", parser=Number(), help="Seed of the random sampling.")] = 0,
    monotone: Annotated[bool, typer.Option(
        "--monotone/--no-monotone", help="Check monotonicity (the costliest claim).")] = True,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", parser=Number(1, 2), show_default=False,
        help="Processes the solver's claims are shared between, 1 or 2 (default: 2 on a "
             "machine with 2 cores or more).")] = None,
    claim: Annotated[list[str] | None, typer.Option(
        "--claim", metavar="NAME", parser=claim_name, show_default=False,
        help="Check only this claim (repeat for more); the others are listed as not "
             "checked, never as proven.")] = None,
    require_proof: Annotated[bool, typer.Option(
        "--require-proof", help="Fail unless every claim is proven (not only sampled).")]
        = False,
    output_format: Annotated[ReportFormat, typer.Option(
        "--format",
        parser=choice_of(ReportFormat), help="Output format.")] = ReportFormat.text,
) -> None:
    """Prove safety claims over every answer set, or show counter-examples."""
    from triage.authoring.verify import answers_file, report_json, report_text
    from triage.authoring.verify import verify as run_verify
    from triage.pack.compiled import CompiledPack

    compiled = _load(pack, use_cache=False)
    assert isinstance(compiled, CompiledPack)
    report = run_verify(compiled, method=method.value, max_paths=max_paths, samples=samples,
                        time_budget=time_budget, seed=seed,
                        check_monotone=monotone, claims=claim,
                        jobs=jobs or min(2, os.cpu_count() or 1))
    if output_format is ReportFormat.json:
        sys.stdout.write(json.dumps(report_json(report), indent=2, ensure_ascii=True) + "\n")
    else:
        sys.stdout.write(on_screen(report_text(compiled, report), screen_width()))
    if examples is not None and report.violations:
        examples.mkdir(parents=True, exist_ok=True)
        for i, v in enumerate(report.violations, 1):
            if v.answers is not None:
                path = examples / f"{i:02d}_{v.claim}.yaml"
                path.write_text(answers_file(compiled, v), encoding="utf-8")
                _err(f"wrote {path}")
    if not report.ok or (require_proof and not report.proven):
        raise typer.Exit(EXIT_PROBLEMS)




@app.command("test")
def run_tests(
    pack: PackArgument = None,
    show_coverage: Annotated[bool, typer.Option(
        "--coverage", help="List rules never fired, answer options never chosen, and red "
                           "flags without a case just below a threshold.")] = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", parser=Number(0, 100, whole=False), metavar="PCT",
        help="Fail when coverage is below PCT percent (implies --coverage).",
        show_default=False)] = None,
) -> None:
    """Run the test cases of a rule pack (exit 1 on any failure)."""
    from triage.authoring.cases import run_cases
    from triage.pack.compiled import CompiledPack

    compiled = _load(pack, use_cache=False)
    assert isinstance(compiled, CompiledPack)
    results = run_cases(compiled)
    failed = [r for r in results if not r.passed]
    for r in failed:
        _err(f"{r.case.location}: case '{r.case.id}' FAILED")
        _err(f"  expected: {r.case.expect}")
        _err(f"  actual:   {r.actual or 'no disposition'}")
        _err(f"  fired:    {', '.join(r.fired) or 'no rule'}")
        for why in r.failures:
            _err(f"  - {why}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    short = False
    if show_coverage or min_coverage is not None:
        from triage.authoring.coverage import coverage, coverage_text

        report = coverage(compiled, results)
        sys.stdout.write(on_screen(coverage_text(report), screen_width()))
        if min_coverage is not None and report.percent < min_coverage:
            _err(f"coverage {report.percent:.1f}% is below --min-coverage {min_coverage:g}%")
            short = True
    if failed or short:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def explain(
    answers: Annotated[str, typer.Option(
        "--answers", help="YAML or JSON file of answers, or - for standard input.",
        parser=path_text_given, metavar="<str>")],
    pack: PackOption = None,
    lang: Annotated[Language | None, typer.Option(
        "--lang",
        parser=language_of,
        help="Language (default: from the locale).", show_default=False)] = None,
    output_format: Annotated[ReportFormat, typer.Option(
        "--format",
        parser=choice_of(ReportFormat), help="Output format.")] = ReportFormat.text,
) -> None:
    """Trace every rule for one answer set, and the answer changes that would change it."""
    from triage.authoring.explain import explain as run_explain
    from triage.authoring.explain import explanation_json, explanation_text
    from triage.cli.fastpath import located_answers, refuse
    from triage.engine.refusal import screen_answers
    from triage.i18n import default_language
    from triage.pack.compiled import CompiledPack
    from triage.problems import ProblemsError

    # no cache: a cached pack keeps the file:line of wherever its content was first compiled,
    # and an author reading this trace needs the files in front of them
    compiled = _load(pack, use_cache=False)
    assert isinstance(compiled, CompiledPack)
    language = lang.value if lang else default_language()
    if language not in compiled.languages:
        language = compiled.default_language
    try:
        normal, where = located_answers(compiled, answers)
    except ProblemsError as exc:
        _fail_problems(exc)
    result = run_explain(compiled, normal, language)
    if output_format is ReportFormat.json:
        sys.stdout.write(json.dumps(explanation_json(result), indent=2, ensure_ascii=True)
                         + "\n")
    else:
        sys.stdout.write(on_screen(explanation_text(compiled, result, normal, language),
                                   screen_width()))
    if result.ignored_signs:
        # As 'assess' refuses these answers, with the same problems at the same places and
        # the same exit code; the trace is printed first all the same: it is what an author
        # runs explain for (it shows the rule that reads the ignored answer as false).
        raise typer.Exit(refuse(compiled, normal, screen_answers(compiled, normal), where,
                                language))
    if result.disposition is None:  # as 'assess' does: a missing safety answer is not a "no"
        raise typer.Exit(EXIT_MISSING_ANSWERS)


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


@app.command()
def graph(
    pack: PackArgument = None,
    output_format: Annotated[GraphFormat, typer.Option(
        "--format",
        parser=choice_of(GraphFormat),
        help="mermaid (Markdown viewers) or dot (Graphviz).")] = GraphFormat.mermaid,
    lang: Annotated[Language | None, typer.Option(
        "--lang",
        parser=language_of, help="Language of the labels (default: the pack's first).",
        show_default=False)] = None,
) -> None:
    """Print the questionnaire and its rules as a graph (text; nothing is sent anywhere)."""
    from triage.authoring.graph import dot, mermaid
    from triage.pack.compiled import CompiledPack

    compiled = _load(pack)
    assert isinstance(compiled, CompiledPack)
    language = lang.value if lang and lang.value in compiled.languages \
        else compiled.default_language
    render = mermaid if output_format is GraphFormat.mermaid else dot
    sys.stdout.write(render(compiled, language))




# diff(1) convention: the exit status itself answers "did anything change?" (1 yes, 2 trouble)
@app.command("diff")
def diff_packs(
    old: Annotated[Path, typer.Argument(help="The pack before the change.", parser=path_given)],
    new: Annotated[Path, typer.Argument(help="The pack after the change.", parser=path_given)],
    max_paths: Annotated[int, typer.Option(
        "--max-paths", parser=Number(1),
        help="Compare every path of a pack with at most this many; "
                                   "beyond it, sample.")] = 20_000,
    samples: Annotated[int, typer.Option(
        "--samples", parser=Number(1),
        help="Random paths of a pack that has too many.")] = 2_000,
    seed: Annotated[int, typer.Option(
        "--seed", parser=Number(), help="Seed of the random sampling.")] = 0,
) -> None:
    """List answer sets whose disposition changes between two packs, and those one pack
    cannot take (an option it lacks), with what the other gives.

    Exit status: 0 nothing changed, 1 something changed (or one pack cannot take some answer
    sets), 2 trouble (a pack has problems).
    """
    from triage.authoring.diff import diff, diff_text
    from triage.pack.load import load_pack
    from triage.problems import ProblemsError
    from triage.render import problems_text

    packs = []
    for path in (old, new):
        try:
            packs.append(load_pack(path, use_cache=False))
        except ProblemsError as exc:
            _err(problems_text(exc.problems), wrap=False)
            raise typer.Exit(EXIT_USAGE) from None
    report = diff(packs[0], packs[1], max_paths=max_paths, samples=samples, seed=seed)
    sys.stdout.write(on_screen(diff_text(packs[0], packs[1], report), screen_width()))
    # an answer one pack cannot take is a difference too: the cases it opens were not compared
    if report.changed or report.unexpressed:
        raise typer.Exit(EXIT_PROBLEMS)
