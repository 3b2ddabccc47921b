"""Test ids that read the same in every process.

pytest-xdist's workers each collect the tests and must find the same ids in the same order;
each worker has its own hash seed, and a set or frozenset prints its members in hash order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def answers_id(answers: Mapping[str, Any]) -> str:
    """``key=value`` for each answer, keys sorted, a set's members sorted."""
    return "&".join(f"{key}={_said(value)}" for key, value in sorted(answers.items()))


def _said(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(map(str, value))) + "}"
    return str(value)
