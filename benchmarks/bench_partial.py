"""Answers with gaps: ``evaluate()`` on the pack's own cases that leave questions unanswered.

    .venv/bin/python benchmarks/bench_partial.py [--pack rules] [--rounds 7] [--seconds 1]
        [--compare-with DIR]

Measured in one run, interleaved round by round, by CPU time (the machine is shared):
``evaluate()`` (the compiled three-valued path, triage/pack/codegen_partial.py), the same with
the policy's tables and the answers remembered per question emptied before every pass over
the cases (what a truth pattern and an answer cost the first time they are met),
the same with every outcome of the round held in memory to its end (the cost of a caller
that keeps them all: the garbage collector walks them again and again), ``evaluate_interpreted()``
(the interpreter, the baseline) and, for scale, ``evaluate()`` on the pack's complete cases.
Every result of every pass of every round is checked (untimed; then dropped, as a batch or a
server drops them, except in the row that keeps them)
against tests/reference.py (the independent statement of what a pack decides: disposition,
main red flag, fired rules, or no recommendation because a safety answer is missing) and
against the interpreter; one disagreement stops the run with exit status 1.
Target (issue 15): at least 100,000 evaluations per CPU second on the cases with gaps.

``--compare-with DIR`` measures the triage package of another checkout (say, main before a
change: ``git worktree add DIR COMMIT``) beside this one: each round runs one process per
checkout (one round of every row above, checked as above), alternating which goes first, and
the table gives both and their ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# the checkout measured: this one, or the one a --compare-with run names (see main)
sys.path.insert(0, os.environ.get("BENCH_PARTIAL_TREE") or str(ROOT))

from tests import reference  # noqa: E402 (after the path is set)
from triage.engine.evaluate import (  # noqa: E402
    MissingAnswers,
    evaluate,
    evaluate_interpreted,
    question_states,
)
from triage.engine.partial import compiled_partial  # noqa: E402
from triage.pack.compiled import CompiledPack  # noqa: E402
from triage.pack.load import load_pack  # noqa: E402

Run = Callable[[CompiledPack, dict[str, Any]], Any]


def with_gaps(pack: CompiledPack) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(cases whose answers leave a question that may apply unanswered, complete cases)."""
    gaps, complete = [], []
    for case in pack.cases:
        answers = dict(case.answers)
        (gaps if question_states(pack, answers).pending else complete).append(answers)
    return gaps, complete


