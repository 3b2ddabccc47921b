#!/usr/bin/env python3
"""The project's own rule-engine workload: seeded answer sets, rule sets and the reference result.

    python benchmarks/workload.py --out DIR [--answers N] [--sizes 60,600,6000] [--seed S]

writes ``DIR/answers.jsonl`` and ``DIR/rules-{N}.json``. Everything is made here from fixed
seeds (standard library only), so a fresh clone can benchmark and test without any file from
outside the repository, and every engine sees the same data.

The shape is that of a common rule-engine comparison workload:

* an answer set has 22 facts, all present (engines disagree on what a missing fact means, which
  is a product decision, not a speed question): 3 whole numbers (``age``, ``pain_score``,
  ``duration_weeks``), 3 single choices and 16 yes/no facts, the red-flag ones rare;
* a rule set of N rules has 8 red flags with priorities (the highest-priority match is named;
  two share a priority, so ties, which go to file order, occur) and N - 8 generated score rules
  whose conditions are ``all``/``any``/``not`` trees of numeric thresholds, choice tests
  (``eq``/``ne``/``in``/``not_in``) and yes/no tests, each adding soft-tissue and physiotherapy
  points when it matches.

Canonical rule set (JSON)::

    {"size": N, "both_threshold": T, "facts": {name: {"type": "int", "min", "max"}
                                                     | {"type": "choice", "choices": [...]}
                                                     | {"type": "bool", "p_true": p}},
     "rules": [{"id", "kind": "red_flag", "priority", "when", "recommend": "see_doctor"}
               | {"id", "kind": "score", "priority", "when",
                  "score": {"soft_tissue": a, "physio": b}}]}

    when := {"all": [when, ...]} | {"any": [when, ...]} | {"not": when}
          | {"fact": name, "op": "eq"|"ne"|"lt"|"lte"|"gt"|"gte"|"in"|"not_in", "value": v}

The result of one answer set, :func:`reference_eval` (slow and obvious on purpose: it is the
specification every engine adapter is checked against)::

    [decision, red_flag_id, soft_tissue_points, physio_points, score_rules_matched]

``red_flag_id`` is the matching red flag with the highest priority (ties: the first in the
file), or ``""``; the points are summed over matching score rules; ``decision`` is
``see_doctor`` when a red flag matched, else ``both`` when both totals reach ``both_threshold``,
else ``soft_tissue`` when its total is larger, else ``physio`` (ties go to physio). The
threshold is chosen per rule set so that about a quarter of the answer sets without a red flag
come out ``both``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

Answer = dict[str, Any]
Ruleset = dict[str, Any]
Result = list[Any]

ANSWERS_SEED = 20261203
RULES_SEED = 7717  # plus the rule set's size, so each size has its own rules

INT_FACTS: dict[str, tuple[int, int]] = {
    "age": (18, 95),
    "pain_score": (0, 10),
    "duration_weeks": (0, 104),
}
CHOICE_FACTS: dict[str, tuple[str, ...]] = {
    "area": ("neck", "upper_back", "low_back", "shoulder", "elbow", "wrist", "hip", "knee",
             "ankle"),
    "onset": ("sudden", "gradual", "injury"),
    "activity": ("sedentary", "light", "moderate", "athlete"),
}
# how often each yes/no fact is yes: red-flag signs are rare, everyday complaints are not
BOOL_FACTS: dict[str, float] = {
    "fever": 0.04,
    "weight_loss": 0.03,
    "bladder_bowel_change": 0.02,
    "saddle_numbness": 0.02,
    "chest_pain": 0.03,
    "cancer_history": 0.05,
    "recent_fall": 0.08,
    "night_pain": 0.12,
    "numbness": 0.15,
    "weakness": 0.10,
    "swelling": 0.20,
    "morning_stiffness": 0.30,
    "muscle_tightness": 0.50,
    "reduced_motion": 0.35,
    "pain_when_moving": 0.55,
    "desk_work": 0.45,
}
FACTS = (*INT_FACTS, *CHOICE_FACTS, *BOOL_FACTS)
assert (len(INT_FACTS), len(CHOICE_FACTS), len(BOOL_FACTS)) == (3, 3, 16)


def facts_schema() -> dict[str, dict[str, Any]]:
    schema: dict[str, dict[str, Any]] = {}
    for name, (lo, hi) in INT_FACTS.items():
        schema[name] = {"type": "int", "min": lo, "max": hi}
    for name, choices in CHOICE_FACTS.items():
        schema[name] = {"type": "choice", "choices": list(choices)}
    for name, p in BOOL_FACTS.items():
        schema[name] = {"type": "bool", "p_true": p}
    return schema


# --------------------------------------------------------------------------- answer sets


def answer_set(rng: random.Random) -> Answer:
    lo, hi = INT_FACTS["age"]
    answer: Answer = {
        "age": min(hi, max(lo, round(rng.triangular(lo, hi, 45)))),  # adults, most mid-life
        "pain_score": rng.choice((0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 10)),
        # most problems are weeks old, a few are years old
        "duration_weeks": min(INT_FACTS["duration_weeks"][1], int(rng.expovariate(1 / 11))),
    }
    for name, choices in CHOICE_FACTS.items():
        answer[name] = rng.choice(choices)
    for name, p in BOOL_FACTS.items():
        answer[name] = rng.random() < p
    return answer


def answer_sets(n: int, seed: int = ANSWERS_SEED) -> list[Answer]:
    rng = random.Random(seed)
    return [answer_set(rng) for _ in range(n)]


# --------------------------------------------------------------------------- rules


def compare(fact: str, op: str, value: Any) -> dict[str, Any]:
    return {"fact": fact, "op": op, "value": value}


def yes(fact: str) -> dict[str, Any]:
    return compare(fact, "eq", True)


RED_FLAGS: tuple[tuple[str, int, dict[str, Any]], ...] = (
    ("rf_cauda_equina", 100, {"all": [
        yes("bladder_bowel_change"),
        {"any": [yes("saddle_numbness"), yes("weakness"), compare("area", "eq", "low_back")]}]}),
    ("rf_cardiac", 90, {"all": [
        yes("chest_pain"),
        {"any": [compare("age", "gte", 40),
                 compare("area", "in", ["neck", "shoulder", "upper_back"])]}]}),
    ("rf_infection", 80, {"all": [
        yes("fever"), {"any": [yes("night_pain"), compare("pain_score", "gte", 7)]}]}),
    ("rf_cancer", 70, {"all": [
        {"any": [yes("cancer_history"), yes("weight_loss")]},
        {"any": [yes("night_pain"), compare("age", "gte", 50)]}]}),
    ("rf_fracture", 60, {"all": [
        yes("recent_fall"),
        {"any": [compare("age", "gte", 65),
                 {"all": [compare("pain_score", "gte", 8), compare("onset", "eq", "injury")]}]}]}),
    # the next two share a priority: when both match, the first in the file is named
    ("rf_nerve_deficit", 50, {"all": [
        yes("weakness"), yes("numbness"), compare("pain_score", "gte", 6)]}),
    ("rf_severe_sudden", 50, {"all": [
        compare("pain_score", "gte", 9), compare("onset", "eq", "sudden"),
        compare("duration_weeks", "lte", 1)]}),
    ("rf_night_pain_older", 40, {"all": [
        compare("age", "gte", 55), yes("night_pain"), compare("pain_score", "gte", 7),
        {"not": {"any": [yes("recent_fall"), compare("onset", "eq", "injury")]}}]}),
)

# (soft tissue, physiotherapy) points of a score rule: most lean one way
POINTS = ((2, 0), (1, 0), (3, 1), (2, 1), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2), (1, 3))


def _leaf(rng: random.Random) -> dict[str, Any]:
    fact = rng.choice(FACTS)
    if fact in BOOL_FACTS:
        # mostly "is yes"; sometimes "is no" or "is not yes"
        return compare(fact, "ne" if rng.random() < 0.2 else "eq", rng.random() < 0.75)
    if fact in INT_FACTS:
        lo, hi = INT_FACTS[fact]
        if fact == "duration_weeks":
            hi = 26  # thresholds where the answers are
        op = rng.choice(("lt", "lte", "gt", "gte", "gte", "lte", "eq", "ne"))
        return compare(fact, op, rng.randint(lo, hi))
    choices = CHOICE_FACTS[fact]
    op = rng.choice(("eq", "eq", "ne", "in", "in", "not_in"))
    if op in ("in", "not_in"):
        k = rng.randint(2, max(2, len(choices) // 2))
        return compare(fact, op, sorted(rng.sample(choices, k)))
    return compare(fact, op, rng.choice(choices))


def _condition(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    r = rng.random()
    if depth >= 2 or r < 0.72:
        return _leaf(rng)
    if r < 0.82:
        return {"not": _condition(rng, depth + 1)}
    kind = "any" if r < 0.94 else "all"
    return {kind: [_condition(rng, depth + 1) for _ in range(rng.randint(2, 3))]}


def score_rule(rng: random.Random, number: int) -> dict[str, Any]:
    if rng.random() < 0.85:
        when: dict[str, Any] = {"all": [_condition(rng) for _ in range(rng.randint(2, 4))]}
    else:
        when = {"any": [{"all": [_condition(rng, 1), _condition(rng, 1)]}
                        for _ in range(rng.randint(2, 3))]}
    soft, physio = rng.choice(POINTS)
    return {"id": f"score_{number:05d}", "kind": "score", "priority": 1, "when": when,
            "score": {"soft_tissue": soft, "physio": physio}}


def rules(size: int, seed: int | None = None) -> list[dict[str, Any]]:
    if size < len(RED_FLAGS):
        raise ValueError(f"a rule set has at least {len(RED_FLAGS)} rules (its red flags)")
    rng = random.Random(RULES_SEED + size if seed is None else seed)
    out: list[dict[str, Any]] = [
        {"id": rid, "kind": "red_flag", "priority": priority, "when": when,
         "recommend": "see_doctor"}
        for rid, priority, when in RED_FLAGS]
    out += [score_rule(rng, i + 1) for i in range(size - len(RED_FLAGS))]
    return out


def ruleset(size: int, answers_seed: int = ANSWERS_SEED, seed: int | None = None) -> Ruleset:
    """``size`` rules and a ``both_threshold`` that makes about a quarter of the answer sets
    without a red flag come out ``both``, judged on the first 2,000 answer sets of
    ``answers_seed`` (500 above 1,000 rules: the reference is slow)."""
    rule_list = rules(size, seed)
    sample = answer_sets(2000 if size <= 1000 else 500, answers_seed)
    lows = sorted(min(st, pt) for red, st, pt, _ in (_match(rule_list, a) for a in sample)
                  if not red)
    threshold = max(1, lows[int(len(lows) * 0.75)]) if lows else 1
    return {"size": size, "both_threshold": threshold, "facts": facts_schema(),
            "rules": rule_list}


# --------------------------------------------------------------------------- the reference


def holds(cond: Mapping[str, Any], answer: Mapping[str, Any]) -> bool:
    if "all" in cond:
        return all(holds(c, answer) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, answer) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], answer)
    have, op, value = answer[cond["fact"]], cond["op"], cond["value"]
    if op == "eq":
        return bool(have == value)
    if op == "ne":
        return bool(have != value)
    if op == "lt":
        return bool(have < value)
    if op == "lte":
        return bool(have <= value)
    if op == "gt":
        return bool(have > value)
    if op == "gte":
        return bool(have >= value)
    if op == "in":
        return have in value
    if op == "not_in":
        return have not in value
    raise ValueError(f"unknown operator {op!r}")


def red_flags_by_priority(rule_list: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The red flags, highest priority first; equal priorities keep file order."""
    return sorted((r for r in rule_list if r["kind"] == "red_flag"),
                  key=lambda r: -int(r["priority"]))


