"""The decision policy over a pack's encoding (:mod:`triage.authoring.symbolic`), derived from
:mod:`triage.engine.policy` by running it on symbolic values: :func:`policy_cases` follows each
branch the policy takes, so a new disposition or a new step in the policy is encoded with no
change here."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import z3

from triage.authoring.symbolic import (
    Env,
    NotEncodable,
    all_of,
    any_of,
    cond,
    negation,
    weighted,
)
from triage.engine import policy
from triage.engine.policy import INDICATION, RED_FLAG, strikes_soft_tissue
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

# --------------------------------------------------------------------------- the policy


class _Branches:
    """Replays a prefix of branch choices and records the conditions taken."""

    def __init__(self, prefix: list[bool]) -> None:
        self.prefix = prefix
        self.taken: list[bool] = []
        self.conditions: list[Any] = []

    def choose(self, expr: Any) -> bool:
        i = len(self.taken)
        choice = self.prefix[i] if i < len(self.prefix) else False
        self.taken.append(choice)
        self.conditions.append(expr if choice else negation(expr))
        return choice


class SymBool:
    """A Bool the policy branches on: each ``if`` on it explores both ways."""

    def __init__(self, expr: Any, branches: _Branches) -> None:
        self.expr, self.branches = expr, branches

    def __bool__(self) -> bool:
        return self.branches.choose(self.expr)


class SymInt:
    """An integer total the policy compares and adds."""

    def __init__(self, expr: Any, branches: _Branches) -> None:
        self.expr, self.branches = expr, branches

    def _other(self, other: Any) -> Any:
        if isinstance(other, SymInt):
            return other.expr
        if isinstance(other, int | float):
            return other
        raise NotEncodable(f"the policy combines a total with {type(other).__name__}")

    def _bool(self, expr: Any) -> SymBool:
        return SymBool(expr, self.branches)

    def __lt__(self, o: Any) -> SymBool:
        return self._bool(self.expr < self._other(o))

    def __le__(self, o: Any) -> SymBool:
        return self._bool(self.expr <= self._other(o))

    def __gt__(self, o: Any) -> SymBool:
        return self._bool(self.expr > self._other(o))

    def __ge__(self, o: Any) -> SymBool:
        return self._bool(self.expr >= self._other(o))

    def __eq__(self, o: object) -> SymBool:  # type: ignore[override]
        return self._bool(self.expr == self._other(o))

    def __ne__(self, o: object) -> SymBool:  # type: ignore[override]
        return self._bool(self.expr != self._other(o))

    def __add__(self, o: Any) -> SymInt:
        return SymInt(self.expr + self._other(o), self.branches)

    __radd__ = __add__

    def __sub__(self, o: Any) -> SymInt:
        return SymInt(self.expr - self._other(o), self.branches)

    def __mul__(self, o: Any) -> SymInt:
        return SymInt(self.expr * self._other(o), self.branches)

    __rmul__ = __mul__
    __hash__ = None  # type: ignore[assignment]


MAX_POLICY_BRANCHES = 10_000


def policy_cases(decide: Callable[..., Any], *symbolic: Any,
                 concrete: Sequence[Any] = ()) -> Iterator[tuple[Any, Any]]:
    """Every (condition, result) of ``decide(*concrete, *symbolic)``: the function is run once
    per way through its branches, each ``if`` on a symbolic value tried both ways."""
    pending: list[list[bool]] = [[]]
    runs = 0
    while pending:
        prefix = pending.pop()
        runs += 1
        if runs > MAX_POLICY_BRANCHES:
            raise NotEncodable("the policy has too many branches to follow")
        branches = _Branches(prefix)
        args = [SymInt(a, branches) if z3.is_arith(a) else SymBool(a, branches)
                for a in symbolic]
        try:
            result = decide(*concrete, *args)
        except NotEncodable:
            raise
        except Exception as exc:  # the policy did something the symbolic values cannot do
            raise NotEncodable(f"the policy could not be run symbolically ({exc!r})") from exc
        # every choice beyond the prefix was False: try True there too (depth first)
        for i in range(len(branches.taken) - 1, len(prefix) - 1, -1):
            pending.append([*branches.taken[:i], True])
        yield all_of(branches.conditions), result


@dataclass
class Decision:
    """The policy over one answer set: which rules fire and the disposition."""

    env: Env
    fires: dict[str, Any]  # rule id -> Bool
    is_disposition: dict[str, Any]  # disposition -> Bool (exactly one holds)
    returned: set[str]  # dispositions some branch of the policy returns on this pack
    policy_cases: PolicyCases = field(default_factory=dict, repr=False)

    def tier(self, *, medical: bool = False) -> Any:
        """The urgency tier of the disposition (see policy.urgency_tier) as an Int; with
        ``medical``, every disposition that sends nobody to a doctor is one tier."""
        def rank(d: str) -> int:
            if d not in policy.URGENCY:
                return -1
            if medical and d not in policy.MEDICAL:
                return 0
            return policy.urgency_tier(d)

        return weighted(list(self.is_disposition.values()), [rank(d) for d in self.is_disposition])

    def lowered(self, other: Decision, *, medical: bool = False) -> Any:
        """This answer set's disposition is less urgent than ``other``'s."""
        return self.tier(medical=medical) < other.tier(medical=medical)


# Stand-ins for the policy's inputs: the policy is run once per main red flag on these, and
# each decision substitutes its own expressions (running it again is the slow part).
_STRIKE, _SOFT, _PHYSIO, _INDICATED = (z3.Bool("$strike"), z3.Int("$soft"), z3.Int("$physio"),
                                       z3.Int("$indicated"))
PolicyCases = dict[str | None, list[tuple[Any, str]]]


def decision(pack: CompiledPack, env: Env, base: Decision | None = None) -> Decision:
    """The policy applied to ``env``: :func:`triage.engine.policy.disposition` with the main
    red flag being each red flag in turn (the first that holds, in precedence order) or none,
    and symbolic strike and totals. With ``base`` (the decision over the env ``env`` was made
    from), only rules reading a changed question are encoded again."""
    rules = pack.rules
    fires = {r.id: base.fires[r.id] if base is not None and not r.reads & env.changed
             else cond(r.when, env) for r in rules}
    strike = any_of([fires[r.id] for r in rules if strikes_soft_tissue(r)])
    indications = [r for r in rules if r.kind == INDICATION]
    held = [fires[r.id] for r in indications]
    inputs = [(_STRIKE, strike), (_SOFT, weighted(held, [r.points[0] for r in indications])),
              (_PHYSIO, weighted(held, [r.points[1] for r in indications])),
              (_INDICATED, weighted(held, [1] * len(indications)))]
    known: PolicyCases = base.policy_cases if base is not None else {}
    cases: dict[str, list[Any]] = {}
    none_before: Any = z3.BoolVal(True)  # no earlier red flag holds: a chain, linear in size
    for main in [*(r for r in rules if r.kind == RED_FLAG), None]:
        if main is None:
            selected = none_before
        else:
            selected = all_of([none_before, fires[main.id]])
            none_before = all_of([none_before, negation(fires[main.id])])
        key = main.id if main is not None else None
        if key not in known:
            known[key] = list(_main_cases(main, _STRIKE, _SOFT, _PHYSIO, _INDICATED,
                                          pack.both_threshold))
        for path, result in known[key]:
            if z3.is_true(path):
                cases.setdefault(result, []).append(selected)
            else:
                cases.setdefault(result, []).append(
                    all_of([selected, z3.substitute(path, *inputs)]))
    is_disposition = {d: any_of(cs) for d, cs in cases.items()}
    return Decision(env, fires, is_disposition, set(cases), known)


def _main_cases(main: RuleSpec | None, strike: Any, soft: Any, physio: Any, indicated: Any,
                both_threshold: int) -> Iterator[tuple[Any, Any]]:
    def decide(strike: Any, soft: Any, physio: Any, indicated: Any) -> str:
        return policy.disposition(main, strike, soft, physio, indicated, both_threshold)

    for path, result in policy_cases(decide, strike, soft, physio, indicated):
        yield z3.simplify(path), result