def result(run: Run, pack: CompiledPack, answers: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return summary(run(pack, answers))
    except MissingAnswers as exc:
        return summary(exc)


def expected(pack: CompiledPack, answers: dict[str, Any]) -> tuple[Any, ...]:
    e = reference.expected(pack, answers)
    if e.missing_safety:
        return (True, None, None, ())
    return (False, e.disposition, e.main_red_flag, e.fired)


def summary(outcome: Any) -> tuple[Any, ...]:
    if isinstance(outcome, MissingAnswers):
        return (True, None, None, ())
    return (False, outcome.disposition, outcome.main_red_flag,
            tuple(r.id for r in outcome.fired))


def one_pass(run: Run, pack: CompiledPack, data: list[dict[str, Any]],
             want: list[tuple[Any, ...]], before: Callable[[], None] | None = None,
             keep: bool = False) -> tuple[float, int] | None:
    """(CPU seconds, evaluations) of passes over ``data`` for about ``SECONDS``, or None when
    an outcome differs from ``want``. Every pass's outcomes are checked (untimed) and then
    dropped, as a batch or a server drops them; ``keep`` holds all of them to the end of
    the round instead (the garbage collector then walks a growing heap of outcomes)."""
    kept: list[Any] = []
    n = 0
    spent = 0.0
    while spent < SECONDS:
        if before is not None:
            before()
        outcomes: list[Any] = []
        start = time.process_time()
        for answers in data:
            try:
                outcomes.append(run(pack, answers))
            except MissingAnswers as exc:
                outcomes.append(exc)
        spent += time.process_time() - start
        n += len(data)
        if [summary(o) for o in outcomes] != want:
            return None
        if keep:
            kept += outcomes
    return spent, n


SECONDS = 1.0


def main() -> int:
    global SECONDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", type=Path, default=None, help="pack folder (default: bundled)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=1.0, help="CPU seconds per round")
    parser.add_argument("--compare-with", type=Path, metavar="DIR",
                        help="also measure the triage package of another checkout, in the "
                             "same rounds, one process per checkout and round")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one process
    args = parser.parse_args()
    SECONDS = args.seconds
    if args.compare_with:
        return compare(args)
    pack = load_pack(args.pack, use_cache=False)
    pack.warm_up()  # the compiled code from the first call (a pack's first calls interpret)
    gaps, complete = with_gaps(pack)
    print(f"pack {pack.id} {pack.version}: {len(pack.questions)} questions, "
          f"{len(pack.rules)} rules, {len(pack.cases)} cases, {len(gaps)} with gaps")
    # every answer set checked before timing, against the reference and the interpreter
    for answers in gaps + complete:
        want = expected(pack, answers)
        for name, run in (("evaluate", evaluate), ("interpreted", evaluate_interpreted)):
            got = result(run, pack, answers)
            if got != want:
                print(f"MISMATCH ({name}) for {answers}:\n  got  {got}\n  want {want}")
                return 1
    compiled = compiled_partial(pack)

    def forget() -> None:
        for table in (compiled._certain, compiled._fired, compiled._unchecked,
                      compiled._safety_reads, compiled._stopped,
                      getattr(compiled, "_heads", {})):  # (not in older checkouts)
            table.clear()
        settled = getattr(compiled, "_settled", None)  # made on first use, where there is one
        for run in (compiled.run, *([settled] if settled else [])):
            for name, table in run.__globals__.items():  # answers remembered per question
                if name.startswith("_M_"):
                    table.clear()

    engines: list[tuple[str, Run, list[dict[str, Any]], Callable[[], None] | None, bool]] = [
        ("evaluate(), cases with gaps", evaluate, gaps, None, False),
        ("evaluate(), cases with gaps, policy tables and remembered answers emptied each pass",
         evaluate, gaps, forget, False),
        ("evaluate(), cases with gaps, every outcome of the round kept in memory",
         evaluate, gaps, None, True),
        ("evaluate_interpreted(), cases with gaps (baseline)", evaluate_interpreted, gaps,
         None, False),
        ("evaluate(), complete cases", evaluate, complete, None, False),
    ]
    rates: dict[str, list[float]] = {name: [] for name, *_ in engines}
    wanted = {id(d): [expected(pack, a) for a in d] for _, _, d, _, _ in engines}
    for _ in range(args.rounds):
        for name, timed, data, before, keep in engines:
            gc.collect()
            measured = one_pass(timed, pack, data, wanted[id(data)], before, keep)
            if measured is None:
                print(f"MISMATCH in a timed round of {name}")
                return 1
            spent, n = measured
            rates[name].append(n / spent)
    if args.json:
        print(json.dumps(rates))
        return 0
    base = statistics.median(rates[engines[3][0]])
    print(f"{args.rounds} rounds of ~{SECONDS:g} CPU s each; every result equal to "
          "tests/reference.py\n")
    print("| path | evaluations per CPU second (median) | min-max | ÷ interpreted |")
    print("|---|---:|---:|---:|")
    for name, *_ in engines:
        r = rates[name]
        print(f"| {name} | {statistics.median(r):,.0f} | {min(r):,.0f}-{max(r):,.0f} | "
              f"{statistics.median(r) / base:.1f}x |")
    return 0


def compare(args: argparse.Namespace) -> int:
    """Rounds alternating a process of this checkout and one of ``--compare-with``'s."""
    from benchmarks.paired import ChildFailed, alternating_rounds, checkouts, ratio_table

    trees = checkouts(ROOT, args.compare_with)
    rates: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    command = [sys.executable, str(Path(__file__).resolve()), "--rounds", "1", "--seconds",
               str(args.seconds), "--json", *(["--pack", str(args.pack)] if args.pack else [])]
    try:
        for i, ran in enumerate(alternating_rounds(trees, args.rounds, command,
                                                   "BENCH_PARTIAL_TREE")):
            for label, out in ran:
                for name, r in json.loads(out.splitlines()[-1]).items():
                    rates[label].setdefault(name, []).extend(r)
            print(f"round {i + 1}: " + ", ".join(
                f"{label} {next(iter(r.values()))[-1]:,.0f}/s" for label, r in rates.items()),
                file=sys.stderr, flush=True)
    except ChildFailed as failed:
        print(failed)
        return 1
    (_, these), (other, those) = rates.items()
    print(f"{args.rounds} rounds of ~{args.seconds:g} CPU s a row, each round one process of "
          f"each checkout; every result equal to tests/reference.py\n")
    print(ratio_table("path", other, ((name, mine, those[name]) for name, mine in
                                      these.items() if those.get(name))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
