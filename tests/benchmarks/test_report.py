"""How the benchmarks report what they measured (no timing is measured or asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from benchmarks import bench_verify
from benchmarks.bench_engines import Measure, round_ratios, targets
from benchmarks.peers import ifelse

Workload = tuple[dict[str, Any], list[dict[str, Any]], list[list[Any]]]


def measure(engine: str, n: int, seconds: list[float]) -> Measure:
    return Measure(engine, 60, n=n, round_s=seconds)


def test_a_target_line_gives_the_ratio_of_each_round_beside_the_ratio_of_medians() -> None:
    # round by round triage takes 1.5x the if/else's time; a busy round hit both (round 2),
    # and the medians alone pair triage's round 3 with the if/else's round 1
    triage = measure("triage", 1000, [0.015, 0.060, 0.012])
    ifelse = measure("ifelse", 1000, [0.010, 0.040, 0.008])
    assert round_ratios(triage, ifelse) == pytest.approx([1.5, 1.5, 1.5])
    lines = targets({60: {"triage": triage, "ifelse": ifelse}})
    line = next(x for x in lines if "if/else time" in x)
    assert "= 1.50 (target <= 1.2): NOT met; per round 1.50 (1.50-1.50)" in line


def test_a_target_line_gives_the_ratio_by_cpu_time_too(small_workload: Workload) -> None:
    # in-process engines report each round's CPU time (the wall clock also counts waiting
    # for a core that other work holds); the if/else line pairs the two engines' CPU rounds
    ruleset, answers, _ = small_workload
    rounds = ifelse.build(ruleset).run_rounds(answers, 3)
    assert len(rounds.cpu_seconds) == 3
    triage = measure("triage", 1000, [0.030, 0.030])
    ifelse_m = measure("ifelse", 1000, [0.010, 0.010])
    triage.round_cpu_s, ifelse_m.round_cpu_s = [0.012, 0.013], [0.010, 0.010]
    assert round_ratios(triage, ifelse_m, cpu=True) == pytest.approx([1.2, 1.3])
    line = next(x for x in targets({60: {"triage": triage, "ifelse": ifelse_m}})
                if "if/else time" in x)
    assert line.endswith("= 3.00 (target <= 1.2): NOT met; per round 3.00 (3.00-3.00); "
                         "by CPU time per round 1.25 (1.20-1.30)")


def test_rounds_are_paired_only_when_both_engines_ran_the_same_rounds() -> None:
    # time per answer set, not per round: the slow engine did fewer answer sets
    zen = measure("zen", 10, [0.010, 0.020])
    triage = measure("triage", 1000, [0.010, 0.010])
    assert round_ratios(zen, triage) == pytest.approx([100.0, 200.0])
    assert round_ratios(zen, measure("jre", 1000, [0.5])) == []  # out of process: one run


def test_verify_on_the_bundled_pack_caches_bytecode_and_stops_on_a_failed_claim(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    runs: list[dict[str, str]] = []
    commands: list[list[str]] = []
    codes = iter([0] * 6 + [0, 0, 1])
    spent = [0.0]  # the children's CPU seconds: the warm-up runs (writing bytecode) take 9

    def run(command: list[str], env: dict[str, str], **_: Any) -> subprocess.CompletedProcess[str]:
        # two processes cost a little more CPU than one
        spent[0] += 9.0 if len(runs) < 2 else 2.0 if command[-1] == "1" else 2.5
        runs.append(env)
        commands.append(command)
        return subprocess.CompletedProcess(command, next(codes), "Result: proven.\n", "")

    def times() -> SimpleNamespace:
        return SimpleNamespace(children_user=spent[0], children_system=0.0)

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setattr(bench_verify.subprocess, "run", run)
    monkeypatch.setattr(bench_verify.os, "times", times)
    bench_verify.bundled(2)  # a warm-up round, then 2 timed rounds, each of both
    assert len(runs) == 6
    assert [c[-2:] for c in commands] == [["--jobs", "1"], ["--jobs", "2"]] * 3
    assert all("PYTHONDONTWRITEBYTECODE" not in env for env in runs)
    out = capsys.readouterr().out
    assert "--jobs 1, bundled pack, 2 runs (fresh process each)" in out
    assert "--jobs 2, bundled pack, 2 runs (fresh process each): wall" in out
    assert "CPU 2.00 s (2.00-2.00)" in out and "CPU 2.50 s (2.50-2.50)" in out  # no warm-up
    assert "wall --jobs 2 / --jobs 1, each round: " in out
    with pytest.raises(SystemExit, match="exit 1"):
        bench_verify.bundled(1)


def test_batch_reports_the_first_run_of_a_file_beside_the_rounds_that_repeat_it() -> None:
    # the rounds screen the same rows again and find their hidden-sign searches remembered:
    # a file screened once, as a real batch is, is the first run
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_batch.py"
    done = subprocess.run([sys.executable, str(script), "--rows", "300", "--rounds", "1",
                           "--check", "300", "--no-memory"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checked: the first 300 rows equal tests/reference.py" in done.stdout
    assert "rows/CPU-second of the first run (the warm-up: nothing remembered yet): " \
        in done.stdout
