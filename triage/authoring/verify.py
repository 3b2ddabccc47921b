"""`triage verify`: prove safety claims about a rule pack, or show a counter-example.

The claims (see :data:`triage.authoring.verify_report.CLAIMS`):

``one_disposition``
    every answer set ends in exactly one disposition the pack describes, and the engine
    agrees with the policy on every answer set the solver produced (witnesses and
    counter-examples alike are run through :func:`triage.engine.evaluate.evaluate`);
``red_flag_respected``
    where a red flag fires, the disposition is that flag's or more urgent;
``strike_respected``
    where a ``strike_soft_tissue`` contraindication fires, the disposition includes no soft
    tissue therapy (:data:`triage.engine.policy.WITH_SOFT_TISSUE`);
``monotone``
    switching any one answer to a *red-flag value* never lowers urgency
    (:func:`triage.engine.policy.urgency_tier`: the policy's levels, emergency >
    emergency_department > same_day > doctor_soon > doctor_first > any therapy or self care >
    not_enough_information), whatever is then answered to the questions
    the switch opens. A red-flag value meets a red-flag comparison, read with its negations,
    that the current answer did not (:mod:`triage.authoring.red_flag_values`). On the question
    that says where the problem is (``places``) it is one more place chosen beside a place
    already chosen: a problem with no place chosen counts as every place (next claim), so a
    first place narrows the questions instead of adding a sign;
``no_unreachable_question``
    every question is read by a rule (or gates a question one reads) and its ``ask_if`` can
    hold;
``no_dead_rule``
    every rule can fire; a red flag can fire with no more urgent red flag (else it never
    decides anything). A rule that cannot is named, with the proof that it cannot;
``no_unasked_read``
    no rule fires only because a question it reads was not asked (its ``ask_if`` false), and
    no safety rule is silenced that way where it would have changed the disposition;
``not_sure_counts_as_yes``
    on a safety question (marked ``red_flag_screen``, or read by a safety rule: see
    :func:`triage.authoring.red_flag_values.safety_questions`), the answer ``not sure``
    (:data:`triage.engine.policy.NOT_SURE`) never sends a person to a doctor less urgently than
    any definite answer would: a single choice's every other option, a multiple choice's same
    boxes with any one definite box ticked as well (or none), whatever is then answered to the
    questions the change opens (therapy choices may differ: "not sure" is no indication). A
    question offering "not sure" that is no safety question is named in the claim's detail. A
    definite answer that later answers contradict, as the pack declares (``places``:
    ``problem_named_later``: "nothing hurts", then a sports injury), is not compared: it goes
    to a doctor because its questions were skipped, which "not sure" need not;
``no_place_left_out``
    on a question marked ``places`` (where the problem is), "many places" and a problem with
    no place chosen open every question, and hold every safety rule and safety net, that any
    place does (:mod:`triage.authoring.verify_places`): a red flag's questions are asked
    whenever the answers do not rule its place out. A later answer that names a place
    (``named_later``: sciatica, the leg) opens that place's safety questions (asked again
    after it by questions that ``repeat`` them) and holds its safety rules; a problem named
    after "nothing hurts" (``problem_named_later``) always fires a medical red flag;
``no_answer_left_out``
    an answer of another choice question that a later answer implies (its ``named_later``:
    recovery after an operation, named among the conditions, implies an operation in the
    health history) opens that answer's safety questions (asked again after the later
    answer, by questions that ``repeat`` them) and holds its safety rules and safety nets,
    over every complete answer set (:mod:`triage.authoring.verify_places`);
``no_duplicate_rule``
    no two rules of the same kind have the same condition and effect (on the rules).

By default the claims are *proven* by the Z3 solver over every complete answer set
(:mod:`triage.authoring.verify_symbolic`); the policy itself is run on symbolic values, so
new dispositions or policy steps are covered with no change here. When the pack or policy
cannot be encoded, or the solver gives up, the questionnaire's paths are walked instead
(:mod:`triage.authoring.verify_paths`, enumerated or sampled), and the report says so: a
sampled claim is never reported as proven.
"""

from __future__ import annotations

import time
from collections.abc import Collection

from triage.authoring.red_flag_values import (
    canonical,
    comparisons,
    duplicate_rules,
    not_sure_not_safety,
    red_flag_leaves,
    red_flag_switches,
)
from triage.authoring.verify_paths import DEFAULT_MAX_PATHS, DEFAULT_TIME_BUDGET, verify_by_paths
from triage.authoring.verify_places import named_answer_questions, place_questions
from triage.authoring.verify_report import (
    CLAIMS,
    NOT_CHECKED,
    PROVEN,
    SAMPLED,
    VIOLATED,
    ClaimResult,
    VerifyReport,
    Violation,
    answers_file,
    answers_yaml,
    case_yaml,
    report_json,
    report_text,
)
from triage.pack.compiled import CompiledPack

METHODS = ("auto", "symbolic", "paths")


