"""A copy of the minimal pack whose red flags test the policy's order: two flags of one urgency
with different priorities, in either file order, beside a more urgent flag of each kind."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINIMAL

SOURCE = 'source: {citation: "Test fixture", year: 2026, kind: consensus}'
EMERGENCY = f"""\
  - id: heart_attack_signs
    when: chest_pain
    disposition: emergency
    reason: {{en: Chest pain can be a heart attack., fr: Douleur à la poitrine.}}
    {SOURCE}
"""
SAME_DAY = f"""\
  - id: fall_cannot_walk
    when: "fall and can_bear_weight == no and age >= 55"
    disposition: same_day
    priority: 2
    reason: {{en: A fall then not walking may be a fracture., fr: Une chute.}}
    {SOURCE}
"""
# doctor_first, both fire for a fever at 65 or over: the higher priority is the main reason
LOW = f"""\
  - id: fever_any
    when: fever
    disposition: doctor_first
    priority: 1
    reason: {{en: LOW-PRIORITY fever reason., fr: Raison de priorité basse.}}
    {SOURCE}
"""
HIGH = f"""\
  - id: fever_older
    when: "fever and age >= 65"
    disposition: doctor_first
    priority: 5
    reason: {{en: HIGH-PRIORITY fever reason., fr: Raison de priorité haute.}}
    {SOURCE}
"""
FILE_ORDERS = {
    # least urgent first, and the lower priority before the higher
    "low_priority_first": LOW + HIGH + SAME_DAY + EMERGENCY,
    "high_priority_first": HIGH + LOW + EMERGENCY + SAME_DAY,
}


def priority_pack(folder: Path, order: str) -> Path:
    """The minimal pack in ``folder`` with the red flags above in the named file order."""
    shutil.copytree(MINIMAL, folder)
    (folder / "red_flags.yaml").write_text("red_flags:\n" + FILE_ORDERS[order],
                                           encoding="utf-8")
    # the minimal pack's own cases name its own red flags: this pack is about order only
    (folder / "tests" / "cases.yaml").write_text("cases: []\n", encoding="utf-8")
    return folder
