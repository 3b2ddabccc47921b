"""Throughput and memory of ``triage batch`` (see benchmarks/README_batch.md).

    python benchmarks/bench_batch.py [--pack DIR] [--rows 100000] [--rounds 5] [--format csv]
        [--compare-with DIR]

Generates N random valid rows for the pack from its question shapes (every question
answered, so rows take the compiled fast path; ``--unanswered 0.1`` leaves that share of the
answers out so the full evaluator and the fail-closed errors are exercised too), writes them
to a temporary file, then times the whole pipeline as the command runs it: read the file,
parse, screen, write the results file. Reports rows per second as the median of the rounds
(wall clock, and per CPU-second of the process, steadier on a busy machine), pinned to one
CPU core where the platform allows it.

Rows are screened as ``triage batch`` does by default (disposition and main red flag, no
fired rule ids); ``--fired`` times ``triage batch --fired``. After the timed rounds the first
``--check`` rows of the output are compared with tests/reference.py (the independent statement
of what a pack decides); a difference stops the run with exit status 1.

``--compare-with DIR`` measures the triage package of another checkout (say, main before a
change: ``git worktree add DIR COMMIT``) beside this one on the same input file: each round runs
one process per checkout (a warm-up run, then three timed runs whose median is the process's
rate, checked as above), alternating which goes first, and reports both medians and the median
of the rounds' ratios. Only this
script is used for both; the ``triage`` package and tests/reference.py come from each checkout.

Memory: the same run at 10k, 100k and 1M rows (``--memory-rows``), each in a fresh process,
reporting the peak resident set size (``resource.getrusage``) and, up to 100k rows, the peak
of Python allocations during the run (``tracemalloc``, which slows a run several times).
Flat means the largest figure is about the 10k figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# the checkout measured: this one, or the one a --compare-with run names (see compare)
TREE = os.environ.get("BENCH_BATCH_TREE") or str(ROOT)
sys.path.insert(0, TREE)

from tests import reference  # noqa: E402 (the independent reference, for the check)
from triage.batch.reading import LineReader, screen_stream  # noqa: E402
from triage.batch.screening import Screener  # noqa: E402
from triage.batch.writing import write_results  # noqa: E402
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, QuestionShape  # noqa: E402
from triage.pack.compiled import CompiledPack  # noqa: E402
from triage.pack.load import default_pack_dir, load_pack  # noqa: E402

YES_SHARE = 0.15


def random_value(shape: QuestionShape, rng: random.Random) -> Any:
    """A random valid answer. Like a real caller list, most answers to yes/no questions
    (mostly red-flag screens) are "no", and a multiple-choice answer picks about one option;
    otherwise nearly every row would be an emergency and only the first rule would matter."""
    if shape.type == YES_NO:
        return "yes" if rng.random() < YES_SHARE else "no"
    if shape.type == SINGLE:
        return rng.choice(shape.options)
    if shape.type == MULTI:
        share = min(0.4, 1.2 / max(len(shape.options), 1))
        return [o for o in shape.options if rng.random() < share]
    assert shape.type == NUMBER
    lo = shape.min if shape.min is not None else 0
    hi = shape.max if shape.max is not None else lo + 100
    if shape.integer:
        return rng.randint(int(lo), int(hi))
    return round(rng.uniform(lo, hi), 1)


def cell(value: Any) -> str:
    """A CSV cell: empty = not answered; "none" = multiple choice, none chosen."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value) or "none"
    return str(value)


