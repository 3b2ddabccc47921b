"""Running a pack's own test cases."""

from __future__ import annotations

from dataclasses import dataclass

from triage.engine.evaluate import MissingAnswers, evaluate
from triage.pack.compiled import CompiledPack
from triage.pack.specs import CaseSpec


@dataclass(frozen=True)
class CaseResult:
    case: CaseSpec
    actual: str | None  # None when the answers were incomplete
    fired: tuple[str, ...]
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def run_case(pack: CompiledPack, case: CaseSpec) -> CaseResult:
    try:
        outcome = evaluate(pack, case.answers)
    except MissingAnswers as exc:
        return CaseResult(case, None, (), (f"safety questions without an answer: "
                                           f"{', '.join(exc.questions)}",))
    fired = tuple(r.id for r in outcome.fired)
    failures = []
    if outcome.disposition != case.expect:
        failures.append(f"expected {case.expect}, got {outcome.disposition}")
    failures += [f"rule '{rid}' should fire but did not" for rid in case.fires
                 if rid not in fired]
    failures += [f"rule '{rid}' should not fire but did" for rid in case.not_fires
                 if rid in fired]
    return CaseResult(case, outcome.disposition, fired, tuple(failures))


def run_cases(pack: CompiledPack) -> list[CaseResult]:
    return [run_case(pack, case) for case in pack.cases]
