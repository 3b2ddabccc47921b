"""How the time of `triage verify` grows with the size of a pack.

Generates synthetic packs of 50, 200 and 1,000 questions in a temporary folder, shaped like a
clinical pack: red-flag screening questions and an age asked of everyone, a body-area question,
and for each area a block of four yes/no questions asked only for that area (a red flag, two
indications and a precaution per block). Prints one table row per pack: questions, rules,
solver queries, CPU and wall seconds, and the growth ratios against the previous row; first,
`triage verify --require-proof` on the bundled pack in a fresh process (the < 10 s target),
``--rounds`` times after a warm-up run.
Run from the repository root:

    .venv/bin/python benchmarks/bench_verify.py            # 50, 200, 1000 questions
    .venv/bin/python benchmarks/bench_verify.py 50 200     # chosen sizes
    .venv/bin/python benchmarks/bench_verify.py --rounds 9 # runs of the bundled pack's command

No timing is asserted anywhere; the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    # run as a script: make `benchmarks` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import machine
from triage.authoring.verify import verify
from triage.pack.load import load_pack

SOURCE = '{citation: "Synthetic benchmark pack", year: 2026, kind: consensus}'
DISPOSITIONS = ("emergency", "same_day", "doctor_first", "physiotherapy", "both", "soft_tissue",
                "not_enough_information")
SCREENS = 3  # chest_pain, short_breath, fever
PER_BLOCK = 4


def pack_yaml(n: int) -> str:
    lines = ["pack:", f"  id: synthetic_{n}", '  version: "1.0.0"',
             f"  title: Synthetic pack of {n} questions", "  languages: [en]",
             "  disclaimer: A synthetic benchmark pack. Not for patients.", "  dispositions:"]
    for d in DISPOSITIONS:
        lines.append(f"    {d}: {{label: {d}, action: {d}., timeframe: soon, if_worse: call.}}")
    return "\n".join(lines) + "\n"


def rules_yaml(n: int) -> str:
    blocks = max(1, (n - SCREENS - 2) // PER_BLOCK)
    q = ["questions:"]
    q.append("  - {id: chest_pain, text: Chest pain?, type: yes_no, red_flag_screen: true}")
    q.append("  - {id: short_breath, text: Short of breath?, type: yes_no, "
             "red_flag_screen: true}")
    q.append("  - {id: fever, text: Fever?, type: yes_no, red_flag_screen: true}")
    q.append("  - {id: age, text: Age?, type: number, min: 0, max: 120}")
    q.append("  - id: area")
    q.append("    text: Where?")
    q.append("    type: single")
    q.append("    options:")
    q += [f"      - {{id: a{i}, text: Area {i}}}" for i in range(blocks)]
    red = ["red_flags:",
           f"  - {{id: chest, when: chest_pain, disposition: emergency, reason: R., "
           f"source: {SOURCE}}}",
           f"  - {{id: breath, when: short_breath and age >= 50, disposition: same_day, "
           f"reason: R., source: {SOURCE}}}"]
    contra = ["contraindications:",
              f"  - {{id: fever_strike, when: fever, effect: strike_soft_tissue, reason: C., "
              f"source: {SOURCE}}}"]
    ind = ["indications:"]
    for i in range(blocks):
        gate = f"area == a{i}"
        for k in range(PER_BLOCK):
            q.append(f"  - {{id: b{i}_{k}, text: Block {i} question {k}?, type: yes_no, "
                     f"ask_if: '{gate}'}}")
        red.append(f"  - {{id: flag{i}, when: '{gate} and b{i}_0 and age >= 50', "
                   f"disposition: doctor_first, reason: R., source: {SOURCE}}}")
        ind.append(f"  - {{id: soft{i}, when: b{i}_1, supports: soft_tissue, reason: I., "
                   f"source: {SOURCE}}}")
        ind.append(f"  - {{id: physio{i}, when: b{i}_2, supports: physiotherapy, reason: I., "
                   f"source: {SOURCE}}}")
        contra.append(f"  - {{id: care{i}, when: b{i}_3, effect: precaution, reason: C., "
                      f"source: {SOURCE}}}")
    return "\n".join([*q, *red, *contra, *ind]) + "\n"


def make_pack(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(pack_yaml(n), encoding="utf-8")
    (folder / "rules.yaml").write_text(rules_yaml(n), encoding="utf-8")
    return folder


def bundled(rounds: int) -> None:
    """`triage verify --require-proof` on the bundled pack, as a user runs it: a fresh process
    each time (verify always loads the pack without its cache), with bytecode cached as a
    user's is (these machines set PYTHONDONTWRITEBYTECODE, which would recompile every module
    of the project in every run), after one untimed warm-up run that writes the bytecode.
    ``rounds`` timed runs of each of ``--jobs 1`` (the baseline: one process) and ``--jobs
    2`` (the default on 2 cores), one after the other in each round: median and min-max of
    wall and CPU time (the second process's included), the wall ratio of each round, and the
    load average."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TRIAGE_CACHE_DIR"] = tempfile.mkdtemp(prefix="triage-bench-cache-")
    loads = [machine.load_average()]
    walls: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    last = ""
    for i in range(rounds + 1):
        for jobs in (1, 2):
            command = [sys.executable, "-m", "triage", "verify", "--require-proof",
                       "--jobs", str(jobs)]
            started = time.perf_counter()
            before = os.times()
            done = subprocess.run(command, env=env, capture_output=True, text=True,
                                  check=False)
            after = os.times()
            last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
            if done.returncode != 0:  # a claim not proven, or a disagreement with evaluate()
                raise SystemExit(f"{' '.join(command[2:])}: exit {done.returncode}: {last}")
            if i == 0:
                continue  # the warm-up: bytecode written
            walls[jobs].append(time.perf_counter() - started)
            cpus[jobs].append(after.children_user - before.children_user
                              + after.children_system - before.children_system)
    loads.append(machine.load_average())
    for jobs in (1, 2):
        w, c = walls[jobs], cpus[jobs]
        print(f"triage verify --require-proof --jobs {jobs}, bundled pack, {rounds} runs "
              f"(fresh process each): wall {statistics.median(w):.2f} s "
              f"({min(w):.2f}-{max(w):.2f}), CPU {statistics.median(c):.2f} s "
              f"({min(c):.2f}-{max(c):.2f})")
    ratios = [two / one for one, two in zip(walls[1], walls[2], strict=True)]
    print(f"  wall --jobs 2 / --jobs 1, each round: "
          f"{', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f}); "
          f"every run exit 0: {last}; load average (start; end) {'; '.join(loads)}")


