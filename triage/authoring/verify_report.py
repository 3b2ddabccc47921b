"""The report of `triage verify`: claims, their status, violations with counter-examples
(ready-to-paste test cases and answers files that ``triage assess --answers`` reproduces), as
text or JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.pack.compiled import CompiledPack

PROVEN = "proven"
SAMPLED = "sampled"
VIOLATED = "violated"
NOT_CHECKED = "not checked"  # left out (--claim, --no-monotone, or not on paths): no proof

# Claims hold over every answer set (symbolic proof) or every path of the questionnaire (the
# path walker); see triage.authoring.verify.
CLAIMS: dict[str, str] = {
    "one_disposition": "every answer set ends in exactly one disposition",
    "red_flag_respected": "a fired red flag is never outranked by a less urgent disposition",
    "strike_respected": "a systemic contraindication never yields soft tissue therapy",
    "monotone": "switching one answer to a red-flag value never lowers urgency",
    "no_unreachable_question": "every question can be asked",
    "no_dead_rule": "every rule can fire (a red flag: with no more urgent one)",
    "no_unasked_read": "no rule result depends on a question that was not asked",
    "no_duplicate_rule": "no two rules of the same kind are exact duplicates",
    "not_sure_counts_as_yes": "'not sure' on a safety question counts as yes (never less "
                              "urgent)",
    "no_place_left_out": "many places, none, or one named later: its safety questions apply",
    "no_answer_left_out": "an answer implied by a later answer: its safety questions apply",
    "recency_respected": "a more recent answer to 'when did it happen' never lowers urgency",
}
# not checked by walking paths
SYMBOLIC_ONLY = frozenset({"not_sure_counts_as_yes", "no_place_left_out",
                           "no_answer_left_out", "recency_respected"})


@dataclass(frozen=True)
class Violation:
    claim: str
    message: str
    answers: dict[str, Any] | None = None  # the counter-example, in asking order
    expect: str | None = None  # what a fixed pack should answer
    actual: str | None = None
    fires: tuple[str, ...] = ()
    not_fires: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimResult:
    name: str
    status: str  # proven | sampled | violated | not checked
    detail: str = ""

    @property
    def title(self) -> str:
        return CLAIMS[self.name]


@dataclass
class VerifyReport:
    pack_id: str
    pack_version: str
    mode: str  # symbolic | exhaustive | sampled
    paths: int  # paths explored (or sampled); symbolic: solver queries
    switch_checks: int  # answer sets tried for monotonicity
    seconds: float
    exact: bool
    inexact: list[str]
    claims: list[ClaimResult]
    violations: list[Violation]
    unconfirmed: list[str] = field(default_factory=list)  # sampled mode: not seen, not proven
    limit_note: str = ""
    fallback_reason: str = ""  # why the solver was not used (paths walked instead)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def proven(self) -> bool:
        return all(c.status == PROVEN for c in self.claims)


# --------------------------------------------------------------------------- counter-examples


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if text in ("true", "false", "null", "~", "") or not text.replace("_", "a").isalnum():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _ordered(pack: CompiledPack, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(question id, answer as YAML) in the pack's asking order."""
    order = [q.id for q in pack.questions if q.id in answers]
    order += [k for k in answers if k not in order]
    out = []
    for qid in order:
        value = answers[qid]
        if isinstance(value, frozenset | set | list | tuple):
            q = pack.question_by_id.get(qid)
            ids = [o.id for o in q.options if o.id in value] if q else sorted(value)
            shown = "[" + ", ".join(_yaml_scalar(v) for v in ids) + "]"
        else:
            shown = _yaml_scalar(value)
        out.append((qid, shown))
    return out


def answers_yaml(pack: CompiledPack, answers: Mapping[str, Any]) -> str:
    """Answers as a one-line YAML flow mapping, in the pack's asking order."""
    return "{" + ", ".join(f"{qid}: {shown}" for qid, shown in _ordered(pack, answers)) + "}"


def answers_file(pack: CompiledPack, v: Violation) -> str:
    """A counter-example as an answers file for ``triage assess --answers`` (YAML)."""
    assert v.answers is not None
    lines = [f"# triage verify: [{v.claim}] {v.message}".replace("\n", " ")]
    if v.actual:
        lines.append(f"# the pack answers {v.actual} here"
                     + (f"; expected {v.expect}" if v.expect and v.expect != v.actual else ""))
    lines += [f"{qid}: {shown}" for qid, shown in _ordered(pack, v.answers)]
    return "\n".join(lines) + "\n"