def verify(pack: CompiledPack, *, method: str = "auto", max_paths: int = DEFAULT_MAX_PATHS,
           samples: int | None = None, time_budget: float = DEFAULT_TIME_BUDGET, seed: int = 0,
           check_monotone: bool = True, claims: Collection[str] | None = None,
           jobs: int = 1) -> VerifyReport:
    """Check every claim, or only ``claims`` (names of :data:`CLAIMS`; the others are
    reported as not checked, never as proven). ``method``: ``symbolic`` (the solver),
    ``paths`` (walk the questionnaire: the fallback), ``auto`` (the solver, else paths). The
    path options apply only to walking paths; ``jobs`` (1 or 2) only to the solver's."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    chosen = frozenset(CLAIMS) if claims is None else frozenset(claims)
    if chosen - set(CLAIMS):
        raise ValueError(f"unknown claims: {', '.join(sorted(chosen - set(CLAIMS)))}")
    reason = ""
    if method != "paths":
        try:
            return verify_symbolic(pack, check_monotone=check_monotone, claims=chosen,
                                   jobs=jobs)
        except ImportError as exc:  # pragma: no cover - z3-solver is a dependency
            reason = f"the Z3 solver is not installed ({exc})"
        except Exception as exc:
            from triage.authoring.symbolic import NotEncodable  # lazy: imports z3

            if not isinstance(exc, NotEncodable):
                raise
            reason = str(exc)
        if method == "symbolic":
            raise RuntimeError(f"cannot verify symbolically: {reason}")
    report = verify_by_paths(pack, max_paths=max_paths, samples=samples,
                             time_budget=time_budget, seed=seed, check_monotone=check_monotone)
    report.fallback_reason = reason
    if chosen != frozenset(CLAIMS):  # the walk checks every claim at once: the rest unsaid
        report.violations = [v for v in report.violations if v.claim in chosen]
        report.claims = [c if c.name in chosen else ClaimResult(c.name, NOT_CHECKED, NOT_CHOSEN)
                         for c in report.claims]
    return report


NOT_CHOSEN = "not chosen with --claim"


def verify_symbolic(pack: CompiledPack, *, check_monotone: bool = True,
                    claims: Collection[str] = frozenset(CLAIMS), jobs: int = 1) -> VerifyReport:
    """Prove every claim of ``claims`` with the solver, in ``jobs`` processes (raises
    NotEncodable when the pack cannot be encoded)."""
    from triage.authoring.verify_jobs import prove_claims

    started = time.perf_counter()
    prover = prove_claims(pack, claims, check_monotone=check_monotone, jobs=jobs)
    violated = {v.claim for v in prover.violations}
    results = []
    for name in CLAIMS:
        if name not in claims:
            results.append(ClaimResult(name, NOT_CHECKED, NOT_CHOSEN))
        elif name in violated:
            results.append(ClaimResult(name, VIOLATED))
        elif name == "monotone" and not check_monotone:
            results.append(ClaimResult(name, NOT_CHECKED, "--no-monotone"))
        elif name in prover.undecided:
            results.append(ClaimResult(name, SAMPLED, prover.undecided[name]))
        elif name == "no_duplicate_rule":
            results.append(ClaimResult(name, PROVEN, "checked on the rules themselves"))
        elif name == "no_place_left_out":
            results.append(ClaimResult(name, PROVEN, _places_detail(pack)))
        elif name == "no_answer_left_out":
            results.append(ClaimResult(name, PROVEN, _answers_detail(pack)))
        elif name == "recency_respected":
            timed = [q.id for q in pack.questions if q.recency]
            results.append(ClaimResult(name, PROVEN, "every answer set; " + ", ".join(timed)
                                       if timed else "no question lists its times (recency): "
                                       "nothing to check"))
        elif name == "not_sure_counts_as_yes" and not_sure_not_safety(pack):
            results.append(ClaimResult(name, PROVEN, "every answer set; not safety questions, "
                                       "not compared: " + ", ".join(not_sure_not_safety(pack))))
        else:
            results.append(ClaimResult(name, PROVEN, "every answer set"))
    return VerifyReport(pack.id, pack.version, "symbolic", prover.queries, 0,
                        time.perf_counter() - started, True, [], results, prover.violations)


def _answers_detail(pack: CompiledPack) -> str:
    # an answer several later answers imply (an operation: after surgery, after heart
    # surgery) is one thing checked: named once
    named = list(dict.fromkeys(f"{n.answer} of {q.id}" for q in named_answer_questions(pack)
                               for n in q.named_later))
    if not named:
        return "no answer is implied by a later answer (named_later): nothing to check"
    return "every safety question, safety rule and safety net of " + ", ".join(named)


def _places_detail(pack: CompiledPack) -> str:
    questions = place_questions(pack)
    if not questions:
        return "no question says where the problem is (places): nothing to check"
    detail = "every ask_if, safety rule and safety net reading " + ", ".join(
        q.id for q in questions)
    later = [f"{n.place}" for q in questions if q.places for n in q.places.named_later]
    if later:
        detail += "; places named later: " + ", ".join(later)
    if any(q.places and q.places.problem_named_later for q in questions):
        detail += "; a problem named after none"
    return detail


__all__ = [
    "CLAIMS", "DEFAULT_MAX_PATHS", "NOT_CHECKED", "PROVEN", "SAMPLED", "VIOLATED", "ClaimResult",
    "VerifyReport", "Violation",
    "answers_file", "answers_yaml", "canonical", "case_yaml", "comparisons", "duplicate_rules",
    "red_flag_leaves", "red_flag_switches", "report_json", "report_text", "verify",
    "verify_by_paths", "verify_symbolic",
]
