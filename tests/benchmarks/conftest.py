"""Fixtures for the benchmark adapters' correctness tests (no timing is asserted anywhere)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `benchmarks` is a top-level folder, not an installed package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks import workload  # noqa: E402

N_ANSWERS = 200
SIZE = 60


@pytest.fixture(scope="session")
def small_workload() -> tuple[dict[str, Any], list[dict[str, Any]], list[list[Any]]]:
    """A 60-rule set, 200 answer sets and reference_eval's result for each.

    Made in memory by the project's own seeded generator (``benchmarks/workload.py``), so the
    tests need nothing outside the repository and no benchmark run having happened.
    """
    ruleset = workload.ruleset(SIZE)
    answers = workload.answer_sets(N_ANSWERS)
    expected = [workload.reference_eval(ruleset, a) for a in answers]
    return ruleset, answers, expected


@pytest.fixture(scope="session")
def node_packages() -> None:
    """json-rules-engine at its locked version, installed on first use (npm is on the machine:
    Node runs the peer engine; a missing Node is a failure, not a skip)."""
    import shutil
    import subprocess

    from benchmarks.peers import json_rules_engine

    if json_rules_engine.installed():
        return
    npm = shutil.which("npm")
    assert npm is not None and shutil.which("node") is not None, \
        "Node.js and npm are needed for the json-rules-engine comparison"
    subprocess.run([npm, "ci", "--prefix", str(REPO_ROOT / "benchmarks" / "node"),
                    "--no-audit", "--no-fund", "--loglevel=error"], check=True, timeout=300)
    assert json_rules_engine.installed(), json_rules_engine.why_unavailable()
