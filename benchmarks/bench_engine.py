"""Engine throughput on a rule pack: full evaluations per second on one core.

    .venv/bin/python benchmarks/bench_engine.py [--pack rules] [--answers 20000] [--rounds 5]
        [--compare-with DIR]

Measures, in one run on the same answer sets: `evaluate()` (complete Outcome), the compiled
decision function alone (the floor the engine cannot beat), and the three-valued interpreter
(what the engine would cost without compilation). Reports medians with min-max and ratios,
per CPU second of the process (the machine is shared: waiting for the CPU is not counted)
and, for reference, per second of wall time.
Target (issue 2): `evaluate` at least 100,000 evaluations per second on the bundled pack.

``--compare-with DIR`` measures the triage package of another checkout (say, main before a
change: ``git worktree add DIR COMMIT``) beside this one: each round runs one process per
checkout, alternating which goes first, and the table gives both and their ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# the checkout measured: this one, or the one a --compare-with run names (see compare)
sys.path.insert(0, os.environ.get("BENCH_ENGINE_TREE") or str(ROOT))

from triage.conditions.truth import State, truth  # noqa: E402 (after the path is set)
from triage.engine.evaluate import evaluate, question_states  # noqa: E402 (after the path is set)
from triage.pack.compiled import CompiledPack  # noqa: E402 (after the path is set)
from triage.pack.load import default_pack_dir, load_pack  # noqa: E402 (after the path is set)


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
) -> tuple[list[float], list[float]]:
    """(evaluations per CPU second, per wall second), one of each per round."""
    cpu, wall = [], []
    for _ in range(rounds):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        for a in data:
            fn(a)
        cpu.append(len(data) / (time.process_time() - start_cpu))
        wall.append(len(data) / (time.perf_counter() - start))
    return cpu, wall


def interpreted(pack: CompiledPack) -> Callable[[dict[str, Any]], object]:
    def run(a: dict[str, Any]) -> object:
        states = question_states(pack, a)
        s = State(states.applicable, frozenset(), pack.shapes)
        return [truth(r.when, s) for r in pack.rules]

    return run


def measure(pack_dir: Path, answers: int, rounds: int
            ) -> tuple[str, dict[str, tuple[list[float], list[float]]]]:
    pack = load_pack(pack_dir, use_cache=False)
    pack.warm_up()  # the compiled code from the first call (a pack's first calls interpret)
    data = random_answers(pack, answers)
    results = {
        "compiled decide() alone (floor)": rate(pack.decide, data, rounds),
        "evaluate() -> Outcome": rate(lambda a: evaluate(pack, a), data, rounds),
        "three-valued interpreter": rate(interpreted(pack), data[: answers // 10], rounds),
    }
    about = (f"pack {pack.id} {pack.version}: {len(pack.questions)} questions, "
             f"{len(pack.rules)} rules; {answers:,} answer sets, {rounds} rounds")
    return about, results


def compare(ns: argparse.Namespace) -> None:
    """Rounds alternating a process of this checkout and one of ``--compare-with``'s."""
    from benchmarks.paired import alternating_rounds, checkouts, ratio_table

    trees = checkouts(ROOT, ns.compare_with)
    cpu: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    command = [sys.executable, str(Path(__file__).resolve()), "--pack", str(ns.pack),
               "--answers", str(ns.answers), "--rounds", "1", "--json"]
    about = ""
    for ran in alternating_rounds(trees, ns.rounds, command, "BENCH_ENGINE_TREE"):
        for label, out in ran:
            about, results = json.loads(out)
            for name, (rates, _) in results.items():
                cpu[label].setdefault(name, []).extend(rates)
    (_, these), (other, those) = cpu.items()
    print(f"{about}; evaluations per CPU second; each round one process of each checkout, "
          "alternating\n")
    print(ratio_table("what", other, ((name, mine, those[name]) for name, mine in these.items())))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pack", type=Path, default=default_pack_dir())
    ap.add_argument("--answers", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--compare-with", type=Path, metavar="DIR",
                    help="also measure the triage package of another checkout, in the same "
                         "rounds, one process per checkout and round")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one process
    ns = ap.parse_args()
    if ns.compare_with:
        compare(ns)
        return
    about, results = measure(ns.pack, ns.answers, ns.rounds)
    if ns.json:
        print(json.dumps([about, results]))
        return
    engine = statistics.median(results["evaluate() -> Outcome"][0])
    print(f"{about}, median\n")
    print("| what | evaluations per CPU second (median) | min - max | per wall second "
          "(median) | ratio to evaluate() |")
    print("|---|---:|---:|---:|---:|")
    for name, (cpu, wall) in results.items():
        med = statistics.median(cpu)
        print(f"| {name} | {med:,.0f} | {min(cpu):,.0f} - {max(cpu):,.0f} | "
              f"{statistics.median(wall):,.0f} | {med / engine:.2f}x |")
    verdict = "meets" if engine >= 100_000 else "MISSES"
    print(f"\nevaluate(): {engine:,.0f} per CPU second {verdict} the 100,000/s target")


if __name__ == "__main__":
    main()
