"""How much of a pack its own test cases exercise (``triage test --coverage``).

Three kinds of items count, each covered or not:

* every rule: fired by at least one case;
* every answer option of a yes/no, single or multiple choice question: chosen in at least one
  case, where the question applies (an answer hidden by ``ask_if`` tests nothing);
* every threshold of a red flag (a number compared with a constant, or a ``count()``
  compared with a constant): some case is *just below* it, i.e. the flag does not fire, and
  moving one answer of the comparison by one step makes it fire. A step is one unit for a
  number (the next whole number) and any other answer for a question inside ``count()``.
  Such a case pins the threshold down: moving it by one would make the case fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from triage.authoring.cases import CaseResult
from triage.authoring.describe import cond_text
from triage.authoring.verify import comparisons
from triage.conditions.tree import MULTI, Answer, Compare, Count, Number, Sum, questions_read
from triage.engine.evaluate import MissingAnswers, evaluate, question_states
from triage.engine.policy import RED_FLAG
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec


@dataclass(frozen=True)
class Threshold:
    rule: RuleSpec
    leaf: Compare
    text: str
    questions: tuple[str, ...]
    numeric: bool  # a number answer against a constant (else a count)


@dataclass(frozen=True)
class CoverageReport:
    rules_not_fired: tuple[RuleSpec, ...]
    options_not_chosen: tuple[tuple[str, str], ...]  # (question id, option id)
    thresholds_not_pinned: tuple[Threshold, ...]
    total: int
    covered: int

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.covered / self.total


def red_flag_thresholds(pack: CompiledPack) -> list[Threshold]:
    out: list[Threshold] = []
    for rule in pack.rules:
        if rule.kind != RED_FLAG:
            continue
        seen: set[Compare] = set()
        for leaf, _ in comparisons(rule.when):
            if not isinstance(leaf, Compare) or leaf in seen:
                continue
            sides = (leaf.left, leaf.right)
            if not any(isinstance(s, Number) for s in sides):
                continue
            other = next(s for s in sides if not isinstance(s, Number))
            if isinstance(other, Answer):
                out.append(Threshold(rule, leaf, cond_text(leaf), (other.question,), True))
                seen.add(leaf)
            elif isinstance(other, Count | Sum):
                qs = tuple(sorted(questions_read(other)))
                out.append(Threshold(rule, leaf, cond_text(leaf), qs, False))
                seen.add(leaf)
    return out


def _fired_ids(pack: CompiledPack, answers: Mapping[str, Any]) -> frozenset[str]:
    try:
        return frozenset(r.id for r in evaluate(pack, answers).fired)
    except MissingAnswers:
        return frozenset()


def _steps(pack: CompiledPack, qid: str, value: Any, numeric: bool) -> Iterable[Any]:
    q = pack.question_by_id[qid]
    if numeric:
        if value is None:
            return
        for v in (value - 1, value + 1):
            if (q.min is None or v >= q.min) and (q.max is None or v <= q.max):
                yield v
    elif q.type == MULTI:
        have = value if isinstance(value, frozenset) else frozenset()
        for o in q.options:
            yield have ^ {o.id}
    else:
        yield from (c for c in q.choices if c != value)


class _OneStepAway:
    """The rules that fire on one case's answers, and on each answer set one step from them.
    Each is evaluated once, whichever thresholds ask: many read the same question (age, or a
    count of the same signs), and evaluating it again for each of them made ``triage test
    --coverage`` take 90 s on the bundled pack."""

    def __init__(self, pack: CompiledPack, answers: Mapping[str, Any]) -> None:
        self.pack, self.answers = pack, answers
        self.fired = _fired_ids(pack, answers)
        self.applicable = question_states(pack, answers).applicable
        self._stepped: dict[tuple[str, Any], frozenset[str]] = {}

    def just_below(self, t: Threshold) -> bool:
        """Whether these answers sit one step below the threshold of ``t.rule``."""
        if t.rule.id in self.fired:
            return False
        for qid in t.questions:
            if qid not in self.applicable and t.numeric:
                continue
            for new in _steps(self.pack, qid, self.applicable.get(qid), t.numeric):
                fired = self._stepped.get((qid, new))
                if fired is None:
                    fired = self._stepped[qid, new] = _fired_ids(
                        self.pack, {**self.answers, qid: new})
                if t.rule.id in fired:
                    return True
        return False


def coverage(pack: CompiledPack, results: list[CaseResult]) -> CoverageReport:
    fired = {rid for r in results for rid in r.fired}
    rules_not_fired = tuple(r for r in pack.rules if r.id not in fired)
    chosen: set[tuple[str, str]] = set()
    for result in results:
        for qid, value in question_states(pack, result.case.answers).applicable.items():
            values = value if isinstance(value, frozenset) else {value}
            chosen |= {(qid, str(v)) for v in values}
    options = [(q.id, c) for q in pack.questions if q.type != "number" for c in q.choices]
    options_not_chosen = tuple(o for o in options if o not in chosen)
    thresholds = red_flag_thresholds(pack)
    pending = list(thresholds)  # not pinned by the cases looked at so far
    for result in results:
        if not pending:
            break
        away = _OneStepAway(pack, result.case.answers)
        pending = [t for t in pending if not away.just_below(t)]
    not_pinned = tuple(pending)
    total = len(pack.rules) + len(options) + len(thresholds)
    covered = total - len(rules_not_fired) - len(options_not_chosen) - len(not_pinned)
    return CoverageReport(rules_not_fired, options_not_chosen, not_pinned, total, covered)


def coverage_text(report: CoverageReport) -> str:
    lines = [f"Coverage: {report.covered} of {report.total} items ({report.percent:.0f}%)"]
    if report.rules_not_fired:
        lines.append(f"Rules never fired by a case ({len(report.rules_not_fired)}):")
        lines += [f"  {r.location}: {r.id} ({r.kind.replace('_', ' ')})"
                  for r in report.rules_not_fired]
    if report.options_not_chosen:
        lines.append(f"Answer options never chosen ({len(report.options_not_chosen)}):")
        lines += [f"  {q}: {o}" for q, o in report.options_not_chosen]
    if report.thresholds_not_pinned:
        lines.append(f"Red flags without a case just below a threshold "
                     f"({len(report.thresholds_not_pinned)}):")
        lines += [f"  {t.rule.location}: {t.rule.id}: {t.text}"
                  for t in report.thresholds_not_pinned]
    return "\n".join(lines) + "\n"

