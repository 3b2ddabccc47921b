"""The bundled pack 0.2.32: a clinical red-team audit of 0.2.31 (clin-o) for under-triage
among the urgent results (the level one red flag gives against the level the references give
to the same person's signs together).

1. After cancer, new weakness of an arm or a leg getting worse (a foot that drags), or
   weakness getting worse with nothing hurting, was a doctor today (weakness_getting_worse,
   weakness_with_nothing_hurting), while clumsy hands or unsteady walking after cancer were
   the emergency department (cancer_with_nerve_signs). References section 1a: known cancer
   with new neurological symptoms, "SAME-DAY/EMERG (cord compression)"; NICE NG234: contact
   the team immediately. Now the emergency department (cancer_with_weakness_worse).

Swept over every place (several, none, nothing hurting), every answer that names a cancer
(or not sure about the health history), every answer that says weakness is getting worse (or
not sure), and ages 16 to 95. The pack's own cases are rules/tests/audit_0_2_31_o.yaml."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.ids import answers_id
from tests.test_clinical_audit_0_2_20_f import WHERE, _at_least
from tests.test_clinical_audit_0_2_22_h import PACK, _asked, _fired
from tests.test_clinical_pack import rule_by_id
from triage.engine.policy import urgency_tier

AGES = [16, 40, 64, 65, 95]
CANCER = ["cancer", "chemo", "not_sure"]
# the flags that read a limb's weakness getting worse (the words of other_symptoms or of
# problem_somewhere), or a "not sure" about it, found in the pack so that a new one is swept too
WEAKNESS_FLAGS = sorted(
    flag["id"] for path in sorted((REPO_ROOT / "rules").glob("red_flags*.yaml"))
    for flag in yaml.safe_load(path.read_text(encoding="utf-8"))["red_flags"]
    if flag["id"] != "cancer_with_weakness_worse"
    and re.search(r"\bweakness_(worse|no_place)\b|not_sure in other_symptoms",
                  json.dumps(flag["when"])))
# every way a person says weakness is getting worse (or is not sure), with a place or none
WEAKNESS: list[dict[str, Any]] = [
    *({**w, "other_symptoms": frozenset({sign})}
      for w in WHERE if w.get("problem_somewhere") != "no" and w["areas"]
      for sign in ("weakness_worse", "not_sure")),
    {"areas": frozenset(), "problem_somewhere": "weakness"},
    {"areas": frozenset(), "problem_somewhere": "not_sure"},
    {"areas": frozenset(), "problem_somewhere": "yes",
     "other_symptoms": frozenset({"weakness_worse"})}]


def test_the_weakness_flags_are_found() -> None:
    assert {"weakness_getting_worse", "weakness_with_nothing_hurting",
            "weakness_both_sides", "other_symptom_unsure"} <= set(WEAKNESS_FLAGS)


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("cancer", CANCER)
@pytest.mark.parametrize("where", WEAKNESS, ids=answers_id)
def test_weakness_getting_worse_after_cancer_is_the_emergency_department(
        where: dict[str, Any], cancer: str, age: int) -> None:
    """On 0.2.31: a doctor today (66, breast cancer 4 years ago, mid-back pain, a foot that
    drags more each day; 70, prostate cancer, legs getting weaker, nothing hurts)."""
    asked, outcome = _asked({**where, "age": age, "health_history": frozenset({cancer})})
    assert "health_history" in asked
    assert _at_least(outcome, "emergency_department"), outcome.disposition
    assert "cancer_with_weakness_worse" in _fired(outcome)


@pytest.mark.parametrize("cancer", CANCER)
@pytest.mark.parametrize("where", WEAKNESS, ids=answers_id)
def test_no_weakness_flag_ranks_below_the_cord_signs_after_cancer(
        where: dict[str, Any], cancer: str) -> None:
    """The class: after cancer, whatever flag of a limb's weakness fires, the result is at
    least the level the pack gives the other cord signs after cancer."""
    level = rule_by_id(PACK, "cancer_with_nerve_signs").disposition
    for side in ("no", "yes", "not_sure"):
        _, outcome = _asked({**where, "weakness_both_sides": side,
                             "health_history": frozenset({cancer})})
        fired = _fired(outcome) & set(WEAKNESS_FLAGS)
        assert fired, (side, _fired(outcome))
        assert urgency_tier(outcome.disposition) >= urgency_tier(level), (side, fired)


@pytest.mark.parametrize("where", [w for w in WEAKNESS if w.get("problem_somewhere") != "not_sure"],
                         ids=answers_id)
def test_weakness_without_cancer_keeps_its_level(where: dict[str, Any]) -> None:
    """*below*: the same weakness with no cancer and a sure health history stays a doctor
    today (one side): only the cancer raises it ("not sure" with no place is pain and
    weakness both, tested above)."""
    _, outcome = _asked({**where, "health_history": frozenset({"osteoporosis"})})
    assert outcome.disposition == "same_day", sorted(_fired(outcome))
    assert "cancer_with_weakness_worse" not in _fired(outcome)


def test_cancer_with_weakness_not_getting_worse_is_not_raised() -> None:
    """*below*: after cancer, a place with no weakness getting worse: the flag does not fire."""
    _, outcome = _asked({"areas": frozenset({"knee"}), "health_history": frozenset({"cancer"}),
                         "duration": "over_3_months"})
    assert "cancer_with_weakness_worse" not in _fired(outcome)


def test_the_reasons_name_the_cancer_the_place_to_go_and_the_doubt() -> None:
    flag = rule_by_id(PACK, "cancer_with_weakness_worse")
    assert flag.disposition == "emergency_department"
    for reason in (flag.reason, *(r for _, r in flag.reason_when)):
        assert "emergency department" in reason["en"] and "911" not in reason["en"]
        assert "l'urgence" in reason["fr"]
        assert "weakness" in reason["en"] and "faiblesse" in reason["fr"]
    # the branches of a doubt (0.2.33: one more, new weakness not getting worse, says it;
    # 0.2.34: the sure weakness getting worse has its own branch, and says it)
    for when, reason in flag.reason_when:
        if "not_sure" in repr(when):
            assert "not sure" in reason["en"] and "je ne sais pas" in reason["fr"]
        else:
            assert "getting worse" in reason["en"] and "empire" in reason["fr"]
    assert "NG234" in flag.source.citation
