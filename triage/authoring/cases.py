"""Running a pack's own test cases."""

from __future__ import annotations

from dataclasses import dataclass

from triage.engine.refusal import screen_answers, sign_messages
from triage.pack.compiled import CompiledPack
from triage.pack.specs import CaseSpec


@dataclass(frozen=True)
class CaseResult:
    case: CaseSpec
    actual: str | None  # None when the answers get no result (as `assess` would refuse them)
    fired: tuple[str, ...]
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def run_case(pack: CompiledPack, case: CaseSpec) -> CaseResult:
    """A case passes only with answers ``assess`` gives a result for: a case must not pass
    where the command refuses the same answers (a safety question left without an answer,
    a warning sign answered to a question that does not apply, worded as ``assess`` words
    it); every reason is listed."""
    screened = screen_answers(pack, case.answers)
    if screened.refused:
        failures = [message for _, message in sign_messages(pack, screened, case.answers)]
        if screened.missing:
            failures.append(f"safety questions without an answer: "
                            f"{', '.join(screened.missing)}")
        return CaseResult(case, None, (), tuple(failures))
    outcome = screened.outcome
    assert outcome is not None
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
