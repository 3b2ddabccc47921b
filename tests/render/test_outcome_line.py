"""The closing line: the one line that stays on the screen says when, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import MissingAnswers, Outcome, evaluate
from triage.pack.load import load_pack
from triage.render.result import outcome_line

PACK = load_pack(Path(REPO_ROOT) / "rules", use_cache=False)


def _one_outcome_per_disposition() -> dict[str, Outcome]:
    found: dict[str, Outcome] = {}
    for case in PACK.cases:
        try:
            found.setdefault(case.expect, evaluate(PACK, case.answers))
        except MissingAnswers:
            continue
    return found


OUTCOMES = _one_outcome_per_disposition()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_closing_line_says_when_once(lang: str) -> None:
    """"Get medical care today: today." said it twice: a label that already says when is
    the whole line; one that does not is followed by when."""
    assert {"same_day", "doctor_soon", "physiotherapy"} <= set(OUTCOMES)
    for disposition, outcome in OUTCOMES.items():
        line = outcome_line(outcome, PACK, lang)
        when = PACK.text(PACK.dispositions[disposition]["timeframe"], lang)
        first = when.split(",")[0].strip().casefold()
        assert line.casefold().count(first) == 1 or disposition == "emergency", line
    assert outcome_line(OUTCOMES["same_day"], PACK, "en") == "Get medical care today."
    assert outcome_line(OUTCOMES["physiotherapy"], PACK, "en") == (
        "Physiotherapy: within 1 to 2 weeks.")
