"""The practical ceiling in Python: straight-line if/else code generated from the rules.

This is what a careful person would write by hand for one fixed rule set: each fact read once
into a local, red flags as one ``if/elif`` chain in priority order, then one plain ``if`` per
score rule adding its points. No per-call allocation besides the result list itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from benchmarks.common import Answer, InProcessEvaluator, Result, Ruleset
from benchmarks.workload import red_flags_by_priority

_CMP = {"eq": "==", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def _var(fact: str) -> str:
    # prefixed so that a fact can never shadow a builtin or be a keyword
    return "f_" + fact


def _cond(c: Mapping[str, Any], types: Mapping[str, str]) -> str:
    if "all" in c:
        return "(" + " and ".join(_cond(x, types) for x in c["all"]) + ")"
    if "any" in c:
        return "(" + " or ".join(_cond(x, types) for x in c["any"]) + ")"
    if "not" in c:
        return "(not " + _cond(c["not"], types) + ")"
    fact, op, value = c["fact"], c["op"], c["value"]
    var = _var(fact)
    if op in ("in", "not_in"):
        # a set display of constants compiles to one frozenset constant: O(1) membership
        members = ", ".join(repr(v) for v in sorted(value, key=repr))
        return f"({var} {'in' if op == 'in' else 'not in'} {{{members}}})"
    if types.get(fact) == "bool" and op in ("eq", "ne") and isinstance(value, bool):
        # what a person writes for a yes/no fact; the facts are real bools, so this is the
        # same test as ``== True`` without the comparison
        truthy = (op == "eq") == value
        return var if truthy else f"(not {var})"
    return f"({var} {_CMP[op]} {value!r})"


def _facts_read(c: Mapping[str, Any], out: set[str]) -> None:
    if "all" in c or "any" in c:
        for x in c.get("all") or c.get("any") or []:
            _facts_read(x, out)
    elif "not" in c:
        _facts_read(c["not"], out)
    else:
        out.add(c["fact"])


def generate_source(ruleset: Ruleset, name: str = "evaluate") -> str:
    """Python source of one function ``name(answer) -> result`` for this rule set."""
    types = {k: v["type"] for k, v in ruleset.get("facts", {}).items()}
    rules = ruleset["rules"]
    reds = red_flags_by_priority(rules)
    scores = [r for r in rules if r["kind"] == "score"]
    used: set[str] = set()
    for r in rules:
        _facts_read(r["when"], used)
    threshold = int(ruleset["both_threshold"])

    lines = [f"def {name}(a):"]
    order = list(types) + sorted(used - set(types))
    lines += [f"    {_var(f)} = a[{f!r}]" for f in order if f in used]
    kw = "if"
    for r in reds:
        lines.append(f"    {kw} {_cond(r['when'], types)}:")
        lines.append(f"        red = {r['id']!r}")
        kw = "elif"
    if reds:
        lines += ["    else:", "        red = ''"]
    else:
        lines.append("    red = ''")
    lines.append("    st = pt = n = 0")
    for r in scores:
        st, pt = int(r["score"]["soft_tissue"]), int(r["score"]["physio"])
        lines.append(f"    if {_cond(r['when'], types)}:  # {r['id']}")
        if st:
            lines.append(f"        st += {st}")
        if pt:
            lines.append(f"        pt += {pt}")
        lines.append("        n += 1")
    lines += [
        "    if red:",
        "        return ['see_doctor', red, st, pt, n]",
        f"    if st >= {threshold} and pt >= {threshold}:",
        "        return ['both', red, st, pt, n]",
        "    if st > pt:",
        "        return ['soft_tissue', red, st, pt, n]",
        "    return ['physio', red, st, pt, n]",
    ]
    return "\n".join(lines) + "\n"


class IfElseEvaluator(InProcessEvaluator):
    def __init__(self, ruleset: Ruleset) -> None:
        self.source = generate_source(ruleset)
        namespace: dict[str, Any] = {}
        exec(compile(self.source, f"<ifelse-{len(ruleset['rules'])}>", "exec"), namespace)
        self._fn: Callable[[Answer], Result] = namespace["evaluate"]
        # bound straight onto the instance: no extra Python frame per call
        self.evaluate = self._fn  # type: ignore[method-assign]

    def evaluate_many(self, answers: Any) -> list[Result]:
        fn = self._fn
        return [fn(a) for a in answers]


def build(ruleset: Ruleset) -> IfElseEvaluator:
    return IfElseEvaluator(ruleset)


if __name__ == "__main__":  # print the generated code: `python -m benchmarks.peers.ifelse N`
    import sys

    from benchmarks.common import DEFAULT_DATA_DIR, ensure_data, load_ruleset

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    print(generate_source(load_ruleset(ensure_data(DEFAULT_DATA_DIR), size)))
