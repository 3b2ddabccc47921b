"""The solver's claims shared between two processes (`triage verify --jobs 2`).

Z3 solves one query at a time on one core, and the claims are independent questions: half of
them in a forked child, half here, is the whole proof in about half the time on two cores.
Each process builds its own encoding (:class:`triage.authoring.verify_symbolic.Prover`) and
solver; only the results come back (violations with their answers, the claims the solver
gave up on, the number of queries). Where ``fork`` is not available, or one part is empty,
the claims are proven here one after the other.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from triage.authoring.verify_report import CLAIMS, Violation
from triage.pack.compiled import CompiledPack

# two halves of about the same solver time on the bundled pack (0.2.29, CPU seconds by
# claim in one process: monotone 4.0-4.2, not_sure 2.5-2.6, one_disposition 0.5, the place
# and answer claims together 1.1, no_dead_rule 1.8, no_unasked_read 1.8-2.3,
# red_flag_respected 0.6, recency_respected 0.3, the others under 0.2)
HALVES = (
    ("monotone", "not_sure_counts_as_yes", "strike_respected", "no_unreachable_question"),
    ("no_place_left_out", "no_answer_left_out", "no_dead_rule", "no_unasked_read",
     "red_flag_respected", "one_disposition", "no_duplicate_rule", "recency_respected"),
)
assert sorted(HALVES[0] + HALVES[1]) == sorted(CLAIMS)


@dataclass
class Proof:
    violations: list[Violation] = field(default_factory=list)
    undecided: dict[str, str] = field(default_factory=dict)  # claim -> why not proven
    queries: int = 0


def prove_claims(pack: CompiledPack, claims: Collection[str], *, check_monotone: bool = True,
                 jobs: int = 1) -> Proof:
    """The violations of ``claims`` (names of :data:`CLAIMS`) over every answer set, in
    ``jobs`` processes (1 or 2). Raises what the proof raises (NotEncodable: the pack
    cannot be encoded), wherever it was raised."""
    parts = [[c for c in half if c in claims] for half in HALVES]
    if jobs < 2 or not all(parts) or "fork" not in multiprocessing.get_all_start_methods():
        return _prove(pack, list(claims), check_monotone)
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sending, pack, parts[1], check_monotone),
                            daemon=True)
    child.start()
    sending.close()
    try:
        here = _prove(pack, parts[0], check_monotone)
        outcome, there = receiving.recv()
    except EOFError:  # the child died without a word (killed, out of memory)
        raise RuntimeError(f"the proof's second process ended with code "
                           f"{child.exitcode}") from None
    finally:
        receiving.close()
        if child.is_alive():
            child.terminate()
        child.join()
    if outcome == "raised":
        raise there
    return _merged(here, there)


def _prove(pack: CompiledPack, claims: list[str], check_monotone: bool) -> Proof:
    from triage.authoring.verify_symbolic import prove  # lazy: imports z3

    prover = prove(pack, check_monotone=check_monotone, claims=claims)
    return Proof(prover.violations, prover.undecided, prover.queries)


def _child(sending: Any, pack: CompiledPack, claims: list[str],
           check_monotone: bool) -> None:
    try:
        sending.send(("proved", _prove(pack, claims, check_monotone)))
    except Exception as exc:  # raised where the caller is, as it would have been there
        sending.send(("raised", exc))
    finally:
        sending.close()


def _merged(first: Proof, second: Proof) -> Proof:
    """Both halves in the order of :data:`CLAIMS`, a violation found by both said once (an
    engine disagreement is one_disposition's, whichever claim met it)."""
    order = {name: i for i, name in enumerate(CLAIMS)}
    violations: list[Violation] = []
    for v in sorted(first.violations + second.violations, key=lambda v: order[v.claim]):
        if not any(o.claim == v.claim and o.message == v.message for o in violations):
            violations.append(v)
    return Proof(violations, {**first.undecided, **second.undecided},
                 first.queries + second.queries)
