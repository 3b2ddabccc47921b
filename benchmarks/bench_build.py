#!/usr/bin/env python3
"""Cold build of a large pack against compiling the equivalent generated if/else (issue 15).

    .venv/bin/python benchmarks/bench_build.py [--size 6000] [--rounds 9] [--write-readme]

Target (issue 15): building the 6,000-rule pack from YAML with no cache takes at most 2x the
CPU time Python takes to compile the equivalent plain if/else.

Both are measured by CPU time (``time.process_time``), each in a fresh interpreter (this
script with ``--one``), which first imports what it needs and warms nothing else (untimed):

* triage: ``load_pack(folder, use_cache=False)`` of the pack ``benchmarks/translate.py``
  writes for the rules (read the files, parse the YAML, check everything, build the pack),
  plus the first ``evaluate()`` after ``pack.warm_up()``, so that the decision code is
  generated and compiled in it (a pack's first calls would otherwise interpret the
  conditions: see ``CompiledPack.still_cold``): lazily compiled code counts;
* if/else: ``compile()`` and ``exec`` of the source ``benchmarks/peers/ifelse.py`` generates
  for the same rules (its generation is this benchmark's own step, not timed), plus its first
  call.

Rounds rotate which runs first, so drift in the machine's speed hits all alike; a ratio is
the median of the per-round ratios (each pair ran in the same round), min-max shown.
``--compare-with DIR`` also measures the triage package of another checkout (say, main before
a change) in the same rounds.
Every built pack and every compiled if/else is checked on ``--check`` answer sets against
``reference_eval`` (the workload's specification); a disagreement stops the run with exit 1.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import machine
from benchmarks.common import (
    DEFAULT_DATA_DIR,
    REPO_ROOT,
    ensure_data,
    load_answers,
    load_ruleset,
    reference_results,
    replace_readme_section,
)

README = REPO_ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- bench-build:begin -->", "<!-- bench-build:end -->"
TARGET = 2.0
KINDS = ("triage", "ifelse")


def one(kind: str, size: int, pack_dir: Path, check: int,
        tree: Path | None = None) -> dict[str, Any]:
    """One measurement in this (fresh) interpreter: CPU seconds, and whether it decided right
    (``tree``: a checkout whose triage package to measure instead of this one's)."""
    if tree is not None:
        sys.path.insert(0, str(tree))
    data = ensure_data(DEFAULT_DATA_DIR)
    ruleset = load_ruleset(data, size)
    answers = load_answers(data, check)
    expected = reference_results(data, size, ruleset, answers)
    source = ""
    if kind == "ifelse":
        from benchmarks.peers import ifelse

        source = ifelse.generate_source(ruleset)
    del ruleset  # a large structure the measured process would not hold (the collector
    # would walk it when the generated code is compiled)
    if kind != "ifelse":
        from benchmarks.peers.triage_engine import DISPOSITION, native
        from triage.engine.evaluate import evaluate
        from triage.pack import validate  # noqa: F401  (imports are start-up, not building)
        from triage.pack.load import load_pack

        prepared = [native(a) for a in answers]
        gc.collect()
        start = time.process_time()
        pack = load_pack(pack_dir, use_cache=False)
        pack.warm_up()  # compile now: a pack's first calls would otherwise interpret (tiers)
        evaluate(pack, prepared[0])
        seconds = time.process_time() - start
        got = []
        for a in prepared:
            d, red, _, (soft, physio), n, *_ = evaluate(pack, a)
            got.append(["see_doctor", red, soft, physio, n] if red is not None
                       else [DISPOSITION[d], "", soft, physio, n])
    else:
        namespace: dict[str, Any] = {}
        gc.collect()
        start = time.process_time()
        exec(compile(source, f"<ifelse-{size}>", "exec"), namespace)
        fn = namespace["evaluate"]
        fn(answers[0])
        seconds = time.process_time() - start
        got = [fn(a) for a in answers]
    wrong = next((i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e), -1)
    return {"seconds": seconds, "checked": len(got), "wrong": wrong,
            "detail": "" if wrong < 0 else f"answer set #{wrong}: {got[wrong]} != "
                                               f"reference {expected[wrong]}"}


def run_child(kind: str, size: int, pack_dir: Path, check: int,
              tree: Path | None = None) -> dict[str, Any]:
    extra = [] if tree is None else ["--tree", str(tree)]
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, "--size", str(size), "--pack", str(pack_dir),
         "--check", str(check), *extra], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{kind} build failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["wrong"] >= 0:
        raise SystemExit(f"MISMATCH: {kind} at {size} rules, {result['detail']}")
    return result


