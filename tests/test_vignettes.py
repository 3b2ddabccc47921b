"""The vignette suites (tests/vignettes/blind.yaml and vignettes.yaml) on the bundled pack.

Both suites run in CI: no vignette may be under-triaged, every vignette must be answered
completely (a missing safety answer would stop the assessment), and docs/vignettes.md must be
what scripts/vignette_report.py writes, with each suite reported separately and the blind
suite's first run (before any fix) on record.
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
SUITES = {suite.name: suite for suite in REPORT.load_suites()}
VIGNETTES = [v for suite in SUITES.values() for v in suite.vignettes]
GOLDS = {"emergency", "emergency_department", "same_day", "doctor_soon", "doctor_first",
         "therapy", "self_care"}


@pytest.mark.parametrize("name", ["blind", "authored"])
def test_each_suite_has_at_least_60_vignettes_with_every_kind_of_gold(name: str) -> None:
    vignettes = SUITES[name].vignettes
    assert len(vignettes) >= 60
    assert len({v.id for v in vignettes}) == len(vignettes)
    assert {v.gold for v in vignettes} >= GOLDS


def test_the_suites_do_not_share_vignettes() -> None:
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES)
    assert not {v.story for v in SUITES["blind"].vignettes} & {
        v.story for v in SUITES["authored"].vignettes}


def test_most_blind_vignettes_are_the_common_therapy_callers() -> None:
    """The blind suite mirrors real callers: therapy cases are the largest group."""
    blind = SUITES["blind"].vignettes
    therapy = sum(v.gold in ("therapy", "self_care") for v in blind)
    assert all(therapy > sum(v.gold == g for v in blind) for g in GOLDS - {"therapy", "self_care"})


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


def test_a_different_therapy_is_a_mismatch_not_a_triage_error() -> None:
    vignette = next(v for v in SUITES["blind"].vignettes
                    if v.id == "b_desk_neck_shoulder_tension")
    got = REPORT.judge(PACK, vignette).disposition
    other = tuple(sorted(THERAPY - {got}))
    moved = REPORT.Vignette(vignette.id, "", "", "therapy", ("therapy",), other,
                            vignette.answers)
    assert REPORT.judge(PACK, moved).verdict == "therapy_mismatch"


def test_every_vignette_reaches_a_disposition_with_its_own_answers() -> None:
    for v in VIGNETTES:
        evaluate(PACK, v.answers)  # MissingAnswers here: the vignette is not fully answered


def test_the_blind_suite_keeps_its_first_run_on_record() -> None:
    record = SUITES["blind"].first_run
    assert record is not None and record["vignettes"] <= len(SUITES["blind"].vignettes)
    assert record["accepted"] + record["under"] + record["over"] + \
        record["therapy_mismatch"] == record["vignettes"]
    under = [f for f in record["findings"] if f["verdict"] == "under"]
    assert len(under) == record["under"]
    ids = {v.id for v in SUITES["blind"].vignettes}
    assert {f["id"] for f in record["findings"]} <= ids


def test_the_report_is_current_and_shows_no_under_triage_in_either_suite() -> None:
    runs = REPORT.run_suites(PACK)
    text = REPORT.render(PACK, runs)
    assert "| under-triage | 0 | 0 |" in text
    assert "## Blind suite" in text and "## Authored suite" in text
    assert "First run, before any fix" in text
    current = (ROOT / "docs" / "vignettes.md").read_text(encoding="utf-8")
    assert current == text, "run: python scripts/vignette_report.py"
