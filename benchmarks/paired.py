"""How ``--compare-with DIR`` measures two checkouts side by side: each round runs one process
of the benchmark per checkout, alternating which goes first, so that the machine's drift
falls on both alike. The benchmark finds the checkout it measures in an environment variable
(and puts it first on ``sys.path``)."""

from __future__ import annotations

import os
import statistics
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


def ratio_table(first: str, other: str,
                rows: Iterable[tuple[str, Sequence[float], Sequence[float]]],
                places: int = 2) -> str:
    """A markdown table of ``(name, this checkout's rates, the other's)``, one rate per round:
    each side's median and range, and the median and range of the rounds' ratios (a round's
    two processes ran in the same minute)."""
    lines = [f"| {first} | this checkout (median, min-max) | {other} (median, min-max) | "
             "ratio (median of the rounds' ratios, min-max) |", "|---|---:|---:|---:|"]
    for name, mine, theirs in rows:
        ratios = [x / y for x, y in zip(mine, theirs, strict=True)]
        lines.append(
            f"| {name} | {statistics.median(mine):,.0f} ({min(mine):,.0f}-{max(mine):,.0f}) | "
            f"{statistics.median(theirs):,.0f} ({min(theirs):,.0f}-{max(theirs):,.0f}) | "
            f"{statistics.median(ratios):.{places}f}x "
            f"({min(ratios):.{places}f}-{max(ratios):.{places}f}) |")
    return "\n".join(lines)
