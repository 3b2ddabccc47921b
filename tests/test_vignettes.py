"""The independent vignette suite (tests/vignettes/vignettes.yaml) on the bundled pack.

The suite is run in CI: no vignette may be under-triaged, every vignette must be answered
completely (a missing safety answer would stop the assessment), and docs/vignettes.md must be
what scripts/vignette_report.py writes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from triage.engine.evaluate import evaluate
from triage.engine.policy import DISPOSITIONS, THERAPY
from triage.pack.load import load_pack

ROOT = Path(__file__).resolve().parent.parent
PACK = load_pack(ROOT / "rules", use_cache=False)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vignette_report",
                                                  ROOT / "scripts" / "vignette_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


REPORT = _script()
VIGNETTES = REPORT.load_vignettes()


def test_at_least_60_vignettes_with_every_kind_of_gold() -> None:
    assert len(VIGNETTES) >= 60
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES)
    golds = {v.gold for v in VIGNETTES}
    assert {"emergency", "emergency_department", "same_day", "doctor_soon", "doctor_first",
            "therapy", "self_care"} <= golds


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.id for v in VIGNETTES])
def test_vignette_is_not_under_triaged(vignette: object) -> None:
    result = REPORT.judge(PACK, vignette)
    assert result.verdict != "under", (
        f"{result.vignette.id}: gold {result.vignette.gold}, got {result.disposition}")


def test_levels_follow_the_policy_order() -> None:
    levels = REPORT.levels()
    assert levels[0] == DISPOSITIONS[0] == "emergency"
    assert "therapy" in levels and not THERAPY & set(levels)
    assert len(levels) == len(DISPOSITIONS) - len(THERAPY) + 1


def test_judging_tells_under_from_over_triage() -> None:
    """The verdicts themselves: a vignette judged against a result moved by hand."""
    vignette = next(v for v in VIGNETTES if v.id == "dvt_calf_after_flight")  # same_day
    assert REPORT.judge(PACK, vignette).verdict == "accepted"
    calm = REPORT.Vignette(vignette.id, "", "", "emergency", ("emergency",), (),
                           vignette.answers)
    assert REPORT.judge(PACK, calm).verdict == "under"
    keen = REPORT.Vignette(vignette.id, "", "", "therapy", ("therapy",), (),
                           vignette.answers)
    assert REPORT.judge(PACK, keen).verdict == "over"


def test_every_vignette_reaches_a_disposition_with_its_own_answers() -> None:
    for v in VIGNETTES:
        evaluate(PACK, v.answers)  # MissingAnswers here: the vignette is not fully answered


def test_the_report_is_current_and_shows_no_under_triage() -> None:
    text = REPORT.render(PACK, REPORT.run(PACK, VIGNETTES))
    assert "| under-triage | 0 |" in text
    current = (ROOT / "docs" / "vignettes.md").read_text(encoding="utf-8")
    assert current == text, "run: python scripts/vignette_report.py"