def main(sizes: list[int], rounds: int, size_rounds: int) -> None:
    bundled(rounds)
    rows = []
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as tmp:
        for n in sizes:
            pack = load_pack(make_pack(Path(tmp) / f"p{n}", n), use_cache=False)
            cpus, walls = [], []
            for _ in range(size_rounds):
                started, cpu = time.perf_counter(), time.process_time()
                report = verify(pack)
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu)
            n_proven = sum(1 for c in report.claims if c.status == "proven")
            rows.append((len(pack.questions), len(pack.rules), report.paths, cpus, walls,
                         report.mode, f"{n_proven}/{len(report.claims)}",
                         len(report.violations)))
    print(f"{size_rounds} runs of verify() per pack (median, min-max); the pack loaded once, "
          "untimed; load average at the end " + machine.load_average())
    print(f"{'questions':>9} {'rules':>6} {'queries':>8} {'CPU s':>7} {'min-max':>13} "
          f"{'wall s':>7} {'min-max':>13} {'x CPU':>6} {'x questions':>11}  mode      "
          "proven  violations")
    previous: tuple[int, float] | None = None
    for nq, nr, queries, cpus, walls, mode, proven, bad in rows:
        cpu, wall = statistics.median(cpus), statistics.median(walls)
        ratios = (f"{'-':>6} {'-':>11}" if previous is None else
                  f"{cpu / previous[1]:>6.1f} {nq / previous[0]:>11.1f}")
        print(f"{nq:>9} {nr:>6} {queries:>8,} {cpu:>7.2f} "
              f"{f'{min(cpus):.2f}-{max(cpus):.2f}':>13} {wall:>7.2f} "
              f"{f'{min(walls):.2f}-{max(walls):.2f}':>13} {ratios}  "
              f"{mode:<9} {proven:>6}  {bad}")
        previous = (nq, cpu)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[50, 200, 1000],
                        help="questions of each synthetic pack (default: 50 200 1000)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="timed runs of the command on the bundled pack (default 5)")
    parser.add_argument("--size-rounds", type=int, default=3,
                        help="timed runs of verify() on each synthetic pack (default 3)")
    args = parser.parse_args()
    main(args.sizes, args.rounds, args.size_rounds)