def _match(rule_list: Sequence[Mapping[str, Any]],
           answer: Mapping[str, Any]) -> tuple[str, int, int, int]:
    red = next((r["id"] for r in red_flags_by_priority(rule_list) if holds(r["when"], answer)),
               "")
    soft = physio = matched = 0
    for r in rule_list:
        if r["kind"] == "score" and holds(r["when"], answer):
            soft += r["score"]["soft_tissue"]
            physio += r["score"]["physio"]
            matched += 1
    return red, soft, physio, matched


def decision(red: str, soft: int, physio: int, threshold: int) -> str:
    if red:
        return "see_doctor"
    if soft >= threshold and physio >= threshold:
        return "both"
    return "soft_tissue" if soft > physio else "physio"


def reference_eval(rs: Mapping[str, Any], answer: Mapping[str, Any]) -> Result:
    red, soft, physio, matched = _match(rs["rules"], answer)
    return [decision(red, soft, physio, int(rs["both_threshold"])), red, soft, physio, matched]


# --------------------------------------------------------------------------- files


def write(out: Path, answers: int = 100_000, sizes: Sequence[int] = (60, 600, 6000),
          seed: int = ANSWERS_SEED) -> list[str]:
    """Write the workload into ``out``; one line of description per file written."""
    out.mkdir(parents=True, exist_ok=True)
    sets = answer_sets(answers, seed)
    with open(out / "answers.jsonl", "w", encoding="utf-8") as fh:
        for a in sets:
            fh.write(json.dumps(a, separators=(",", ":")) + "\n")
    lines = [f"{out / 'answers.jsonl'}: {len(sets):,} answer sets of {len(FACTS)} facts"]
    for size in sizes:
        rs = ruleset(size, seed)
        path = out / f"rules-{size}.json"
        path.write_text(json.dumps(rs, indent=1), encoding="utf-8")
        lines.append(f"{path}: {size} rules, both_threshold {rs['both_threshold']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder to write into")
    ap.add_argument("--answers", type=int, default=100_000)
    ap.add_argument("--sizes", default="60,600,6000")
    ap.add_argument("--seed", type=int, default=ANSWERS_SEED)
    ns = ap.parse_args(argv)
    sizes = [int(s) for s in ns.sizes.split(",")]
    for line in write(ns.out, ns.answers, sizes, ns.seed):
        print("wrote " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