def report(size: int, times: dict[str, list[float]], check: int, loads: list[str],
           command: str, other: str) -> str:
    rounds = len(times["ifelse"])
    lines = [
        f"Command: `{command}`  ",
        f"{rounds} rounds, each a fresh interpreter per measurement, the order rotating; "
        f"CPU time; every build checked on {check} answer sets against `reference_eval`.",
        "",
        machine.markdown(machine.describe({"load average (start; end)": "; ".join(loads)})),
        "",
        f"| build, {size:,} rules | CPU s (median) | min-max | ÷ if/else (median of rounds) |",
        "|---|---:|---:|---:|",
    ]
    labels = {"triage": "triage: `load_pack(use_cache=False)` + `warm_up()` + first `evaluate()`",
              "other": f"the same, triage of {other}",
              "ifelse": "if/else: `compile()` + exec + first call (baseline)"}
    ratios = {}
    for kind, label in labels.items():
        if kind not in times:
            continue
        t = times[kind]
        r = ratios[kind] = [x / i for x, i in zip(t, times["ifelse"], strict=True)]
        lines.append(f"| {label} | {statistics.median(t):.3f} | {min(t):.3f}-{max(t):.3f} | "
                     f"{statistics.median(r):.2f} ({min(r):.2f}-{max(r):.2f}) |")
    ratio = statistics.median(ratios["triage"])
    lines += ["", f"- cold build ÷ compiling the if/else = {ratio:.2f} (median of per-round "
                  f"ratios), target <= {TARGET:g}: {'met' if ratio <= TARGET else 'NOT met'}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=6000, help="rules (60, 600 or 6000)")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--check", type=int, default=200, help="answer sets checked per build")
    ap.add_argument("--compare-with", type=Path, metavar="DIR",
                    help="also measure the triage package of another checkout (e.g. of main "
                         "before a change: `git worktree add DIR COMMIT`), in the same rounds")
    ap.add_argument("--write-readme", action="store_true")
    ap.add_argument("--one", choices=KINDS, help=argparse.SUPPRESS)
    ap.add_argument("--pack", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.one:
        print(json.dumps(one(ns.one, ns.size, ns.pack, ns.check, ns.tree)))
        return 0

    from benchmarks.translate import write_pack

    data = ensure_data(DEFAULT_DATA_DIR)
    ruleset = load_ruleset(data, ns.size)
    reference_results(data, ns.size, ruleset, load_answers(data, ns.check))  # cached once
    loads = [machine.load_average()]
    kinds: list[tuple[str, str, Path | None]] = [("triage", "triage", None),
                                                 ("ifelse", "ifelse", None)]
    if ns.compare_with:
        kinds.append(("other", "triage", ns.compare_with.resolve()))
    times: dict[str, list[float]] = {name: [] for name, _, _ in kinds}
    with tempfile.TemporaryDirectory(prefix="triage-bench-build-") as tmp:
        pack_dir = write_pack(ruleset, Path(tmp))
        for _, kind, tree in kinds:  # warm-up: bytecode written, the OS cache filled
            run_child(kind, ns.size, pack_dir, ns.check, tree)
        for i in range(ns.rounds):
            shift = i % len(kinds)
            for name, kind, tree in kinds[shift:] + kinds[:shift]:
                times[name].append(run_child(kind, ns.size, pack_dir, ns.check, tree)["seconds"])
            print(f"round {i + 1}: " + ", ".join(f"{name} {t[-1]:.3f} s"
                                                 for name, t in times.items()),
                  file=sys.stderr, flush=True)
    loads.append(machine.load_average())
    command = "python benchmarks/bench_build.py" + (
        f" --size {ns.size}" if ns.size != 6000 else "") + f" --rounds {ns.rounds}" + (
        f" --compare-with {ns.compare_with}" if ns.compare_with else "")
    section = report(ns.size, times, ns.check, loads, command, str(ns.compare_with))
    print(section)
    if ns.write_readme:
        replace_readme_section(README, BEGIN, END, section)
        print(f"updated {README}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
