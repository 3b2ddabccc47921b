"""Rule-pack authoring commands: ``test`` (with coverage), ``verify``, ``explain``, ``graph``,
``diff``. Registered on :data:`triage.cli.app` when :mod:`triage.cli` imports this module.

Exit codes (as in :mod:`triage.cli`): 0 success; 1 problems in a pack, failing test cases,
missing coverage, or safety claims violated; 2 usage errors. ``triage diff`` follows diff(1):
0 nothing changed, 1 some disposition changed, 2 trouble (a pack with problems, bad usage).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from triage.cli import EXIT_PROBLEMS, PackArgument, _load, app


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def verify(
    pack: PackArgument = None,
    max_paths: Annotated[int, typer.Option(
        "--max-paths", min=1, help="Enumerate at most this many paths; beyond it, sample.")]
        = 100_000,
    samples: Annotated[int, typer.Option(
        "--samples", min=1, help="Random paths to check when the pack is too large.")] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random sampling.")] = 0,
    monotone: Annotated[bool, typer.Option(
        "--monotone/--no-monotone", help="Check monotonicity (the costliest claim).")] = True,
    require_proof: Annotated[bool, typer.Option(
        "--require-proof", help="Fail unless every claim is proven (not only sampled).")]
        = False,
    output_format: Annotated[ReportFormat, typer.Option(
        "--format", help="Output format.")] = ReportFormat.text,
) -> None:
    """Check safety claims on every path of the questionnaire, with counter-examples."""
    from triage.compiled import CompiledPack
    from triage.verify import report_json, report_text
    from triage.verify import verify as run_verify

    compiled = _load(pack, use_cache=False)
    assert isinstance(compiled, CompiledPack)
    report = run_verify(compiled, max_paths=max_paths, samples=samples, seed=seed,
                        check_monotone=monotone)
    if output_format is ReportFormat.json:
        sys.stdout.write(json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(report_text(compiled, report))
    if not report.ok or (require_proof and not report.proven):
        raise typer.Exit(EXIT_PROBLEMS)

