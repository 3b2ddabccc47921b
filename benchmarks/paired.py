"""How ``--compare-with DIR`` measures two checkouts side by side: each round runs one process
of the benchmark per checkout, alternating which goes first, so that the machine's drift
falls on both alike. The benchmark finds the checkout it measures in an environment variable
(and puts it first on ``sys.path``)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path


class ChildFailed(Exception):
    """A benchmark process of one checkout failed (its label, output and errors)."""


def checkouts(this: Path, other: Path) -> dict[str, str]:
    """Label -> folder: this checkout, then the one ``--compare-with`` names."""
    return {"this checkout": str(this), str(other): str(other.resolve())}


def alternating_rounds(trees: Mapping[str, str], rounds: int, command: Sequence[str],
                       variable: str) -> Iterator[list[tuple[str, str]]]:
    """For each round, ``(label, standard output)`` of one run of ``command`` per checkout of
    ``trees``, in the order they ran (``variable`` names the checkout to measure)."""
    order = list(trees.items())
    for i in range(rounds):
        ran = []
        for label, tree in order[i % 2:] + order[:i % 2]:
            done = subprocess.run(list(command), env={**os.environ, variable: tree},
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise ChildFailed(f"{label}: {done.stdout}{done.stderr}")
            ran.append((label, done.stdout))
        yield ran
