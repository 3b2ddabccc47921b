"""How the time of `triage verify` grows with the size of a pack.

Generates synthetic packs of 50, 200 and 1,000 questions in a temporary folder, shaped like a
clinical pack: red-flag screening questions and an age asked of everyone, a body-area question,
and for each area a block of four yes/no questions asked only for that area (a red flag, two
indications and a precaution per block). Prints one table row per pack: questions, rules,
solver queries, CPU and wall seconds, and the growth ratios against the previous row; first,
`triage verify --require-proof` on the bundled pack in a fresh process (the < 10 s target).
Run from the repository root:

    .venv/bin/python benchmarks/bench_verify.py            # 50, 200, 1000 questions
    .venv/bin/python benchmarks/bench_verify.py 50 200     # chosen sizes

No timing is asserted anywhere; the figures depend on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def bundled() -> None:
    """`triage verify` on the bundled pack, as a user runs it (a fresh process, no cache)."""
    env = {**os.environ, "TRIAGE_CACHE_DIR": tempfile.mkdtemp(prefix="triage-bench-cache-")}
    started = time.perf_counter()
    before = os.times()
    done = subprocess.run([sys.executable, "-m", "triage", "verify", "--require-proof"],
                          env=env, capture_output=True, text=True, check=False)
    after = os.times()
    wall = time.perf_counter() - started
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    print(f"triage verify --require-proof, bundled pack: {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"exit {done.returncode}: {last}")


def main(sizes: list[int]) -> None:
    bundled()
    rows = []
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as tmp:
        for n in sizes:
            pack = load_pack(make_pack(Path(tmp) / f"p{n}", n), use_cache=False)
            started, cpu = time.perf_counter(), time.process_time()
            report = verify(pack)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            proven = sum(1 for c in report.claims if c.status == "proven")
            rows.append((len(pack.questions), len(pack.rules), report.paths, cpu, seconds,
                         report.mode, f"{proven}/{len(report.claims)}",
                         len(report.violations)))
    print(f"{'questions':>9} {'rules':>6} {'queries':>8} {'CPU s':>7} {'wall s':>7} "
          f"{'x CPU':>6} {'x questions':>11}  mode      proven  violations")
    previous = None
    for row in rows:
        nq, nr, queries, cpu, seconds, mode, proven, bad = row
        ratios = (f"{'-':>6} {'-':>11}" if previous is None else
                  f"{cpu / previous[3]:>6.1f} {nq / previous[0]:>11.1f}")
        print(f"{nq:>9} {nr:>6} {queries:>8,} {cpu:>7.2f} {seconds:>7.2f} {ratios}  "
              f"{mode:<9} {proven:>6}  {bad}")
        previous = row


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [50, 200, 1000])
