"""Engine throughput on a rule pack: full evaluations per second on one core.

    .venv/bin/python benchmarks/bench_engine.py [--pack rules] [--answers 20000] [--rounds 5]

Measures, in one run on the same answer sets: `evaluate()` (complete Outcome), the compiled
decision function alone (the floor the engine cannot beat), and the three-valued interpreter
(what the engine would cost without compilation). Reports medians with min-max and ratios.
Target (issue 2): `evaluate` at least 100,000 evaluations per second on the bundled pack.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from triage.conditions.truth import State, truth
from triage.engine.evaluate import evaluate, question_states
from triage.pack.compiled import CompiledPack
from triage.pack.load import default_pack_dir, load_pack


def random_answers(pack: CompiledPack, n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a: dict[str, Any] = {}
        for q in pack.questions:
            if q.type in ("yes_no", "single"):
                # red flags are rare in real life: "no" four times in five
                a[q.id] = (
                    "no" if q.type == "yes_no" and rng.random() < 0.8 else rng.choice(q.choices)
                )
            elif q.type == "multi":
                a[q.id] = frozenset(o for o in q.choices if rng.random() < 0.25)
            else:
                assert q.min is not None and q.max is not None
                a[q.id] = rng.randint(int(q.min), int(q.max))
        out.append(a)
    return out


def rate(
    fn: Callable[[dict[str, Any]], object], data: list[dict[str, Any]], rounds: int
) -> list[float]:
    rates = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for a in data:
            fn(a)
        rates.append(len(data) / (time.perf_counter() - start))
    return rates


def interpreted(pack: CompiledPack) -> Callable[[dict[str, Any]], object]:
    def run(a: dict[str, Any]) -> object:
        states = question_states(pack, a)
        s = State(states.applicable, frozenset(), pack.shapes)
        return [truth(r.when, s) for r in pack.rules]

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pack", type=Path, default=default_pack_dir())
    ap.add_argument("--answers", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=5)
    ns = ap.parse_args()
    pack = load_pack(ns.pack, use_cache=False)
    data = random_answers(pack, ns.answers)
    results = {
        "compiled decide() alone (floor)": rate(pack.decide, data, ns.rounds),
        "evaluate() -> Outcome": rate(lambda a: evaluate(pack, a), data, ns.rounds),
        "three-valued interpreter": rate(interpreted(pack), data[: ns.answers // 10], ns.rounds),
    }
    engine = statistics.median(results["evaluate() -> Outcome"])
    print(
        f"pack {pack.id} {pack.version}: {len(pack.questions)} questions, "
        f"{len(pack.rules)} rules; {ns.answers:,} answer sets, median of {ns.rounds} rounds"
    )
    print()
    print("| what | evaluations/s (median) | min - max | ratio to evaluate() |")
    print("|---|---:|---:|---:|")
    for name, rates in results.items():
        med = statistics.median(rates)
        print(
            f"| {name} | {med:,.0f} | {min(rates):,.0f} - {max(rates):,.0f} | {med / engine:.2f}x |"
        )
    verdict = "meets" if engine >= 100_000 else "MISSES"
    print(f"\nevaluate(): {engine:,.0f}/s {verdict} the 100,000/s target")


if __name__ == "__main__":
    main()
