"""Number answers that Python can parse but that are not numbers a caller could give."""

from __future__ import annotations

import pytest

from triage.conditions.tree import NUMBER, QuestionShape
from triage.engine.answers import normalise

WHOLE = QuestionShape("age", NUMBER, (), 0, 120, True)
DECIMAL = QuestionShape("temp", NUMBER, (), None, None, False)


@pytest.mark.parametrize("shape", [WHOLE, DECIMAL])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e999", float("inf"), float("nan"),
                                   10**400])
def test_non_finite_numbers_are_refused_not_crashing(shape: QuestionShape, value: object) -> None:
    normal, why = normalise(shape, value)
    assert normal is None
    assert "takes a number" in why


def test_finite_numbers_still_accepted() -> None:
    assert normalise(WHOLE, "42") == (42, "")
    assert normalise(WHOLE, 42.0) == (42, "")
    assert normalise(DECIMAL, "37.5") == (37.5, "")
    assert normalise(DECIMAL, 10**30) == (10**30, "")
