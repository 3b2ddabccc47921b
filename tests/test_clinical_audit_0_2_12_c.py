"""The bundled pack after the clinical red-team audit of pack 0.2.12 (findings 5 to 19 of the
vascular, pregnancy, groin, joint, wound and technique part): what the pack's own cases
(rules/tests/audit_0_2_12_c.yaml) cannot show, the words a person reads when choosing an
answer, and the techniques a therapy result lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import evaluate
from triage.pack.load import load_pack
from triage.pack.specs import Text

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)


def _option(qid: str, oid: str) -> Text:
    return next(o.text for o in PACK.question_by_id[qid].options if o.id == oid)


def test_a_hot_joint_after_a_small_knock_is_still_a_hot_joint() -> None:
    """Finding 13: "hot, swollen and very painful, without an injury" left no box for a knee
    bumped 5 days ago that is now hot and swollen (a septic joint after a knock or graze):
    physiotherapy with electrotherapy. The option, and the reason it gives, name the knock."""
    hot = _option("today_signs", "hot_joint")
    assert "small knock" in hot["en"] and "petit coup" in hot["fr"]
    reason = next(r.reason for r in PACK.rules if r.id == "hot_swollen_joint")
    assert "small knock" in reason["en"] and "petit coup" in reason["fr"]


def test_a_wound_that_is_not_healing_is_never_the_harmless_answer() -> None:
    """Finding 15: "healing, or that a doctor or nurse has checked" let a diabetic foot ulcer
    a nurse saw once a month ago, not healing, stand as the harmless answer (massage near it,
    with numb feet and weak immunity). Only a healing wound is that answer; one that is not
    healing is the other, whoever saw it."""
    healing = _option("today_signs", "open_wound")
    assert "healing, and" in healing["en"] and "qui guérit, et" in healing["fr"]
    assert ", or that a doctor" not in healing["en"]
    other = _option("today_signs", "open_wound_unchecked")
    assert "even if a doctor or nurse saw it" in other["en"]
    assert "même vue par un médecin ou une infirmière" in other["fr"]


ELECTRO = "Electrotherapy (like ultrasound or TENS)"
MOBILISATION = "Joint mobilisation"
BASE: dict[str, Any] = {"emergency_signs": frozenset(), "recent_stroke_signs": "no",
                        "today_signs": frozenset(), "injury": "none",
                        "other_symptoms": frozenset(), "conditions": frozenset(),
                        # asked with a bleeding risk (65 or over, blood thinners, a bleeding
                        # disorder) whatever the injury, since pack 0.2.22
                        "head_injury": "no"}


def _shown(answers: dict[str, Any]) -> tuple[str, set[str], set[str]]:
    outcome = evaluate(PACK, {**BASE, **answers})
    return (outcome.disposition, {t["en"] for t in outcome.techniques},
            {r.id for r in outcome.fired})


@pytest.mark.parametrize(("answers", "left_out", "rule"), [
    # 70, a pacemaker (a heart condition), low back pain: TENS was listed
    ({"age": 70, "areas": frozenset({"low_back"}), "ces_signs": frozenset(),
      "bladder_bowel": frozenset(),
      "health_history": frozenset({"heart_condition"}), "aneurysm_pain": "no",
      "duration": "under_6_weeks", "onset": "gradual", "first_time": "no",
      "reasons": frozenset({"other_pain"}), "exertion_pain_later": "no"},
     {ELECTRO}, "ci_heart_electrotherapy"),
    # 58, a cancer survivor, chronic knee arthritis: electrotherapy and joint mobilisation
    # over a possible tumour or bone metastasis were listed
    ({"age": 58, "areas": frozenset({"knee"}), "health_history": frozenset({"cancer"}),
      "myelopathy_signs": frozenset(), "bladder_bowel": frozenset(), "duration": "over_3_months",
      "cancer_nerve_pain": "no", "reasons": frozenset({"other_pain"}),
      "conditions": frozenset({"arthritis"})}, {ELECTRO, MOBILISATION}, "ci_cancer"),
    # 50, on apixaban, a knee knocked yesterday, no fast swelling: joint mobilisation was
    # listed where the note said "no vigorous work"
    ({"age": 50, "areas": frozenset({"knee"}), "health_history": frozenset({"blood_thinners"}),
      "injury": "last_2_days", "head_injury": "no", "can_walk_4_steps": "yes",
      "knee_signs": frozenset(), "leg_injury_signs": frozenset(), "duration": "under_6_weeks",
      "reasons": frozenset({"other_pain"})}, {MOBILISATION}, "ci_blood_thinners"),
    ({"age": 50, "areas": frozenset({"knee"}), "health_history": frozenset({"bleeding_disorder"}),
      "duration": "under_6_weeks", "reasons": frozenset({"other_pain"})},
     {MOBILISATION}, "ci_bleeding_disorder"),
])
def test_techniques_a_health_condition_rules_out_are_not_listed(
        answers: dict[str, Any], left_out: set[str], rule: str) -> None:
    """Finding 19: TENS with a pacemaker or after cancer, and joint mobilisation on blood
    thinners (whose note said "no vigorous work"), were listed as what the therapist may
    use. Each is left out, with the rule that says why; the therapy itself stays."""
    disposition, shown, fired = _shown(answers)
    assert disposition in ("physiotherapy", "both"), disposition
    assert shown, "a therapy result lists techniques"
    assert not shown & left_out, shown
    assert rule in fired


def test_without_the_condition_the_techniques_are_listed() -> None:
    """The near miss of finding 19: the same low back pain with no heart condition lists
    electrotherapy, and the same knee with no cancer or blood thinners joint mobilisation."""
    _, shown, _ = _shown({"age": 70, "areas": frozenset({"low_back"}), "ces_signs": frozenset(),
                          "bladder_bowel": frozenset(),
                          "health_history": frozenset(), "duration": "under_6_weeks",
                          "onset": "gradual", "first_time": "no",
                          "reasons": frozenset({"other_pain"})})
    assert ELECTRO in shown
    _, shown, _ = _shown({"age": 58, "areas": frozenset({"knee"}),
                          "health_history": frozenset(), "duration": "over_3_months",
                          "reasons": frozenset({"other_pain"}),
                          "conditions": frozenset({"arthritis"})})
    assert {ELECTRO, MOBILISATION} <= shown