def write_input(pack: CompiledPack, path: Path, rows: int, fmt: str, unanswered: float,
                seed: int = 20261126, keep: int = 0, only_asked: bool = False,
                ) -> list[dict[str, Any]]:
    """N random rows, written one at a time; returns the answers of the first ``keep`` rows
    in normal form (for the check against the reference). ``only_asked``: no answer to a
    question whose ``ask_if`` does not hold (as an export of the questionnaire has them)."""
    from triage.engine.evaluate import question_states

    kept: list[dict[str, Any]] = []
    rng = random.Random(seed)
    qids = list(pack.shapes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            fh.write("id," + ",".join(qids) + "\n")
        for i in range(rows):
            answers = {q: random_value(pack.shapes[q], rng) for q in qids
                       if not unanswered or rng.random() >= unanswered}
            if only_asked:
                asked = question_states(pack, {q: frozenset(v) if isinstance(v, list) else v
                                               for q, v in answers.items()}, settled=True)
                answers = {q: v for q, v in answers.items() if q in asked.applicable}
            if i < keep:
                kept.append({q: frozenset(v) if isinstance(v, list) else v
                             for q, v in answers.items()})
            if fmt == "csv":
                cells = [f"r{i}"] + [cell(answers.get(q)) for q in qids]
                fh.write(",".join(cells) + "\n")
            else:
                fh.write(json.dumps({"id": f"r{i}", **answers}) + "\n")
    return kept


MEDICAL = ("emergency", "emergency_department", "same_day", "doctor_soon", "doctor_first")


def check(pack: CompiledPack, kept: list[dict[str, Any]], dst: Path, fired: bool) -> int:
    """Rows of the output that differ from tests/reference.py (printed, at most 5).

    A row refused for a warning sign answered where it does not apply (error kind
    ``ignored_warning_sign``) is checked for the disposition it carries (the reference's,
    when medical), or, when a safety answer is missing too, for no disposition and the red
    flag that already applies; whether it is refused is the tests' to check
    (tests/engine/test_hidden.py: the reference's exhaustive search is too slow for a
    benchmark)."""
    bad = 0
    with dst.open(encoding="utf-8") as fh:
        for answers, line in zip(kept, fh, strict=False):
            got = json.loads(line)
            want = reference.expected(pack, answers)
            if got["error_kind"] == "ignored_warning_sign" and want.missing_safety:
                # both refusals at once (a hidden sign and a safety answer missing): no
                # disposition, and the red flag that already applies, as the reference has it
                same = got["status"] == "error" and got["disposition"] is None \
                    and got["main_red_flag"] == want.main_red_flag
            elif got["error_kind"] == "ignored_warning_sign":
                carried = want.disposition if want.disposition in MEDICAL else None
                same = got["disposition"] == carried \
                    and got["main_red_flag"] == (want.main_red_flag if carried else None)
            else:
                same = (got["status"] == "error") == want.missing_safety \
                    and got["disposition"] == want.disposition \
                    and got["main_red_flag"] == want.main_red_flag \
                    and got["fired"] == (list(want.fired) if fired else None)
            if not same:
                bad += 1
                if bad <= 5:
                    print(f"MISMATCH row {got['row']}: got {got}, reference {want}")
    return bad


def run_once(pack: CompiledPack, src: Path, dst: Path, fmt: str, fired: bool = False,
             ) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, summary) of one whole run."""
    screener = Screener(pack, fired=fired)
    start, cpu = time.perf_counter(), time.process_time()
    with src.open("rb") as binary, dst.open("w", encoding="utf-8", newline="") as out:
        summary = write_results(screen_stream(screener, LineReader(binary), fmt), out, "jsonl",
                                fired=fired)
    return time.perf_counter() - start, time.process_time() - cpu, summary


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def child_memory(pack_dir: str, src: str, fmt: str, fired: bool, traced: bool) -> None:
    """In a fresh process: peak RSS and tracemalloc peak of screening one input file."""
    import resource
    import tracemalloc

    pack = load_pack(Path(pack_dir))
    Screener(pack)  # compile everything first, so "before" is the process at rest
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / "out.jsonl"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        _, _, summary = run_once(pack, Path(src), dst, fmt, fired)
        rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        peak = None
        if traced:
            tracemalloc.start()
            run_once(pack, Path(src), dst, fmt, fired)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    print(json.dumps({"rows": summary.rows, "rss_before_kib": before, "rss_peak_kib": rss_kib,
                      "traced_peak_bytes": peak}))


def child_rounds(args: argparse.Namespace) -> None:
    """In a fresh process: a warm-up run and ``--rounds`` timed runs of one input file, the
    output checked against tests/reference.py; prints the rates as JSON."""
    pin_one_core()
    pack = load_pack(Path(args.pack))
    src = Path(args.child_input)
    with tempfile.TemporaryDirectory() as tmp:
        # the same seed gives the same first rows, whatever the number of rows
        kept = write_input(pack, Path(tmp) / f"kept.{args.format}", args.check, args.format,
                           args.unanswered, keep=args.check, only_asked=args.only_asked)
        dst = Path(tmp) / "out.jsonl"
        run_once(pack, src, dst, args.format, args.fired)  # warm-up: caches, code objects
        wall, cpu = [], []
        for _ in range(args.rounds):
            elapsed, spent, summary = run_once(pack, src, dst, args.format, args.fired)
            wall.append(summary.rows / elapsed)
            cpu.append(summary.rows / spent)
        bad = check(pack, kept, dst, args.fired)
    print(json.dumps({"bad": bad, "wall": wall, "cpu": cpu, "tree": TREE}))


def compare(args: argparse.Namespace) -> int:
    """Rounds alternating a process of this checkout and one of ``--compare-with``'s, on one
    input file."""
    from benchmarks.paired import ChildFailed, alternating_rounds, checkouts, ratio_table

    trees = checkouts(ROOT, args.compare_with)
    rates: dict[str, dict[str, list[float]]] = {
        t: {"wall": [], "cpu": [], "best": []} for t in trees}
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in.{args.format}"
        pack = load_pack(Path(args.pack))
        write_input(pack, src, args.rows, args.format, args.unanswered,
                    only_asked=args.only_asked)
        command = [sys.executable, str(Path(__file__).resolve()), "--child-input", str(src),
                   "--pack", args.pack, "--format", args.format, "--rounds", "3",
                   "--unanswered", str(args.unanswered), "--check", str(args.check),
                   *(["--fired"] if args.fired else []),
                   *(["--only-asked"] if args.only_asked else [])]
        try:
            for i, ran in enumerate(alternating_rounds(trees, args.rounds, command,
                                                       "BENCH_BATCH_TREE")):
                for label, out in ran:
                    got = json.loads(out.splitlines()[-1])
                    if got["bad"]:
                        print(f"{label}: {got['bad']} of the first {args.check} rows differ "
                              f"from tests/reference.py")
                        return 1
                    for key in ("wall", "cpu"):  # a process's rate: the median of its 3 runs
                        rates[label][key].append(statistics.median(got[key]))
                    rates[label]["best"].append(max(got["cpu"]))  # its least disturbed run
                loads.append(os.getloadavg()[0])
                print(f"round {i + 1}: " + ", ".join(
                    f"{label} {r['cpu'][-1]:,.0f} rows/CPU-s" for label, r in rates.items()),
                    file=sys.stderr, flush=True)
        except ChildFailed as failed:
            print(failed)
            return 1
    (_, these), (other, those) = rates.items()
    print(f"pack {pack.id} {pack.version} ({args.pack}), {args.rows:,} {args.format} rows, "
          f"unanswered share {args.unanswered}"
          f"{', only questions asked' if args.only_asked else ''}, fired rule ids "
          f"{'worked out (--fired)' if args.fired else 'not asked for'}")
    print(f"python {sys.version.split()[0]}; {args.rounds} rounds, each one process per "
          f"checkout (warm-up, median of 3 timed runs), alternating which goes first; load average "
          f"(1 min) {min(loads):.2f}-{max(loads):.2f}; every checkout's first {args.check:,} "
          f"rows equal its tests/reference.py\n")
    names = (("cpu", "per CPU second"), ("wall", "wall clock"),
             ("best", "per CPU second, each process's best run"))
    print(ratio_table("rows per second", other,
                      ((name, these[key], those[key]) for key, name in names), places=3))
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", default=str(default_pack_dir()),
                        help="rule pack folder (default: the bundled pack)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--unanswered", type=float, default=0.0,
                        help="share of answers left out (0 to 1)")
    parser.add_argument("--fired", action="store_true",
                        help="work out fired rule ids (triage batch --fired)")
    parser.add_argument("--only-asked", action="store_true",
                        help="leave out the answers to questions whose ask_if does not hold "
                             "(an export of the questionnaire); by default every question "
                             "is answered, so most rows also answer questions that do not "
                             "apply")
    parser.add_argument("--check", type=int, default=2000,
                        help="rows compared with tests/reference.py")
    parser.add_argument("--memory-rows", default="10000,100000,1000000",
                        help="row counts of the memory runs (comma-separated)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--compare-with", type=Path, metavar="DIR",
                        help="also measure the triage package of another checkout, in the "
                             "same rounds, one process per checkout and round")
    parser.add_argument("--child-input", help=argparse.SUPPRESS)  # an input file: one round
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)  # an input file
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.pack, args.child_memory, args.format, args.fired, args.traced)
        return
    if args.child_input:
        child_rounds(args)
        return
    if args.compare_with:
        sys.exit(compare(args))

    pinned = pin_one_core()
    pack = load_pack(Path(args.pack))
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / f"in.{args.format}", Path(tmp) / "out.jsonl"
        kept = write_input(pack, src, args.rows, args.format, args.unanswered, keep=args.check,
                           only_asked=args.only_asked)
        size = src.stat().st_size
        # warm-up: caches, code objects; and what a file screened once costs, as a real batch
        # is: the timed rounds screen the same rows again, so they find the hidden warning
        # sign searches of their rows remembered, as long as the bounded memo holds them
        _, first_cpu, _ = run_once(pack, src, dst, args.format, args.fired)
        times, cpu_times = [], []
        for _ in range(args.rounds):
            elapsed, cpu, summary = run_once(pack, src, dst, args.format, args.fired)
            times.append(elapsed)
            cpu_times.append(cpu)
        bad = check(pack, kept, dst, args.fired)
        if bad:
            print(f"{bad} of the first {len(kept)} rows differ from tests/reference.py")
            sys.exit(1)
    rates = sorted(args.rows / t for t in times)
    cpu_rates = sorted(args.rows / t for t in cpu_times)
    print(f"pack {pack.id} {pack.version} ({args.pack}): {len(pack.questions)} questions, "
          f"{len(pack.rules)} rules")
    print(f"python {sys.version.split()[0]}, {pinned}")
    print(f"input: {args.rows:,} {args.format} rows ({size / 1e6:.1f} MB), "
          f"unanswered share {args.unanswered}"
          f"{', only questions asked' if args.only_asked else ''}, fired rule ids "
          f"{'worked out (--fired)' if args.fired else 'not asked for'}")
    print(f"checked: the first {len(kept):,} rows equal tests/reference.py")
    print(f"last round: {summary.ok:,} ok, {summary.errors:,} errors, "
          f"{dict(summary.by_disposition.most_common())}")
    print(f"rows/second: median {statistics.median(rates):,.0f} "
          f"(min {rates[0]:,.0f}, max {rates[-1]:,.0f}) over {args.rounds} rounds, wall clock")
    # on a shared machine the wall clock also counts time spent waiting for the CPU
    print(f"rows/CPU-second: median {statistics.median(cpu_rates):,.0f} "
          f"(min {cpu_rates[0]:,.0f}, max {cpu_rates[-1]:,.0f})")
    print(f"rows/CPU-second of the first run (the warm-up: nothing remembered yet): "
          f"{args.rows / first_cpu:,.0f}")
    if args.no_memory:
        return
    print("memory (fresh process per size):")
    print("| rows | peak RSS (MiB) | RSS growth during the run (MiB) | tracemalloc peak (KiB) |")
    print("|---:|---:|---:|---:|")
    for rows in (int(n) for n in args.memory_rows.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / f"in.{args.format}"
            write_input(pack, src, rows, args.format, args.unanswered)
            out = subprocess.run(
                [sys.executable, __file__, "--child-memory", str(src), "--pack", args.pack,
                 "--format", args.format, *(["--fired"] if args.fired else []),
                 *(["--traced"] if rows <= 100_000 else [])],
                check=True, capture_output=True, text=True).stdout
        m = json.loads(out.strip().splitlines()[-1])
        traced = "-" if m["traced_peak_bytes"] is None else f"{m['traced_peak_bytes'] / 1024:.0f}"
        print(f"| {m['rows']:,} | {m['rss_peak_kib'] / 1024:.1f} | "
              f"{(m['rss_peak_kib'] - m['rss_before_kib']) / 1024:.1f} | {traced} |")


if __name__ == "__main__":
    main()
