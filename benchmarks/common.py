"""Plumbing for the benchmarks: make the workload's data, load it, and the adapter interface.

The workload (answer sets, rule sets and the reference result) is the project's own,
``benchmarks/workload.py``, generated from fixed seeds into ``benchmarks/.data/`` on first use.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from benchmarks import workload

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "benchmarks"
DEFAULT_DATA_DIR = BENCH_DIR / ".data"
SIZES = (60, 600, 6000)

Answer = Mapping[str, Any]
Result = list[Any]  # [decision, red_flag_id, soft_tissue_points, physio_points, n_matched]
Ruleset = dict[str, Any]


def _generator_stamp() -> str:
    """Hash of the generator's source: data made by another version of it is stale."""
    return hashlib.sha256(Path(workload.__file__).read_bytes()).hexdigest()[:16]


def ensure_data(
    data_dir: Path = DEFAULT_DATA_DIR,
    *,
    answers: int | None = None,
    sizes: Iterable[int] = SIZES,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Generate the workload into ``data_dir`` unless an up-to-date copy is already there."""
    sizes = list(sizes)
    stamp = "-".join([_generator_stamp(), str(answers or "default"), ",".join(map(str, sizes))])
    stamp_file = data_dir / "STAMP"
    have = [data_dir / "answers.jsonl"] + [data_dir / f"rules-{s}.json" for s in sizes]
    if (
        stamp_file.is_file()
        and stamp_file.read_text().strip() == stamp
        and all(p.is_file() for p in have)
    ):
        return data_dir
    if log:
        log(f"generating the workload into {data_dir} ...")
    written = workload.write(data_dir, answers or 100_000, sizes)
    if log:
        for line in written:
            log("  wrote " + line)
    stamp_file.write_text(stamp + "\n")
    return data_dir


def load_ruleset(data_dir: Path, size: int) -> Ruleset:
    with open(data_dir / f"rules-{size}.json", encoding="utf-8") as fh:
        ruleset: Ruleset = json.load(fh)
    return ruleset


def load_answers(data_dir: Path, limit: int | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with open(data_dir / "answers.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(out) >= limit:
                break
            if line.strip():
                out.append(json.loads(line))
    return out


def _reference_chunk(args: tuple[Ruleset, list[dict[str, Any]]]) -> list[Result]:
    ruleset, chunk = args
    ref = workload.reference_eval
    return [ref(ruleset, a) for a in chunk]


def reference_results(
    data_dir: Path,
    size: int,
    ruleset: Ruleset,
    answers: Sequence[dict[str, Any]],
    *,
    workers: int | None = None,
) -> list[Result]:
    """``reference_eval`` for every answer set, cached in ``data_dir`` (it is slow on purpose).

    The cache key covers the rule file, the generator version and the answer sets, so a cached
    file can only ever hold what ``reference_eval`` returned for exactly this input.
    """
    h = hashlib.sha256()
    h.update(_generator_stamp().encode())
    h.update(json.dumps(ruleset, sort_keys=True).encode())
    h.update(json.dumps(list(answers), sort_keys=True).encode())
    cache = data_dir / f"expected-{size}-{len(answers)}-{h.hexdigest()[:16]}.json"
    if cache.is_file():
        with open(cache, encoding="utf-8") as fh:
            cached: list[Result] = json.load(fh)
        return cached
    workers = workers or min(4, os.cpu_count() or 1)
    step = max(1, -(-len(answers) // (workers * 4)))
    chunks = [(ruleset, list(answers[i : i + step])) for i in range(0, len(answers), step)]
    if workers > 1 and len(answers) > 500:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_reference_chunk, chunks))
    else:
        parts = [_reference_chunk(c) for c in chunks]
    results = [r for part in parts for r in part]
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, separators=(",", ":")))
    tmp.replace(cache)
    return results


# --------------------------------------------------------------------------------------------
# the adapter interface


@dataclass
class Rounds:
    """What an engine did over one list of answer sets, ``len(seconds)`` times."""

    results: list[Result]  # from the first round; every round is checked to match it
    seconds: list[float]  # evaluation time of each round
    round_trip_seconds: list[float] = field(default_factory=list)  # out-of-process engines
    notes: list[str] = field(default_factory=list)
    # CPU time of this process in each round (in-process engines): unlike the wall clock it
    # leaves out the time spent waiting for a core that other work holds; an engine that
    # runs threads (zen-engine's batch and async modes) counts every thread's time in it
    cpu_seconds: list[float] = field(default_factory=list)


class Evaluator(Protocol):
    def evaluate(self, answer: Answer) -> Result: ...

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]: ...

    def run_rounds(self, answers: Sequence[Answer], rounds: int) -> Rounds: ...


class InProcessEvaluator:
    """Base for engines that run in this interpreter: time ``evaluate_many`` round by round."""

    def evaluate(self, answer: Answer) -> Result:  # pragma: no cover - overridden
        raise NotImplementedError

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]:
        ev = self.evaluate
        return [ev(a) for a in answers]

    def prepare(self, answers: Sequence[Answer]) -> Sequence[Any]:
        """Turn answer sets into the engine's own form, outside the timed loop."""
        return answers

    def evaluate_prepared(self, prepared: Sequence[Any]) -> list[Result]:
        return self.evaluate_many(prepared)

    def run_rounds(self, answers: Sequence[Answer], rounds: int) -> Rounds:
        prepared = self.prepare(answers)
        first: list[Result] | None = None
        seconds: list[float] = []
        cpu: list[float] = []
        for i in range(rounds):
            c0, t0 = time.process_time(), time.perf_counter()
            out = self.evaluate_prepared(prepared)
            seconds.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            if first is None:
                first = out
            elif out != first:
                raise AssertionError(f"round {i + 1} gave other results than round 1")
        return Rounds(results=first or [], seconds=seconds, cpu_seconds=cpu)


def replace_readme_section(readme: Path, begin: str, end: str, section: str) -> None:
    """Put ``section`` between the ``begin`` and ``end`` markers of ``readme``."""
    text = readme.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        raise SystemExit(f"{readme} lacks the markers {begin} ... {end}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{begin}\n{section}{end}{tail}", encoding="utf-8")
