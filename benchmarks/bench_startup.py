#!/usr/bin/env python3
"""Whole-process timings of triage's commands, paired against a minimal Typer app.

    .venv/bin/python benchmarks/bench_startup.py              # 30 interleaved rounds
    .venv/bin/python benchmarks/bench_startup.py --write-readme

Every command runs with the project's virtualenv interpreter itself (never a version-manager
shim, which adds its own start-up), with PYTHONDONTWRITEBYTECODE removed from the environment
so that bytecode is cached as it is for a user, after one untimed warm-up run of each command
(which also fills triage's compiled-pack cache, as a user's first run does). In each round the
commands run once each, in an order rotated from round to round, so that drift in the
machine's speed falls on all of them alike. Reported: the median wall time of each command
(with min-max) and the ratios the targets name.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import machine
from benchmarks.common import BENCH_DIR, REPO_ROOT

README = BENCH_DIR / "README.md"
BEGIN, END = "<!-- bench-startup:begin -->", "<!-- bench-startup:end -->"
MINIMAL = BENCH_DIR / "minimal_app.py"


@dataclass
class Cmd:
    key: str
    label: str
    argv: list[str]
    skip: str = ""  # why it is not measured
    times: list[float] = field(default_factory=list)
    # timed until this text is on the (pseudo-)terminal, then stopped: the questionnaire
    until: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def default_python() -> str:
    venv = REPO_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def triage_script(python: str) -> Path | None:
    """The ``triage`` console script installed next to ``python``."""
    script = Path(python).parent / "triage"
    return script if script.is_file() else None


def answers_file(python: str, tmp: Path) -> tuple[Path | None, str]:
    """An answers file for the bundled pack: the answers of its fullest test case.

    Taken from the pack's own test cases so that it stays valid when the pack changes; read
    with triage's own YAML reader (in the measured interpreter) for the pack's YAML rules.
    """
    code = (
        "import json, sys\n"
        "from triage.pack.load import default_pack_dir\n"
        "from triage.pack.yamlio import load_yaml_file\n"
        "best = {}\n"
        "for p in sorted((default_pack_dir() / 'tests').glob('*.y*ml')):\n"
        "    doc, problems = load_yaml_file(p)\n"
        "    for case in (doc.data or {}).get('cases', []) if doc else []:\n"
        "        if len(case.get('answers', {})) > len(best):\n"
        "            best = case['answers']\n"
        "json.dump(best, sys.stdout)\n"
    )
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip() or proc.stdout.strip() == "{}":
        return None, f"no test case answers found in the bundled pack ({proc.stderr[-300:]})"
    path = tmp / "answers.json"
    path.write_text(proc.stdout)
    return path, ""


def commands(python: str, tmp: Path) -> list[Cmd]:
    cmds = [
        Cmd("floor", "python -c pass", [python, "-c", "pass"]),
        Cmd("min_help", "minimal Typer app --help", [python, str(MINIMAL), "--help"]),
        Cmd("min_cmd", "minimal Typer app one-line command", [python, str(MINIMAL), "hello"]),
    ]
    script = triage_script(python)
    skip = "" if script else f"the triage CLI is not installed next to {python} (pip install -e .)"
    answers, why = answers_file(python, tmp) if script else (None, skip)
    run = [python, str(script)] if script else []
    cmds += [
        Cmd("t_version", "triage --version", [*run, "--version"], skip),
        Cmd("t_help", "triage --help", [*run, "--help"], skip),
        Cmd("t_validate", "triage validate", [*run, "validate"], skip),
        # a person at a terminal: from Enter to the first question on the screen
        Cmd("t_first", "triage (first question on screen)", [*run], skip,
            until="Question 1"),
        Cmd(
            "t_assess",
            "triage assess --answers FILE",
            [*run, "assess", "--answers", str(answers)],
            skip or why,
        ),
    ]
    return cmds


def run_until(cmd: Cmd, env: dict[str, str]) -> float:
    """Run in a pseudo-terminal (as a person would: one-key input, colour) and time until
    ``cmd.until`` is on the screen; then the program is stopped."""
    import pty
    import select
    import signal

    leader, follower = pty.openpty()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd.argv, env={**env, "TERM": "xterm"}, stdin=follower,
                            stdout=follower, stderr=follower, cwd=REPO_ROOT,
                            start_new_session=True)
    os.close(follower)
    seen = b""
    try:
        while cmd.until.encode() not in seen:
            ready, _, _ = select.select([leader], [], [], 30)
            if not ready:
                raise RuntimeError(f"`{' '.join(cmd.argv)}` never showed {cmd.until!r}")
            try:
                seen += os.read(leader, 65536)
            except OSError:  # the program ended
                raise RuntimeError(f"`{' '.join(cmd.argv)}` ended: {seen[-500:]!r}") from None
        elapsed = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(leader)
    return elapsed


def run_once(cmd: Cmd, env: dict[str, str]) -> float:
    if cmd.until:
        return run_until(cmd, env)
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO_ROOT
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(cmd.argv)}` exited {proc.returncode}: {proc.stderr.decode()[-500:]}"
        )
    return elapsed


def ratio_line(cmds: dict[str, Cmd], num: str, den: str, target: float | None = None) -> str:
    a, b = cmds[num], cmds[den]
    if a.skip or b.skip:
        return f"- {a.label} ÷ {b.label}: not measured ({a.skip or b.skip})"
    # paired: the two ran in the same round, a few hundred ms apart, so a burst of load on the
    # machine hits both; the median of the per-round ratios is robust to such bursts
    paired = statistics.median(x / y for x, y in zip(a.times, b.times, strict=True))
    line = f"- {a.label} ÷ {b.label} = {paired:.2f} (median of per-round ratios; "
    line += f"ratio of medians {a.median / b.median:.2f})"
    if target is not None:
        line += f", target <= {target:g}: {'met' if paired <= target else 'NOT met'}"
    return line


def report(cmds: list[Cmd], rounds: int, python: str) -> str:
    by = {c.key: c for c in cmds}
    floor = by["floor"]
    try:  # a path inside the repo says more to a reader as a relative one
        shown = str(Path(python).relative_to(REPO_ROOT))
    except ValueError:
        shown = python
    out = [
        f"Command: `.venv/bin/python benchmarks/bench_startup.py --rounds {rounds}`  ",
        f"Interpreter: `{shown}`; {rounds} interleaved rounds after one warm-up run each; "
        "bytecode cached (PYTHONDONTWRITEBYTECODE unset).",
        "",
        machine.markdown(machine.describe()),
        "",
        "| command | median (ms) | min-max (ms) | minus `python -c pass` (ms) |",
        "|---|---:|---:|---:|",
    ]
    for c in cmds:
        if c.skip:
            out.append(f"| `{c.label}` | skipped: {c.skip} | | |")
            continue
        out.append(
            f"| `{c.label}` | {c.median * 1000:.1f} | {min(c.times) * 1000:.1f}-"
            f"{max(c.times) * 1000:.1f} | {(c.median - floor.median) * 1000:.1f} |"
        )
    out += [
        "",
        ratio_line(by, "t_version", "min_help", 0.6),
        ratio_line(by, "t_first", "min_help", 0.5),
        ratio_line(by, "t_assess", "min_cmd", 1.0),
        ratio_line(by, "t_assess", "min_help", 0.5),  # issue 12: with a cache that cannot run code
        ratio_line(by, "t_help", "min_help"),
        ratio_line(by, "t_validate", "min_cmd"),
    ]
    return "\n".join(out) + "\n"


def write_readme(section: str) -> None:
    from benchmarks.common import replace_readme_section

    replace_readme_section(README, BEGIN, END, section)
    print(f"updated {README}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=30, help="interleaved rounds (default 30)")
    ap.add_argument("--python", default=default_python(), help="interpreter to measure")
    ap.add_argument("--json", type=Path, help="also write the raw timings here")
    ap.add_argument("--write-readme", action="store_true")
    ns = ap.parse_args(argv)

    # the measured environment: a user's, with bytecode written and read as usual
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="triage-startup-") as tmp:
        cmds = commands(ns.python, Path(tmp))
        live = [c for c in cmds if not c.skip]
        for c in cmds:
            if c.skip:
                print(f"skipping {c.label}: {c.skip}", file=sys.stderr)
        for c in live:  # warm-up: bytecode and triage's pack cache, as after a first run
            run_once(c, env)
        for i in range(ns.rounds):
            shift = i % len(live)
            for c in live[shift:] + live[:shift]:
                c.times.append(run_once(c, env))
    section = report(cmds, ns.rounds, ns.python)
    print(section)
    if ns.json:
        ns.json.write_text(json.dumps({c.key: c.times for c in cmds}, indent=1))
    if ns.write_readme:
        write_readme(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
