"""Throughput and memory of ``triage batch`` (see benchmarks/README_batch.md).

    python benchmarks/bench_batch.py [--pack DIR] [--rows 100000] [--rounds 5] [--format csv]

Generates N random valid rows for the pack from its question shapes (every question
answered, so rows take the compiled fast path; ``--unanswered 0.1`` leaves that share of the
answers out so the full evaluator and the fail-closed errors are exercised too), writes them
to a temporary file, then times the whole pipeline as the command runs it: read the file,
parse, screen, write the results file. Reports rows per second as the median of the rounds
(wall clock, and per CPU-second of the process, steadier on a busy machine), pinned to one
CPU core where the platform allows it.

Memory: the same run at 10k and at 100k rows, each in a fresh process, reporting the peak
resident set size (``resource.getrusage``) and the peak of Python allocations during the run
(``tracemalloc``). Flat means the 100k figure is about the 10k figure.
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
sys.path.insert(0, str(ROOT))

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
                seed: int = 20261126) -> None:
    """N random rows, written one at a time."""
    rng = random.Random(seed)
    qids = list(pack.shapes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            fh.write("id," + ",".join(qids) + "\n")
        for i in range(rows):
            answers = {q: random_value(pack.shapes[q], rng) for q in qids
                       if not unanswered or rng.random() >= unanswered}
            if fmt == "csv":
                cells = [f"r{i}"] + [cell(answers.get(q)) for q in qids]
                fh.write(",".join(cells) + "\n")
            else:
                fh.write(json.dumps({"id": f"r{i}", **answers}) + "\n")


def run_once(pack: CompiledPack, src: Path, dst: Path, fmt: str,
             ) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, summary) of one whole run."""
    screener = Screener(pack)
    start, cpu = time.perf_counter(), time.process_time()
    with src.open("rb") as binary, dst.open("w", encoding="utf-8", newline="") as out:
        summary = write_results(screen_stream(screener, LineReader(binary), fmt), out, "jsonl")
    return time.perf_counter() - start, time.process_time() - cpu, summary


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def child_memory(pack_dir: str, src: str, fmt: str) -> None:
    """In a fresh process: peak RSS and tracemalloc peak of screening one input file."""
    import resource
    import tracemalloc

    pack = load_pack(Path(pack_dir))
    Screener(pack)  # compile everything first, so "before" is the process at rest
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / "out.jsonl"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        _, _, summary = run_once(pack, Path(src), dst, fmt)
        rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        tracemalloc.start()
        run_once(pack, Path(src), dst, fmt)
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(json.dumps({"rows": summary.rows, "rss_before_kib": before, "rss_peak_kib": rss_kib,
                      "traced_peak_bytes": traced}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", default=str(default_pack_dir()),
                        help="rule pack folder (default: the bundled pack)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--unanswered", type=float, default=0.0,
                        help="share of answers left out (0 to 1)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)  # an input file
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.pack, args.child_memory, args.format)
        return

    pinned = pin_one_core()
    pack = load_pack(Path(args.pack))
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / f"in.{args.format}", Path(tmp) / "out.jsonl"
        write_input(pack, src, args.rows, args.format, args.unanswered)
        size = src.stat().st_size
        run_once(pack, src, dst, args.format)  # warm-up: caches, page cache, code objects
        times, cpu_times = [], []
        for _ in range(args.rounds):
            elapsed, cpu, summary = run_once(pack, src, dst, args.format)
            times.append(elapsed)
            cpu_times.append(cpu)
    rates = sorted(args.rows / t for t in times)
    cpu_rates = sorted(args.rows / t for t in cpu_times)
    print(f"pack {pack.id} {pack.version} ({args.pack}): {len(pack.questions)} questions, "
          f"{len(pack.rules)} rules")
    print(f"python {sys.version.split()[0]}, {pinned}")
    print(f"input: {args.rows:,} {args.format} rows ({size / 1e6:.1f} MB), "
          f"unanswered share {args.unanswered}")
    print(f"last round: {summary.ok:,} ok, {summary.errors:,} errors, "
          f"{dict(summary.by_disposition.most_common())}")
    print(f"rows/second: median {statistics.median(rates):,.0f} "
          f"(min {rates[0]:,.0f}, max {rates[-1]:,.0f}) over {args.rounds} rounds, wall clock")
    # on a shared machine the wall clock also counts time spent waiting for the CPU
    print(f"rows/CPU-second: median {statistics.median(cpu_rates):,.0f} "
          f"(min {cpu_rates[0]:,.0f}, max {cpu_rates[-1]:,.0f})")
    if args.no_memory:
        return
    print("memory (fresh process per size):")
    print("| rows | peak RSS (MiB) | RSS growth during the run (MiB) | tracemalloc peak (KiB) |")
    print("|---:|---:|---:|---:|")
    for rows in (10_000, 100_000):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / f"in.{args.format}"
            write_input(pack, src, rows, args.format, args.unanswered)
            out = subprocess.run(
                [sys.executable, __file__, "--child-memory", str(src), "--pack", args.pack,
                 "--format", args.format], check=True, capture_output=True, text=True).stdout
        m = json.loads(out.strip().splitlines()[-1])
        print(f"| {m['rows']:,} | {m['rss_peak_kib'] / 1024:.1f} | "
              f"{(m['rss_peak_kib'] - m['rss_before_kib']) / 1024:.1f} | "
              f"{m['traced_peak_bytes'] / 1024:.0f} |")


if __name__ == "__main__":
    main()
