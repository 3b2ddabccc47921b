"""The bundled pack after the clinical red-team audit of pack 0.2.12 (findings 5 to 19 of the
vascular, pregnancy, groin, joint, wound and technique part): what the pack's own cases
(rules/tests/audit_0_2_12_c.yaml) cannot show, the words a person reads when choosing an
answer, and the techniques a therapy result lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import evaluate
from triage.pack.compiled import CompiledPack
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
    assert "even if a doctor or nurse has seen it" in other["en"]
    assert "même si un médecin ou une infirmière l'a vue" in other["fr"]
