"""Test ids and the CI command: what lets the suite run on every core."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT
from tests.ids import answers_id

MEMBERS = ["knee", "ankle_foot", "low_back", "hip_buttock", "neck", "shoulder", "arm"]


def _id_in_a_process(hash_seed: int) -> str:
    code = ("from tests.ids import answers_id; "
            f"print(answers_id({{'areas': frozenset({MEMBERS!r}), 'age': 70}}))")
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed))
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_an_id_with_a_set_reads_the_same_whatever_the_hash_seed() -> None:
    # a frozenset of 7 strings prints in the same order under two seeds about 1 time in 5,040
    ids = {_id_in_a_process(seed) for seed in (1, 2, 3)}
    assert ids == {"age=70&areas={" + ",".join(sorted(MEMBERS)) + "}"}


def test_an_id_names_every_answer() -> None:
    assert answers_id({"b": "yes", "a": frozenset()}) == "a={}&b=yes"


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs the README's second command (pip quieted), on every core."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    test_command = readme[readme.index("```sh") + 2]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == test_command.replace("pip install -e", "pip install -q -e")
    assert test_command.endswith("python -m pytest -n auto")
