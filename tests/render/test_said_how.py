"""One policy says how each rule that holds goes with a result (triage.engine.policy.said_how):
its words, its name only, or neither. Audit "a result a person sees", 2nd round:

- item 9: a 911 result named an outranked massage contraindication, "Also found: Cold, flu
  or other infection now" (terminal Why, the HTML report's sources, the caller's reasons);
  urgent results carry nothing routine, and a flag of no medical level is routine there;
- item 13: self care said "no therapy" three times (the flag, "Massage (soft tissue)
  therapy is not safe for you right now.", "No massage while you have a cold..."): next to
  self care, which is no therapy at all for now, a strike is not said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import Outcome, evaluate
from triage.engine.policy import (
    CONTRAINDICATION,
    HELD,
    MEDICAL,
    NAMED,
    RED_FLAG,
    SAID,
    SELF_CARE,
    STRIKE_SOFT_TISSUE,
    URGENCY,
    URGENT,
    said_how,
)
from triage.i18n import t
from triage.pack.load import load_pack
from triage.records.model import new_record
from triage.render.caller import booking_summary
from triage.render.records import record_text
from triage.render.report import report_html
from triage.render.result import outcome_text

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# the audit's answers (ans/emergency.json): a cold and a stiff neck, 911 for meningitis, and
# the cold's own flag (self care) outranked
COLD_STIFF_NECK: dict[str, Any] = {
    "emergency_signs": frozenset(), "age": 22, "recent_stroke_signs": "no",
    "areas": frozenset({"neck"}), "neck_neuro": frozenset(), "exertion_pain": "no",
    "today_signs": frozenset({"acute_infection"}), "fever_signs": frozenset({"stiff_neck"})}


def test_the_policy_names_an_outranked_flag_only_when_it_is_not_routine() -> None:
    assert said_how("emergency", RED_FLAG, None, False, (), "emergency") == SAID
    assert said_how("emergency", RED_FLAG, None, False, (), "same_day") == NAMED
    assert said_how("doctor_first", RED_FLAG, None, False, (), SELF_CARE) == NAMED
    for urgent in sorted(URGENT):
        assert said_how(urgent, RED_FLAG, None, False, (), SELF_CARE) == HELD
    strike = (CONTRAINDICATION, STRIKE_SOFT_TISSUE, False, ())
    assert said_how(SELF_CARE, *strike) == HELD
    assert said_how("physiotherapy", *strike) == SAID


def _section(summary: str, title: str) -> list[str]:
    """The items of one titled list of the reception summary."""
    lines = summary.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith(title)]
    items: list[str] = []
    for line in lines[heads[0] + 1:] if heads else ():
        if not line.startswith("- "):
            break
        items.append(line[2:])
    return items


def _why(outcome: Outcome, lang: str = "en") -> str:
    text = outcome_text(outcome, PACK, lang, plain=True)
    return text.split("Why:")[1].split("\nYour answers:")[0] if "Why:" in text else ""


def test_a_911_result_names_no_massage_contraindication_anywhere(tmp_path: Path) -> None:
    outcome = evaluate(PACK, COLD_STIFF_NECK)
    assert outcome.disposition == "emergency"
    assert {"meningitis_signs", "acute_infection_now"} <= {r.id for r in outcome.fired}
    for lang, cold in (("en", "Cold, flu"), ("fr", "Rhume, grippe")):
        assert cold not in outcome_text(outcome, PACK, lang, plain=True)
        assert cold not in booking_summary(outcome, PACK, lang)
        assert cold not in report_html(outcome, PACK, lang)
    assert "never therapy" not in report_html(outcome, PACK, "en")  # its source neither
    fired = {r["id"]: r for r in outcome.as_dict()["fired"]}
    assert fired["acute_infection_now"]["shown"] is False  # still in the data
    record = new_record(caller_ref="C-1", desk="d", staff="s", answers=outcome.answers,
                        disposition=outcome.disposition, outcome=outcome.as_dict(),
                        pack_id=PACK.id, pack_version=PACK.version,
                        pack_hash=PACK.content_hash, tool_version="0")
    shown = record_text(record, "en", PACK)
    assert "Cold, flu" not in shown
    assert "acute_infection_now" in shown.split("Also held, not said with this result:")[1]


@pytest.mark.parametrize("case", [c for c in PACK.cases if c.expect in URGENT],
                         ids=lambda c: c.id)
def test_no_urgent_pack_case_names_a_flag_of_no_medical_level(case: Any) -> None:
    outcome = evaluate(PACK, case.answers)
    routine = [r for r in outcome.fired_of(RED_FLAG) if r.disposition not in MEDICAL]
    for lang in PACK.languages:
        why = _why(outcome, lang)
        summary = booking_summary(outcome, PACK, lang).splitlines()
        for rule in routine:
            named = t("also_found", lang, name=PACK.text(rule.label, lang))
            assert f"{named} [" not in why and f"- {named}" not in summary, (rule.id, lang)


@pytest.mark.parametrize("case", [c for c in PACK.cases if c.expect == SELF_CARE],
                         ids=lambda c: c.id)
def test_self_care_says_no_therapy_once_in_its_reasons(case: Any) -> None:
    outcome = evaluate(PACK, case.answers)
    strikes = [r for r in outcome.fired_of(CONTRAINDICATION) if r.effect == STRIKE_SOFT_TISSUE]
    assert strikes, "a self care case with no strike tests nothing here"
    for lang, struck in (("en", "is not safe for you right now"),
                         ("fr", "n'est pas sécuritaire pour vous")):
        why = _why(outcome, lang)
        assert struck not in why, lang
        assert not [r.id for r in strikes if PACK.text(r.reason, lang) in why], lang
        listed = _section(booking_summary(outcome, PACK, lang),
                          t("caller_contraindications", lang))
        assert not [r.id for r in strikes if PACK.text(r.label, lang) in listed], lang
    flags = outcome.fired_of(RED_FLAG)
    assert flags and all(URGENCY[r.disposition] == URGENCY[SELF_CARE] for r in flags)
