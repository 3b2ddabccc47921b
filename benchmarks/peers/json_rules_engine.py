"""json-rules-engine (Node, from the npm registry), driven from Python in one subprocess.

``benchmarks/node/jre_runner.js`` builds one json-rules-engine ``Engine`` from the canonical
rule set, reads the answer sets as JSONL on stdin, evaluates them (``rounds`` times, timed inside
Node) and writes the results back as JSONL. Two figures come out of one run:

* throughput inside Node: answer sets / median round time measured by Node itself, the engine's
  own speed;
* the whole round trip for one round: start Node, load the engine, build it, stream the answers
  in, evaluate once, read the results back and parse them; measured here in Python, it is the
  wall time of the run minus the extra rounds' Node-measured times.

Install once with ``npm ci --prefix benchmarks/node``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import BENCH_DIR, Answer, Result, Rounds, Ruleset

NODE_DIR = BENCH_DIR / "node"
RUNNER = NODE_DIR / "jre_runner.js"


def node_binary() -> str | None:
    return shutil.which("node")


def installed() -> bool:
    return (NODE_DIR / "node_modules" / "json-rules-engine" / "package.json").is_file()


def available() -> bool:
    return node_binary() is not None and installed()


def why_unavailable() -> str:
    if node_binary() is None:
        return "node is not on PATH"
    if not installed():
        return "json-rules-engine is not installed: run `npm ci --prefix benchmarks/node`"
    return ""


def version() -> str:
    pkg = NODE_DIR / "node_modules" / "json-rules-engine" / "package.json"
    node = subprocess.run([node_binary() or "node", "--version"], capture_output=True, text=True)
    return f"{json.loads(pkg.read_text())['version']} on Node {node.stdout.strip()}"


class JsonRulesEngineEvaluator:
    def __init__(self, ruleset: Ruleset) -> None:
        if not available():
            raise RuntimeError(why_unavailable())
        # the runner reads the rule set from a file: write it once per build
        self._tmp = tempfile.TemporaryDirectory(prefix="jre-")
        self.rules_path = Path(self._tmp.name) / "rules.json"
        self.rules_path.write_text(json.dumps(ruleset))
        self.build_seconds: float | None = None  # measured inside Node, from the last run

    def _run(
        self, answers: Sequence[Answer], rounds: int
    ) -> tuple[list[Result], dict[str, Any], float]:
        payload = "".join(json.dumps(a, separators=(",", ":")) + "\n" for a in answers)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [node_binary() or "node", str(RUNNER), str(self.rules_path), str(rounds)],
            input=payload,
            capture_output=True,
            text=True,
            cwd=NODE_DIR,
            env={**os.environ, "NODE_PATH": str(NODE_DIR / "node_modules")},
        )
        if proc.returncode != 0:
            raise RuntimeError(f"jre_runner.js failed ({proc.returncode}): {proc.stderr[-2000:]}")
        lines = proc.stdout.splitlines()
        results = [json.loads(line) for line in lines[:-1]]
        wall = time.perf_counter() - t0
        timing = json.loads(lines[-1])["timing"]
        if len(results) != len(answers) or timing["n"] != len(answers):
            raise RuntimeError(f"jre_runner.js returned {len(results)} results for {len(answers)}")
        self.build_seconds = timing["build_s"]
        return results, timing, wall

    def evaluate(self, answer: Answer) -> Result:
        # one Node process per call: correct, but only meant for spot checks
        return self.evaluate_many([answer])[0]

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]:
        return self._run(answers, 1)[0]

    def run_rounds(self, answers: Sequence[Answer], rounds: int) -> Rounds:
        results, timing, wall = self._run(answers, rounds)
        seconds = [float(s) for s in timing["rounds_s"]]
        # one round's round trip: everything this run did, less the rounds after the first
        round_trip = wall - sum(seconds[1:])
        return Rounds(
            results=results,
            seconds=seconds,
            round_trip_seconds=[round_trip],
            notes=[f"build inside Node {timing['build_s'] * 1000:.1f} ms"],
        )

    def close(self) -> None:
        self._tmp.cleanup()


def build(ruleset: Ruleset) -> JsonRulesEngineEvaluator:
    return JsonRulesEngineEvaluator(ruleset)