def case_yaml(pack: CompiledPack, v: Violation, index: int) -> str:
    """A ready-to-paste test case (a list item under ``cases:``) for a violation."""
    assert v.answers is not None
    lines = [f"  - id: verify_{v.claim}_{index}",
             f"    description: {_yaml_scalar(v.message)}",
             f"    answers: {answers_yaml(pack, v.answers)}"]
    comment = ""
    if v.claim == "monotone":
        comment = f"  # at least this urgent; the pack now says {v.actual}"
    elif v.claim == "strike_respected":
        comment = "  # anything but soft_tissue or both"
    elif v.claim == "one_disposition":
        comment = "  # choose the disposition this path should give"
    elif v.claim == "no_unasked_read":
        comment = "  # what the pack says today: review it once the question is asked"
    lines.append(f"    expect: {v.expect or 'not_enough_information'}{comment}")
    if v.fires:
        lines.append(f"    fires: [{', '.join(v.fires)}]")
    if v.not_fires:
        lines.append(f"    not_fires: [{', '.join(v.not_fires)}]")
    return "\n".join(lines)


# --------------------------------------------------------------------------- text report


def report_text(pack: CompiledPack, report: VerifyReport) -> str:
    """The report for a terminal or a CI log (plain text, no colour)."""
    lines = [f"triage verify: pack {report.pack_id} {report.pack_version}"]
    if report.mode == "symbolic":
        lines.append(f"Proof by the Z3 solver over every complete answer set "
                     f"({report.paths:,} queries) in {report.seconds:.2f} s; every "
                     f"counter-example and witness was run through the engine.")
    else:
        if report.fallback_reason:
            lines.append(f"FALLBACK: the solver was not used ({report.fallback_reason}); "
                         f"walking the questionnaire's paths instead.")
        how = "exhaustively" if report.mode == "exhaustive" else "by sampling"
        lines.append(f"Explored {report.paths:,} paths {how} "
                     f"(+{report.switch_checks:,} answer sets for monotonicity) "
                     f"in {report.seconds:.2f} s.")
    if report.limit_note:
        lines.append(f"Too large to enumerate ({report.limit_note}).")
    if report.mode == "symbolic":
        pass
    elif report.exact:
        lines.append("Answer classes are exact: each representative answer stands for every "
                     "answer that behaves the same.")
    else:
        lines.append("Answer classes are NOT exact, so nothing below is a proof:")
        lines += [f"  - {why}" for why in report.inexact]
    lines.append("")
    width = max(len(c.title) for c in report.claims)
    status_width = max(len(c.status) for c in report.claims)
    for c in report.claims:
        detail = f"  ({c.detail})" if c.detail else ""
        lines.append(f"  {c.status.upper():<{status_width}} {c.title:<{width}}{detail}")
    if report.unconfirmed:
        lines.append("")
        lines.append("Not confirmed by the paths tried (not proven unreachable or dead):")
        lines += [f"  - {u}" for u in report.unconfirmed]
    if report.violations:
        lines.append("")
        lines.append(f"Violations ({len(report.violations)}):")
        for i, v in enumerate(report.violations, 1):
            lines.append(f"{i}. [{v.claim}] {v.message}")
            if v.answers is not None:
                lines.append("   Counter-example, ready to paste under 'cases:' in the pack's "
                             "tests/ folder:")
                lines.append(case_yaml(pack, v, i))
    lines.append("")
    if report.violations:
        lines.append(f"Result: {len(report.violations)} violation(s).")
    elif report.proven:
        lines.append("Result: every claim proven for this pack.")
    else:
        lines.append("Result: no violation found, but not every claim is proven (see above).")
    return "\n".join(lines) + "\n"


def report_json(report: VerifyReport) -> dict[str, Any]:
    def answers(a: dict[str, Any] | None) -> dict[str, Any] | None:
        if a is None:
            return None
        return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in a.items()}

    return {
        "pack": {"id": report.pack_id, "version": report.pack_version},
        "mode": report.mode, "paths": report.paths, "switch_checks": report.switch_checks,
        "seconds": round(report.seconds, 4), "exact": report.exact, "inexact": report.inexact,
        "limit_note": report.limit_note, "fallback_reason": report.fallback_reason,
        "claims": [{"name": c.name, "title": c.title, "status": c.status, "detail": c.detail}
                   for c in report.claims],
        "violations": [{"claim": v.claim, "message": v.message, "answers": answers(v.answers),
                        "expect": v.expect, "actual": v.actual} for v in report.violations],
        "unconfirmed": report.unconfirmed,
    }

